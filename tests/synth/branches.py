"""Which branch of its scoring method each scored indicator took, read from the score result
(status, score against points, and the wording of the rule that applied), so that a corpus
can be shown to reach every branch of every shipped rubric."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.rubric.results import IndicatorScore, PackageScore

from .cells import UNKNOWN

# (detail, words in the applied rule that mark it), first match wins
DETAILS = [
    ("no_points", "未填分值"),
    ("zero_over_zero", "分子分母均为 0"),
    ("over_zero", "分母为 0"),
    ("blank", "缺少数据"),
    ("blank", "未逐项填报"),
    ("blank", "未填报评定等级"),
    ("blank", "需人工评分"),
    ("met_at_least", "达到目标"),
    ("met_at_most", "未超过目标"),
    ("range_in", "实际值在目标区间内"),
    ("range_out", "实际值在目标区间外"),
    ("range_same", "实际区间与目标一致"),
    ("range_other", "不一致，需人工判断"),
    ("range_units", "区间类指标单位不同"),
    ("relative", "为基数"),
    ("target_unreadable", "无法读出数值"),
    ("actual_unreadable", "无法与目标"),
    ("opposite", "相反方向"),
    ("units_differ", "单位不一致"),
    ("per_differs", "口径不同"),
    ("deadline_met", "在目标期限内完成"),
    ("deadline_words", "按期完成，计满分"),
    ("deadline_late", "晚于目标期限"),
    ("deadline_late_words", "未按期完成"),
    ("deadline_unknown", "读不出完成时间"),
    ("level_no_score", "未填报得分"),
    ("level_out", "不在任何等级区间内"),
    ("within_limit", "不扣分"),
    ("steps", "档 ×"),
    ("bad_count", "须为非负整数"),
    ("no_justification", "缺少评分理由"),
    ("manual_out_of_range", "超出 0–"),
    ("unknown_level", "未知等级"),
    ("items_missing", "应逐项填报"),
    ("band", "落在"),
    ("level_band", "档"),
    ("proportional", "按比例计分"),
    ("checklist", "符合，计"),
    ("count", "例 ×"),
    ("level", "评定为"),
    ("manual", "人工评分"),
    ("external", " × "),
]
# Notes that may come before the rule: each is a branch of its own.
NOTES = [("converted", "换算"), ("one_unit", "未写单位"), ("adjusted", "按调整指标值"), ("unparsed_qualitative", "按定性指标处理")]


def outcome(ind: IndicatorScore) -> str:
    """full, partial or zero for a computed score; else its status (stated, undetermined, not_applicable)."""
    if ind.status != "computed":
        return ind.status
    if ind.score == ind.points:
        return "full"
    return "zero" if ind.score == 0 else "partial"


def details(ind: IndicatorScore) -> set[str]:
    text = ind.applied or ""
    found = {name for name, words in NOTES if words in text}
    found.update(next(([name] for name, words in DETAILS if words in text), ["other"]))
    if "单位不一致" in text and any(f"“{u}”" in text for pair in UNKNOWN for u in pair):
        found.add("unknown_unit")
    return found


def keys(score: PackageScore) -> Iterator[tuple[str, str, str, str]]:
    """(rubric, method:indicator id — or the method alone for a unit's own indicators —,
    outcome, detail) for every scored indicator."""
    tables = ([score.department] if score.department else []) + score.projects
    for table in tables:
        for ind in table.indicators:
            what = f"{ind.method}:{ind.id}" if ind.id else ind.method
            for detail in details(ind):
                yield table.rubric, what, outcome(ind), detail
