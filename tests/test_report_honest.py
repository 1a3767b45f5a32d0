"""The report never prints what Jixiao invented or knows to be wrong: no placeholder text in an
exported document (the caller is told what is missing instead), figures quoted from the forms
carry the audit's value where the audit found the stated one wrong, and importing an export
gives back the evaluation it came from — no legend read as a notice, no generated section read
as the unit's own narrative."""

from __future__ import annotations

import html as htmllib
import re
from io import BytesIO

import pytest
from docx import Document as open_docx
from typer.testing import CliRunner

from conftest import EXAMPLES
from jixiao.audit.report import audit
from jixiao.cli import app
from jixiao.ingest import import_file
from jixiao.ingest.forms.narrative import GENERATED
from jixiao.model import Evaluation, load_evaluation
from jixiao.model.blank import STANDARD
from jixiao.render.export import export, export_document
from jixiao.render.report import LEGACY_PLACEHOLDER, report_plan
from jixiao.rubric.choose import project_rubrics
from jixiao.rubric.loader import find_rubric
from jixiao.rubric.methods import num

SAMPLES = ("kaiyun", "hengyang")
HEADINGS = [heading for heading, _ in STANDARD]
FILLER = ("请单位补充", "材料中无此部分内容", "（未填）")


@pytest.fixture(scope="module")
def rubrics():
    return find_rubric("hengshan-2022-department"), project_rubrics()


def sample(name: str) -> Evaluation:
    return load_evaluation(EXAMPLES / f"{name}-2022.json")


def without(evaluation: Evaluation, *numbers: str) -> Evaluation:
    """The package with the unit's own sections 三、… (by their numeral) taken out."""
    kept = [s for s in evaluation.narrative if not s.heading.startswith(numbers)]
    return evaluation.model_copy(update={"narrative": kept})


def variants(name: str) -> dict[str, Evaluation]:
    """The sample as typed, and, for the city (which has its own full report), the same package
    without the report or without some sections, so that Jixiao has sections to write."""
    evaluation = sample(name)
    if name == "kaiyun":
        return {"kaiyun": evaluation}
    return {
        "hengyang": evaluation,
        "hengyang-no-report": evaluation.model_copy(update={"narrative": []}),
        "hengyang-no-3-4-5": without(evaluation, "三", "四", "五"),
        "hengyang-no-6": without(evaluation, "六"),
    }


ALL = [(name, key) for name in SAMPLES for key in variants(name)]


def document_text(data: bytes, to: str) -> str:
    if to == "docx":
        document = open_docx(BytesIO(data))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    text = data.decode("utf-8")
    return htmllib.unescape(re.sub(r"<[^>]+>", "\n", text)) if to == "html" else text.replace("\\", "")


# ---- 1. no placeholder text; what is missing is told to the caller ----


@pytest.mark.parametrize("name, key", ALL)
@pytest.mark.parametrize("to", ["docx", "html", "md"])
def test_no_exported_document_carries_placeholder_text(rubrics, name, key, to):
    exported = export_document(variants(name)[key], to, *rubrics, highlight=True)
    text = document_text(exported.data, to)
    assert not [f for f in FILLER if f in text]
    for heading in exported.report.missing:  # left out, not printed with filler under it
        assert heading not in text


@pytest.mark.parametrize(
    "key, missing, generated",
    [
        ("kaiyun", ["三", "四", "五", "九"], ["一", "二", "六", "七", "八"]),
        ("hengyang", [], []),
        ("hengyang-no-report", ["三", "四", "五", "七", "八", "九"], ["一", "二", "六"]),
        ("hengyang-no-3-4-5", ["三", "四", "五"], []),
        ("hengyang-no-6", [], ["六"]),
    ],
)
def test_the_export_lists_what_the_report_lacks(rubrics, key, missing, generated):
    evaluation = variants(key.split("-")[0])[key]
    plan = export_document(evaluation, "docx", *rubrics).report
    assert [h[0] for h in plan.missing] == missing and [h[0] for h in plan.generated] == generated
    assert set(plan.missing + plan.generated) <= set(HEADINGS)
    assert plan.empty == []  # the city's 二、 heads its own （一）（二）: not an empty section


