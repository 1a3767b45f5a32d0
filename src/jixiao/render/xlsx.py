"""The forms as one Excel workbook: a sheet per form, laid out and printable like the originals."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

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


def _sheet(book: Workbook, form: Form, marks: Marks) -> None:
    name = "".join(ch for ch in form.sheet if ch not in "[]:*?/\\")[:28] or "表"
    while name in book.sheetnames:  # two projects may share the first 28 characters
        name = name[:26] + f"{len(book.sheetnames):02}"
    sheet = book.create_sheet(name)
    width = form.width
    relative = form.widths or [1] * width
    columns = [PAGE_WIDTH * w / sum(relative) for w in relative]
    for column, size in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    top = [(form.annex, Font(size=10)), (form.title, Font(size=14, bold=True)), *((line, Font(size=10)) for line in form.lines)]
    for r, (value, font) in enumerate(top, start=1):
        cell = sheet.cell(r, 1, value)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if r == 2 else "left")
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
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
                cell.number_format = _format(item)
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if item.header or item.number is not None else "left")
                if item.header:
                    cell.font = Font(bold=True)
                mark = marks.get(item.key)
                if mark is not None:
                    cell.fill = FILL[mark.level]
                    cell.comment = Comment(mark.text, "Jixiao")
                room = sum(columns[column : column + item.span]) * 0.9
                lines = max(lines, sum(max(1, -(-len(part) * 2 // max(int(room), 1))) for part in item.text.split("\n")))
            column += item.span
        sheet.row_dimensions[first + r].height = 15 * lines
    for r1, c1, r2, c2 in areas.values():
        for rr in range(r1, r2 + 1):
            for cc in range(c1, c2 + 1):
                sheet.cell(first + rr, cc + 1).border = BOX
        if r2 > r1 or c2 > c1:
            sheet.merge_cells(start_row=first + r1, start_column=c1 + 1, end_row=first + r2, end_column=c2 + 1)
    last = first + len(form.rows) - 1
    if form.footer:
        sheet.cell(last + 2, 1, form.footer)
        sheet.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=width)
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
    for form in forms:
        _sheet(book, form, marks)
    if marks.annex is not None:
        _sheet(book, marks.annex, Marks())
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
