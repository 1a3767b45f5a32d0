"""Rule compliance: scores above their points, scores the rubric and the data do not give,
rates on the wrong base, full points for a missed target, level weights, grades."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..rubric.methods import pct
from .finding import Location
from .registry import Check, Context, Result, amount, check
from .tables import project_form_tables
from .tolerance import on_initial_budget


@check("rules.score-above-points", "error", "得分超过分值", "任何指标的得分都不应超过其分值。")
def score_above_points(self: Check, ctx: Context) -> Iterator[Result]:
    for row in ctx.evaluation.scorecard:
        if row.score is not None and row.points is not None and row.score > row.points:
            yield self.finding(f"“{row.name}”得分 {amount(row.score)} 超过分值 {amount(row.points)}", Location(part="scorecard", indicator=row.name, column="得分"), {"score": row.score, "points": row.points}, row.points)
    for item in project_form_tables(ctx):
        execution = item.table.execution
        rows = [("预算执行率", execution.points, execution.score_stated), *((i.name, i.points, i.score) for i in item.table.indicators)]
        for name, points, score in rows:
            if score is not None and points is not None and score > points:
                yield self.finding(f"“{name}”得分 {amount(score)} 超过分值 {amount(points)}", item.at(indicator=name, column="得分"), {"score": score, "points": points}, points)


def _missed_with_full_points(item) -> bool:
    return item.status == "computed" and item.points is not None and item.stated_score == item.points and item.score is not None and item.score < item.points


@check(
    "rules.full-points-missed-target",
    "error",
    "未达目标却计满分",
    "实际完成值未达到年度指标值的定量指标，不应得满分（GUIDE §4.1：按 实际÷目标 或 目标÷实际 比例计分）。",
)
def full_points_missed_target(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        if item.score is None:
            continue
        for result in item.score.indicators[1:]:
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
    tables = [(Location(part="scorecard"), score.department)] if ctx.evaluation.scorecard and score.department else []
    tables += [(item.location, item.score) for item in project_form_tables(ctx) if item.score is not None]
    for location, table in tables:
        unverified = [r.name for r in table.indicators if r.status in ("stated", "undetermined")]  # type: ignore[union-attr]
        if unverified:
            yield self.skip(f"{len(unverified)} 个指标无法由数据核算（定性、人工评定或缺少数据），得分未核对：{'、'.join(unverified)}", location)
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
def rate_base(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        funds, stated = item.table.funds.total, item.table.execution.rate_stated
        if on_initial_budget(stated, funds):
            right = funds.executed / funds.full_year_budget  # type: ignore[operator]
            yield self.finding(
                f"执行率填报 {stated}%，是按年初预算数 {amount(funds.initial_budget)} 计算的；应按全年预算数 {amount(funds.full_year_budget)} 计算为 {pct(right)}",
                item.at(row="年度资金总额", column="执行率"),
                {"stated": stated, "initial_budget": funds.initial_budget, "full_year_budget": funds.full_year_budget, "executed": funds.executed},
                (right * 100).quantize(Decimal("0.01")),
            )


@check(
    "rules.over-execution",
    "warning",
    "超预算执行或无预算支出",
    "全年执行数超过全年预算数（执行率高于 100%），或预算为 0 却有支出，是需要说明的异常（GUIDE §4.1）。",
)
def over_execution(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        funds = item.table.funds.total
        if funds.executed is None or funds.full_year_budget is None:
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
    "项目表各一级指标的分值合计应符合评分规则（默认产出 50、效益 30、满意度 10；未设满意度时效益 40）。",
)
def level_weights(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        if item.score is None:
            continue
        for level in item.score.levels:
            if level.points is not None and level.stated_points is not None and level.stated_points != level.points:
                yield self.finding(
                    f"一级指标“{level.name}”各指标分值合计 {amount(level.stated_points)}，评分规则（{item.score.rubric}）为 {amount(level.points)}",
                    item.at(row=level.name, column="分值"),
                    {"stated": level.stated_points, "rubric": level.points},
                    level.points,
                )


_FULL_MARKS = re.compile(r"计\s*(\d+(?:\.\d+)?)\s*分")


@check(
    "rules.criteria-points",
    "warning",
    "评价标准中的分数超过分值",
    "评分表的评价标准写明的得分（如“计8分”）不应超过该指标的分值。",
)
def criteria_points(self: Check, ctx: Context) -> Iterator[Result]:
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
        yield self.skip("部门整体没有填报总分，无法核对等级")
        return
    for heading, word in stated:
        if word != department.stated_grade:
            yield self.finding(
                f"报告写明等级为“{word}”，填报总分 {amount(department.stated_total)} 对应“{department.stated_grade}”",
                Location(part="narrative", section=heading),
                {"stated_grade": word, "stated_total": department.stated_total},
                department.stated_grade,
            )


CHECKS = (score_above_points, full_points_missed_target, score_not_given, rate_base, over_execution, level_weights, criteria_points, grade)
