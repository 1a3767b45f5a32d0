"""Hostile uploads: each is refused by a limit, or imported, within 5 s and 300 MB.

The files of the report that had these cost minutes and gigabytes (a 23 KB .xlsx with one
sheet-wide merged range, a 0.18 MB .docx of spanned and merged cells, a 1.46 MB .xlsx of
half a million junk cells, zip bombs) are generated here, and each import runs in a forked
child, so that its time and its peak memory (libxml2's included, which tracemalloc cannot
see) are measured alone, and a regression is stopped at 30 s instead of hanging the suite.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES
from jixiao.ingest import import_file
from jixiao.ingest.limits import MAX_CELLS_PER_FILE, MAX_NOTICES, MAX_ROWS_PER_TABLE, MB
from jixiao.ingest.readers import read_document
from jixiao.ingest.text import read_text
from office import write_docx, write_xlsx

SECONDS, BYTES = 5.0, 300 * MB
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


# ---------------------------------------------------------------- measuring one import


def _rss() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _child(conn, path: str, kwargs: dict) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    vm = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (vm + 2048 * MB, hard))  # a regression fails, it does not eat the machine
    base = _rss()
    began = time.process_time()  # the import's own cost, not what else the machine runs meanwhile
    result = import_file(path, **kwargs)
    elapsed = time.process_time() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
    evaluation = result.evaluation.model_dump_json() if result.evaluation is not None else None
    conn.send((elapsed, peak, evaluation, [n.model_dump() for n in result.notices]))


def measured(path: Path, **kwargs):
    """Import ``path`` in a forked child: (seconds, peak bytes above the start, evaluation JSON, notices)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, str(path), kwargs))
    child.start()
    ready = receive.poll(30)
    outcome = receive.recv() if ready else None
    child.join(5)
    if child.is_alive():
        child.kill()
    assert outcome is not None, f"{path.name}: no answer within 30 s (exit code {child.exitcode})"
    elapsed, peak, _, notices = outcome
    print(f"{path.name}: {path.stat().st_size / 1024:,.0f} KB, {elapsed:.2f} s, {peak / MB:.0f} MB, {len(notices)} notices")
    assert elapsed < SECONDS and peak < BYTES, (path.name, elapsed, peak)
    assert len(notices) <= MAX_NOTICES + 1
    return outcome


def refused(path: Path, *words: str, code: str = "over-limit") -> str:
    _, _, evaluation, notices = measured(path)
    [error] = [n for n in notices if n["severity"] == "error"]
    assert evaluation is None and error["code"] == code, error
    assert path.name in error["message"] and all(w in error["message"] for w in words), error["message"]
    return error["message"]


# ---------------------------------------------------------------- building hostile files


