"""Real-world variations of the forms: each must import to the same figures, or say why not."""

import re
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES
from jixiao.ingest import import_file
from jixiao.ingest.text import read_text
from jixiao.model import load_evaluation
from office import write_docx, write_xlsx

TOWN_TEXT = (EXAMPLES / "hengshan-kaiyun-town-2022.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def town():
    return load_evaluation(EXAMPLES / "kaiyun-2022.json")


def town_docx(tmp: Path, text: str = TOWN_TEXT) -> Path:
    return write_docx(read_text(text, "town.txt"), tmp / "town.docx")


def edit_xml(path: Path, change) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = change(parts["word/document.xml"].decode("utf-8")).encode("utf-8")
    out = path.with_name("edited.docx")
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


SDT = '<w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt>'


@pytest.mark.parametrize(
    "what, change",
    [
        ("runs in content controls", lambda x: re.sub(r"(<w:r>.*?</w:r>)", lambda m: SDT.format(m.group(1)), x)),
        ("cells in content controls", lambda x: re.sub(r"(<w:tc>.*?</w:tc>)", lambda m: SDT.format(m.group(1)), x)),
        ("rows in content controls", lambda x: re.sub(r"(<w:tr>.*?</w:tr>)", lambda m: SDT.format(m.group(1)), x)),
        ("tables in content controls", lambda x: re.sub(r"(<w:tbl>.*?</w:tbl>)", lambda m: SDT.format(m.group(1)), x, flags=re.S)),
        ("tracked insertions", lambda x: re.sub(r"(<w:r>.*?</w:r>)", r'<w:ins w:id="1" w:author="审核人">\1</w:ins>', x)),
        ("simple fields", lambda x: re.sub(r"(<w:r>.*?</w:r>)", r'<w:fldSimple w:instr=" QUOTE ">\1</w:fldSimple>', x)),
    ],
)
def test_word_wrappers_are_read_through(tmp_path, town, what, change):
    result = import_file(edit_xml(town_docx(tmp_path), change))
    assert result.evaluation == town, what


def test_deleted_text_is_not_read(tmp_path, town):
    deleted = '<w:del w:id="9" w:author="x"><w:r><w:delText>999</w:delText></w:r></w:del>'
    path = edit_xml(town_docx(tmp_path), lambda x: x.replace("<w:t xml:space=\"preserve\">690.61</w:t></w:r>", "<w:t xml:space=\"preserve\">690.61</w:t></w:r>" + deleted, 1))
    assert import_file(path).evaluation == town


def test_legacy_horizontal_merge_collapses(tmp_path, town):
    # split the first span into a cell and an hMerge continuation, as pre-2007 files do
    def change(xml: str) -> str:
        return re.sub(
            r'<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>(.*?)</w:tc>',
            r'<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>\1</w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>',
            xml,
            count=1,
        )

    assert import_file(edit_xml(town_docx(tmp_path), change)).evaluation == town


def test_form_nested_in_a_layout_table_is_found(tmp_path, town):
    path = town_docx(tmp_path)
    wrapped = edit_xml(path, lambda x: re.sub(r"(<w:tbl>.*</w:tbl>)", r"<w:tbl><w:tr><w:tc>\1<w:p/></w:tc></w:tr></w:tbl>", x, count=1, flags=re.S))
    result = import_file(wrapped)
    assert result.evaluation is not None and result.evaluation.scorecard == town.scorecard


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    "what, old, new",
    [
        ("权重 for 分值", "\t分值\n\t评价标准\n", "\t权重\n\t评价标准\n"),
        ("notes after the fund headers", "\t全年预算数\n\t全年执行数\n", "\t全年预算数（A）\n\t全年执行数（B）\n"),
        ("a note after the grid header", "\t偏差原因分析及改进措施\n", "\t偏差原因分析及改进措施（未完成指标必填）\n"),
        ("项目名称 for 项目支出名称", "\t项目支出名称\n", "\t项目名称\n"),
    ],
)
def test_header_wording_variants(town, what, old, new):
    result = import_file_text(replace_line(TOWN_TEXT, old, new))
    assert result.evaluation.scorecard == town.scorecard and result.evaluation.projects == town.projects, what


def test_numbered_scoring_table(tmp_path, town):
    document = read_text(TOWN_TEXT, "town.txt")
    scorecard = document.tables[0]
    for number, row in enumerate(scorecard.rows):
        row.insert(0, type(row[0])("序号" if number == 0 else str(number), row[0].where))
    result = import_file(write_docx(document, tmp_path / "numbered.docx"))
    assert result.evaluation.scorecard == town.scorecard
    assert not [n for n in result.notices if n.code == "unplaced-text" and n.text and n.text.isdigit()]


def import_file_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "variant.txt"
        path.write_text(text, encoding="utf-8")
        return import_file(path)


def test_project_name_inline_and_repeated_grid_header(town):
    text = TOWN_TEXT.replace("\t项目支出名称\n\t衡山县开云镇人民政府村级运转经费\n", "\t项目支出名称：衡山县开云镇人民政府村级运转经费\n", 1)
    repeat = "\t\n\t一级指标\n\t二级指标\n\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t得分\n\t偏差原因分析及改进措施\n\n"
    text = text.replace("\t\n\t\n\t质量指标", repeat + "\t\n\t\n\t质量指标", 1)
    result = import_file_text(text)
    assert result.evaluation.projects == town.projects


