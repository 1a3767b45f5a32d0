"""Pasted text in every form people paste it: Word's copy, | rows, one cell per line, CSV/TSV."""

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES

from jixiao.ingest import import_file
from jixiao.ingest.document import Paragraph, Table
from jixiao.ingest.text import read_text
from jixiao.ingest.text_word import read_word_text
from jixiao.model import dump_evaluation, load_evaluation

NBSP, IDEO = "\u00a0", "\u3000"
SAMPLES = {
    "kaiyun": (EXAMPLES / "hengshan-kaiyun-town-2022.txt", EXAMPLES / "kaiyun-2022.json"),
    "hengyang": (EXAMPLES / "hengyang-city-government-office-2022.txt", EXAMPLES / "hengyang-2022.json"),
}


def shape(text, notices=None):
    document = read_text(text, "t.txt", notices)
    return [[[c.text for c in row] for row in b.rows] if isinstance(b, Table) else b.text for b in document.blocks]


# ---------------------------------------------------------------- Word's copy is read as before


@pytest.mark.parametrize("key", SAMPLES)
def test_word_copy_reads_exactly_as_the_tab_led_reader(key):
    path = SAMPLES[key][0]
    text = path.read_text(encoding="utf-8")
    notices = []
    assert read_text(text, path.name, notices) == read_word_text(text, path.name)
    assert read_text(text, path.name) == read_word_text(text, path.name)
    assert notices == []


# ---------------------------------------------------------------- | rows


def test_markdown_table_with_rule_line():
    text = "| 项目 | 年初预算数 | 全年执行数 |\n|---|:---:|---:|\n| 年度资金总额 | 50 | 54 |\n| 其他资金 |  | \u00a0 |\n"
    assert shape(text) == [[["项目", "年初预算数", "全年执行数"], ["年度资金总额", "50", "54"], ["其他资金"]]]


def test_pipe_rows_without_rule_line_and_br_inside_a_cell():
    text = "|项目支<br>出名称|甲|\n|主管部门|乙<BR/>丙|\n"
    assert shape(text) == [[["项目支\n出名称", "甲"], ["主管部门", "乙\n丙"]]]


def test_pipe_rows_drop_their_trailing_empty_cells():
    """A row's empty cells at its end say nothing (web pages collapse them into a run of pipes
    there), so they are dropped and the row is aligned to its header by what it holds."""
    text = "总额 | 238.93 | 251.89 | 95%\n其中:财政资金 | 100.00 | 120.00 | \n单位资金 | a\\|b | | \n其他资金 | / | / | ||||||||\n"
    assert shape(text) == [[["总额", "238.93", "251.89", "95%"], ["其中:财政资金", "100.00", "120.00"], ["单位资金", "a|b"], ["其他资金", "/", "/"]]]


def test_pipe_cells_know_table_row_column_and_line():
    document = read_text("说明文字\n\na | b\nc | d\n", "t.txt")
    cell = document.tables[0].rows[1][1]
    assert (cell.where.table, cell.where.row, cell.where.column, cell.where.line) == (1, 2, 2, 4)
    assert document.tables[0].grid is False and document.tables[0].where.line == 3
    assert document.paragraphs[0].where.paragraph == 1


# ---------------------------------------------------------------- one cell per line


def test_one_cell_per_line_with_nbsp_cells():
    text = f"项目名称\n村级运转经费\n\n年度资金总额\n50\n{NBSP}\n54\n\n其他资金\n{IDEO}\n  \n{NBSP}{IDEO} \n\n合计\n100\n92\n"
    assert shape(text) == [[["项目名称", "村级运转经费"], ["年度资金总额", "50", "", "54"], ["其他资金", "", "", ""], ["合计", "100", "92"]]]