def test_the_unit_s_empty_sections_and_old_placeholders_are_listed_not_printed(rubrics):
    evaluation = sample("hengyang")
    narrative = [s.model_copy(update={"text": LEGACY_PLACEHOLDER}) if s.heading.startswith("三") else s for s in evaluation.narrative]
    narrative = [s.model_copy(update={"text": ""}) if s.heading.startswith("九") else s for s in narrative]
    exported = export_document(evaluation.model_copy(update={"narrative": narrative}), "md", *rubrics)
    assert [h[0] for h in exported.report.empty] == ["三", "九"]
    assert "请单位补充" not in exported.data.decode("utf-8")
    assert any("只有标题、没有内容" in note and "三、政府性基金预算支出情况" in note for note in exported.notes())


def test_a_workbook_has_no_report_and_lists_nothing(rubrics):
    assert export_document(sample("kaiyun"), "xlsx", *rubrics).notes() == []


@pytest.mark.parametrize("name", SAMPLES)
def test_the_command_line_prints_the_lists_to_stderr(tmp_path, name):
    output = tmp_path / f"{name}.docx"
    evaluation = tmp_path / f"{name}.json"
    evaluation.write_text(sample(name).model_copy(update={"narrative": []}).model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(evaluation), "--to", "docx", "-o", str(output), "--project-rubric", "auto"])
    assert result.exit_code == 0, result.output
    stderr = result.stderr.replace("\n", "")
    assert "导出时略去，请单位补写：三、政府性基金预算支出情况" in stderr and "九、其他需要说明的情况" in stderr
    assert "已根据所附表格的数字生成" in stderr and "一、部门（单位）基本情况" in stderr
    assert "请单位补充" not in document_text(output.read_bytes(), "docx")


# ---- what a generated section may say ----


def _cells(evaluation: Evaluation) -> list[str]:
    tables = [evaluation.department_evaluation] if evaluation.department_evaluation else []
    tables += evaluation.projects
    return [i.deviation or "" for t in tables for i in t.indicators]


@pytest.mark.parametrize("name, key", ALL)
def test_every_generated_sentence_is_a_figure_or_a_quoted_cell(rubrics, name, key):
    evaluation = variants(name)[key]
    plan = report_plan(evaluation, audit(evaluation, *rubrics))
    written = [s for s in plan.sections if s.heading.endswith(GENERATED)]
    assert len(written) == len(plan.generated)
    deviations = _cells(evaluation)
    for section in written:
        assert section.heading.removesuffix(GENERATED) in HEADINGS
        for line in section.text.split("\n"):
            assert line.strip() and line.strip("。") != "无", (section.heading, line)
            if section.heading.startswith(("七", "八")):
                quoted = re.sub(r"^\d+\.|（涉及.*）。$", "", line)
                assert any(quoted in cell for cell in deviations), line  # the unit's own words, verbatim
            elif not line.startswith(("部门职能职责", "整体绩效目标")):
                assert re.search(r"\d", line), line  # a figure, not a claim
    own = [s for s in plan.sections if not s.heading.endswith(GENERATED)]
    assert [s.heading for s in own] == [s.heading for s in evaluation.narrative]  # the unit's, untouched and in order


def test_a_generated_section_stands_where_the_standard_order_puts_it(rubrics):
    plan = report_plan(variants("hengyang")["hengyang-no-6"])
    numbers = [s.heading[0] for s in plan.sections if s.heading[0] in "一二三四五六七八九"]
    assert numbers == ["二", "三", "四", "五", "六", "七", "八", "九"]  # the city writes 1、 for 一


# ---- 2. figures the audit found wrong ----


def _generated_text(evaluation: Evaluation, rubrics) -> str:
    return "\n".join(s.text for s in report_plan(evaluation, audit(evaluation, *rubrics)).sections if s.heading.endswith(GENERATED))


