"""This year against last year's package of the same unit: the strongest evidence no one uses.
This year's 上年决算数 must be last year's 本年决算数; a continuing project should not quietly
drop indicators or lower its targets; a score that moved much should say why."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..labels import normalize_label
from ..model import BaseData, Indicator, ProjectTable, Triple
from .finding import Location
from .registry import Check, Context, Result, amount, check
from .tolerance import same_figure

NO_PREVIOUS = "未关联该单位上年的自评材料（同一单位、上一年度），无法与上年对照"
SCORE_MOVE = Decimal(5)  # points of the department's rescore worth explaining

# Base-data rows with a fixed place: (path, the row's name on the form)
FIXED_ROWS = (
    ("basic_expenditure", "部门基本支出"), ("public_funds", "公用经费"), ("three_public.total", "三公经费合计"),
    ("three_public.vehicle", "公务用车购置和运行维护经费"), ("three_public.vehicle_purchase", "公务用车购置"),
    ("three_public.vehicle_operation", "公务用车运行维护"), ("three_public.overseas", "因公出国（境）经费"),
    ("three_public.reception", "公务接待费"), ("project_expenditure", "项目支出合计"), ("procurement", "政府采购金额"),
)
NAMED_ROWS = (("basic_expenditure_items", "基本支出明细"), ("public_funds_items", "公用经费明细"), ("projects", "项目支出"))


def _at(data: BaseData, path: str) -> Triple:
    node = data
    for step in path.split("."):
        node = getattr(node, step)
    return node  # type: ignore[return-value]


def _pairs(this: BaseData, last: BaseData) -> Iterator[tuple[str, Triple, Triple]]:
    """Each base-data row of this year with last year's row of the same name."""
    for path, name in FIXED_ROWS:
        yield name, _at(this, path), _at(last, path)
    for field, _ in NAMED_ROWS:
        before = {}
        for row in getattr(last, field):
            before.setdefault(normalize_label(row.name), row)
        for row in getattr(this, field):
            if (old := before.get(normalize_label(row.name))) is not None:
                yield row.name, row, old


@check(
    "history.prior-final",
    "error",
    "上年决算数与上年材料不符",
    "基础数据表中各行的上年决算数，应等于该单位上年自评材料中同一行的本年决算数（基本支出、公用经费、三公经费、项目支出、政府采购，按行名对应）。",
    "按两数中较粗的小数位比较",
)
def prior_final(self: Check, ctx: Context) -> Iterator[Result]:
    if ctx.previous is None:
        yield self.skip(NO_PREVIOUS)
        return
    year = ctx.previous.fiscal_year
    for name, row, old in _pairs(ctx.evaluation.base_data, ctx.previous.base_data):
        where = Location(part="base_data", row=name, column="上年决算数")
        if old.final is None:
            continue
        if row.prior_final is None:
            yield self.finding(f"“{name}”的上年决算数未填；{year} 年材料中该行本年决算数为 {amount(old.final)}", where,
                               {"row": name, "last_final": old.final}, expected=old.final, severity="warning")
        elif not same_figure(row.prior_final, old.final):
            yield self.finding(f"“{name}”的上年决算数 {amount(row.prior_final)}，与 {year} 年材料中该行本年决算数 {amount(old.final)} 不符",
                               where, {"row": name, "prior_final": row.prior_final, "last_final": old.final}, expected=old.final)


def _continuing(ctx: Context) -> Iterator[tuple[ProjectTable, ProjectTable]]:
    assert ctx.previous is not None
    before: dict[str, ProjectTable] = {}
    for table in ctx.previous.projects:
        before.setdefault(normalize_label(table.name), table)
    for table in ctx.evaluation.projects:
        if (old := before.get(normalize_label(table.name))) is not None:
            yield table, old