def test_one_cell_per_line_keeps_surrounding_prose_as_paragraphs():
    prose = "2022年，我镇认真落实预算绩效管理要求，按照县财政局的统一部署，对本单位全部项目支出开展了绩效自评，现将有关情况报告如下。"
    table = "一级指标\n分值\n得分\n\n投入\n10\n10\n\n产出\n50\n47\n\n效益\n40\n36\n"
    text = f"{prose}\n\n{table}\n{prose}\n\n附件2：\n"
    blocks = read_text(text, "t.txt").blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table", "Paragraph", "Paragraph"]
    assert [[c.text for c in row] for row in blocks[1].rows][1] == ["投入", "10", "10"]
    cell = blocks[1].rows[3][2]
    assert (cell.where.table, cell.where.row, cell.where.column, cell.where.line) == (1, 4, 3, 17)
    assert [p.where.paragraph for p in blocks if isinstance(p, Paragraph)] == [1, 2, 3]
    assert blocks[2].where.line == 19


def test_a_narrative_typed_one_paragraph_a_line_is_not_a_table():
    text = "一、部门概况\n本单位现有内设机构22个。\n\n二、预算情况\n基本支出1839.57万元。\n\n三、绩效情况\n基本完成目标。\n\n四、问题\n管理经验不足。\n"
    assert all(isinstance(b, Paragraph) for b in read_text(text, "t.txt").blocks)


# ---------------------------------------------------------------- CSV and TSV


def test_csv_with_a_quoted_multi_line_cell():
    text = '指标,分值,评价标准,得分\n在职人员控制率,5,"以100%为标准。\n\n每超过一个百分点扣0.5分",5\n"三公经费"变动率,8,"≤0,计8分",8\n'
    document = read_text(text, "t.txt")
    rows = [[c.text for c in row] for row in document.tables[0].rows]
    assert rows == [["指标", "分值", "评价标准", "得分"], ["在职人员控制率", "5", "以100%为标准。\n\n每超过一个百分点扣0.5分", "5"], ["三公经费变动率", "8", "≤0,计8分", "8"]]
    assert [c.where.line for c in document.tables[0].rows[1]] == [2, 2, 2, 4]
    assert document.tables[0].rows[2][0].where.line == 5


def test_semicolon_csv():
    assert shape("项目;预算;执行\n总额;100;95\n其他;;\n") == [[["项目", "预算", "执行"], ["总额", "100", "95"], ["其他", "", ""]]]


def test_tsv_is_not_word_copy():
    text = "项目\t年初预算数\t全年执行数\n年度资金总额\t50\t54\n其他资金\t\t\u00a0\n"
    assert shape(text) == [[["项目", "年初预算数", "全年执行数"], ["年度资金总额", "50", "54"], ["其他资金", "", ""]]]


def test_prose_with_thousands_separators_is_not_csv():
    text = "年初预算1,234.56万元\n决算2,345.67万元\n调整3,456.00万元\n"
    assert shape(text) == ["年初预算1,234.56万元", "决算2,345.67万元", "调整3,456.00万元"]


# ---------------------------------------------------------------- mixed


def test_prose_word_copy_and_pipe_table_mixed():
    text = "附件2：\n\t甲\n\t1\n\n\t乙\n\t2\n\n说明：如下\n\n项目 | 预算\n总额 | 100\n\n完\n"
    document = read_text(text, "t.txt")
    assert shape(text) == ["附件2：", [["甲", "1"], ["乙", "2"]], "说明：如下", [["项目", "预算"], ["总额", "100"]], "完"]
    second = document.tables[1]
    assert second.where.table == 2 and second.rows[1][1].where.table == 2 and second.rows[1][1].where.line == 11
    assert document.tables[0].rows[1][0].where.line == 5
    assert [p.where.paragraph for p in document.paragraphs] == [1, 2, 3]
    assert [p.where.line for p in document.paragraphs] == [1, 8, 13]


# ---------------------------------------------------------------- what cannot be rebuilt


def test_cells_joined_by_spaces_give_one_error_naming_the_line():
    text = "2022年度项目支出绩效自评表\n项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 50 60 54 10 90% 9\n其中：当年财政拨款 50 60 54\n"
    notices = []
    assert not read_text(text, "t.txt", notices).tables
    [notice] = notices
    assert (notice.code, notice.severity) == ("unreadable-file", "error")
    assert "第 2 行起" in notice.message and "源文件第 2 行" in notice.where and ".docx" in notice.message


