"""Reading files: the right reader by content, clear refusals, safe limits."""

import zipfile
from pathlib import Path

import pytest
from docx import Document as new_docx

from jixiao.ingest import import_file
from jixiao.ingest.docx import read_docx
from jixiao.ingest.readers import MAX_UNZIPPED

TOWN_TEXT = (Path(__file__).resolve().parents[1] / "examples" / "hengshan-kaiyun-town-2022.txt").read_text(encoding="utf-8")


def only_error(result):
    [error] = [n for n in result.notices if n.severity == "error"]
    assert result.evaluation is None and "Traceback" not in error.message
    return error


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("自评.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Word 文档"),
        ("自评.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Office 文件"),  # renamed .doc
        ("自评.wps", b"anything", "WPS 文字文档"),
        ("自评.pdf", b"%PDF-1.7\n", "PDF 文件"),
        ("报告.txt", b"%PDF-1.4 but named txt", "PDF 文件"),
    ],
)
def test_formats_that_must_be_resaved_say_how(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    error = only_error(import_file(path))
    assert error.code == "unsupported-format" and words in error.message and ".docx" in error.message


def test_damaged_office_file(tmp_path):
    path = tmp_path / "坏.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    assert only_error(import_file(path)).code == "unreadable-file"


def test_zip_that_is_not_office(tmp_path):
    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "不是 Word" in only_error(import_file(path)).message


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (MAX_UNZIPPED + 1))
    assert path.stat().st_size < 1_000_000
    assert only_error(import_file(path)).code == "file-too-large"


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(TOWN_TEXT, encoding="utf-8")
    assert only_error(import_file(path, max_bytes=1000)).code == "file-too-large"


def test_missing_file(tmp_path):
    assert "无法打开" in only_error(import_file(tmp_path / "无.txt")).message


def test_gbk_text_is_read_and_said_so(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(TOWN_TEXT.encode("gb18030"))
    result = import_file(path)
    assert result.ok and result.evaluation.unit.name == "衡山县开云镇人民政府"
    assert any("GB18030" in n.message for n in result.notices)


def test_text_with_no_forms(tmp_path):
    path = tmp_path / "memo.txt"
    path.write_text("会议纪要\n2022年度工作安排如下。\n", encoding="utf-8")
    assert only_error(import_file(path)).code == "form-not-found"


def test_docx_grid_is_rebuilt_from_the_xml_not_row_cells(tmp_path):
    doc = new_docx()
    table = doc.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))  # one cell spanning two grid columns
    merged.text = "项目资金"
    table.cell(0, 2).text = "年初预算数"
    tall = table.cell(0, 2).merge(table.cell(1, 2))  # a vertical merge
    tall.text = "年初预算数"
    table.cell(1, 0).text = "甲"
    table.cell(1, 1).text = "乙"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "嵌套"
    path = tmp_path / "grid.docx"
    doc.save(path)
    assert [c.text for c in table.rows[0].cells] == ["项目资金", "项目资金", "年初预算数"]  # python-docx repeats
    grid, lifted = read_docx(str(path), "grid.docx").tables  # the nested table also follows its host
    assert [c.text for c in grid.rows[0]] == ["项目资金", "年初预算数"]
    assert [(c.text, c.merged) for c in grid.rows[1]] == [("甲", False), ("乙", False), ("", True)]
    assert grid.rows[1][1].nested[0].rows[0][0].text == "嵌套" == lifted.rows[0][0].text