@pytest.mark.parametrize("name, key", [("kaiyun", "kaiyun"), ("hengyang", "hengyang-no-report")])
def test_a_rate_the_audit_recomputed_is_quoted_as_recomputed(rubrics, name, key):
    evaluation = variants(name)[key]
    report = audit(evaluation, *rubrics)
    wrong = [
        f for f in report.findings
        if f.severity == "error" and f.location.part == "project" and f.location.column == "执行率" and f.expected is not None
    ]
    assert wrong  # each sample has a stated rate the audit recomputed
    text = _generated_text(evaluation, rubrics)
    for finding in wrong:
        stated = next(p for p in evaluation.projects if p.name == finding.location.project).execution.rate_stated
        line = next(line for line in text.split("\n") if f"项目“{finding.location.project}”" in line)
        assert f"执行率{num(finding.expected)}%（表中填报{num(stated)}%，经核算更正）" in line
        assert f"执行率{num(stated)}%，" not in line and not line.endswith(f"执行率{num(stated)}%。")


def test_the_town_s_rate_and_rescore(rubrics):
    text = _generated_text(sample("kaiyun"), rubrics)
    assert "执行率57.94%（表中填报60%，经核算更正），自评得分92分（按评分规则核算为92.79分）" in text
    assert "执行率70%，自评得分94分。" in text  # 532.72 ÷ 761.30 rounds to the stated 70%: left as stated


def test_a_figure_another_table_disagrees_with_is_marked_not_replaced(rubrics):
    text = _generated_text(variants("hengyang")["hengyang-no-report"], rubrics)
    assert "执行196.76万元（经审核：项目表与基础数据表金额不符，审核值为196.89万元）" in text
    assert "执行率100%（表中填报146.5%，经核算更正）" in text  # 146.5% was reckoned on the initial budget


def test_without_an_audit_the_figures_are_quoted_as_stated():
    text = "\n".join(s.text for s in report_plan(sample("kaiyun")).sections)
    assert "执行率60%，自评得分92分" in text and "经核算更正" not in text


# ---- 3. export, then import: the same evaluation ----


@pytest.mark.parametrize("name, key", ALL)
@pytest.mark.parametrize("to", ["docx", "xlsx"])
@pytest.mark.parametrize("highlight", [False, True])
def test_importing_an_export_gives_back_the_evaluation(rubrics, tmp_path, name, key, to, highlight):
    evaluation = variants(name)[key]
    path = tmp_path / f"{key}.{to}"
    path.write_bytes(export(evaluation, to, *rubrics, highlight=highlight))
    result = import_file(path)
    assert result.ok and result.notices == []  # not even an info notice for the legend or annex note
    back = result.evaluation
    if to == "xlsx":  # a workbook carries the forms, not the report
        assert back.narrative == []
        back = back.model_copy(update={"narrative": evaluation.narrative})
    assert back == evaluation
    assert not [s for s in result.evaluation.narrative if GENERATED in s.heading]


def test_the_legend_is_in_the_document_and_not_in_the_import(rubrics, tmp_path):
    path = tmp_path / "town.docx"
    path.write_bytes(export(sample("kaiyun"), "docx", *rubrics, highlight=True))
    paragraphs = [p.text for p in open_docx(path).paragraphs]
    assert any(p.startswith("蓝色：") for p in paragraphs) and any("导入时不读取本表" in p for p in paragraphs)
    assert not [n for n in import_file(path).notices if "蓝色" in n.message or "导入时不读取" in n.message]


def test_a_unit_paragraph_under_the_forms_is_still_reported(rubrics, tmp_path):
    """Only Jixiao's own lines around its annex are read past; the unit's words never are."""
    document = open_docx(BytesIO(export(sample("kaiyun"), "docx", *rubrics, highlight=True)))
    document.add_paragraph("本单位另附说明：以上数据经单位负责人审定。")
    path = tmp_path / "signed.docx"
    document.save(path)
    assert [n.code for n in import_file(path).notices] == ["unplaced-text"]
