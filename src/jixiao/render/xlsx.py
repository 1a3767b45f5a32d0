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
WIDTHS = {7: [14, 14, 22, 8, 40, 40, 8], 9: [8, 12, 14, 22, 18, 14, 8, 8, 24]}


def _format(cell: FormCell) -> str:
    if cell.percent and cell.number is not None:
        decimals = max(0, -int(cell.number.as_tuple().exponent))
        return "0" + ("." + "0" * decimals if decimals else "") + "%"
    if cell.number is not None and cell.key is not None and cell.key[-1] in ("上年决算数", "本年预算数", "本年决算数", "年初预算数", "全年预算数", "全年执行数"):
        return "0." + "0" * places(cell.number)
    return "General"


def _sheet(book: Workbook, form: Form, marks: Marks) -> None:
    name = "".join(ch for ch in form.sheet if ch not in "[]:*?/\\")[:28] or "表"
    while name in book.sheetnames:  # two projects may share the first 28 characters
        name = name[:26] + f"{len(book.sheetnames):02}"
    sheet = book.create_sheet(name)
    width = form.width
    for column, size in enumerate(WIDTHS.get(width, [14] * width), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    top = [(form.annex, Font(size=10)), (form.title, Font(size=14, bold=True)), *((line, Font(size=10)) for line in form.lines)]
    for r, (value, font) in enumerate(top, start=1):
        cell = sheet.cell(r, 1, value)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if r == 2 else "left")
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    first = len(top) + 1
    open_merges: dict[int, tuple[int, int]] = {}  # column → (row its vertical merge began, its span)
    for r, row in enumerate(form.rows, start=first):
        column = 1
        for item in row:
            if item.merged:
                open_merges.setdefault(column, (r - 1, item.span))
            else:
                begun = open_merges.pop(column, None)
                if begun is not None:
                    sheet.merge_cells(start_row=begun[0], start_column=column, end_row=r - 1, end_column=column + begun[1] - 1)
                cell = sheet.cell(r, column, float(item.number / 100 if item.percent else item.number) if item.number is not None else (item.text or None))
                cell.number_format = _format(item)
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if item.header or item.number is not None else "left")
                if item.header:
                    cell.font = Font(bold=True)
                mark = marks.get(item.key)
                if mark is not None:
                    cell.fill = FILL[mark.level]
                    cell.comment = Comment(mark.text, "Jixiao")
                if item.span > 1:
                    sheet.merge_cells(start_row=r, start_column=column, end_row=r, end_column=column + item.span - 1)
            for c in range(column, column + item.span):
                sheet.cell(r, c).border = BOX
            column += item.span
    last = first + len(form.rows) - 1
    for column, (start, span) in open_merges.items():
        sheet.merge_cells(start_row=start, start_column=column, end_row=last, end_column=column + span - 1)
    sheet.cell(last + 2, 1, form.footer)
    sheet.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=width)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{first}:{first}"
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
