"""The forms as one Excel workbook: a sheet per form, laid out and printable like the originals."""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange

from .layout import Form, FormCell, places
from .marks import Marks

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL = {"error": PatternFill("solid", fgColor="F8C9C9"), "warning": PatternFill("solid", fgColor="FCE8B2"), "computed": PatternFill("solid", fgColor="DDEBF7")}
PAGE_WIDTH = 150  # characters across an A4 landscape page at the sheet's default font


def _format(cell: FormCell) -> str:
    if cell.number is None:
        return "@"  # text stays text: “=…” in a unit's wording is never a formula
    if cell.percent:
        decimals = max(0, -int(cell.number.as_tuple().exponent))
        return "0" + ("." + "0" * decimals if decimals else "") + "%"
    if cell.money:
        return "0." + "0" * places(cell.number)
    return "General"


def _rectangles(form: Form) -> dict[tuple[int, int], list[int]]:
    """Each cell's area on the grid, [first row, first column, last row, last column], a
    vertical merge grown by the placeholders below it; 0-based, over form rows."""
    areas: dict[tuple[int, int], list[int]] = {}
    above: dict[int, list[int]] = {}  # column → area of the cell last started there
    for r, row in enumerate(form.rows):
        column = 0
        for item in row:
            if item.merged and column in above:
                above[column][2] = r
            elif not item.merged:
                area = [r, column, r, column + item.span - 1]
                areas[(r, column)] = area
                for c in range(column, column + item.span):
                    above[c] = area
            column += item.span
    return areas


class _Styles:
    """Style changes made through openpyxl once per (cell's style before, change), and copied
    to every later cell that undergoes the same change from the same style. openpyxl finds each
    assigned Font, Border or Alignment in the workbook's list by hashing and comparing it field
    by field, recursively, on every assignment, and merging cells assigns borders again along
    each edge: that was most of an export's time. The first change of each kind still goes
    through openpyxl, so the workbook's style lists fill in the same order as before."""

    def __init__(self) -> None:
        self.done: dict[tuple, StyleArray] = {}

    def change(self, cell, key: tuple, apply: Callable[[object], None]) -> None:
        before = cell._style
        seen = (None if before is None else tuple(before), key)
        after = self.done.get(seen)
        if after is None:
            apply(cell)
            self.done[seen] = StyleArray(cell._style)
        else:
            cell._style = StyleArray(after)


def _styles_of(cell) -> StyleArray:
    return cell._style if cell._style is not None else StyleArray()


class _Merged(MergedCellRange):
    """``Worksheet.merge_cells``' range, its border and protection bookkeeping (openpyxl 3.1's
    ``_get_borders`` and ``format``, step for step) applied through ``_Styles``."""

    def __init__(self, worksheet, coord: str, styles: _Styles) -> None:
        self.styles = styles
        super().__init__(worksheet, coord)

    def _cell(self, coord):
        cell = self.ws._cells.get(coord)
        if cell is None:
            cell = MergedCell(self.ws, row=coord[0], column=coord[1])
            self.ws._cells[(cell.row, cell.column)] = cell
        return cell

    def _get_borders(self) -> None:
        self.start_cell = self.ws._cells.get((self.min_row, self.min_col))
        if self.start_cell is None:
            self.start_cell = self.ws.cell(row=self.min_row, column=self.min_col)
        end = self.ws._cells.get((self.max_row, self.max_col))
        if end is not None:
            def corner(cell, end=end):
                cell.border += Border(right=end.border.right, bottom=end.border.bottom)
            self.styles.change(self.start_cell, ("corner", _styles_of(end).borderId), corner)

    def format(self) -> None:
        for name in ("top", "left", "right", "bottom"):
            side = getattr(self.start_cell.border, name)
            if side and side.style is None:
                continue  # no border on that side to carry along the edge
            edge = Border(**{name: side})
            def add(cell, edge=edge):
                cell.border += edge
            # the start cell lies on two edges: its border as it stands now is what is carried
            key = ("edge", _styles_of(self.start_cell).borderId, name)
            for coord in getattr(self, name):
                self.styles.change(self._cell(coord), key, add)
        if self.start_cell.protection is not None:
            protection = copy(self.start_cell.protection)
            key = ("protection", _styles_of(self.start_cell).protectionId)
            def protect(cell):
                cell.protection = protection
            for coord in self.cells:
                self.styles.change(self._cell(coord), key, protect)


