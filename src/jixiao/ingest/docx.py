"""Reading .docx: paragraphs and tables in body order, the real grid rebuilt from the XML.

python-docx's ``row.cells`` repeats a merged cell's text in every grid position it covers,
so the grid is read from ``w:tc`` directly: one ``w:tc`` is one logical cell however many
columns its ``gridSpan`` covers, and a ``vMerge`` continuation is an empty, merged cell —
the same shape the text copied out of Word has. Forms made in Word often wrap cells, rows
or whole tables in content controls (``w:sdt``) or custom XML, and returned forms carry
tracked insertions (``w:ins``): all are read through. A table nested in a cell is kept in
that cell and also placed after its host, so that the recognisers see it.

``word/document.xml`` is streamed (``limits.XmlStream``), not loaded whole: each paragraph
and each row of a body table is read when it closes and then freed, and the counts that
limit a file (paragraphs, tables, rows, cells, columns) are checked as they grow, so that a
table of a million merged cells is refused at its limit instead of built.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from docx.oxml.ns import qn

from .document import Block, Cell, Document, Paragraph, Table, Where
from .limits import (
    MAX_CELLS_PER_FILE, MAX_CELLS_PER_TABLE, MAX_COLUMNS, MAX_PARAGRAPHS, MAX_ROWS_PER_TABLE, MAX_TABLES,
    MAX_TEXT_CHARS, UnreadableFile, XmlStream,
)

_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
_TEXT = qn("w:t")
_BREAKS = {qn("w:br"), qn("w:cr")}
_DELETED = {qn("w:del"), qn("w:moveFrom")}
_P, _TBL, _TR, _TC, _BODY = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:body")


def _children(element, tag: str) -> Iterator:
    """Children with ``tag``, looking through content controls and custom XML."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(element) -> Iterator:
    for child in element.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _paragraph_text(p) -> str:
    """The visible text of a paragraph: runs inside insertions, fields and controls count,
    deleted runs do not."""
    out: list[str] = []

    def walk(node) -> None:
        for child in node.iterchildren():
            if child.tag in _DELETED:
                continue
            if child.tag == _TEXT:
                out.append(child.text or "")
            elif child.tag == qn("w:tab"):
                out.append("\t")
            elif child.tag in _BREAKS:
                out.append("\n")
            elif child.tag != _TBL:
                walk(child)

    walk(p)
    return "".join(out)


def _cell_text(tc) -> str:
    # a cell holding a table must end with a paragraph, usually empty: it is not content
    return "\n".join(_paragraph_text(p) for p in _blocks(tc) if p.tag == _P).rstrip("\n")


def _int(element, default: int) -> int:
    try:
        return int(element.get(qn("w:val"))) if element is not None else default
    except (TypeError, ValueError):
        return default


