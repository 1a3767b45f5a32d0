"""Rule compliance: scores above their points, scores the rubric and the data do not give,
rates on the wrong base, full points for a missed target, level weights, grades."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..decimals import rounded
from ..rubric.methods import pct
from .arithmetic import table_name
from .finding import Location
from .registry import Check, Context, Result, amount, check
from .tables import per_table, project_form_tables
from .tolerance import on_initial_budget, same_figure


@check("rules.score-above-points", "error", "得分超过分值", "任何指标的得分都不应超过其分值。")
def score_above_points(self: Check, ctx: Context) -> Iterator[Result]:
    tables = [("评分表", Location(part="scorecard"), [(r.name, r.points, r.score) for r in ctx.evaluation.scorecard])]
    for item in project_form_tables(ctx):
        execution = item.table.execution
        tables.append((table_name(item), item.location, [("预算执行率", execution.points, execution.score_stated), *((i.name, i.points, i.score) for i in item.table.indicators)]))
    for subject, location, rows in tables:
        for name, points, score in rows:
            if score is not None and points is not None and score > points:
                yield self.finding(f"“{name}”得分 {amount(score)} 超过分值 {amount(points)}", location.model_copy(update={"indicator": name, "column": "得分"}), {"score": score, "points": points}, points)
        if pointless := [name for name, points, score in rows if score is not None and points is None]:
            yield self.skip(f"{subject}“{'”“'.join(pointless)}”填了得分却未填分值，无法核对", location.model_copy(update={"column": "分值"}))


def _missed_with_full_points(item) -> bool:
    return item.status == "computed" and item.points is not None and item.stated_score == item.points and item.score is not None and item.score < item.points


@check(
    "rules.full-points-missed-target",
    "error",
    "未达目标却计满分",
    "实际完成值未达到年度指标值的定量指标，不应得满分（GUIDE §4.1：按 实际÷目标 或 目标÷实际 比例计分）。",
)
@per_table
def full_points_missed_target(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        if item.score is None:
            continue
        for result in (r for r in item.score.indicators if r.id is None):  # the unit's own, not 预算执行率
            if _missed_with_full_points(result):
                yield self.finding(
                    f"“{result.name}”{result.value}，未达到目标却计满分 {amount(result.points)}；按规则应得 {amount(result.score)} 分",
                    item.at(indicator=result.name, column="得分"),
                    {"stated_score": result.stated_score, "target_actual": result.value},
                    result.score,
                )


@check(
    "rules.score-not-given",
    "warning",
    "填报得分与评分规则核算结果不符",
    "能由数据确定得分的指标，填报得分应等于按评分规则核算的得分（未达目标计满分的情形另见 rules.full-points-missed-target）。",
    "得分按评分规则的小数位比较",
)
def score_not_given(self: Check, ctx: Context) -> Iterator[Result]:
    score = ctx.score
    tables = [("评分表", Location(part="scorecard"), score.department)] if ctx.evaluation.scorecard and score.department else []
    tables += [(table_name(item), item.location, item.score) for item in project_form_tables(ctx) if item.score is not None]
    for subject, location, table in tables:
        unverified = [r.name for r in table.indicators if r.status in ("stated", "undetermined")]  # type: ignore[union-attr]
        if unverified:
            yield self.skip(f"{subject}：{len(unverified)} 个指标无法由数据核算（定性、人工评定或缺少数据），得分未核对：{'、'.join(unverified)}", location)
        unstated = [f"“{r.name}”（按评分规则应得 {amount(r.score)} 分）" for r in table.indicators if r.status == "computed" and r.stated_score is None and r.score is not None]  # type: ignore[union-attr]
        if unstated:
            yield self.skip(f"{subject}{''.join(unstated)}未填得分，无法核对", location)
        for result in table.indicators:  # type: ignore[union-attr]
            if result.status != "computed" or result.stated_score is None or result.score is None:
                continue
            if result.stated_score == result.score or _missed_with_full_points(result):
                continue
            if result.points is not None and result.stated_score > result.points:
                continue  # rules.score-above-points reports it
            yield self.finding(
                f"“{result.name}”填报 {amount(result.stated_score)} 分，按评分规则应得 {amount(result.score)} 分：{result.applied}",
                location.model_copy(update={"indicator": result.name, "column": "得分"}),
                {"stated_score": result.stated_score, "value": result.value},
                result.score,
            )


@check(
    "rules.rate-base",
    "error",
    "执行率基数错误",
    "执行率 = 全年执行数 ÷ 全年预算数（调整后预算），不是 ÷ 年初预算数（GUIDE §4.1）。",
    "填报值与按年初预算数重算的比率一致、与按全年预算数重算的不一致时报告",
)
@per_table
def rate_base(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        funds, stated = item.table.funds.total, item.table.execution.rate_stated
        if stated is not None and funds.initial_budget and not (funds.executed is not None and funds.full_year_budget):
            # without both amounts the right rate is unknown, so a rate on 年初预算数 cannot be told apart
            why = "全年执行数未填" if funds.executed is None else "全年预算数未填" if funds.full_year_budget is None else "全年预算数为 0"
            yield self.skip(f"{table_name(item)}：执行率填报 {stated}%，{why}，无法判断是否按年初预算数计算", item.at(row="年度资金总额", column="执行率"))
        if on_initial_budget(stated, funds):
            right = funds.executed / funds.full_year_budget  # type: ignore[operator]
            yield self.finding(
                f"执行率填报 {stated}%，是按年初预算数 {amount(funds.initial_budget)} 计算的；应按全年预算数 {amount(funds.full_year_budget)} 计算为 {pct(right)}",
                item.at(row="年度资金总额", column="执行率"),
                {"stated": stated, "initial_budget": funds.initial_budget, "full_year_budget": funds.full_year_budget, "executed": funds.executed},
                rounded(right * 100, 2),
            )


@check(
    "rules.over-execution",
    "warning",
    "超预算执行或无预算支出",
    "全年执行数超过全年预算数（执行率高于 100%），或预算为 0 却有支出，是需要说明的异常（GUIDE §4.1）。",
)
@per_table
def over_execution(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        funds = item.table.funds.total
        if funds.executed is None or funds.full_year_budget is None:
            blank = "、".join(name for name, value in (("全年预算数", funds.full_year_budget), ("全年执行数", funds.executed)) if value is None)
            yield self.skip(f"{table_name(item)}年度资金总额未填{blank}，无法判断是否超预算执行", item.at(row="年度资金总额"))
            continue
        if funds.full_year_budget == 0 and funds.executed > 0:
            yield self.finding(f"全年预算数为 0，却执行了 {amount(funds.executed)} 万元", item.at(row="年度资金总额"), {"executed": funds.executed})
        elif funds.full_year_budget > 0 and funds.executed > funds.full_year_budget:
            yield self.finding(
                f"全年执行数 {amount(funds.executed)} 超过全年预算数 {amount(funds.full_year_budget)}（执行率 {pct(funds.executed / funds.full_year_budget)}）",
                item.at(row="年度资金总额"),
                {"executed": funds.executed, "full_year_budget": funds.full_year_budget},
            )


@check(
    "rules.level-weights",
    "warning",
    "一级指标分值与评分规则不符",
    "项目表各一级指标的分值合计应符合评分规则（默认产出 50、效益 30、满意度 10；未设满意度时效益 40）；"
    "由单位自定权重的表样（如预算执行 10 + 绩效指标 90），各指标权重之和应等于规则要求的合计。每张表报告一次。",
)
@per_table
def level_weights(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        if item.score is None or item.score.weights_mismatch is None:
            continue
        levels = {lv.name: lv.stated_points for lv in item.score.levels if lv.stated_points is not None}
        yield self.finding(
            f"{item.score.weights_mismatch}；如该表按其他口径填报，请选用相应的评分规则",
            item.at(column="分值"),
            {"rubric": item.score.rubric, **levels},
        )


@check(
    "rules.coefficient-times-weight",
    "error",
    "得分不等于得分系数 × 指标权重",
    "填有得分系数的表（如不分级的部门整体自评表），各指标得分应等于 得分系数 × 指标权重。",
    "按得分所示小数位四舍五入后比较",
)
@per_table
def coefficient_times_weight(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        for indicator in item.table.indicators:
            coefficient, points, score = indicator.coefficient, indicator.points, indicator.score
            if coefficient is None or points is None or score is None:
                continue  # no coefficient column, or a blank the score checks list
            product = coefficient * points / 100
            if not same_figure(score, product):
                yield self.finding(
                    f"“{indicator.name}”得分系数 {amount(coefficient)}% × 指标权重 {amount(points)} = {amount(product.normalize())}，填报得分却为 {amount(score)}",
                    item.at(indicator=indicator.name, column="得分"),
                    {"coefficient": coefficient, "points": points, "score": score},
                    product.normalize(),
                )


_FULL_MARKS = re.compile(r"计\s*(\d+(?:\.\d+)?)\s*分")


@check(
    "rules.criteria-points",
    "warning",
    "评价标准中的分数超过分值",
    "评分表的评价标准写明的得分（如“计8分”）不应超过该指标的分值。",
)
def criteria_points(self: Check, ctx: Context) -> Iterator[Result]:
    pointless = [row.name for row in ctx.evaluation.scorecard if row.points is None and row.criteria and _FULL_MARKS.search(row.criteria)]
    if pointless:
        yield self.skip(f"评分表“{'”“'.join(pointless)}”的评价标准写了分数，但未填分值，无法核对", Location(part="scorecard", column="分值"))
    for row in ctx.evaluation.scorecard:
        if row.points is None or not row.criteria:
            continue
        stated = [Decimal(n) for n in _FULL_MARKS.findall(row.criteria)]
        if stated and max(stated) > row.points:
            yield self.finding(
                f"“{row.name}”分值为 {amount(row.points)}，评价标准却写“计{amount(max(stated))}分”",
                Location(part="scorecard", indicator=row.name, column="评价标准"),
                {"points": row.points, "criteria_points": max(stated)},
                row.points,
            )


_GRADE = re.compile(r"(?:等级|等次|评价结果|自评结果)(?:为|是|：|:)?\s*[“\"]?([优良中差])")


@check(
    "rules.grade",
    "error",
    "等级与总分不符",
    "报告写明的等级应与总分对应：优 ≥ 90，良 80–90，中 60–80，差 < 60（按评分规则的等级划分）。",
)
def grade(self: Check, ctx: Context) -> Iterator[Result]:
    department = ctx.score.department
    stated = [(s.heading, m.group(1)) for s in ctx.evaluation.narrative for m in _GRADE.finditer(s.text)]
    if not stated:
        yield self.skip("材料中未写明自评等级")
        return
    if department is None or department.stated_total is None:
        words = "、".join(dict.fromkeys(f"“{word}”" for _, word in stated))
        # the sum of the stated scores is no stand-in: a blank total is what the unit left open
        shown = f"（各项填报得分之和为 {amount(department.stated_sum)}）" if department is not None and department.stated_sum is not None else ""
        yield self.skip(f"报告写明等级为{words}，部门整体没有填报总分{shown}，无法核对等级")
        return
    for heading, word in stated:
        if word != department.stated_grade:
            yield self.finding(
                f"报告写明等级为“{word}”，填报总分 {amount(department.stated_total)} 对应“{department.stated_grade}”",
                Location(part="narrative", section=heading),
                {"stated_grade": word, "stated_total": department.stated_total},
                department.stated_grade,
            )


CHECKS = (
    score_above_points, full_points_missed_target, score_not_given, rate_base, over_execution, level_weights,
    coefficient_times_weight, criteria_points, grade,
)