def _merge(sheet, styles: _Styles, r1: int, c1: int, r2: int, c2: int) -> None:
    """``sheet.merge_cells(start_row=r1, …)``, its styles set through ``styles``."""
    merged = _Merged(sheet, CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2).coord, styles)
    sheet.merged_cells.add(merged)
    sheet._clean_merge_range(merged)


# Shared style objects, so that ``_Styles`` knows a change by the object it assigns.
BOLD = Font(bold=True)
TOP_FONTS = {"small": Font(size=10), "title": Font(size=14, bold=True)}
ALIGN = {h: Alignment(wrap_text=True, vertical="center", horizontal=h) for h in ("center", "left")}
TOP_ALIGN = {h: Alignment(horizontal=h) for h in ("center", "left")}


def _content(cell, number_format: str, horizontal: str, header: bool, level: str | None) -> None:
    cell.number_format = number_format
    cell.alignment = ALIGN[horizontal]
    if header:
        cell.font = BOLD
    if level is not None:
        cell.fill = FILL[level]


def _box(cell) -> None:
    cell.border = BOX


def _sheet(book: Workbook, titles: set[str], form: Form, marks: Marks, styles: _Styles) -> None:
    name = "".join(ch for ch in form.sheet if ch not in "[]:*?/\\")[:28] or "表"
    while name in titles:  # two projects may share the first 28 characters
        name = name[:26] + f"{len(book.sheetnames):02}"
    sheet = book.create_sheet(name)
    titles.add(sheet.title)  # openpyxl's own, for it renames a title another has in other case
    width = form.width
    relative = form.widths or [1] * width
    columns = [PAGE_WIDTH * w / sum(relative) for w in relative]
    for column, size in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    top = [(form.annex, "small"), (form.title, "title"), *((line, "small") for line in form.lines)]
    for r, (value, font) in enumerate(top, start=1):
        cell = sheet.cell(r, 1, value)
        horizontal = "center" if r == 2 else "left"
        def heading(cell, font=TOP_FONTS[font], alignment=TOP_ALIGN[horizontal]):
            cell.font = font
            cell.alignment = alignment
        styles.change(cell, ("top", font, horizontal), heading)
        _merge(sheet, styles, r, 1, r, width)
    first = len(top) + 1
    areas = _rectangles(form)
    for r, row in enumerate(form.rows):
        column, lines = 0, 1
        for item in row:
            if not item.merged:
                cell = sheet.cell(first + r, column + 1)
                if item.number is not None:
                    cell.value = float(item.number / 100 if item.percent else item.number)
                elif item.text:
                    cell.value = item.text
                    cell.data_type = "s"
                mark = marks.get(item.key)
                look = (_format(item), "center" if item.header or item.number is not None else "left", item.header, mark.level if mark else None)
                styles.change(cell, ("content", *look), lambda cell, look=look: _content(cell, *look))
                if mark is not None:
                    cell.comment = Comment(mark.text, "Jixiao")
                room = sum(columns[column : column + item.span]) * 0.9
                lines = max(lines, sum(max(1, -(-len(part) * 2 // max(int(room), 1))) for part in item.text.split("\n")))
            column += item.span
        sheet.row_dimensions[first + r].height = 15 * lines
    for r1, c1, r2, c2 in areas.values():
        for rr in range(r1, r2 + 1):
            for cc in range(c1, c2 + 1):
                styles.change(sheet.cell(first + rr, cc + 1), ("box",), _box)
        if r2 > r1 or c2 > c1:
            _merge(sheet, styles, first + r1, c1 + 1, first + r2, c2 + 1)
    last = first + len(form.rows) - 1
    if form.footer:
        sheet.cell(last + 2, 1, form.footer)
        _merge(sheet, styles, last + 2, 1, last + 2, width)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{first + form.repeat}:{first + form.repeat}"
    sheet.print_options.horizontalCentered = True


def write_xlsx(forms: list[Form], marks: Marks) -> bytes:
    book = Workbook()
    book.remove(book.active)
    titles: set[str] = set()  # book.sheetnames lists every sheet anew on each call
    styles = _Styles()
    for form in forms:
        _sheet(book, titles, form, marks, styles)
    if marks.annex is not None:
        _sheet(book, titles, marks.annex, Marks(), styles)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
