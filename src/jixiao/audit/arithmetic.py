"""Arithmetic inside a table: totals against their parts, rates against their amounts,
scores and points against their totals, and the narrative's own breakdowns."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from ..decimals import rounded
from ..ingest.forms.narrative import narrative_amounts
from ..model import Triple
from ..rubric.methods import pct
from .finding import Finding, Location
from .registry import Check, Context, Result, amount, check
from .tables import Scored, per_table, project_form_tables
from .tolerance import on_initial_budget, rate_agrees, sums_agree

COLUMNS = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}
TRIPLE = {"prior_final": "上年决算数", "budget": "本年预算数", "final": "本年决算数"}
ROUNDING = "相差不超过各数所示末位的半个单位之和（GUIDE §4.3）"


def table_name(item: Scored) -> str:
    """The table as a reason names it: the 未能检查 list shows the reason without its location."""
    return "部门整体支出绩效自评表" if item.location.part == "department_evaluation" else f"项目“{item.location.project}”的自评表"


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


def _sum_of(known: dict[str, Decimal]) -> str:
    figure = amount(sum(known.values(), Decimal(0)))
    return f"{next(iter(known))}为 {figure}" if len(known) == 1 else f"{'、'.join(known)}之和为 {figure}"


def _row_by_columns(
    self: Check, subject: str, name: str, columns: dict[str, tuple[Decimal | None, dict[str, Decimal | None]]], where: Callable[[str | None], Location]
) -> Iterator[Result]:
    """A row's total against its parts, column by column; the columns a blank leaves unchecked
    make one skip for the row, never one per cell."""
    blank_total: list[str] = []
    blank_parts: list[str] = []
    for title, (total, parts) in columns.items():
        known = {k: v for k, v in parts.items() if v is not None}
        if total is None and known:
            blank_total.append(f"{title}（{_sum_of(known)}）")
        elif total is not None and not known:
            blank_parts.append(f"{title} {amount(total)}")
        yield from _total_against_parts(self, where(title), f"{title}：{name}", total, parts)
    clauses = [f"{name}未填{'、'.join(blank_total)}"] if blank_total else []
    if blank_parts:
        names = "、".join(next(iter(columns.values()))[1])
        clauses.append(f"{name}已填{'、'.join(blank_parts)}，{names}均未填")
    if clauses:
        yield self.skip(f"{subject}{'；'.join(clauses)}，无法核对", where(None))


@check(
    "arithmetic.funds-by-source",
    "error",
    "资金总额与各来源之和不符",
    "年度资金总额应等于当年财政拨款、上年结转资金与其他资金之和（年初预算数、全年预算数、全年执行数各列分别核对）。空白的来源行视为无此来源。",
    ROUNDING,
)
@per_table
def funds_by_source(self: Check, ctx: Context) -> Iterator[Result]:
    sources = (("fiscal", "当年财政拨款"), ("carried_over", "上年结转资金"), ("other", "其他资金"))
    for item in project_form_tables(ctx):
        funds = item.table.funds
        columns = {title: (getattr(funds.total, column), {name: getattr(getattr(funds, key), column) for key, name in sources}) for column, title in COLUMNS.items()}
        if all(total is None and not any(v is not None for v in parts.values()) for total, parts in columns.values()):
            yield self.skip(f"{table_name(item)}未填年度资金总额，也未填各资金来源，无法核对", item.at(row="年度资金总额"))
            continue
        yield from _row_by_columns(self, f"{table_name(item)}：", "年度资金总额", columns, lambda title, item=item: item.at(row="年度资金总额", column=title))


@check(
    "arithmetic.three-public-parts",
    "error",
    "“三公经费”与其明细之和不符",
    "“三公经费”应等于公务用车购置及运行维护费、因公出国（境）费、公务接待费之和；公务用车费应等于购置费与运行维护费之和。",
    ROUNDING,
)
def three_public_parts(self: Check, ctx: Context) -> Iterator[Result]:
    three = ctx.evaluation.base_data.three_public
    if all(getattr(row, column) is None for row in (three.total, three.vehicle, three.vehicle_purchase, three.vehicle_operation, three.overseas, three.reception) for column in TRIPLE):
        yield self.skip("基础数据表“三公经费”各行均未填，无法核对", Location(part="base_data", row="三公经费"))
        return
    whole: dict[str, tuple[Decimal | None, dict[str, Decimal | None]]] = {}
    vehicles: dict[str, tuple[Decimal | None, dict[str, Decimal | None]]] = {}
    for column, title in TRIPLE.items():
        def get(triple: Triple, column: str = column) -> Decimal | None:
            return getattr(triple, column)

        vehicle = get(three.vehicle)
        if vehicle is None and (get(three.vehicle_purchase) is not None or get(three.vehicle_operation) is not None):
            vehicle = sum((v for v in (get(three.vehicle_purchase), get(three.vehicle_operation)) if v is not None), Decimal(0))
        whole[title] = (get(three.total), {"公务用车": vehicle, "出国": get(three.overseas), "公务接待": get(three.reception)})
        vehicles[title] = (get(three.vehicle), {"购置": get(three.vehicle_purchase), "运行维护": get(three.vehicle_operation)})
    yield from _row_by_columns(self, "基础数据表", "三公经费", whole, lambda title: Location(part="base_data", row="三公经费", column=title))
    yield from _row_by_columns(self, "基础数据表", "公务用车费", vehicles, lambda title: Location(part="base_data", row="公务用车购置和运行维护", column=title))


@check(
    "arithmetic.items-exceed-total",
    "error",
    "明细之和超过合计",
    "“其中”所列的公用经费明细之和不应超过公用经费合计。",
    ROUNDING,
)
def items_exceed_total(self: Check, ctx: Context) -> Iterator[Result]:
    base = ctx.evaluation.base_data
    if not base.public_funds_items:
        return  # nothing listed under 其中, so nothing can exceed the total
    names = "".join(f"“{i.name}”" for i in base.public_funds_items)
    blank_total: list[str] = []
    blank_items: list[str] = []
    for column, title in TRIPLE.items():
        total = getattr(base.public_funds, column)
        items = [getattr(i, column) for i in base.public_funds_items if getattr(i, column) is not None]
        if total is None or not items:
            if total is None and items:
                blank_total.append(f"{title}（明细之和为 {amount(sum(items, Decimal(0)))}）")
            elif total is not None:
                blank_items.append(title)
            continue
        figure = sum(items, Decimal(0))
        if figure > total and not sums_agree(total, items):
            yield self.finding(
                f"{title}：公用经费明细之和 {amount(figure)} 超过公用经费 {amount(total)}",
                Location(part="base_data", row="公用经费", column=title),
                {"total": total, "items": figure},
            )
    clauses = [f"公用经费未填{'、'.join(blank_total)}"] if blank_total else []
    clauses += [f"公用经费明细{names}未填{'、'.join(blank_items)}"] if blank_items else []
    if not clauses and all(getattr(row, c) is None for row in (base.public_funds, *base.public_funds_items) for c in TRIPLE):
        clauses = [f"公用经费及其明细{names}均未填金额"]
    if clauses:
        yield self.skip(f"基础数据表{'；'.join(clauses)}，无法核对", Location(part="base_data", row="公用经费"))


@check(
    "arithmetic.projects-sum",
    "warning",
    "所列项目之和与项目支出合计不符",
    "基础数据表应列出基本支出以外的全部项目，各项目之和应等于“项目支出”合计。",
    ROUNDING,
)
def projects_sum(self: Check, ctx: Context) -> Iterator[Result]:
    base = ctx.evaluation.base_data
    where = Location(part="base_data", row="项目支出")

    def listed(column: str) -> list[Decimal]:
        return [getattr(p, column) for p in base.projects if getattr(p, column) is not None]

    def summed(column: str, title: str) -> str:
        blank = len(base.projects) - len(listed(column))
        return f"{title}之和为 {amount(sum(listed(column), Decimal(0)))}" + (f"（{blank} 个项目未填）" if blank else "")

    if all(getattr(base.project_expenditure, c) is None for c in TRIPLE):
        sums = [summed(c, t) for c, t in TRIPLE.items() if listed(c)]
        tail = f"，所列 {len(base.projects)} 个项目{'、'.join(sums)}" if sums else "，所列项目也均未填金额" if base.projects else "，也未逐项列出项目"
        yield self.skip(f"基础数据表未填“项目支出”合计{tail}，无法核对", where)
        return
    if not base.projects:
        yield self.skip("基础数据表填了“项目支出”合计，但没有逐项列出项目，无法核对", where)
        return
    clauses: list[str] = []
    for column, title in TRIPLE.items():
        total, parts = getattr(base.project_expenditure, column), listed(column)
        if total is None or not parts:
            if total is None and parts:
                clauses.append(f"“项目支出”合计未填{title}（所列项目{summed(column, title)}）")
            elif total is not None:
                clauses.append(f"“项目支出”合计{title}为 {amount(total)}，所列项目均未填{title}")
            continue
        if sums_agree(total, parts):
            continue
        figure = sum(parts, Decimal(0))
        yield self.finding(
            f"{title}：所列 {len(parts)} 个项目合计 {amount(figure)}，与项目支出合计 {amount(total)} 相差 {amount(total - figure)}；项目支出应列出全部项目",
            where.model_copy(update={"column": title}),
            {"total": total, "listed": figure, "projects": len(parts)},
            total,
        )
    if clauses:
        yield self.skip(f"基础数据表{'；'.join(clauses)}，无法核对", where)


def _rate(self: Check, location: Location, label: str, stated: Decimal | None, numerator: Decimal | None, denominator: Decimal | None, formula: str) -> Finding | str | None:
    """A stated rate against its amounts: a finding, the reason it cannot be recomputed, or None."""
    if stated is None:
        return None  # no rate written, nothing to recompute
    top, bottom = formula.split(" ÷ ")
    blank = [name for name, value in ((top, numerator), (bottom, denominator)) if value is None]
    if blank or denominator == 0:
        return f"{label}填报 {stated}%，" + (f"{'、'.join(blank)}未填" if blank else f"{bottom}为 0")
    rate = numerator / denominator  # type: ignore[operator]
    if rate_agrees(stated, rate):
        return None
    return self.finding(
        f"{label}填报 {stated}%，按 {formula} = {amount(numerator)} ÷ {amount(denominator)} 应为 {pct(rate)}",
        location,
        {"stated": stated, "numerator": numerator, "denominator": denominator},
        rounded(rate * 100, 2),
    )


def _rates(self: Check, subject: str, location: Location, results: list[Finding | str | None]) -> Iterator[Result]:
    yield from (r for r in results if isinstance(r, Finding))
    if gaps := [r for r in results if isinstance(r, str)]:
        yield self.skip(f"{subject}{'；'.join(gaps)}，无法核对", location)


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
        where = item.at(row="年度资金总额", column="执行率")
        yield from _rates(self, f"{table_name(item)}：", where, [_rate(self, where, "执行率", stated, funds.executed, funds.full_year_budget, "全年执行数 ÷ 全年预算数")])
    staffing = ctx.evaluation.base_data.staffing
    where = Location(part="base_data", row="财政供养人员情况", column="控制率")
    yield from _rates(self, "基础数据表：", where, [_rate(
        self, where, "在职人员控制率", staffing.control_rate_stated,
        Decimal(staffing.actual) if staffing.actual is not None else None,
        Decimal(staffing.authorized) if staffing.authorized is not None else None, "实际在职人数 ÷ 编制数",
    )])
    for building in ctx.evaluation.base_data.buildings:
        where = Location(part="base_data", row=building.name or "楼堂馆所")
        yield from _rates(self, f"基础数据表楼堂馆所“{building.name or '未命名'}”：", where, [
            _rate(self, where.model_copy(update={"column": "规模控制率"}), "规模控制率", building.area_rate_stated, building.actual_area, building.approved_area, "实际规模 ÷ 批复规模"),
            _rate(self, where.model_copy(update={"column": "投资概算控制率"}), "投资概算控制率", building.investment_rate_stated, building.actual_investment, building.approved_investment, "实际投资 ÷ 预算投资"),
        ])


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
        if not scores:
            yield self.skip(f"{table_name(item)}总分填报 {amount(table.total_stated)}，各项得分均未填，无法核对", item.at(row="总分"))
        elif sum(scores, Decimal(0)) != table.total_stated:
            figure = sum(scores, Decimal(0))
            yield self.finding(f"总分填报 {amount(table.total_stated)}，各项得分之和为 {amount(figure)}", item.at(row="总分"), {"stated": table.total_stated, "sum": figure}, figure)
    rows = ctx.evaluation.scorecard
    stated = ctx.evaluation.scorecard_total_stated
    scores = [r.score for r in rows if r.score is not None]
    where = Location(part="scorecard", row="合计")
    if stated is None and scores:
        yield self.skip(f"评分表合计未填；各项得分之和为 {amount(sum(scores, Decimal(0)))}，无法核对", where)
    elif stated is not None and not scores:
        yield self.skip(f"评分表合计填报 {amount(stated)}，各项得分均未填，无法核对", where)
    elif stated is not None and sum(scores, Decimal(0)) != stated:
        figure = sum(scores, Decimal(0))
        yield self.finding(f"评分表合计填报 {amount(stated)}，各项得分之和为 {amount(figure)}", where, {"stated": stated, "sum": figure}, figure)


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
        where = item.at(row="总分", column="分值")
        if table.total_points is None and points:
            yield self.skip(f"{table_name(item)}总分值未填；各项分值之和为 {amount(sum(points, Decimal(0)))}，无法核对", where)
        elif table.total_points is not None and not points:
            yield self.skip(f"{table_name(item)}总分值为 {amount(table.total_points)}，各项分值均未填，无法核对", where)
        elif table.total_points is not None and points and sum(points, Decimal(0)) != table.total_points:
            figure = sum(points, Decimal(0))
            yield self.finding(f"各项分值之和 {amount(figure)}，与总分值 {amount(table.total_points)} 不符", where, {"total": table.total_points, "sum": figure}, table.total_points)
    rows = ctx.evaluation.scorecard
    for depth, points_key in enumerate(("level1_points", "level2_points"), start=1):
        level = "一" if depth == 1 else "二"
        groups: dict[tuple[str | None, ...], list] = {}
        for row in rows:
            key = (row.level1, row.level2)[:depth]
            groups.setdefault(key, []).append(row)
        unstated: list[str] = []
        unpointed: list[str] = []
        for key, members in groups.items():
            stated = next((getattr(r, points_key) for r in members if getattr(r, points_key) is not None), None)
            points = [r.points for r in members if r.points is not None]
            if stated is None or not points or key[-1] is None:
                if key[-1] is not None and stated is None and points:
                    unstated.append(f"“{key[-1]}”（其下各指标分值之和为 {amount(sum(points, Decimal(0)))}）")
                elif key[-1] is not None and stated is not None:
                    unpointed.append(f"“{key[-1]}”")
                continue
            figure = sum(points, Decimal(0))
            if figure != stated:
                yield self.finding(
                    f"{level}级指标“{key[-1]}”分值 {amount(stated)}，其下各指标分值之和为 {amount(figure)}",
                    Location(part="scorecard", row=key[-1], column="分值"), {"stated": stated, "sum": figure}, figure,
                )
        if not any(getattr(r, points_key) is not None for r in rows):
            unstated = []  # a scorecard without level-N points at all has nothing to check at that level
        clauses = [f"{level}级指标{''.join(unstated)}未填分值"] if unstated else []
        clauses += [f"{level}级指标{''.join(unpointed)}其下各指标均未填分值"] if unpointed else []
        if clauses:
            yield self.skip(f"评分表{'；'.join(clauses)}，无法核对", Location(part="scorecard", column="分值"))


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
        last, orphan = None, None
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
            if total is None and len(parts) >= 2:
                orphan = orphan or parts
            if total is None or len(parts) < 2 or sums_agree(total.amount, [p.amount for p in parts]):
                continue
            figure = sum((p.amount for p in parts), Decimal(0))
            yield self.finding(
                f"“{total.label}”{amount(total.amount)} 万元，其中{'、'.join(p.label for p in parts)}合计 {amount(figure)} 万元，与之不符",
                Location(part="narrative", section=section.heading),
                {"total": total.amount, "parts": figure},
                total.amount,
            )
        if orphan:
            yield self.skip(f"报告“{section.heading}”中“其中{'、'.join(p.label for p in orphan)}”之前没有写明合计金额，无法核对", Location(part="narrative", section=section.heading))


CHECKS = (funds_by_source, three_public_parts, items_exceed_total, projects_sum, rate_vs_amounts, score_total, points_total, narrative_breakdown)
