"""Completeness: the forms and figures a package cannot be submitted without, and a report
that is missing or left as headings. A blank is named where it sits, one finding per table, so that an
empty package can never pass for a clean one."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Triple
from .finding import Location
from .registry import Check, Context, Result, check
from .tables import project_form_tables


def _blank(triple: Triple) -> bool:
    return all(getattr(triple, key) is None for key in ("prior_final", "budget", "adjusted_budget", "final"))


def _listed(names: list[str], limit: int = 12) -> str:
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 处" if len(names) > limit else f"（{len(names)} 处）")


@check(
    "completeness.forms",
    "error",
    "缺少必填的表",
    "一份自评材料至少要有基础数据表的支出数字，以及评分表或部门整体支出绩效自评表；空表不能提交。",
)
def forms(self: Check, ctx: Context) -> Iterator[Result]:
    evaluation = ctx.evaluation
    base = evaluation.base_data
    if _blank(base.basic_expenditure) and _blank(base.project_expenditure) and not any(not _blank(p) for p in base.projects):
        yield self.finding("基础数据表没有填写任何支出数字（部门基本支出、项目支出均为空）", Location(part="base_data"))
    department = evaluation.department_evaluation
    scored = any(row.score is not None for row in evaluation.scorecard)
    filled = department is not None and (department.funds.total.full_year_budget is not None or any(i.score is not None for i in department.indicators))
    if not scored and not filled:
        yield self.finding("评分表没有任何得分，部门整体支出绩效自评表也没有填写，部门整体无从评价", Location(part="package"))


@check(
    "completeness.figures",
    "error",
    "必填数字空白",
    "评分表每一行的得分；每张项目（部门整体）自评表的全年预算数、全年执行数、至少一个绩效指标，以及每个指标的"
    "指标值、实际完成值、分值和得分，都须填写。每张表报告一次，列出空白之处。",
)
def figures(self: Check, ctx: Context) -> Iterator[Result]:
    evaluation = ctx.evaluation
    # a row with neither points nor score is a heading the form merges over its indicators
    unscored = [row.name for row in evaluation.scorecard if row.score is None and row.points is not None]
    if unscored:
        yield self.finding(f"评分表以下指标未填得分：{_listed(unscored)}", Location(part="scorecard", column="得分"), {"blank": len(unscored)})
    for item in project_form_tables(ctx):
        table = item.table
        if item.location.part == "department_evaluation" and evaluation.scorecard:
            continue  # the scoring table carries the department's scores
        gaps = [label for label, value in (("全年预算数", table.funds.total.full_year_budget), ("全年执行数", table.funds.total.executed)) if value is None]
        if not table.indicators:
            gaps.append("绩效指标（一个也没有）")
        for indicator in table.indicators:
            empty = [label for label, value in (("指标值", indicator.target), ("实际完成值", indicator.actual), ("分值", indicator.points), ("得分", indicator.score)) if value is None or value == ""]
            if empty:
                gaps.append(f"“{indicator.name}”的{'、'.join(empty)}")
        if gaps:
            yield self.finding(f"以下必填项空白：{_listed(gaps)}", item.location, {"blank": len(gaps)})


@check(
    "completeness.report",
    "warning",
    "自评报告缺失或有空白部分",
    "材料应附自评报告；报告中已列出标题却未写内容的部分列出（各地报告的结构不同，不要求固定的部分）。",
)
def report(self: Check, ctx: Context) -> Iterator[Result]:
    sections = ctx.evaluation.narrative
    if not sections:
        yield self.finding("材料中没有自评报告", Location(part="narrative"))
        return
    empty = [s.heading for s in sections if not s.text.strip()]
    if empty:
        yield self.finding(f"自评报告以下部分只有标题、没有内容：{_listed(empty, 9)}", Location(part="narrative"), {"empty": len(empty)})


@check(
    "completeness.coverage",
    "warning",
    "得分无法由数据核算",
    "按数据核算的分值低于评分规则的下限时，总分与等级无法核算；补全指标值、实际完成值和评分依据后可核算。",
)
def coverage(self: Check, ctx: Context) -> Iterator[Result]:
    score = ctx.score
    if score.department is not None and score.department.undetermined:
        yield self.finding(f"部门整体{score.department.undetermined}", Location(part="scorecard" if ctx.evaluation.scorecard else "department_evaluation"))
    for item in project_form_tables(ctx):
        if item.location.part == "project" and item.score is not None and item.score.undetermined:
            yield self.finding(item.score.undetermined, item.location)


CHECKS = (forms, figures, report, coverage)
