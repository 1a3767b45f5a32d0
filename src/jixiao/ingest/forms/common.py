"""What every form recogniser shares: labels through the vocabulary, headers and the cells
under them, and the record of placed cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ...labels import normalize_label
from ..align import Kind, under
from ..document import Cell
from ..notices import Notice
from ..numbers import clean, prose, read_number
from ..vocabulary import Vocabulary, default_vocabulary
from ..vocabulary import label as _label

Row = list[Cell]


def label(cell: Cell | str | None) -> str:
    """A cell's text as a label to match: normalised, numbering and 其中 prefixes gone."""
    return _label(cell.text if isinstance(cell, Cell) else cell)


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
    """One import: its vocabulary, its notices, and the cells placed in the model."""

    vocab: Vocabulary = field(default_factory=default_vocabulary)
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

    def key(self, group: str, cell: Cell | str | None, prefix: bool = True) -> str | None:
        return self.vocab.key(group, cell.text if isinstance(cell, Cell) else cell, prefix)

    def find(self, row: Row, group: str, *keys: str) -> int | None:
        """Index of the first cell whose label names one of ``keys`` of ``group``."""
        return next((i for i, c in enumerate(row) if clean(c.text) and self.key(group, c) in keys), None)


def first_filled(row: Row) -> int | None:
    return next((i for i, c in enumerate(row) if clean(c.text)), None)


def after(row: Row, index: int | None) -> Cell | None:
    """The first non-blank cell after ``index`` (a label's value)."""
    if index is None:
        return None
    return next((c for c in row[index + 1 :] if clean(c.text)), None)


@dataclass
class Header:
    """A header row: which field each of its cells names, and how to read a row under it."""

    row: Row
    keys: list[str | None]
    kinds: list[Kind]

    def cells(self, row: Row) -> dict[str, Cell]:
        """The body cell under each named column (the first column naming a field wins)."""
        out: dict[str, Cell] = {}
        for key, cell in zip(self.keys, under(row, self.row, self.kinds), strict=True):
            if key and cell is not None and key not in out:
                out[key] = cell
        return out


def header(ctx: Ctx, row: Row, group: str, kinds: dict[str, Kind], blocks: tuple[str, ...] = ()) -> Header:
    """Reads a header row: every cell it names is placed; a worded cell it does not know is
    reported by its label, so that a column is never dropped silently."""
    keys: list[str | None] = []
    kind_list: list[Kind] = []
    for cell in row:
        key = ctx.key(group, cell)
        if key is None and any(ctx.key(b, cell) for b in blocks):
            key = "block"
        if key is None and clean(cell.text) and id(cell) not in ctx.placed:
            ctx.notices.append(Notice.at("unknown-column", "warning", cell.where, f"表头“{clean(cell.text)}”未能识别，这一列未导入；如是本地表样的列名，请在词表中补充", clean(cell.text)))
        if key is not None or not clean(cell.text):
            ctx.use(cell)
        keys.append(key)
        if key:
            kind_list.append(kinds.get(key, "block" if key == "block" else "any"))
        else:  # an empty first column holds the block's heading merged down; others anything
            kind_list.append("block" if len(keys) == 1 else "any")
    return Header(row, keys, kind_list)
