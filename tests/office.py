"""Building .docx and .xlsx versions of a document inside the tests, merged like the forms.

A row with fewer cells than the table is wide has its first cell spanning the missing
columns (the forms' labels span, their figures do not); an empty cell in the first three
columns under a filled one continues that cell's vertical merge.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook

from jixiao.ingest.document import Document, Paragraph, Table

_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


def _layout(table: Table) -> list[list[tuple[int, int, str, bool]]]:
    """Each row as (grid column, span, text, continues a vertical merge)."""
    width = max(len(row) for row in table.rows)
    laid: list[list[tuple[int, int, str, bool]]] = []
    for row in table.rows:
        span = width - len(row) + 1
        cells, column = [], 0
        for index, cell in enumerate(row):
            size = span if index == 0 else 1
            above = next((c for c in laid[-1] if c[0] == column and c[1] == size), None) if laid else None
            continues = not cell.text.strip() and column < 3 and above is not None and (bool(above[2].strip()) or above[3])
            cells.append((column, size, cell.text, continues))
            column += size
        laid.append(cells)
    return laid


def write_docx(document: Document, path: Path) -> Path:
    doc = new_docx()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            doc.add_paragraph(block.text)
            continue
        laid = _layout(block)
        width = max(sum(c[1] for c in row) for row in laid)
        grid = doc.add_table(rows=len(laid), cols=width)
        for r, row in enumerate(laid):
            tr = grid.rows[r]._tr
            tcs = tr.findall(qn("w:tc"))
            for extra in tcs[len(row):]:
                tr.remove(extra)
            for tc, (_, span, text, continues) in zip(tr.findall(qn("w:tc")), row, strict=True):
                props = tc.get_or_add_tcPr()
                if span > 1:
                    grid_span = OxmlElement("w:gridSpan")
                    grid_span.set(qn("w:val"), str(span))
                    props.append(grid_span)
                if continues:
                    props.append(OxmlElement("w:vMerge"))  # no w:val: continue the merge above
                paragraphs = tc.findall(qn("w:p"))
                lines = [] if continues else text.split("\n")
                for p in paragraphs[1:]:
                    tc.remove(p)
                first = paragraphs[0]
                for i, line in enumerate(lines or [""]):
                    p = first if i == 0 else OxmlElement("w:p")
                    if i:
                        tc.append(p)
                    run = OxmlElement("w:r")
                    t = OxmlElement("w:t")
                    t.set(qn("xml:space"), "preserve")
                    t.text = line
                    run.append(t)
                    p.append(run)
        _mark_merge_starts(grid, laid)
    doc.save(path)
    return path


def _mark_merge_starts(grid, laid) -> None:
    """A vertical merge starts (vMerge=restart) on the cell above each first continuation."""
    for r, row in enumerate(laid[1:], start=1):
        for column, _span, _text, continues in row:
            if not continues:
                continue
            above_row = r - 1
            while above_row >= 0 and any(c[0] == column and c[3] for c in laid[above_row]):
                above_row -= 1
            above_index = next(i for i, c in enumerate(laid[above_row]) if c[0] == column)
            tc = grid.rows[above_row]._tr.findall(qn("w:tc"))[above_index]
            props = tc.get_or_add_tcPr()
            if props.find(qn("w:vMerge")) is None:
                merge = OxmlElement("w:vMerge")
                merge.set(qn("w:val"), "restart")
                props.append(merge)


def _value(text: str):
    stripped = text.strip(" \u3000\n")
    if not _NUMBER.match(stripped):
        return text, None
    if stripped.endswith("%"):
        figure = Decimal(stripped[:-1]) / 100
        places = max(0, -figure.as_tuple().exponent - 2)
        return float(figure), "0" + ("." + "0" * places if places else "") + "%"
    return float(stripped), None


def write_xlsx(document: Document, path: Path) -> Path:
    """One sheet per table; the paragraphs before it become its merged title rows."""
    book = Workbook()
    book.remove(book.active)
    titles: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                titles.append(block.text)
            continue
        sheet = book.create_sheet(f"表{len(book.worksheets) + 1}")
        laid = _layout(block)
        width = max(sum(c[1] for c in row) for row in laid)
        for r, title in enumerate(titles[-3:], start=1):
            sheet.cell(r, 1, title)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        top = len(titles[-3:])
        titles = []
        for r, row in enumerate(laid, start=top + 1):
            for column, span, text, continues in row:
                if continues:
                    continue
                value, number_format = _value(text)
                cell = sheet.cell(r, column + 1, value if value != "" else None)
                if number_format:
                    cell.number_format = number_format
                if span > 1:
                    sheet.merge_cells(start_row=r, start_column=column + 1, end_row=r, end_column=column + span)
        for column in range(3):
            run_start = None
            for r, row in enumerate(laid, start=top + 1):
                continues = any(c[0] == column and c[3] for c in row)
                if continues and run_start is None:
                    run_start = r - 1
                if not continues and run_start is not None:
                    sheet.merge_cells(start_row=run_start, start_column=column + 1, end_row=r - 1, end_column=column + 1)
                    run_start = None
            if run_start is not None:
                sheet.merge_cells(start_row=run_start, start_column=column + 1, end_row=top + len(laid), end_column=column + 1)
    book.save(path)
    return path
