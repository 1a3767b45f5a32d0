"""Reading .xlsx: each visible sheet one table, merged ranges resolved to the form's cells.

A merged range is one cell: its other columns collapse, and the rows below its top show an
empty, merged cell, as Word's text does. A number reads as the sheet shows it: with the
decimals its format shows (3393.90), as a percent under a percent format (58%). Hidden
sheets and rows are left out and said so: they are usually old copies, not the form.

The sheets are streamed from the zip (``limits.XmlStream``) rather than loaded whole: a
workbook loader builds an object for every cell a merged range covers (a sheet-wide merge is
17 billion) and pads every row out to the farthest cell. Here only cells with a value are
kept, a merge stays a range that is looked up for the rows read, and a row ends at its own
last cell, so one far cell widens nothing but its own row. Values and formats read as Excel
shows them, with openpyxl's own tables of formats and dates.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from bisect import bisect_left, bisect_right
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from .document import Cell, Document, Table, Where
from .limits import (
    MAX_CELLS_PER_FILE, MAX_CELLS_PER_TABLE, MAX_COLUMNS, MAX_MERGED_AREA, MAX_MERGES, MAX_ROWS_PER_TABLE,
    MAX_SHARED_STRINGS, MAX_TABLES, MAX_TEXT_CHARS, UnreadableFile, XmlStream,
)
from .notices import Notice

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_C, _V, _F, _IS, _T, _R = (_MAIN + t for t in ("c", "v", "f", "is", "t", "r"))
_ROW, _MERGE, _COL, _SI = (_MAIN + t for t in ("row", "mergeCell", "col", "si"))
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_SHOWN_FORMULAS = 50  # formula notices listed per sheet; the rest are counted in one
_FAR = 8  # empty columns that part a stray cell far to the right from the form


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


def _text(node) -> str:
    """A string item's text: plain, or its runs; phonetic guides (rPh) are not text."""
    parts = []
    for child in node.iterchildren(_T, _R):
        parts.append(child.text or "") if child.tag == _T else parts.extend(t.text or "" for t in child.iterchildren(_T))
    return "".join(parts)


def _ref(ref: str) -> tuple[int, int]:
    """(row, column) of an A1 reference."""
    match = _REF.match(ref)
    if not match:
        raise ValueError(ref)
    return int(match.group(2)), column_index_from_string(match.group(1).upper())