def test_rates_as_shares_and_amounts_in_yuan_are_converted_and_said():
    text = TOWN_TEXT.replace("\t60%\n", "\t0.6\n", 1).replace("\t272.35\u3000\n", "\t2723500元\n", 1)
    result = import_file_text(text)
    assert result.evaluation.projects[0].execution.rate_stated == 60
    assert result.evaluation.base_data.projects[0].prior_final == D("272.35")
    assert {n.code for n in result.notices} >= {"unit-converted"}
    assert any("按 272.35 万元读取" in n.message for n in result.notices)


def test_prior_year_budget_column_is_not_taken_for_this_year():
    text = TOWN_TEXT.replace("\t2022年预算数\n\t2022年决算数\n", "\t2022年预算数\n\t2022年决算数\n\t2021年预算数\n", 1)
    text = text.replace("\t三公经费\n\t3.6\n\t1\n\t1\n", "\t三公经费\n\t3.6\n\t1\n\t1\n\t2.5\n", 1)
    result = import_file_text(text)
    assert result.evaluation.base_data.three_public.total.budget == 1
    assert any(n.text == "2.5" and n.code == "unplaced-text" for n in result.notices)


def test_text_encodings_and_line_ends(town, tmp_path):
    for name, data in (
        ("utf16.txt", TOWN_TEXT.encode("utf-16")),
        ("cr.txt", TOWN_TEXT.replace("\n", "\r").encode("utf-8")),
        ("ls.txt", TOWN_TEXT.replace("\n", "\u2028").encode("utf-8")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        assert import_file(path).evaluation == town, name


def test_hidden_sheets_and_rows_are_left_out_and_said(tmp_path, town):
    path = write_xlsx(read_text(TOWN_TEXT, "town.txt"), tmp_path / "town.xlsx")
    book = load_workbook(path)
    stale = book.copy_worksheet(book.worksheets[2])
    stale.title = "2021年备份"
    stale.sheet_state = "hidden"
    sheet = book.worksheets[1]
    stale_row = sheet.max_row + 1
    sheet.cell(stale_row, 2, "三公经费")
    sheet.cell(stale_row, 3, 999)
    sheet.row_dimensions[stale_row].hidden = True
    book.save(path)
    result = import_file(path)
    assert result.evaluation.projects == town.projects and result.evaluation.base_data.three_public == town.base_data.three_public
    messages = " ".join(n.message for n in result.notices)
    assert "隐藏的工作表“2021年备份”未导入" in messages and "隐藏的行或列未导入" in messages


def test_stray_far_cell_does_not_make_the_sheet_huge(tmp_path):
    path = write_xlsx(read_text(TOWN_TEXT, "town.txt"), tmp_path / "town.xlsx")
    book = load_workbook(path)
    book.worksheets[0]["AD200000"] = " "
    book.save(path)
    document_rows = import_file(path)
    assert document_rows.ok


def test_number_formats_show_as_the_sheet_shows(tmp_path):
    path = write_xlsx(read_text(TOWN_TEXT, "town.txt"), tmp_path / "town.xlsx")
    book = load_workbook(path)
    for row in book.worksheets[2].iter_rows():
        for cell in row:
            if cell.value == 0.6:  # the 60% rate: a formula's cached share
                cell.value = 400.11 / 690.61
                cell.number_format = "0%"
    book.save(path)
    assert import_file(path).evaluation.projects[0].execution.rate_stated == 58


@pytest.mark.parametrize(
    "what, old, new",
    [
        ("a deviation reading 编制数", "\t资金额度紧张，存在滞后性；需合理分配资金\n", "\t编制数\n"),
        ("a target reading 合计", "\t人均工资发放到位\n\t100%\n", "\t人均工资发放到位\n\t合计\n"),
        ("a deviation naming a department", "\t资金还需得到有效管理\n", "\t部门名称：市财政局已批复\n"),
        ("a deviation naming a project", "\t资金额度紧张，存在滞后性；需合理分配资金\n", "\t项目名称：详见附件1\n"),
    ],
)
def test_form_labels_inside_free_text_are_just_text(town, what, old, new):
    result = import_file_text(TOWN_TEXT.replace(old, new, 1))
    evaluation = result.evaluation
    assert evaluation.base_data == town.base_data and evaluation.scorecard == town.scorecard, what
    assert [len(p.indicators) for p in evaluation.projects] == [12, 12], what
    assert [p.total_stated for p in evaluation.projects] == [92, 94], what


def test_a_goal_ending_in_a_report_word_is_kept(town):
    text = TOWN_TEXT.replace("\t落实村级运行经费，建立正常增长机制。\n", "\t按时完成年度决算报告\n", 1)
    goal = import_file_text(text).evaluation.projects[0].goals[0]
    assert goal.expected == "按时完成年度决算报告"


def test_blank_headcounts_do_not_swallow_the_next_header(town):
    text = TOWN_TEXT.replace("\t150\n\t98\n\t65%\u3000\n", "\t\n\t\n\t\n", 1)
    base = import_file_text(text).evaluation.base_data
    assert base.staffing.authorized is None and base.three_public == town.base_data.three_public
