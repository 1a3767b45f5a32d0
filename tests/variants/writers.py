"""Writing a logical package (paragraphs and grids of merged cells) in five formats.

A grid is rows of cells placed on a common column grid: each cell knows its first column,
how many columns it spans, and whether it continues the vertical merge of the cell above
(then it is empty and has the same column and span as that cell). The writers turn that
into what each source really holds:

* ``docx`` — python-docx XML with ``gridSpan`` and ``vMerge`` (restart / continue);
* ``xlsx`` — openpyxl with merged ranges, paragraphs as merged title rows above the table;
  plain figures optionally written as numbers with a format showing the same digits;
* ``tab`` — Word's copy: each cell a tab-led line (its further lines without the tab), rows
  parted by one blank line, a merged cell once, a vertical continuation an empty cell;
* ``pipe`` — an HTML table copied as text: a row per line, cells joined by `` | ``, vertical
  continuations absent (rowspan), line breaks as ``<br>``, optionally a ``|---|`` rule;
* ``lines`` — a web page's text: a cell per line, rows parted by a blank line, an empty cell
  as U+00A0, vertical continuations absent, a cell's lines joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook

NBSP = "\u00a0"
_FIGURE = re.compile(r"^(\d+)(?:\.(\d+))?(%?)$")


@dataclass
class C:
    """A logical cell: its text, first grid column, columns spanned, vertical continuation."""

    text: str
    col: int
    span: int = 1
    cont: bool = False


@dataclass
class Grid:
    width: int
    rows: list[list[C]] = field(default_factory=list)
    joined: bool = False  # the second part of a table split across pages


@dataclass
class Para:
    text: str


Block = Grid | Para
DOWN = object()  # in Grid rows built by ``add``: continue the cell above at this column


def add(grid: Grid, *items) -> list[C]:
    """Append a row: items are texts (span 1), (text, span) pairs or DOWN; the last cell
    spans whatever columns are left."""
    cells: list[C] = []
    col = 0
    for item in items:
        if item is DOWN:
            above = next(c for c in grid.rows[-1] if c.col == col)
            cells.append(C("", col, above.span, True))
            col += above.span
            continue
        text, span = (item, 1) if isinstance(item, str) else item
        cells.append(C(text, col, span))
        col += span
    if col > grid.width:
        raise ValueError(f"row wider than the grid: {items}")
    if col < grid.width:
        last = cells[-1]
        if last.cont:
            raise ValueError("a continuation cannot widen")
        last.span += grid.width - col
    grid.rows.append(cells)
    return cells


def starts_merge(grid: Grid, r: int, cell: C) -> bool:
    if cell.cont or r + 1 >= len(grid.rows):
        return False
    return any(c.col == cell.col and c.cont for c in grid.rows[r + 1])


# ---------------------------------------------------------------- docx


def _fill(tc, text: str) -> None:
    paragraphs = tc.findall(qn("w:p"))
    for p in paragraphs[1:]:
        tc.remove(p)
    for i, line in enumerate(text.split("\n")):
        p = paragraphs[0] if i == 0 else OxmlElement("w:p")
        if i:
            tc.append(p)
        if not line:
            continue
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        run.append(t)
        p.append(run)


def write_docx(blocks: list[Block], path: Path) -> Path:
    doc = new_docx()
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Para):
            doc.add_paragraph(block.text)
        else:
            if isinstance(previous, Grid):
                doc.add_paragraph("")  # Word joins adjacent tables; a split keeps a paragraph between
            table = doc.add_table(rows=len(block.rows), cols=block.width)
            for r, row in enumerate(block.rows):
                tr = table.rows[r]._tr
                tcs = tr.findall(qn("w:tc"))
                for extra in tcs[len(row):]:
                    tr.remove(extra)
                for tc, cell in zip(tr.findall(qn("w:tc")), row, strict=True):
                    props = tc.get_or_add_tcPr()
                    if cell.span > 1:
                        span = OxmlElement("w:gridSpan")
                        span.set(qn("w:val"), str(cell.span))
                        props.append(span)
                    if cell.cont:
                        props.append(OxmlElement("w:vMerge"))
                    elif starts_merge(block, r, cell):
                        merge = OxmlElement("w:vMerge")
                        merge.set(qn("w:val"), "restart")
                        props.append(merge)
                    _fill(tc, "" if cell.cont else cell.text)
        previous = block
    doc.save(path)
    return path


# ---------------------------------------------------------------- xlsx


def _number(text: str):
    """A plain figure as (value, number format) showing the same digits; None otherwise."""
    match = _FIGURE.match(text)
    if not match:
        return None
    whole, places, percent = match.groups()
    digits = "0" + ("." + "0" * len(places) if places else "")
    figure = Decimal(f"{whole}.{places}" if places else whole)
    if percent:
        return float(figure / 100), digits + "%"
    return (int(figure) if not places else float(figure)), digits


def write_xlsx(blocks: list[Block], path: Path, numbers: bool = False) -> Path:
    """One sheet per table (a split table's second part goes on under a blank row); the
    paragraphs before the first table become merged title rows above it, those after a
    table merged rows under it."""
    book = Workbook()
    book.remove(book.active)
    titles: list[str] = []
    sheet, top, width = None, 0, 1
    for block in blocks:
        if isinstance(block, Para):
            if sheet is not None and block.text.strip():  # a line under the table: a merged row
                top += 1
                sheet.cell(top, 1, block.text)
                sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=width)
            elif block.text.strip():
                titles.append(block.text)
            continue
        width = block.width
        if sheet is None or not block.joined:
            sheet = book.create_sheet(f"表{len(book.worksheets) + 1}")
            top = 0
        else:
            top += 1  # the blank row between the two parts
        for title in titles:
            top += 1
            sheet.cell(top, 1, title)
            if block.width > 1:
                sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=block.width)
        titles = []
        for r, row in enumerate(block.rows):
            for cell in row:
                if cell.cont:
                    continue
                excel_row = top + r + 1
                written = _number(cell.text) if numbers else None
                target = sheet.cell(excel_row, cell.col + 1)
                if written:
                    target.value, target.number_format = written
                else:
                    target.value = cell.text if cell.text != "" else None
                    if cell.text.startswith("="):
                        target.data_type = "s"  # a typed "=500", not a formula
                depth = 0
                while r + depth + 1 < len(block.rows) and any(c.col == cell.col and c.cont for c in block.rows[r + depth + 1]):
                    depth += 1
                if cell.span > 1 or depth:
                    sheet.merge_cells(
                        start_row=excel_row, start_column=cell.col + 1,
                        end_row=excel_row + depth, end_column=cell.col + cell.span,
                    )
        top += len(block.rows)
    book.save(path)
    return path


# ---------------------------------------------------------------- text


def write_tab(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(block.text)
            continue
        for row in block.rows:
            for cell in row:
                lines = [""] if cell.cont else cell.text.split("\n")
                out.append("\t" + lines[0])
                out.extend(lines[1:])
            out.append("")
    return "\n".join(out) + "\n"


def write_pipe(blocks: list[Block], rule: bool = False) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(block.text)
            continue
        for r, row in enumerate(block.rows):
            cells = [c.text.replace("\n", "<br>") for c in row if not c.cont]
            out.append(" | ".join(cells))
            if rule and r == 0:
                out.append("|" + "---|" * len(cells))
        out.append("")
    return "\n".join(out) + "\n"


def write_lines(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out += [block.text, ""]
            continue
        for row in block.rows:
            for cell in row:
                if not cell.cont:
                    out.append("".join(cell.text.split("\n")) or NBSP)
            out.append("")
    return "\n".join(out) + "\n"


def shown_rows(grid: Grid, fmt: str) -> list[list[str]]:
    """The cells of each row as the format shows them (for checking the writers)."""
    rows = []
    for row in grid.rows:
        if fmt in ("docx", "xlsx", "tab"):
            rows.append(["" if c.cont else c.text for c in row])
        elif fmt == "pipe":
            rows.append([c.text.replace("\n", "<br>") for c in row if not c.cont])
        else:
            rows.append(["".join(c.text.split("\n")) or NBSP for c in row if not c.cont])
    return rows


def write(blocks: list[Block], fmt: str, path: Path, numbers: bool = False, rule: bool = False) -> Path:
    if fmt == "docx":
        return write_docx(blocks, path)
    if fmt == "xlsx":
        return write_xlsx(blocks, path, numbers)
    text = write_tab(blocks) if fmt == "tab" else write_pipe(blocks, rule) if fmt == "pipe" else write_lines(blocks)
    path.write_text(text, encoding="utf-8")
    return path
