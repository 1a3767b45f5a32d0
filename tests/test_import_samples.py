"""Both real packages import completely, from text, .docx and .xlsx alike."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from conftest import EXAMPLES
from jixiao.ingest import import_file
from jixiao.ingest.forms.narrative import narrative_amounts
from jixiao.ingest.text import read_text
from jixiao.model import dump_evaluation
from office import write_docx, write_xlsx

SAMPLES = {
    "kaiyun": (EXAMPLES / "hengshan-kaiyun-town-2022.txt", "kaiyun"),
    "hengyang": (EXAMPLES / "hengyang-city-government-office-2022.txt", "hengyang"),
}


@pytest.fixture(scope="module")
def imported():
    return {key: import_file(path) for key, (path, _) in SAMPLES.items()}


@pytest.mark.parametrize("key", SAMPLES)
def test_text_sample_imports_to_the_hand_typed_evaluation(imported, key, request):
    expected = request.getfixturevalue(SAMPLES[key][1])
    result = imported[key]
    assert result.ok
    assert dump_evaluation(result.evaluation) == dump_evaluation(expected)


def test_every_table_is_found(imported, kaiyun, hengyang):
    town, city = imported["kaiyun"], imported["hengyang"]
    assert (town.found.base_data, town.found.scorecard, town.found.projects) == (True, 17, 2)
    assert (city.found.base_data, city.found.department_evaluation, city.found.projects, city.found.narrative_sections) == (True, True, 12, 11)
    assert sum(len(p.indicators) for p in city.evaluation.projects) == 103
    assert [len(p.indicators) for p in town.evaluation.projects] == [12, 12]
    assert len(city.evaluation.base_data.projects) == 17


def test_malformed_number_is_read_and_reported(imported):
    city = imported["hengyang"]
    [notice] = [n for n in city.notices if n.code == "malformed-number"]
    assert notice.text == "31..5" and "按 31.5 读取" in notice.message
    assert "第 14 个表格" in notice.where and "源文件第 2703 行" in notice.where
    督查 = next(p for p in city.evaluation.projects if p.name == "政务督查经费")
    assert str(督查.funds.fiscal.executed) == "31.5"


def test_only_content_free_text_goes_unreported(imported):
    """What is not placed is listed (the city's report date); the town's filled-in signature
    line is read as the signatures of the project table above it."""
    town_left = [n.text for n in imported["kaiyun"].notices if n.code == "unplaced-text"]
    assert town_left == []
    signed = imported["kaiyun"].evaluation.projects[0].signatures
    assert (signed.filler, signed.date, signed.phone, signed.head) == ("彭思玲", "2023.8.1", "18973471377", "彭会军")
    assert imported["kaiyun"].evaluation.projects[1].signatures.filler is None
    city_left = [n.text for n in imported["hengyang"].notices if n.code == "unplaced-text"]
    assert city_left == ["2023年 3 月24日"]


def test_narrative_amounts_are_captured_with_their_labels(imported):
    sections = {s.heading: s for s in imported["hengyang"].evaluation.narrative}
    basic = {a.label: a.amount for a in narrative_amounts(sections["（一）基本支出情况"].text)}
    assert basic["基本支出决算数"] == D("3443.65") and basic["年初预算总收入和总支出"] == D("2677.71")
    assert basic["基本支出"] == D("1839.57") and basic["比预算增加"] == D("516.79")  # the last of three
    projects = {a.label: a.amount for a in narrative_amounts(sections["（二）项目支出情况"].text)}
    assert projects["大院保安转辅警经费"] == D("152.5") and projects["项目支出决算数"] == D("1404.48")
    assert projects["其他补助经费"] == D("16.87")
    assert len(narrative_amounts(sections["（二）项目支出情况"].text)) == 16


@pytest.mark.parametrize("key", SAMPLES)
@pytest.mark.parametrize("writer", [write_docx, write_xlsx], ids=["docx", "xlsx"])
def test_docx_and_xlsx_import_to_the_same_evaluation(imported, key, writer, tmp_path: Path):
    path, _ = SAMPLES[key]
    document = read_text(path.read_text(encoding="utf-8"), path.name)
    office = writer(document, tmp_path / f"{key}.{writer.__name__[-4:]}")
    result = import_file(office)
    assert result.ok, result.notices
    expected = imported[key].evaluation
    if writer is write_xlsx:  # a workbook holds the annex tables, not the narrative report
        assert result.evaluation.narrative == []
        expected = expected.model_copy(update={"narrative": []})
    assert result.evaluation == expected

    def codes(notices):  # a workbook carries only the titles next to each table, not the cover
        return [n.code for n in notices if n.severity != "info" and (writer is write_docx or n.code != "unplaced-text")]

    assert codes(result.notices) == codes(imported[key].notices)