class _Reader:
    """The body as it streams past: blocks read so far and the counts the limits bound."""

    def __init__(self, source: str):
        self.source = source
        self.blocks: list[Block] = []
        self.tables = self.paragraphs = self.cells = self.chars = 0
        self.rows: list[list[Cell]] | None = None  # the body table being read
        self.table_cells = 0

    def text(self, text: str) -> str:
        self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise UnreadableFile("over-limit", f"{self.source}：文字超过 {MAX_TEXT_CHARS:,} 个字符的上限，未导入")
        return text

    def row(self, tr, number: int, r: int, depth: int = 0) -> list[Cell]:
        row: list[Cell] = []
        column = _int(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)  # cells skipped at the row's start
        for tc in _children(tr, _TC):
            props = tc.find(qn("w:tcPr"))
            merge = props.find(qn("w:vMerge")) if props is not None else None
            legacy = props.find(qn("w:hMerge")) if props is not None else None
            span = max(1, _int(props.find(qn("w:gridSpan")) if props is not None else None, 1))
            if column + span > MAX_COLUMNS.value:  # a span is a number, never expanded; but no form is this wide
                what = f"第 {number} 个表格第 {r} 行跨到第 {column + span:,} 列，"
                raise UnreadableFile("over-limit", f"{self.source}：{what}超过每个表格 {MAX_COLUMNS.value:,} 列的上限，未导入")
            if legacy is not None and legacy.get(qn("w:val")) in (None, "continue"):
                if row:  # a pre-2007 horizontal merge: the cell belongs to the one on its left
                    row[-1].span += span
                column += span
                continue
            continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            nested = [self.table(t, number, depth + 1) for t in _blocks(tc) if t.tag == _TBL] if depth < 5 else []
            where = Where(self.source, table=number, row=r, column=len(row) + 1)
            row.append(Cell("" if continued else self.text(_cell_text(tc)), where, merged=continued, nested=nested, col=column, span=span))
            column += span
        return row

    def table(self, tbl, number: int, depth: int) -> Table:
        """A nested table, read whole inside its host's row (the host's counts bound it)."""
        rows = [self.row(tr, number, r, depth) for r, tr in enumerate(_children(tbl, _TR), start=1)]
        MAX_ROWS_PER_TABLE.check(len(rows), self.source, f"第 {number} 个表格中嵌套的表格")
        return Table(rows, Where(self.source, table=number), grid=True)

    def count_cell(self) -> None:
        self.cells += 1
        self.table_cells += 1
        MAX_CELLS_PER_TABLE.check(self.table_cells, self.source, f"第 {self.tables} 个表格", exact=False)
        MAX_CELLS_PER_FILE.check(self.cells, self.source, "文档", exact=False)


def _in_body(element) -> bool:
    """Whether an element sits in the body itself, through content controls only."""
    parent = element.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag == _BODY


def _nested(table: Table) -> Iterator[Table]:
    for row in table.rows:
        for cell in row:
            for inner in cell.nested:
                yield inner
                yield from _nested(inner)


def _body_row(tr) -> bool:
    """Whether a row belongs to a table of the body (a nested table's rows are read with their host's)."""
    table = tr.getparent()
    while table is not None and table.tag in _WRAPPERS:
        table = table.getparent()
    return table is not None and table.tag == _TBL and _in_body(table)


def read_docx(path: str, source: str) -> Document:
    reader = _Reader(source)
    placed = body_paragraphs = 0  # tables placed as blocks (nested ones too); paragraphs of the body
    with zipfile.ZipFile(path) as archive:
        stream = XmlStream(archive, "word/document.xml", source, (_P, _TBL, _TR, _TC), events=("start", "end"))
        for event, element in stream:
            tag = element.tag
            if event == "start":
                if tag == _TBL and reader.rows is None and _in_body(element):
                    reader.tables += 1
                    reader.rows, reader.table_cells = [], 0
            elif tag == _TC:
                if reader.rows is not None:
                    reader.count_cell()
            elif tag == _P:
                reader.paragraphs += 1
                MAX_PARAGRAPHS.check(reader.paragraphs, source, "文档", exact=False)
                if reader.rows is None and _in_body(element):
                    body_paragraphs += 1
                    reader.blocks.append(Paragraph(reader.text(_paragraph_text(element)), Where(source, paragraph=body_paragraphs)))
                    stream.release(element)
            elif tag == _TR:
                if reader.rows is not None and _body_row(element):
                    r = len(reader.rows) + 1
                    MAX_ROWS_PER_TABLE.check(r, source, f"第 {reader.tables} 个表格", exact=False)
                    reader.rows.append(reader.row(element, reader.tables, r))
                    stream.release(element)
            elif reader.rows is not None and _in_body(element):  # the body table closes
                table = Table(reader.rows, Where(source, table=reader.tables), grid=True)
                reader.rows = None
                nested = list(_nested(table))
                placed += 1 + len(nested)
                MAX_TABLES.check(placed, source, "文档", exact=False)
                reader.blocks += [table, *nested]
                stream.release(element)
    return Document(source, reader.blocks)
