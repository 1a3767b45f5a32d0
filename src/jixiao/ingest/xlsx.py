"""Reading .xlsx: each visible sheet one table, merged ranges resolved to the form's cells.

A merged range is one cell: its other columns collapse, and the rows below its top show an
empty, merged cell, as Word's text does. A number reads as the sheet shows it: with the
decimals its format shows (3393.90), as a percent under a percent format (58%). Hidden
sheets and rows are left out and said so: they are usually old copies, not the form.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .document import Cell, Document, Table, Where
from .notices import Notice


def _places(number_format: str) -> int | None:
    """Decimals a format shows: 0.00 → 2, 0% → 0; None for General (show what is stored)."""
    match = re.search(r"0\.(0+)", number_format)
    if match:
        return len(match.group(1))
    return 0 if re.search(r"(^|[^.#\d])0(%|$|[^.\d])", number_format) else None


def _shown(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        figure = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        percent = "%" in number_format
        if percent:
            figure *= 100
        places = _places(number_format)
        if places is not None:
            figure = figure.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        text = format(figure, "f")
        return text + "%" if percent else text
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def read_xlsx(path: str, source: str, notices: list[Notice]) -> Document:
    values = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False)
    tables: list[Table] = []
    for number, sheet in enumerate(values.worksheets, start=1):
        if sheet.sheet_state != "visible":
            notices.append(Notice.at("unplaced-text", "warning", source, f"隐藏的工作表“{sheet.title}”未导入；如需导入请先取消隐藏"))
            continue
        raw = formulas[sheet.title]
        covered: dict[tuple[int, int], str] = {}  # (row, col) → "left" or "below"
        spans: dict[tuple[int, int], int] = {}  # a merge's top-left cell → columns it covers
        for merged in sheet.merged_cells.ranges:
            for r in range(merged.min_row, merged.max_row + 1):
                spans[(r, merged.min_col)] = merged.max_col - merged.min_col + 1
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered[(r, c)] = "below" if c == merged.min_col else "left"
        # only the cells that exist: a stray blank far down the sheet must not make us walk
        # every empty cell up to it
        used = sorted(key for key, cell in sheet._cells.items() if cell.value is not None and str(cell.value).strip())  # 0 is a figure
        if not used:
            continue
        hidden_rows = {r for r, dim in sheet.row_dimensions.items() if dim.hidden}
        hidden_columns = {c for c in range(1, max(c for _, c in used) + 1) if sheet.column_dimensions[get_column_letter(c)].hidden}
        skipped = sorted({r for r, _ in used if r in hidden_rows})
        if skipped or any(c in hidden_columns for _, c in used):
            notices.append(Notice.at("unplaced-text", "warning", Where(source, sheet=sheet.title), f"工作表“{sheet.title}”中隐藏的行或列未导入（行 {', '.join(map(str, skipped[:10])) or '—'}）"))
        width = max(c for _, c in used)
        rows: list[list[Cell]] = []
        for r in sorted({r for r, _ in used} - hidden_rows):
            row: list[Cell] = []
            for c in range(1, width + 1):
                kind = covered.get((r, c))
                if kind == "left" or c in hidden_columns:
                    continue
                where = Where(source, sheet=sheet.title, table=number, row=r, column=len(row) + 1, cell=f"{get_column_letter(c)}{r}")
                cell = sheet._cells.get((r, c))
                value = cell.value if cell is not None else None
                formula = raw._cells.get((r, c))
                if value is None and formula is not None and isinstance(formula.value, str) and formula.value.startswith("="):
                    notices.append(Notice.at("unreadable-file", "warning", where, "公式没有保存计算结果，未读取；请在 Excel 中打开并保存后重新导入", formula.value))
                shown = _shown(value, cell.number_format if cell is not None else "General")
                row.append(Cell(shown, where, merged=kind == "below", col=c - 1, span=spans.get((r, c), 1)))
            rows.append(row)
        tables.append(Table(rows, Where(source, sheet=sheet.title, table=number), grid=True))
    return Document(source, list(tables))
