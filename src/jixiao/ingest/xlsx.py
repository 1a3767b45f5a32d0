"""Reading .xlsx: each sheet one table, merged ranges resolved to the form's logical cells.

A merged range is one cell: its other columns collapse, and the rows below its top show an
empty, merged cell, as Word's text does. Percent-formatted numbers read as ``60%``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .document import Cell, Document, Table, Where
from .notices import Notice


def _shown(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        figure = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in number_format:
            return format((figure * 100).normalize(), "f") + "%"
        return format(figure, "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def read_xlsx(path: str, source: str, notices: list[Notice]) -> Document:
    values = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False)
    tables: list[Table] = []
    for number, sheet in enumerate(values.worksheets, start=1):
        raw = formulas[sheet.title]
        covered: dict[tuple[int, int], str] = {}  # (row, col) → "left" or "below"
        for merged in sheet.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered[(r, c)] = "below" if c == merged.min_col else "left"
        used = [(cell.row, cell.column) for row in sheet.iter_rows() for cell in row if cell.value not in (None, "")]
        if not used:
            continue
        width = max(c for _, c in used)
        rows: list[list[Cell]] = []
        for r in range(1, max(r for r, _ in used) + 1):
            row: list[Cell] = []
            for c in range(1, width + 1):
                kind = covered.get((r, c))
                if kind == "left":
                    continue
                ref = f"{get_column_letter(c)}{r}"
                where = Where(source, sheet=sheet.title, table=number, row=r, column=len(row) + 1, cell=ref)
                cell = sheet.cell(r, c)
                if cell.value is None and isinstance(raw.cell(r, c).value, str) and raw.cell(r, c).value.startswith("="):
                    notices.append(Notice.at("unreadable-file", "warning", where, "公式没有保存计算结果，未读取；请在 Excel 中打开并保存后重新导入", raw.cell(r, c).value))
                row.append(Cell(_shown(cell.value, cell.number_format), where, merged=kind == "below"))
            if any(c.text.strip() for c in row):
                rows.append(row)
        tables.append(Table(rows, Where(source, sheet=sheet.title, table=number)))
    return Document(source, list(tables))
