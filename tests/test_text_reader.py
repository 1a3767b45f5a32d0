"""The text-out-of-Word layout: cells, rows, tables and paragraphs (GUIDE §2)."""

from jixiao.ingest.document import Paragraph, Table
from jixiao.ingest.text import read_text


def shape(text):
    document = read_text(text.replace("→", "\t"), "t.txt")
    return [[[c.text for c in row] for row in b.rows] if isinstance(b, Table) else b.text for b in document.blocks]


def test_cells_rows_and_continuation_lines():
    assert shape("标题\n→项目支\n出名称\n→甲\n\n→主管部门\n→乙\n") == [
        "标题",
        [["项目支\n出名称", "甲"], ["主管部门", "乙"]],
    ]


def test_empty_cells_are_kept_and_blank_lines_inside_a_cell():
    text = "→投入\n\n10分\n→预算配置\n→5\n\n→\n→\n→6\n"
    assert shape(text) == [[["投入\n\n10分", "预算配置", "5"], ["", "", "6"]]]


def test_blank_run_after_a_continued_cell_of_an_unfinished_row_stays_in_the_row():
    text = "→a\n→b\n→c\n\n→\n\n\n过  程\n60分\n\n\n\n→d\n→e\n\n→f\n→g\n→h\n"
    assert shape(text) == [[["a", "b", "c"], ["\n\n\n过  程\n60分", "d", "e"], ["f", "g", "h"]]]


def test_form_paragraphs_end_a_table_but_ordinary_text_continues_the_cell():
    text = "→甲\n→93\n\n\n2022年度预算支出绩效自评表\n附件2：\n→乙\n"
    assert shape(text) == [[["甲", "93"]], "2022年度预算支出绩效自评表", "附件2：", [["乙"]]]
    assert shape("→甲\n→说明\n\n普通的续行\n")[0] == [["甲", "说明\n\n普通的续行"]]


def test_repair_puts_a_lone_trailing_cell_back_and_splits_a_doubled_row():
    rows = ["→a\n→b\n→c\n"] * 3
    lone = "→x\n→y\n\n→z\n\n"  # z is the trailing cell of row x y, cut off by an empty paragraph
    assert shape("\n".join(rows) + "\n" + lone)[0][-1] == ["x", "y", "z"]
    doubled = "→a\n→b\n→c\n\n→d\n→e\n→f\n\n→1\n→2\n→3\n\n\n\n→4\n→5\n→6\n"
    # the blank run after a continued cell keeps 1…6 together at first; the repair splits it
    assert shape(doubled.replace("→3\n", "→3\n续\n"))[0] == [["a", "b", "c"], ["d", "e", "f"], ["1", "2", "3\n续"], ["4", "5", "6"]]


def test_positions_name_table_row_cell_and_line():
    document = read_text("题\n\ta\n\tb\n\n\tc\n", "t.txt")
    cell = document.tables[0].rows[1][0]
    assert (cell.where.table, cell.where.row, cell.where.column, cell.where.line) == (1, 2, 1, 5)
    assert "第 1 个表格，第 2 行，第 1 格" in str(cell.where)
    assert isinstance(document.blocks[0], Paragraph)
