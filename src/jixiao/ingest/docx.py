"""Reading .docx: paragraphs and tables in body order, the real grid rebuilt from the XML.

python-docx's ``row.cells`` repeats a merged cell's text in every grid position it covers,
so the grid is read from ``w:tc`` directly: one ``w:tc`` is one logical cell however many
columns its ``gridSpan`` covers, and a ``vMerge`` continuation is an empty, merged cell —
the same shape the text copied out of Word has. Nested tables stay inside their cell.
"""

from __future__ import annotations

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from .document import Block, Cell, Document, Paragraph, Table, Where


def _text(element) -> str:
    """The paragraphs directly inside ``element`` (a cell), one per line."""
    # a cell holding a table must end with a paragraph, usually empty: it is not content
    return "\n".join(DocxParagraph(p, None).text for p in element.iterchildren(qn("w:p"))).rstrip("\n")


def _table(tbl, source: str, number: int, depth: int = 0) -> Table:
    rows: list[list[Cell]] = []
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
        row: list[Cell] = []
        for c, tc in enumerate(tr.iterchildren(qn("w:tc")), start=1):
            where = Where(source, table=number, row=r, column=c)
            props = tc.tcPr
            merge = props.find(qn("w:vMerge")) if props is not None else None
            continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            nested = [_table(t, source, number, depth + 1) for t in tc.iterchildren(qn("w:tbl"))] if depth < 5 else []
            row.append(Cell("" if continued else _text(tc), where, merged=continued, nested=nested))
        rows.append(row)
    return Table(rows, Where(source, table=number))


def read_docx(path: str, source: str) -> Document:
    body = open_docx(path).element.body
    blocks: list[Block] = []
    tables = paragraphs = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs += 1
            blocks.append(Paragraph(DocxParagraph(child, None).text, Where(source, paragraph=paragraphs)))
        elif child.tag == qn("w:tbl"):
            tables += 1
            blocks.append(_table(child, source, tables))
    return Document(source, blocks)
