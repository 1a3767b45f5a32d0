"""Reading .docx: paragraphs and tables in body order, the real grid rebuilt from the XML.

python-docx's ``row.cells`` repeats a merged cell's text in every grid position it covers,
so the grid is read from ``w:tc`` directly: one ``w:tc`` is one logical cell however many
columns its ``gridSpan`` covers, and a ``vMerge`` continuation is an empty, merged cell —
the same shape the text copied out of Word has. Forms made in Word often wrap cells, rows
or whole tables in content controls (``w:sdt``) or custom XML, and returned forms carry
tracked insertions (``w:ins``): all are read through. A table nested in a cell is kept in
that cell and also placed after its host, so that the recognisers see it.
"""

from __future__ import annotations

from collections.abc import Iterator

from docx import Document as open_docx
from docx.oxml.ns import qn

from .document import Block, Cell, Document, Paragraph, Table, Where

_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
_TEXT = qn("w:t")
_BREAKS = {qn("w:br"), qn("w:cr")}
_DELETED = {qn("w:del"), qn("w:moveFrom")}


def _children(element, tag: str) -> Iterator:
    """Children with ``tag``, looking through content controls and custom XML."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(element) -> Iterator:
    for child in element.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
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
            elif child.tag != qn("w:tbl"):
                walk(child)

    walk(p)
    return "".join(out)


def _cell_text(tc) -> str:
    # a cell holding a table must end with a paragraph, usually empty: it is not content
    return "\n".join(_paragraph_text(p) for p in _blocks(tc) if p.tag == qn("w:p")).rstrip("\n")


def _table(tbl, source: str, number: int, depth: int = 0) -> Table:
    rows: list[list[Cell]] = []
    for r, tr in enumerate(_children(tbl, qn("w:tr")), start=1):
        row: list[Cell] = []
        column = _int(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)  # cells skipped at the row's start
        for tc in _children(tr, qn("w:tc")):
            props = tc.tcPr
            merge = props.find(qn("w:vMerge")) if props is not None else None
            legacy = props.find(qn("w:hMerge")) if props is not None else None
            span = max(1, _int(props.find(qn("w:gridSpan")) if props is not None else None, 1))
            if legacy is not None and legacy.get(qn("w:val")) in (None, "continue"):
                if row:  # a pre-2007 horizontal merge: the cell belongs to the one on its left
                    row[-1].span += span
                column += span
                continue
            continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            nested = [_table(t, source, number, depth + 1) for t in _blocks(tc) if t.tag == qn("w:tbl")] if depth < 5 else []
            where = Where(source, table=number, row=r, column=len(row) + 1)
            row.append(Cell("" if continued else _cell_text(tc), where, merged=continued, nested=nested, col=column, span=span))
            column += span
        rows.append(row)
    return Table(rows, Where(source, table=number), grid=True)


def _int(element, default: int) -> int:
    try:
        return int(element.get(qn("w:val"))) if element is not None else default
    except (TypeError, ValueError):
        return default


def _nested(table: Table) -> Iterator[Table]:
    for row in table.rows:
        for cell in row:
            for inner in cell.nested:
                yield inner
                yield from _nested(inner)


def read_docx(path: str, source: str) -> Document:
    body = open_docx(path).element.body
    blocks: list[Block] = []
    tables = paragraphs = 0
    for child in _blocks(body):
        if child.tag == qn("w:p"):
            paragraphs += 1
            blocks.append(Paragraph(_paragraph_text(child), Where(source, paragraph=paragraphs)))
        else:
            tables += 1
            table = _table(child, source, tables)
            blocks.append(table)
            blocks.extend(_nested(table))
    return Document(source, blocks)