class _Book:
    """The workbook's parts other than the sheets: sheet list, shared strings, number formats."""

    def __init__(self, archive: zipfile.ZipFile, source: str):
        self.archive, self.source = archive, source
        names = set(archive.namelist())
        targets: dict[str, tuple[str, str]] = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for _, rel in XmlStream(archive, "xl/_rels/workbook.xml.rels", source, (_REL,)):
                targets[rel.get("Id")] = (rel.get("Type", ""), rel.get("Target", ""))
        self.sheets: list[tuple[str, str, str]] = []  # (title, state, part) of each worksheet
        self.epoch = CALENDAR_WINDOWS_1900
        stream = XmlStream(archive, "xl/workbook.xml", source, (_MAIN + "sheet", _MAIN + "workbookPr"))
        for _, element in stream:
            if element.tag == _MAIN + "workbookPr":
                self.epoch = CALENDAR_MAC_1904 if element.get("date1904") in ("1", "true") else self.epoch
                continue
            kind, target = targets.get(element.get(_RID) or "", ("", ""))
            if kind.endswith("/worksheet"):  # chart sheets hold no cells
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
                self.sheets.append((element.get("name") or "", element.get("state") or "visible", part))
                MAX_TABLES.check(len(self.sheets), source, "工作簿的工作表", exact=False)
            stream.release(element)
        self.chars = 0
        self.strings = self._strings() if "xl/sharedStrings.xml" in names else []
        self.formats = self._formats() if "xl/styles.xml" in names else []

    def count(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise UnreadableFile("over-limit", f"{self.source}：文字超过 {MAX_TEXT_CHARS:,} 个字符的上限，未导入")

    def _strings(self) -> list[str]:
        strings: list[str] = []
        stream = XmlStream(self.archive, "xl/sharedStrings.xml", self.source, (_SI,))
        for _, item in stream:
            text = _text(item).replace("x005F_", "")  # as openpyxl reads them
            self.count(text)
            strings.append(text)
            MAX_SHARED_STRINGS.check(len(strings), self.source, "共享文字表", exact=False)
            stream.release(item)
        return strings

    def _formats(self) -> list[tuple[str, bool, bool]]:
        """Each cell style's number format, and whether it shows a date or a duration."""
        custom: dict[int, str] = {}
        formats: list[tuple[str, bool, bool]] = []
        tags = tuple(_MAIN + t for t in ("numFmt", "xf", "font", "fill", "border"))
        stream = XmlStream(self.archive, "xl/styles.xml", self.source, tags)
        for _, element in stream:
            parent = element.getparent().tag
            if element.tag == tags[0] and parent == _MAIN + "numFmts":
                custom[int(element.get("numFmtId", 0))] = element.get("formatCode") or "General"
            elif element.tag == tags[1] and parent == _MAIN + "cellXfs":
                number = int(element.get("numFmtId", 0))
                code = custom.get(number) or BUILTIN_FORMATS.get(number, "General")
                formats.append((code, is_date_format(code), is_timedelta_format(code)))
            stream.release(element)
        return formats

    def value(self, c, kind: str, style: int) -> tuple[object, str]:
        """A cell's value as openpyxl reads it with ``data_only``, and its number format."""
        code, is_date, is_duration = self.formats[style] if style < len(self.formats) else ("General", False, False)
        if kind == "inlineStr":
            inline = c.find(_IS)
            value = _text(inline) if inline is not None else None
            if value is not None:
                self.count(value)
            return value, code
        value = c.findtext(_V) or None
        if value is None:
            return None, code
        if kind == "n":
            number = float(value) if any(ch in value for ch in ".Ee") else int(value)
            if not is_date:
                return number, code
            try:
                return from_excel(number, self.epoch, timedelta=is_duration), code
            except (OverflowError, ValueError):
                return "#VALUE!", code
        if kind == "s":
            return self.strings[int(value)], code
        if kind == "b":
            return bool(int(value)), code
        if kind == "d":
            return from_ISO8601(value), code
        self.count(value)
        return value, code  # str (a formula's text result), e (an error such as #DIV/0!)


class _Sheet:
    """One worksheet streamed: the cells that hold a value, merged ranges, hidden rows and columns."""

    def __init__(self, book: _Book, title: str, part: str):
        self.title = title
        self.where = f"工作表“{title}”"
        self.cells: dict[tuple[int, int], tuple[object, str]] = {}
        self.formulas: dict[tuple[int, int], str] = {}  # formulas saved without their result
        self.filled: dict[int, int] = {}  # row → its last column holding a non-blank value
        self.columns: set[int] = set()  # columns holding a non-blank value
        self.hidden_rows: set[int] = set()
        self.hidden_columns: list[tuple[int, int]] = []
        self.merges: list[tuple[int, int, int, int]] = []  # (min_row, min_col, max_row, max_col)
        shared: dict[str, Translator] = {}
        stream = XmlStream(book.archive, part, book.source, (_ROW, _MERGE, _COL))
        r = 0
        for _, element in stream:
            if element.tag == _ROW:
                r = int(element.get("r") or r + 1)
                if element.get("hidden") in ("1", "true"):
                    self.hidden_rows.add(r)
                self._row(book, element, r, shared)
            elif element.tag == _MERGE:
                self._merge(book.source, element.get("ref") or "")
            elif element.get("hidden") in ("1", "true"):
                self.hidden_columns.append((int(element.get("min", 1)), int(element.get("max", 1))))
            stream.release(element)

    def _row(self, book: _Book, row, r: int, shared: dict[str, Translator]) -> None:
        column = 0
        for c in row.iterchildren(_C):
            ref = c.get("r")
            column = _ref(ref)[1] if ref else column + 1
            if not len(c):  # a styled empty cell: nothing to read
                continue
            value, code = book.value(c, c.get("t", "n"), int(c.get("s") or 0))
            formula = c.find(_F)
            if value is None and formula is not None and formula.get("t") != "array":
                self._formula(formula, ref or f"{get_column_letter(column)}{r}", r, column, shared)
            if value is None:
                continue
            blank = not str(value).strip()  # 0 is a figure
            if not blank and column > MAX_COLUMNS.value:
                raise UnreadableFile(
                    "over-limit",
                    f"{book.source}：{self.where}的单元格 {get_column_letter(column)}{r} 在第 {column:,} 列，超过每个表格 {MAX_COLUMNS.value:,} 列的上限，"
                    "未导入；如这一格不是表格的内容，请删除后重新导入",
                )
            if column <= MAX_COLUMNS.value:
                self.cells[(r, column)] = (value, code)
                MAX_CELLS_PER_TABLE.check(len(self.cells), book.source, self.where, exact=False)
            if not blank:
                if r not in self.filled:
                    MAX_ROWS_PER_TABLE.check(len(self.filled) + 1, book.source, f"{self.where}有内容的行", exact=False)
                self.filled[r] = max(self.filled.get(r, 0), column)
                self.columns.add(column)

    def _formula(self, formula, ref: str, r: int, column: int, shared: dict[str, Translator]) -> None:
        text = "=" + (formula.text or "")
        if formula.get("t") == "shared":
            if formula.text and formula.get("ref"):
                shared[formula.get("si") or ""] = Translator(text, origin=ref)
            elif (origin := shared.get(formula.get("si") or "")) is not None:
                text = origin.translate_formula(ref)
        if column <= MAX_COLUMNS.value and len(self.formulas) < MAX_CELLS_PER_TABLE.value:
            self.formulas[(r, column)] = text

    def _merge(self, source: str, ref: str) -> None:
        first, _, last = ref.partition(":")
        (top, left), (bottom, right) = _ref(first), _ref(last or first)
        area = (bottom - top + 1) * (right - left + 1)
        MAX_MERGED_AREA.check(area, source, f"{self.where}的合并区域 {ref}")  # checked, never expanded
        self.merges.append((top, left, bottom, right))
        MAX_MERGES.check(len(self.merges), source, self.where, exact=False)


def _width(columns: set[int]) -> int:
    """The form's width: its filled columns up to the first gap of more than ``_FAR`` empty
    ones. Rows are padded to it, as the sheet shows them; a cell beyond it (a note typed far
    to the right) makes only its own row longer, not every row of the sheet."""
    ordered = sorted(columns)
    width = ordered[0]
    for column in ordered[1:]:
        if column - width > _FAR + 1:
            break
        width = column
    return width


def _hidden_columns(sheet: _Sheet, width: int) -> set[int]:
    return {c for low, high in sheet.hidden_columns for c in range(max(low, 1), min(high, width) + 1)}


def _table(sheet: _Sheet, source: str, number: int, notices: list[Notice], budget: list[int]) -> Table | None:
    if not sheet.filled:
        return None
    width = max(sheet.filled.values())  # the farthest filled cell
    form = _width(sheet.columns)
    hidden_columns = _hidden_columns(sheet, width)
    skipped = sorted(r for r in sheet.filled if r in sheet.hidden_rows)
    if skipped or any(c in hidden_columns for (r, c) in sheet.cells if r in sheet.filled):
        notices.append(Notice.at("unplaced-text", "warning", Where(source, sheet=sheet.title), f"工作表“{sheet.title}”中隐藏的行或列未导入（行 {', '.join(map(str, skipped[:10])) or '—'}）"))
    rows = sorted(r for r in sheet.filled if r not in sheet.hidden_rows)
    # each merge is looked up for the rows read, never expanded over the cells it covers
    covering: dict[int, list[tuple[int, int, int, int]]] = {}
    pairs = 0
    for merge in sheet.merges:
        if merge[1] > width:
            continue  # right of every filled cell: covers nothing read
        for r in rows[bisect_left(rows, merge[0]) : bisect_right(rows, merge[2])]:
            covering.setdefault(r, []).append(merge)
            pairs += 1
            MAX_CELLS_PER_TABLE.check(pairs, source, f"{sheet.where}的合并区域在有内容的行中", exact=False)
    out: list[list[Cell]] = []
    formulas = read = 0
    for r in rows:
        merges = covering.get(r, [])
        starts = {m[1]: m for m in merges}
        left = sorted((m[1] + 1, m[3]) for m in merges if m[3] > m[1])
        last = max(form, sheet.filled[r])
        row: list[Cell] = []
        c, k = 1, 0
        while c <= last:
            while k < len(left) and left[k][1] < c:
                k += 1
            if k < len(left) and left[k][0] <= c:  # covered by a merge on its left
                c = left[k][1] + 1
                continue
            if c in hidden_columns:
                c += 1
                continue
            merge = starts.get(c)
            where = Where(source, sheet=sheet.title, table=number, row=r, column=len(row) + 1, cell=f"{get_column_letter(c)}{r}")
            value, code = sheet.cells.get((r, c), (None, "General"))
            if (formula := sheet.formulas.get((r, c))) is not None:
                formulas += 1
                if formulas <= _SHOWN_FORMULAS:
                    notices.append(Notice.at("unreadable-file", "warning", where, "公式没有保存计算结果，未读取；请在 Excel 中打开并保存后重新导入", formula))
            span = merge[3] - merge[1] + 1 if merge else 1
            row.append(Cell(_shown(value, code), where, merged=merge is not None and r != merge[0], col=c - 1, span=span))
            c += 1
        read += len(row)
        budget[0] += len(row)
        MAX_CELLS_PER_TABLE.check(read, source, sheet.where, exact=False)
        MAX_CELLS_PER_FILE.check(budget[0], source, "工作簿", exact=False)
        out.append(row)
    if formulas > _SHOWN_FORMULAS:
        message = f"另有 {formulas - _SHOWN_FORMULAS:,} 个公式单元格没有保存计算结果，未读取；请在 Excel 中打开并保存后重新导入"
        notices.append(Notice.at("unreadable-file", "warning", Where(source, sheet=sheet.title), message))
    return Table(out, Where(source, sheet=sheet.title, table=number), grid=True)


def read_xlsx(path: str, source: str, notices: list[Notice]) -> Document:
    tables: list[Table] = []
    budget = [0]  # cells read in the whole workbook
    with zipfile.ZipFile(path) as archive:
        book = _Book(archive, source)
        for number, (title, state, part) in enumerate(book.sheets, start=1):
            if state != "visible":
                notices.append(Notice.at("unplaced-text", "warning", source, f"隐藏的工作表“{title}”未导入；如需导入请先取消隐藏"))
                continue
            table = _table(_Sheet(book, title, part), source, number, notices, budget)
            if table is not None:
                tables.append(table)
    return Document(source, list(tables))