def test_ocr_text_without_separators_is_reported():
    notices = []
    read_text("项目支出绩效自评表\n一级指标二级指标三级指标年度指标值实际完成值分值得分\n产出指标数量指标覆盖率95%97%3030\n", "t.txt", notices)
    assert len(notices) == 1 and "第 2 行起" in notices[0].message


def test_prose_naming_labels_is_not_reported():
    notices = []
    read_text("全年执行数为54万元，执行率为90%。\n自评得分为93分。\n", "t.txt", notices)
    assert notices == []


def test_an_overlong_line_is_cut_with_a_warning():
    notices = []
    document = read_text("题\n" + "长" * 150_000 + "\n\ta\n\tb\n", "t.txt", notices)
    [notice] = notices
    assert notice.severity == "warning" and "第 2 行" in notice.message
    assert len(document.paragraphs[1].text) == 100_000 and document.tables[0].rows[0][1].text == "b"


# ---------------------------------------------------------------- end to end: the samples re-pasted


def _pipe(table):
    def cell(text):
        return text.replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(cell(c.text) for c in row) + " |" for row in table.rows]
    return [lines[0], "|" + "---|" * len(table.rows[0]), *lines[1:]]


def _one_per_line(table):
    lines = []
    for row in table.rows:
        lines += ["".join(c.text.split("\n")).strip() or NBSP for c in row] + [""]
    return lines[:-1]


def repaste(text, render):
    """The sample with every table re-written in another form, every other line as it was."""
    lines = text.split("\n")
    blocks = read_word_text(text, "x").blocks
    out, position = [], 0
    for k, block in enumerate(blocks):
        if isinstance(block, Table):
            start = block.where.line - 1
            end = blocks[k + 1].where.line - 1 if k + 1 < len(blocks) else len(lines)
            out += lines[position:start] + [""] + render(block) + [""]
            position = end
    return "\n".join(out + lines[position:])


FORMS = {
    "pipe": (_pipe, lambda text: text.strip()),
    "one-per-line": (_one_per_line, lambda text: "".join(text.split("\n")).strip()),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("key", SAMPLES)
def test_repasted_samples_give_the_same_tables(key, form):
    render, expected_cell = FORMS[form]
    text = SAMPLES[key][0].read_text(encoding="utf-8")
    original = read_word_text(text, "x").tables
    tables = read_text(repaste(text, render), "x").tables
    assert len(tables) == len(original)
    for mine, theirs in zip(tables, original, strict=True):
        expected = [[expected_cell(c.text) for c in row] for row in theirs.rows]
        if form == "pipe":  # trailing empty cells of a pipe row are dropped
            expected = [row[: max([i + 1 for i, t in enumerate(row) if t] or [1])] for row in expected]
        rows = [[c.text for c in row] for row in mine.rows]
        if form == "one-per-line" and rows != expected:
            # a title row alone above the table cannot be told from a title paragraph
            assert rows == expected[1:]
        else:
            assert rows == expected


def _figures(evaluation):
    """The four parts compared, with line breaks inside cells ignored: one cell per line
    cannot keep them, and the recognisers join broken labels anyway."""
    data = json.loads(dump_evaluation(evaluation))
    parts = {k: data.get(k) for k in ("projects", "base_data", "scorecard", "department_evaluation")}

    def plain(value):
        if isinstance(value, str):
            return "".join(value.split())
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return plain(parts)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("key", SAMPLES)
def test_repasted_samples_import_to_the_same_evaluation(key, form, tmp_path: Path):
    path, reference = SAMPLES[key]
    repasted = tmp_path / path.name
    repasted.write_text(repaste(path.read_text(encoding="utf-8"), FORMS[form][0]), encoding="utf-8")
    result = import_file(repasted)
    assert result.evaluation is not None, [n.message for n in result.errors]
    assert _figures(result.evaluation) == _figures(load_evaluation(reference))


def test_import_reports_the_unrebuildable_table(tmp_path: Path):
    path = tmp_path / "粘贴.txt"
    path.write_text("项目支出绩效自评表\n\n年度资金总额 50 60 54 10 90% 9\n其中：当年财政拨款 50 60 54\n", encoding="utf-8")
    [notice] = [n for n in import_file(path).notices if n.code == "unreadable-file"]
    assert notice.severity == "error" and "第 3 行起" in notice.message
