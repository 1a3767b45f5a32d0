"""Arithmetic inside a table: totals against their parts, rates against their amounts,
scores and points against their totals, and the narrative's own breakdowns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..ingest.forms.narrative import narrative_amounts
from ..model import Triple
from ..rubric.methods import pct
from .finding import Location
from .registry import Check, Context, Result, amount, check
from .tables import project_form_tables
from .tolerance import on_initial_budget, rate_agrees, sums_agree

COLUMNS = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}
TRIPLE = {"prior_final": "上年决算数", "budget": "本年预算数", "final": "本年决算数"}
ROUNDING = "相差不超过各数所示末位的半个单位之和（GUIDE §4.3）"


def _total_against_parts(self: Check, location: Location, label: str, total: Decimal | None, parts: dict[str, Decimal | None]) -> Iterator[Result]:
    known = {k: v for k, v in parts.items() if v is not None}
    if total is None or not known:
        return
    if not sums_agree(total, known.values()):
        shown = " + ".join(f"{k} {amount(v)}" for k, v in known.items())
        figure = sum(known.values(), Decimal(0))
        yield self.finding(
            f"{label} {amount(total)} 不等于 {shown} = {amount(figure)}",
            location,
            {"total": total, **known},
            figure,
        )


@check(
    "arithmetic.funds-by-source",
    "error",
    "资金总额与各来源之和不符",
    "年度资金总额应等于当年财政拨款、上年结转资金与其他资金之和（年初预算数、全年预算数、全年执行数各列分别核对）。空白的来源行视为无此来源。",
    ROUNDING,
)
def funds_by_source(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        funds = item.table.funds
        for column, title in COLUMNS.items():
            parts = {name: getattr(getattr(funds, key), column) for key, name in (("fiscal", "当年财政拨款"), ("carried_over", "上年结转资金"), ("other", "其他资金"))}
            yield from _total_against_parts(self, item.at(row="年度资金总额", column=title), f"{title}：年度资金总额", getattr(funds.total, column), parts)


@check(
    "arithmetic.three-public-parts",
    "error",
    "“三公经费”与其明细之和不符",
    "“三公经费”应等于公务用车购置及运行维护费、因公出国（境）费、公务接待费之和；公务用车费应等于购置费与运行维护费之和。",
    ROUNDING,
)
def three_public_parts(self: Check, ctx: Context) -> Iterator[Result]:
    three = ctx.evaluation.base_data.three_public
    for column, title in TRIPLE.items():
        def get(triple: Triple, column: str = column) -> Decimal | None:
            return getattr(triple, column)

        vehicle = get(three.vehicle)
        if vehicle is None and (get(three.vehicle_purchase) is not None or get(three.vehicle_operation) is not None):
            vehicle = sum((v for v in (get(three.vehicle_purchase), get(three.vehicle_operation)) if v is not None), Decimal(0))
        yield from _total_against_parts(
            self, Location(part="base_data", row="三公经费", column=title), f"{title}：三公经费", get(three.total),
            {"公务用车": vehicle, "出国": get(three.overseas), "公务接待": get(three.reception)},
        )
        yield from _total_against_parts(
            self, Location(part="base_data", row="公务用车购置和运行维护", column=title), f"{title}：公务用车费", get(three.vehicle),
            {"购置": get(three.vehicle_purchase), "运行维护": get(three.vehicle_operation)},
        )


@check(
    "arithmetic.items-exceed-total",
    "error",
    "明细之和超过合计",
    "“其中”所列的公用经费明细之和不应超过公用经费合计。",
    ROUNDING,
)
def items_exceed_total(self: Check, ctx: Context) -> Iterator[Result]:
    base = ctx.evaluation.base_data
    for column, title in TRIPLE.items():
        total = getattr(base.public_funds, column)
        items = [getattr(i, column) for i in base.public_funds_items if getattr(i, column) is not None]
        if total is None or not items:
            continue
        figure = sum(items, Decimal(0))
        if figure > total and not sums_agree(total, items):
            yield self.finding(
                f"{title}：公用经费明细之和 {amount(figure)} 超过公用经费 {amount(total)}",
                Location(part="base_data", row="公用经费", column=title),
                {"total": total, "items": figure},
            )


@check(
    "arithmetic.projects-sum",
    "warning",
    "所列项目之和与项目支出合计不符",
    "基础数据表应列出基本支出以外的全部项目，各项目之和应等于“项目支出”合计。",
    ROUNDING,
)
def projects_sum(self: Check, ctx: Context) -> Iterator[Result]:
    base = ctx.evaluation.base_data
    if all(getattr(base.project_expenditure, c) is None for c in TRIPLE):
        yield self.skip("基础数据表未填“项目支出”合计")
        return
    for column, title in TRIPLE.items():
        total = getattr(base.project_expenditure, column)
        parts = [getattr(p, column) for p in base.projects if getattr(p, column) is not None]
        if total is None or not parts or sums_agree(total, parts):
            continue
        figure = sum(parts, Decimal(0))
        yield self.finding(
            f"{title}：所列 {len(parts)} 个项目合计 {amount(figure)}，与项目支出合计 {amount(total)} 相差 {amount(total - figure)}；项目支出应列出全部项目",
            Location(part="base_data", row="项目支出", column=title),
            {"total": total, "listed": figure, "projects": len(parts)},
            total,
        )


def _rate_findings(self: Check, location: Location, label: str, stated: Decimal | None, numerator: Decimal | None, denominator: Decimal | None, formula: str) -> Iterator[Result]:
    if stated is None or numerator is None or denominator is None or denominator == 0:
        return
    rate = numerator / denominator
    if not rate_agrees(stated, rate):
        yield self.finding(
            f"{label}填报 {stated}%，按 {formula} = {amount(numerator)} ÷ {amount(denominator)} 应为 {pct(rate)}",
            location,
            {"stated": stated, "numerator": numerator, "denominator": denominator},
            (rate * 100).quantize(Decimal("0.01")),
        )


@check(
    "arithmetic.rate-vs-amounts",
    "error",
    "比率与金额不符",
    "填报的执行率、人员控制率、楼堂馆所控制率应等于按金额重算的比率；按错误基数计算的执行率另见 rules.rate-base。",
    "重算值按填报的小数位四舍五入后相等即一致（70% 与 69.97% 一致，60% 与 57.94% 不一致）",
)
def rate_vs_amounts(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        funds, stated = item.table.funds.total, item.table.execution.rate_stated
        if on_initial_budget(stated, funds):
            continue  # the wrong base explains it: rules.rate-base reports that
        yield from _rate_findings(self, item.at(row="年度资金总额", column="执行率"), "执行率", stated, funds.executed, funds.full_year_budget, "全年执行数 ÷ 全年预算数")
    staffing = ctx.evaluation.base_data.staffing
    yield from _rate_findings(
        self, Location(part="base_data", row="财政供养人员情况", column="控制率"), "在职人员控制率", staffing.control_rate_stated,
        Decimal(staffing.actual) if staffing.actual is not None else None,
        Decimal(staffing.authorized) if staffing.authorized is not None else None, "实际在职人数 ÷ 编制数",
    )
    for building in ctx.evaluation.base_data.buildings:
        where = Location(part="base_data", row=building.name or "楼堂馆所")
        yield from _rate_findings(self, where.model_copy(update={"column": "规模控制率"}), "规模控制率", building.area_rate_stated, building.actual_area, building.approved_area, "实际规模 ÷ 批复规模")
        yield from _rate_findings(self, where.model_copy(update={"column": "投资概算控制率"}), "投资概算控制率", building.investment_rate_stated, building.actual_investment, building.approved_investment, "实际投资 ÷ 预算投资")


@check(
    "arithmetic.score-total",
    "error",
    "总分与各项得分之和不符",
    "表中填报的总分（合计）应等于各项填报得分之和（项目表含预算执行率得分）。",
)
def score_total(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        table = item.table
        scores = [s for s in [table.execution.score_stated, *(i.score for i in table.indicators)] if s is not None]
        if table.total_stated is None:
            if scores:
                yield self.finding(f"总分未填写；各项得分之和为 {amount(sum(scores, Decimal(0)))}", item.at(row="总分"), {"sum": sum(scores, Decimal(0))}, sum(scores, Decimal(0)), severity="warning")
            continue
        if scores and sum(scores, Decimal(0)) != table.total_stated:
            figure = sum(scores, Decimal(0))
            yield self.finding(f"总分填报 {amount(table.total_stated)}，各项得分之和为 {amount(figure)}", item.at(row="总分"), {"stated": table.total_stated, "sum": figure}, figure)
    rows = ctx.evaluation.scorecard
    stated = ctx.evaluation.scorecard_total_stated
    scores = [r.score for r in rows if r.score is not None]
    if rows and stated is not None and sum(scores, Decimal(0)) != stated:
        figure = sum(scores, Decimal(0))
        yield self.finding(f"评分表合计填报 {amount(stated)}，各项得分之和为 {amount(figure)}", Location(part="scorecard", row="合计"), {"stated": stated, "sum": figure}, figure)


@check(
    "arithmetic.points-total",
    "error",
    "分值合计与总分值不符",
    "项目表各指标分值（含预算执行率分值）之和应等于总分值（通常为 100）；评分表各一级、二级指标的分值应等于其下各指标分值之和。",
)
def points_total(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        table = item.table
        points = [p for p in [table.execution.points, *(i.points for i in table.indicators)] if p is not None]
        if table.total_points is not None and points and sum(points, Decimal(0)) != table.total_points:
            figure = sum(points, Decimal(0))
            yield self.finding(f"各项分值之和 {amount(figure)}，与总分值 {amount(table.total_points)} 不符", item.at(row="总分", column="分值"), {"total": table.total_points, "sum": figure}, table.total_points)
    rows = ctx.evaluation.scorecard
    for depth, points_key in enumerate(("level1_points", "level2_points"), start=1):
        groups: dict[tuple[str | None, ...], list] = {}
        for row in rows:
            key = (row.level1, row.level2)[:depth]
            groups.setdefault(key, []).append(row)
        for key, members in groups.items():
            stated = next((getattr(r, points_key) for r in members if getattr(r, points_key) is not None), None)
            points = [r.points for r in members if r.points is not None]
            if stated is None or not points or key[-1] is None:
                continue
            figure = sum(points, Decimal(0))
            if figure != stated:
                yield self.finding(
                    f"{'一' if depth == 1 else '二'}级指标“{key[-1]}”分值 {amount(stated)}，其下各指标分值之和为 {amount(figure)}",
                    Location(part="scorecard", row=key[-1], column="分值"), {"stated": stated, "sum": figure}, figure,
                )


@check(
    "arithmetic.narrative-breakdown",
    "warning",
    "报告中的“其中”明细之和与合计不符",
    "自评报告中“……为 X 万元，其中：A、B、C”的明细（不含“比预算增加/减少”等比较数）之和应等于 X；"
    "以“其中”开头的句子，合计为上一句最后的金额。只列一项的“其中”不核对。",
    ROUNDING,
)
def narrative_breakdown(self: Check, ctx: Context) -> Iterator[Result]:
    def parts_of(text: str) -> list:
        return [a for a in narrative_amounts(text) if not a.label.startswith("比")]

    for section in ctx.evaluation.narrative:
        last = None
        for sentence in (s.strip() for s in re.split(r"[。\n]", section.text) if s.strip()):
            before, marker, after = sentence.partition("其中")
            if marker and not before.strip("，,："):
                total, parts = last, parts_of(after)
            elif marker:
                head = narrative_amounts(before)
                total, parts = (head[-1] if head else None), parts_of(after)
            else:
                total, parts = None, []
            found = narrative_amounts(sentence)
            last = found[-1] if found else last
            if total is None or len(parts) < 2 or sums_agree(total.amount, [p.amount for p in parts]):
                continue
            figure = sum((p.amount for p in parts), Decimal(0))
            yield self.finding(
                f"“{total.label}”{amount(total.amount)} 万元，其中{'、'.join(p.label for p in parts)}合计 {amount(figure)} 万元，与之不符",
                Location(part="narrative", section=section.heading),
                {"total": total.amount, "parts": figure},
                total.amount,
            )


CHECKS = (funds_by_source, three_public_parts, items_exceed_total, projects_sum, rate_vs_amounts, score_total, points_total, narrative_breakdown)