def rezip(src: Path, dst: Path, parts: dict) -> Path:
    """A copy of an office file with some parts replaced (bytes, or an iterable of chunks,
    streamed so that a 100 MB part is never held whole)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        names = [i.filename for i in old.infolist()] + [n for n in parts if n not in old.namelist()]
        for name in names:
            content = parts.get(name) or old.read(name)
            if callable(content):
                content = content(old.read(name) if name in old.namelist() else b"")
            if isinstance(content, bytes):
                new.writestr(name, content)
                continue
            with new.open(name, "w", force_zip64=True) as out:
                for chunk in content:
                    out.write(chunk)
    return dst


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """The town package as .docx and .xlsx, and what each imports to."""
    folder = tmp_path_factory.mktemp("town")
    document = read_text((EXAMPLES / "hengshan-kaiyun-town-2022.txt").read_text(encoding="utf-8"), "town")
    docx, xlsx = write_docx(document, folder / "town.docx"), write_xlsx(document, folder / "town.xlsx")
    return {"docx": docx, "xlsx": xlsx, "docx.json": import_file(docx).evaluation, "xlsx.json": import_file(xlsx).evaluation}


def body(path: Path, base: Path, chunks) -> Path:
    """A .docx whose body is ``chunks``."""

    def document(_):
        yield b"<w:document " + W + b"><w:body>"
        yield from chunks
        yield b"</w:body></w:document>"

    return rezip(base, path, {"word/document.xml": document})


def sheets(path: Path, base: Path, *contents) -> Path:
    """An .xlsx of the given worksheets (each an iterable of chunks inside <worksheet>)."""
    rels = b"".join(
        b'<Relationship Id="s%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/h%d.xml"/>' % (i, i)
        for i in range(len(contents))
    )
    listed = b"".join(b'<sheet name="S%d" sheetId="%d" r:id="s%d"/>' % (i, i + 1, i) for i in range(len(contents)))
    parts: dict = {
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + b"</Relationships>",
        "xl/workbook.xml": b"<workbook " + S + b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' + listed + b"</sheets></workbook>",
    }
    for i, content in enumerate(contents):
        parts[f"xl/worksheets/h{i}.xml"] = (lambda c: (lambda _: [b"<worksheet " + S + b">", *c, b"</worksheet>"]))(content)
    return rezip(base, path, parts)


def junk_rows(rows: int, columns: int, start: int = 1):
    letters = [chr(65 + c // 26 - 1) + chr(65 + c % 26) if c >= 26 else chr(65 + c) for c in range(columns)]
    yield b"<sheetData>"
    for r in range(start, start + rows):
        cells = "".join(f'<c r="{x}{r}" t="inlineStr"><is><t>x{c}</t></is></c>' for c, x in enumerate(letters))
        yield f'<row r="{r}">{cells}</row>'.encode()
    yield b"</sheetData>"


def merged(xml: bytes, *refs: str) -> bytes:
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs).encode()
    if b"</mergeCells>" in xml:
        return xml.replace(b"</mergeCells>", merges + b"</mergeCells>")
    return xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>")


def with_cell(xml: bytes, row: int, ref: str, text: str) -> bytes:
    """The sheet with one more text cell at the end of row ``row``."""
    start = xml.index(b'<row r="%d"' % row)
    end = xml.index(b"</row>", start)
    cell = f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()
    return xml[:end] + cell + xml[end:]


# ---------------------------------------------------------------- the report's files


def test_sheet_wide_merge_is_refused_by_its_area(tmp_path, town):
    path = rezip(town["xlsx"], tmp_path / "合并.xlsx", {"xl/worksheets/sheet1.xml": lambda x: merged(x, "A1:XFD1048576")})
    assert path.stat().st_size < 30_000  # the report's file: 23 KB, 205 s and 7 GB
    refused(path, "A1:XFD1048576", "17,179,869,184", "1,048,576", "合并区域")


def test_whole_row_and_column_merges_cost_nothing(tmp_path, town):
    # a merge stays a range: a whole column (1,048,576 cells) and a whole row beside the form
    path = rezip(town["xlsx"], tmp_path / "整列合并.xlsx", {"xl/worksheets/sheet1.xml": lambda x: merged(x, "K1:K1048576", "A200:XFD200")})
    _, _, evaluation, _ = measured(path)
    assert evaluation == town["xlsx.json"].model_dump_json()


def test_far_cell_is_refused_naming_it(tmp_path, town):
    path = rezip(town["xlsx"], tmp_path / "远.xlsx", {"xl/worksheets/sheet1.xml": lambda x: with_cell(x, 1, "XFD1", "备注")})
    refused(path, "XFD1", "16,384", "256 列")


def test_far_cell_within_the_limit_widens_only_its_own_row(tmp_path, town):
    note = '<row r="90"><c r="GR90" t="inlineStr"><is><t>备注</t></is></c></row></sheetData>'.encode()  # under the form, far right
    path = rezip(town["xlsx"], tmp_path / "备注.xlsx", {"xl/worksheets/sheet2.xml": lambda x: x.replace(b"</sheetData>", note)})
    _, _, evaluation, notices = measured(path)
    assert evaluation == town["xlsx.json"].model_dump_json()
    assert any("备注" in n["message"] for n in notices)  # read, and said to be left unplaced
    table = read_document(path, []).tables[1]
    assert max(len(row) for row in table.rows[:-1]) < 12  # not 200 cells each
    assert len(table.rows[-1]) == 200 and table.rows[-1][-1].where.cell == "GR90"


def test_half_a_million_junk_cells_are_refused(tmp_path, town):
    path = sheets(tmp_path / "杂.xlsx", town["xlsx"], junk_rows(25_420, 20))  # 508,400 cells
    assert 1.2 * MB < path.stat().st_size < 1.8 * MB  # the report's: 1.46 MB, 508,400 notices, a 779 MB page
    refused(path, "工作表“S0”", "个单元格的上限")


def test_junk_spread_over_sheets_is_refused_by_the_file_limit(tmp_path, town):
    path = sheets(tmp_path / "多表.xlsx", town["xlsx"], *(junk_rows(500, 10) for _ in range(13)))  # 65,000 cells
    refused(path, "工作簿", f"{MAX_CELLS_PER_FILE.value:,}")


def test_long_sheet_is_refused_by_its_rows(tmp_path, town):
    path = sheets(tmp_path / "长.xlsx", town["xlsx"], junk_rows(MAX_ROWS_PER_TABLE.value + 100, 2))
    refused(path, "有内容的行", "5,000 行")


def test_spanned_and_merged_word_table_is_refused(tmp_path, town):
    # the report's .docx: 0.18 MB, 141 s and 5 GB — rows of cells each spanning and merging
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="1000"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
    path = body(tmp_path / "跨列.docx", town["docx"], [b"<w:tbl>", *([b"<w:tr>" + cell * 50 + b"</w:tr>"] * 20_000), b"</w:tbl>"])
    assert path.stat().st_size < 0.5 * MB
    message = refused(path, code="file-too-large")
    assert "压缩比" in message  # 80 MB of XML in 0.3 MB: refused from the zip directory alone


def test_wide_spans_are_refused_by_the_columns(tmp_path, town):
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="300"/></w:tcPr><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc>'
    path = body(tmp_path / "宽.docx", town["docx"], [b"<w:tbl><w:tr>", cell % 1, cell % 2, b"</w:tr></w:tbl>"])
    refused(path, "第 1 个表格第 1 行", "256 列")


def test_tall_merged_word_table_is_refused_by_its_rows(tmp_path, town):
    rows = (b"<w:tr>" + b"".join(b'<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc>' % (r * 7 + c) for c in range(7)) + b"</w:tr>" for r in range(8_000))
    path = body(tmp_path / "高.docx", town["docx"], [b"<w:tbl>", *rows, b"</w:tbl>"])
    refused(path, "第 1 个表格", "5,000 行")


def test_many_tables_and_paragraphs_are_refused(tmp_path, town):
    table = b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    refused(body(tmp_path / "表多.docx", town["docx"], (table % i for i in range(1_100))), "1,000 个表格")
    paragraph = b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>"
    refused(body(tmp_path / "段多.docx", town["docx"], (paragraph % i for i in range(60_000))), "50,000 个段落")


def test_zip_bombs_are_refused_before_inflating(tmp_path, town):
    flood = [b"<w:p/>" * 100_000] * 300  # 171 MB of empty paragraphs in ~0.2 MB
    refused(body(tmp_path / "炸弹.docx", town["docx"], flood), "word/document.xml", "100 MB", code="file-too-large")
    refused(body(tmp_path / "炸弹2.docx", town["docx"], flood[:60]), "压缩比", code="file-too-large")


def test_markup_that_never_closes_a_block_is_refused_at_a_bounded_size(tmp_path, town):
    # 800,000 bookmarks under the body, none a paragraph or table: libxml2 would keep them all
    marks = (b"".join(b'<w:bookmarkStart w:id="%d" w:name="m%d"/>' % (i, i * 7919 % 100_003) for i in range(k, k + 1000)) for k in range(0, 800_000, 1000))
    path = body(tmp_path / "标记.docx", town["docx"], marks)
    refused(path, "XML 标记")


def test_text_of_a_million_cells_is_refused_before_reading(tmp_path):
    path = tmp_path / "表格.txt"
    path.write_text(("1\t" * 99 + "1\n") * 10_000, encoding="utf-8")
    refused(path, "分隔符")
    path.write_text("一行\n" * 60_000, encoding="utf-8")
    refused(path, "60,001 行", "50,000 行")


# ---------------------------------------------------------------- the small items


@pytest.mark.parametrize("kind, renamed", [("xlsx", "包.docx"), ("docx", "包.xlsx")])
def test_renamed_office_file_is_read_by_its_content(tmp_path, town, kind, renamed):
    path = tmp_path / renamed
    path.write_bytes(town[kind].read_bytes())
    _, _, evaluation, notices = measured(path)
    assert evaluation == town[f"{kind}.json"].model_dump_json()
    [note] = [n for n in notices if n["code"] == "renamed-file"]
    assert note["severity"] == "info" and f"已按{'Excel' if kind == 'xlsx' else 'Word'}" in note["message"]


@pytest.mark.parametrize("size, words", [(int(23.4 * MB), "文件 23.4 MB，超过 20 MB 的上限"), (20 * MB + 1, "文件 20,971,521 字节，超过 20 MB（20,971,520 字节）的上限")])
def test_size_message_names_the_real_size(tmp_path, size, words):
    path = tmp_path / "大.docx"
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: the size is refused before a byte is read
    [error] = import_file(path).notices
    assert error.code == "file-too-large" and words in error.message, error.message


def test_notices_are_capped_with_one_summary(tmp_path, town):
    def with_junk(xml: bytes) -> bytes:
        rows = b"".join(junk_rows(300, 10, start=100))[len(b"<sheetData>") : -len(b"</sheetData>")]
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    path = rezip(town["xlsx"], tmp_path / "提示.xlsx", {"xl/worksheets/sheet1.xml": with_junk})
    _, _, evaluation, notices = measured(path)
    assert evaluation is not None
    assert len(notices) == MAX_NOTICES + 1 and "另有" in notices[-1]["message"]


def test_a_file_at_the_limits_still_imports_in_time(tmp_path, town):
    # 5,000 rows of 10 filled cells: every limit reached, none passed; the recognisers see it all
    path = sheets(tmp_path / "满.xlsx", town["xlsx"], junk_rows(MAX_ROWS_PER_TABLE.value, 10))
    _, _, evaluation, notices = measured(path)
    assert evaluation is None and any(n["severity"] == "error" for n in notices)
