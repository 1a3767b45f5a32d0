"""What every form recogniser shares: label matching and the record of placed cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ...labels import normalize_label
from ..document import Cell
from ..notices import Notice
from ..numbers import clean, prose, read_number

Row = list[Cell]

_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\d+[、.．]|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\))")


def label(cell: Cell | str | None) -> str:
    """A cell's text as a label to match: normalised, numbering and 其中 prefixes gone."""
    text = cell.text if isinstance(cell, Cell) else (cell or "")
    text = normalize_label(text).rstrip(":：")
    text = _NUMBERING.sub("", text)
    for prefix in ("其中:", "其中："):
        text = text.removeprefix(prefix)
    return text


_LEVELS = re.compile(r"(\D+?)(?:[（(]?(\d+(?:\.\d+)?)分[）)]?|$)")


def level_names(text: str) -> list[tuple[str, Decimal | None]]:
    """``产出\\n指标\\n(50分)`` → [(产出指标, 50)]; ``过 程 60分`` → [(过程, 60)]. A merged cell
    may hold two levels with their weights (``产出指标(50分)效益指标(30分)``)."""
    joined = normalize_label(text)
    found = [(m.group(1).strip("()（）"), Decimal(m.group(2)) if m.group(2) else None) for m in _LEVELS.finditer(joined)]
    return [(name, points) for name, points in found if name] or [(joined, None)]


def level_name(text: str) -> tuple[str, Decimal | None]:
    return level_names(text)[0]


@dataclass
class Ctx:
    """One import: its notices, and the cells the recognisers have placed in the model."""

    notices: list[Notice] = field(default_factory=list)
    placed: set[int] = field(default_factory=set)

    def use(self, cell: Cell | None) -> Cell | None:
        if cell is not None:
            self.placed.add(id(cell))
        return cell

    def text(self, cell: Cell | None) -> str | None:
        """A short value, or None when the cell is blank."""
        self.use(cell)
        value = clean(cell.text) if cell is not None else ""
        return value or None

    def prose(self, cell: Cell | None) -> str | None:
        self.use(cell)
        value = prose(cell.text) if cell is not None else ""
        return value or None

    def number(self, cell: Cell | None, percent: bool = False) -> Decimal | None:
        self.use(cell)
        return read_number(cell, self.notices, percent)


def bare(cell: Cell | str | None) -> str:
    """A header label without its trailing note: 执行率（B/A） → 执行率, 全年预算数(万元) → 全年预算数."""
    return re.sub(r"\([^()]*\)$", "", label(cell))


def lookup(mapping: dict[str, str], cell: Cell | str | None) -> str | None:
    """The key a header or row label stands for: exact, without its note, or by the longest
    known label it begins with (财政拨款资金 → 财政拨款, 上年结转结余资金 → 上年结转)."""
    text = label(cell)
    if text in mapping:
        return mapping[text]
    text = bare(text)
    if text in mapping:
        return mapping[text]
    prefix = max((k for k in mapping if len(k) >= 2 and text.startswith(k)), key=len, default=None)
    return mapping[prefix] if prefix else None


def find(row: Row, *names: str) -> int | None:
    """Index of the first cell whose label is one of ``names``."""
    wanted = {normalize_label(n) for n in names}
    return next((i for i, cell in enumerate(row) if label(cell) in wanted), None)


def has(row: Row, *names: str) -> bool:
    return find(row, *names) is not None


def after(row: Row, index: int | None) -> Cell | None:
    """The first non-blank cell after ``index`` (a label's value)."""
    if index is None:
        return None
    return next((c for c in row[index + 1 :] if clean(c.text)), None)


def next_to(row: Row, index: int | None) -> Cell | None:
    """The cell right after a label, unless that cell is itself another label's."""
    if index is None or index + 1 >= len(row):
        return None
    cell = row[index + 1]
    return None if label(cell) in VALUE_LABELS else cell


VALUE_LABELS = {"主管部门", "实施单位", "项目支出名称", "项目名称", "部门名称"}


def right(row: Row, header: Row, column: int) -> Cell | None:
    """The cell of ``row`` under ``header[column]``, aligning both rows on their right edge:
    merged cells on the left collapse, the figures on the right do not."""
    index = len(row) - (len(header) - column)
    return row[index] if 0 <= index < len(row) else None
