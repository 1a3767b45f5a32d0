"""How much of what a file holds was read: figure cells placed / figure cells seen.

A figure cell is a table cell holding a digit. Placed means a recogniser put it in the
model (or knowingly passed it over as a title, a header or the form's own furniture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Document

_DIGIT = re.compile(r"\d")


@dataclass
class TableCoverage:
    where: str
    placed: int
    seen: int


@dataclass
class Coverage:
    tables: list[TableCoverage] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return sum(t.placed for t in self.tables)

    @property
    def seen(self) -> int:
        return sum(t.seen for t in self.tables)

    def describe(self) -> str:
        if not self.seen:
            return "无数字单元格"
        return f"数字单元格已读取 {self.placed}/{self.seen}（{self.placed * 100 // self.seen}%）"

    def as_dict(self) -> dict:
        return {
            "placed": self.placed,
            "seen": self.seen,
            "tables": [{"where": t.where, "placed": t.placed, "seen": t.seen} for t in self.tables],
        }


def coverage(document: Document, placed: set[int]) -> Coverage:
    out = Coverage()
    for table in document.tables:
        cells = [c for row in table.rows for c in row if _DIGIT.search(c.text)]
        if cells:
            out.tables.append(TableCoverage(str(table.where), sum(1 for c in cells if id(c) in placed), len(cells)))
    return out
