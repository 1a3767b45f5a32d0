"""部门整体支出绩效评价指标评分表: the scoring table with its rules and the unit's scores."""

from __future__ import annotations

from decimal import Decimal

from ...model import ScorecardRow
from ..numbers import clean
from .common import Ctx, Row, label, level_name

HEADER = ("一级指标", "三级指标", "分值")
TOTAL_LABELS = ("合计", "总分")


def is_header(row: Row) -> bool:
    labels = {label(c) for c in row}
    return all(h in labels for h in HEADER) and bool(labels & {"评价标准", "评分标准", "指标说明"})


def read_scorecard(rows: list[Row], ctx: Ctx) -> tuple[list[ScorecardRow], Decimal | None]:
    """Rows laid out 一级 | 二级 | 三级 | 分值 | 评价标准 | 指标说明 | 得分. Merged level cells are
    empty and inherit from above; a row whose 评价标准 and 指标说明 are merged has one cell less."""
    out: list[ScorecardRow] = []
    total: Decimal | None = None
    levels: list[tuple[str | None, Decimal | None]] = [(None, None), (None, None)]
    for row in rows:
        if is_header(row):
            for cell in row:
                ctx.use(cell)
            continue
        if len(row) < 4:
            continue
        name = clean(row[2].text)
        if label(name) in TOTAL_LABELS:
            ctx.use(row[2])
            figures = [c for c in row[3:] if clean(c.text)]
            total = ctx.number(figures[-1]) if figures else None
            continue
        for depth in (0, 1):
            text = clean(row[depth].text)
            if text:
                ctx.use(row[depth])
                levels[depth] = level_name(text)
                if depth == 0:
                    levels[1] = (None, None)
        middle = row[4:-1]
        out.append(
            ScorecardRow(
                level1=levels[0][0],
                level1_points=levels[0][1],
                level2=levels[1][0],
                level2_points=levels[1][1],
                name=ctx.text(row[2]) or "",
                points=ctx.number(row[3]),
                criteria=ctx.prose(middle[0]) if middle else None,
                description=ctx.prose(middle[1]) if len(middle) > 1 else None,
                score=ctx.number(row[-1]) if len(row) > 4 else None,
            )
        )
    return out, total