@check(
    "history.indicator-dropped",
    "warning",
    "延续项目删去了上年的绩效指标",
    "上年已有的项目（项目名称相同）本年的自评表中，上年设置的三级指标不见了：删去指标须有说明，不能只保留易完成的指标。",
)
def indicator_dropped(self: Check, ctx: Context) -> Iterator[Result]:
    if ctx.previous is None:
        yield self.skip(NO_PREVIOUS)
        return
    for table, old in _continuing(ctx):
        kept = {normalize_label(i.name) for i in table.indicators}
        dropped = [i.name for i in old.indicators if normalize_label(i.name) not in kept]
        if dropped and table.indicators:
            yield self.finding(
                f"延续项目“{table.name}”删去了上年的 {len(dropped)} 项指标：{'、'.join(dropped[:10])}{'等' if len(dropped) > 10 else ''}",
                Location(part="project", project=table.name, row="绩效指标"), {"project": table.name, "dropped": dropped},
            )


def _weaker(this: Indicator, last: Indicator) -> bool:
    now, before = this.target_value, last.target_value
    if now.kind != "number" or before.kind != "number" or now.number is None or before.number is None:
        return False
    if now.op != before.op or (now.unit or "") != (before.unit or ""):
        return False  # another kind of promise: not comparable figure by figure
    if now.op in (">=", ">"):
        return now.number < before.number
    if now.op in ("<=", "<"):
        return now.number > before.number
    return False


@check(
    "history.target-lowered",
    "warning",
    "延续项目的指标值低于上年",
    "同一项目、同一指标，本年的年度指标值比上年宽松（“≥”类的数值调低，“≤”类的数值调高）：目标不应逐年降低，确需调整的应说明理由。",
    "只比较两年运算符与计量单位都相同的数值目标",
)
def target_lowered(self: Check, ctx: Context) -> Iterator[Result]:
    if ctx.previous is None:
        yield self.skip(NO_PREVIOUS)
        return
    for table, old in _continuing(ctx):
        before = {normalize_label(i.name): i for i in old.indicators}
        for indicator in table.indicators:
            last = before.get(normalize_label(indicator.name))
            if last is not None and _weaker(indicator, last):
                yield self.finding(
                    f"“{indicator.name}”的年度指标值“{indicator.target}”比上年的“{last.target}”宽松",
                    Location(part="project", project=table.name, indicator=indicator.name),
                    {"project": table.name, "indicator": indicator.name, "target": indicator.target, "last_target": last.target},
                )


@check(
    "history.score-change",
    "info",
    "部门整体得分较上年变化较大",
    "按同一评分规则核算，本年部门整体得分与上年相差 5 分及以上时，列出变化最大的指标，供说明原因。",
    "相差 5 分及以上",
)
def score_change(self: Check, ctx: Context) -> Iterator[Result]:
    if ctx.previous is None or ctx.previous_score is None:
        yield self.skip(NO_PREVIOUS)
        return
    now, before = ctx.score.department, ctx.previous_score.department
    if now is None or before is None or now.total is None or before.total is None:
        yield self.skip("本年或上年的部门整体得分无法核算，不能比较")
        return
    change = now.total - before.total
    if abs(change) < SCORE_MOVE:
        return
    last = {i.name: i.score for i in before.indicators if i.score is not None}
    moves = sorted(((i.score - last[i.name], i.name) for i in now.indicators if i.score is not None and i.name in last), key=lambda m: -abs(m[0]))
    causes = "、".join(f"{name}（{'+' if d > 0 else ''}{amount(d)}）" for d, name in moves[:3] if d)
    yield self.finding(
        f"部门整体核算得分 {amount(now.total)}，较上年 {amount(before.total)} {'提高' if change > 0 else '降低'} {amount(abs(change))} 分"
        + (f"；变化最大的指标：{causes}" if causes else ""),
        Location(part="scorecard"), {"total": now.total, "last_total": before.total},
    )


CHECKS = (prior_final, indicator_dropped, target_lowered, score_change)
