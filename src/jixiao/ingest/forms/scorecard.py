"""部门整体支出绩效评价指标评分表: the scoring table with its rules and the unit's scores."""

from __future__ import annotations

from decimal import Decimal

from ...model import ScorecardRow
from ..document import Cell
from ..numbers import clean
from .common import Ctx, Row, level_name

def _total(ctx: Ctx, cell: Cell) -> bool:
    return bool(clean(cell.text)) and ctx.key("scorecard.totals", cell, prefix=False) is not None


def is_header(ctx: Ctx, row: Row) -> bool:
    keys = {ctx.key("scorecard.columns", c) for c in row if clean(c.text)}
    return {"level1", "name", "points"} <= keys and bool(keys & {"criteria", "description"})


class _Columns:
    """Where each column is, from the header. A row as wide as the header is read straight
    across; a narrower one (评价标准 and 指标说明 merged) is read from the left up to 分值,
    its 得分 from the right, and what lies between is the rule text."""

    def __init__(self, ctx: Ctx, header: Row):
        self.width = len(header)
        self.index = {}
        for i, cell in enumerate(header):
            key = ctx.key("scorecard.columns", cell) if clean(cell.text) else None
            if key and key not in self.index:
                self.index[key] = i

    def cell(self, row: Row, key: str) -> Cell | None:
        column = self.index.get(key)
        if column is None:
            return None
        if len(row) == self.width or column <= self.index.get("points", -1):
            return row[column] if column < len(row) else None
        if key == "score":
            shift = self.width - column
            return row[-shift] if shift <= len(row) else None
        texts = [i for k, i in sorted(self.index.items(), key=lambda x: x[1]) if k in ("criteria", "description")]
        first, last = self.index.get("points", -1) + 1, len(row) - (self.width - self.index.get("score", self.width))
        middle = row[first:last]
        position = texts.index(column) if column in texts else len(middle)
        return middle[position] if position < len(middle) else None


def read_scorecard(rows: list[Row], ctx: Ctx) -> tuple[list[ScorecardRow], Decimal | None]:
    """Rows laid out 一级 | 二级 | 三级 | 分值 | 评价标准 | 指标说明 | 得分, in whatever column
    order the header gives. Merged level cells are empty and inherit from above."""
    out: list[ScorecardRow] = []
    total: Decimal | None = None
    columns: _Columns | None = None
    levels: list[tuple[str | None, Decimal | None]] = [(None, None), (None, None)]
    for row in rows:
        if is_header(ctx, row):
            columns = _Columns(ctx, row)
            for cell in row:
                ctx.use(cell)
            continue
        if columns is None or len(row) < 3:
            continue
        def get(key: str, row: Row = row, columns: _Columns = columns) -> Cell | None:
            return columns.cell(row, key)

        name_cell = get("name")
        if name_cell is None:
            continue
        ctx.use(get("number"))  # the row's 序号 carries nothing to keep
        if _total(ctx, name_cell) or any(_total(ctx, c) for c in row[: columns.index.get("name", 0)]):
            for cell in row:
                if _total(ctx, cell):
                    ctx.use(cell)
            figures = [c for c in row if clean(c.text) and not _total(ctx, c)]
            total = ctx.number(figures[-1]) if figures else None
            continue
        for depth, key in enumerate(("level1", "level2")):
            cell = get(key)
            text = clean(cell.text) if cell is not None else ""
            if text:
                ctx.use(cell)
                levels[depth] = level_name(text)
                if depth == 0:
                    levels[1] = (None, None)
        out.append(
            ScorecardRow(
                level1=levels[0][0],
                level1_points=levels[0][1],
                level2=levels[1][0],
                level2_points=levels[1][1],
                name=ctx.text(name_cell) or "",
                points=ctx.number(get("points")),
                criteria=ctx.prose(get("criteria")),
                description=ctx.prose(get("description")),
                score=ctx.number(get("score")),
            )
        )
    return out, total
