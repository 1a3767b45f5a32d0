"""Quality of targets and evidence: quantity indicators without numbers, rubber-stamped
actuals, targets that do not fit their indicator type, lost points without a reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..labels import normalize_label
from ..rubric.units import conversion
from .registry import Check, Context, Result, amount, check
from .tables import Scored, per_table, project_form_tables

_TIME = re.compile(r"\d\s*[时日天周月年]|小时|及时|准时|按时|按期|限期|之前|以前|以内|月底|年底|年末|季度|期限|时限|时间|进度|当[日天月年]")
_COST = re.compile(r"元|万|预算|成本|经费|费用|资金|标准|控制|节约|不超|价")


def _indicators(ctx: Context) -> Iterator[tuple[Scored, object]]:
    for item in project_form_tables(ctx):
        for indicator in item.table.indicators:
            yield item, indicator


def _level2(indicator) -> str:
    return normalize_label(indicator.level2 or "")


@check(
    "quality.quantity-without-number",
    "warning",
    "数量指标没有数值目标",
    "数量指标的年度指标值应是可计量的数（如“30次以上”），而不是“良好以上”“满意”之类的定性表述。",
)
@per_table
def quantity_without_number(self: Check, ctx: Context) -> Iterator[Result]:
    for item, indicator in _indicators(ctx):
        if "数量" not in _level2(indicator) or not indicator.target:
            continue
        if not re.search(r"\d", indicator.target):
            yield self.finding(
                f"数量指标“{indicator.name}”的年度指标值“{indicator.target}”不是数值",
                item.at(indicator=indicator.name, column="年度指标值"),
                {"target": indicator.target},
            )


@check(
    "quality.type-mismatch",
    "warning",
    "指标值与指标类型不符",
    "时效指标的指标值应是时间或期限（如“12月底前”“8小时”），成本指标应是金额或成本控制要求（如“不高于3800元”）。",
)
@per_table
def type_mismatch(self: Check, ctx: Context) -> Iterator[Result]:
    for item, indicator in _indicators(ctx):
        target = indicator.target or ""
        level2 = _level2(indicator)
        if not target or re.search(r"\d", target):
            continue  # a figure is a measurable target, whatever its unit
        if "时效" in level2 and not _TIME.search(target):
            kind = "时间或期限"
        elif "成本" in level2 and not _COST.search(target) and not re.search(r"\d", target):
            kind = "金额或成本控制要求"
        else:
            continue
        yield self.finding(
            f"{indicator.level2}“{indicator.name}”的年度指标值“{target}”不是{kind}",
            item.at(indicator=indicator.name, column="年度指标值"),
            {"target": target, "level2": indicator.level2},
        )


@check(
    "quality.actual-not-comparable",
    "warning",
    "实际完成值与指标值口径不一",
    "定量指标的实际完成值应与年度指标值同一单位（指标值“30次以上”，实际值应写次数，而不是“100%”）。",
)
@per_table
def actual_not_comparable(self: Check, ctx: Context) -> Iterator[Result]:
    for item, indicator in _indicators(ctx):
        target, actual = indicator.target_value, indicator.actual_value
        if target.kind == "number" and actual.kind == "number" and target.unit and actual.unit and conversion(actual.unit, target.unit) is None:
            yield self.finding(
                f"“{indicator.name}”指标值为“{indicator.target}”（{target.unit}），实际完成值却是“{indicator.actual}”（{actual.unit}）",
                item.at(indicator=indicator.name, column="实际完成值"),
                {"target": indicator.target, "actual": indicator.actual},
            )


@check(
    "quality.all-actuals-100",
    "warning",
    "实际完成值全部为 100%",
    "一张表的全部实际完成值都写“100%”，多半没有如实填写完成情况（至少 3 个指标时检查）。",
)
@per_table
def all_actuals_100(self: Check, ctx: Context) -> Iterator[Result]:
    for item in project_form_tables(ctx):
        actuals = [normalize_label(i.actual or "") for i in item.table.indicators]
        if len(actuals) >= 3 and all(a == "100%" for a in actuals):
            yield self.finding(f"全部 {len(actuals)} 个指标的实际完成值都是“100%”", item.at(column="实际完成值"), {"indicators": len(actuals)})


@check(
    "quality.missing-deviation",
    "warning",
    "扣分未说明偏差原因",
    "未得满分的指标应填写“偏差原因分析及改进措施”（GUIDE §4.1）。",
)
@per_table
def missing_deviation(self: Check, ctx: Context) -> Iterator[Result]:
    for item, indicator in _indicators(ctx):
        if indicator.points is not None and indicator.score is not None and indicator.score < indicator.points and not (indicator.deviation or "").strip():
            yield self.finding(
                f"“{indicator.name}”得 {amount(indicator.score)} 分（分值 {amount(indicator.points)}），未填写偏差原因分析及改进措施",
                item.at(indicator=indicator.name, column="偏差原因分析及改进措施"),
                {"score": indicator.score, "points": indicator.points},
            )


@check(
    "quality.copied-text",
    "info",
    "指标值、完成值照抄指标名称",
    "年度指标值与实际完成值都与三级指标名称相同，说明没有写出可核对的目标和完成情况。",
)
@per_table
def copied_text(self: Check, ctx: Context) -> Iterator[Result]:
    for item, indicator in _indicators(ctx):
        name = normalize_label(indicator.name)
        if name and normalize_label(indicator.target or "") == name == normalize_label(indicator.actual or ""):
            yield self.finding(f"“{indicator.name}”的指标值和完成值都照抄了指标名称", item.at(indicator=indicator.name), {"text": indicator.name})


@check(
    "quality.zero-points",
    "info",
    "指标分值为 0",
    "分值为 0 的指标不影响得分，通常是分值漏填或指标多余。",
)
@per_table
def zero_points(self: Check, ctx: Context) -> Iterator[Result]:
    for item, indicator in _indicators(ctx):
        if indicator.points == 0:
            yield self.finding(f"“{indicator.name}”的分值为 0", item.at(indicator=indicator.name, column="分值"), {"points": Decimal(0)})


@check(
    "quality.target-too-low",
    "info",
    "实际完成值远超目标",
    "实际完成值达到目标的 2 倍以上，说明年度指标值可能定得过低（GUIDE §4.1）。",
)
@per_table
def target_too_low(self: Check, ctx: Context) -> Iterator[Result]:
    for item, indicator in _indicators(ctx):
        target, actual = indicator.target_value, indicator.actual_value
        if target.kind == actual.kind == "number" and target.op in (">=", ">") and target.unit == actual.unit and target.number and actual.number and actual.number >= 2 * target.number:
            yield self.finding(
                f"“{indicator.name}”目标“{indicator.target}”，实际“{indicator.actual}”，超出目标一倍以上",
                item.at(indicator=indicator.name),
                {"target": indicator.target, "actual": indicator.actual},
            )


CHECKS = (quantity_without_number, type_mismatch, actual_not_comparable, all_actuals_100, missing_deviation, copied_text, zero_points, target_too_low)
