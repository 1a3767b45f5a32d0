"""The indicator grid of a project or department table: levels, names, targets, scores.

Columns are read by header (grid.columns in the vocabulary), so the families' extra columns
— 指标性质, 度量单位, 调整指标值, 得分系数, 是否核心指标 — are read where they stand. A target
printed in three cells (``≥ | 95 | %``) is stored as the unit would write it (``≥95%``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ...model import Indicator
from ..align import Kind, gridded
from ..notices import Notice
from ..numbers import clean
from .common import Ctx, Header, Row, first_filled, header, level_name, level_names

KINDS: dict[str, Kind] = {
    "block": "block", "level1": "label", "level2": "label", "name": "label", "nature": "mark", "direction": "mark", "unit": "mark",
    "target": "value", "target_adjusted": "value", "actual": "value", "points": "number", "coefficient": "rate",
    "score": "number", "deviation": "text", "core": "mark",
}
_FIGURE = re.compile(r"^[+-]?\d+(\.\d+)?$")


def is_grid_header(ctx: Ctx, row: Row) -> bool:
    keys = {ctx.key("grid.columns", c, prefix=False) for c in row if clean(c.text)}
    return "name" in keys and bool(keys & {"target", "actual", "points", "score"})


def compose(value: str | None, unit: str | None) -> str | None:
    """A figure and its unit printed apart (95 | %) as one value (95%)."""
    if value and unit and _FIGURE.match(value) and not value.endswith(unit):
        return value + unit
    return value


class Grid:
    def __init__(self, ctx: Ctx, row: Row):
        self.ctx = ctx
        self.header: Header = header(ctx, row, "grid.columns", KINDS)
        self.indicators: list[Indicator] = []
        self.levels: list[str | None] = [None, None]
        self.queued: list[tuple[str, Decimal | None]] = []  # further levels of a merged level cell
        self.level_weight: Decimal | None = None
        self.level_points = Decimal(0)
        self.open = True
        self.skipped: list[str] = []

    def row(self, row: Row, data: dict[str, Any]) -> None:
        ctx = self.ctx
        first = first_filled(row)
        if first is not None and ctx.key("grid.totals", row[first], prefix=False) and not ctx.key("grid.columns", row[first]):
            self.total(row, first, data)
            return
        if is_grid_header(ctx, row):  # the header repeated on the next page
            for cell in row:
                ctx.use(cell)
            return
        self.indicator(row)

    def total(self, row: Row, first: int, data: dict[str, Any]) -> None:
        ctx = self.ctx
        ctx.use(row[first])
        self.open = False
        figures = [c for c in row[first + 1 :] if clean(c.text)]
        cells = self.header.cells(row)
        under = {k: cells.get(k) for k in ("points", "score")}
        if figures and gridded(row) and all(any(c is u for u in under.values()) for c in figures):
            # the grid says which figure is which
            data["total_points"] = ctx.number(under["points"])
            data["total_stated"] = ctx.number(under["score"])
            return
        if len(figures) == 1:
            # one figure: 分值 only if it is what the points add up to (with the execution
            # rate's or, where the table weighs it apart, without), else the score
            figure = ctx.number(figures[0])
            points = sum((i.points for i in self.indicators if i.points is not None), Decimal(0))
            execution = data.get("execution", {}).get("points") or Decimal(0)
            data["total_points" if figure in (points, points + execution) else "total_stated"] = figure
        elif figures:
            data["total_points"] = ctx.number(figures[0])
            data["total_stated"] = ctx.number(figures[1])

    def indicator(self, row: Row) -> None:
        ctx = self.ctx
        filled = [c for c in row if clean(c.text)]
        if len(filled) == 1 and ctx.vocab.matches("placeholders", "indicator", filled[0].text):
            ctx.use(filled[0])  # 指标1: alone in its row, whichever column a paste left it in
            self.skipped.append(f"“{clean(filled[0].text)}”")
            return
        cells = self.header.cells(row)
        for depth, key in enumerate(("level1", "level2")):
            text = clean(cells[key].text) if key in cells else ""
            if text:
                ctx.use(cells[key])
                if depth == 0:
                    (self.levels[0], self.level_weight), *self.queued = level_names(text)
                    self.level_points, self.levels[1] = Decimal(0), None
                else:
                    self.levels[1] = level_name(text)[0]
        name = ctx.text(cells.get("name"))
        unit = ctx.text(cells.get("unit"))
        nature = ctx.text(cells.get("nature"))
        direction = ctx.text(cells.get("direction"))  # 大于等于 beside a 正向 of its own
        target, actual = ctx.text(cells.get("target")), ctx.text(cells.get("actual"))
        adjusted = ctx.text(cells.get("target_adjusted"))
        deviation = ctx.prose(cells.get("deviation"))  # a reason and a measure, often on two lines
        points, score = ctx.number(cells.get("points")), ctx.number(cells.get("score"))
        coefficient = ctx.number(cells.get("coefficient"), percent=True)
        core_text = ctx.text(cells.get("core"))
        if not any((name, target, actual, adjusted, deviation, nature, direction)) and points is None and score is None and coefficient is None:
            if not clean(" ".join(c.text for c in row)):
                self.skipped.append("空白行")
            return
        if name and ctx.vocab.matches("placeholders", "indicator", name) and not any((target, actual, adjusted)) and points is None and score is None:
            self.skipped.append(f"“{name}”")
            return
        kind, operator = None, ""
        nature_key = ctx.key("indicator.nature", nature) if nature else None
        if direction and ctx.key("indicator.nature", direction) == "operator":
            operator = direction
        elif direction:
            ctx.notices.append(Notice.at("not-a-number", "warning", cells["direction"].where, f"指标方向“{direction}”未能识别（应为 大于等于、小于等于、等于 等），未读取", direction))
        if nature_key == "operator":
            operator = nature or ""
        elif nature_key in ("quantitative", "qualitative"):
            kind = nature_key
        elif nature and nature_key != "polarity":
            ctx.notices.append(Notice.at("not-a-number", "warning", cells["nature"].where, f"指标性质“{nature}”未能识别（应为 ≥、≤、=、定量、定性等），未读取", nature))
        if self.queued and self.level_weight is not None and self.level_points >= self.level_weight:
            # one merged cell named two levels: the next begins once the first's weight is used up
            (self.levels[0], self.level_weight), *self.queued = self.queued
            self.level_points = Decimal(0)
        self.level_points += points or 0
        composed = compose(target, unit)
        self.indicators.append(
            Indicator(
                level1=self.levels[0],
                level2=self.levels[1],
                name=name or "",
                target=operator + composed if composed else (operator or None),
                target_adjusted=compose(adjusted, unit),
                actual=compose(actual, unit),
                points=points,
                coefficient=coefficient,
                score=score,
                deviation=deviation,
                kind=kind,
                core={"yes": True, "no": False}.get(ctx.key("indicator.core", core_text) or ""),
            )
        )

    def finish(self, where) -> None:
        if self.skipped:
            shown = "、".join(dict.fromkeys(self.skipped))
            self.ctx.notices.append(Notice.at("template-row", "info", where, f"指标表中的模板占位行或空白行已跳过（{len(self.skipped)} 行：{shown[:80]}）"))
