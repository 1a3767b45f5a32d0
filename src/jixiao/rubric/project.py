"""Scoring the unit's own indicators of a project table (GUIDE §4.1)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Indicator, ProjectTable
from .indicator import Verdict, finish
from .loader import CompiledRubric
from .methods import Levels, RatioToTarget, num, ratio_score
from .results import IndicatorScore, LevelScore
from .units import sizes
from ..model.values import Value

ZERO = Decimal(0)


def _shown(value: Value) -> str:
    return value.text.strip() or "空"


_SAME = (Decimal(1), Decimal(1))


def _compatible_units(target: Value, actual: Value, rules: RatioToTarget) -> tuple[tuple[Decimal, Decimal] | None, str]:
    """The sizes of the actual's and the target's unit in a common base ((1, 1) when they are
    the same), and a note; None when they do not compare."""
    if target.unit == actual.unit:
        return _SAME, ""
    if actual.unit is None:
        return _SAME, f"实际完成值未写单位，按目标单位“{target.unit}”理解"
    if target.unit is None:
        return _SAME, f"目标未写单位，按实际完成值单位“{actual.unit}”理解"
    if rules.same_unit(actual.unit, target.unit):
        return _SAME, f"按评分规则，“{actual.unit}”与“{target.unit}”视为同一单位"
    pair = sizes(actual.unit, target.unit)
    if pair is None:
        return None, f"单位不一致（目标为“{target.unit}”，实际为“{actual.unit}”），无法比较"
    return pair, f"实际完成值按 1{actual.unit} = {num(pair[0] / pair[1])}{target.unit} 换算"


def _goal(ind: Indicator) -> Value:
    """The target the actual answers to: 调整指标值 where the table adjusted it during the year."""
    adjusted = ind.adjusted_value
    return adjusted if adjusted.kind != "blank" else ind.target_value


def _quantitative(ind: Indicator, points: Decimal, rules: RatioToTarget) -> Verdict:
    target, actual = _goal(ind), ind.actual_value
    if target.kind == "deadline":
        return _by_deadline(target, actual, points)
    if target.kind == "relative":
        return Verdict("undetermined", None, f"目标“{_shown(target)}”以“{target.subject}”为基数，表中无此基数，无法核算")
    if not target.is_numeric:
        why = target.reason or "不是数值"
        return Verdict("undetermined", None, f"定量指标的目标“{_shown(target)}”无法读出数值（{why}）")
    if target.number == 0 and actual.text.strip() in _NONE:
        actual = Value(actual.text, "number", op="=", number=ZERO, unit=target.unit)  # 0起 met by 无
    if not actual.is_numeric:
        why = actual.reason or "不是数值"
        return Verdict("undetermined", None, f"实际完成值“{_shown(actual)}”无法与目标“{_shown(target)}”比较（{why}）")
    pair, note = _compatible_units(target, actual, rules)
    if pair is None:
        return Verdict("undetermined", None, note)
    factor = pair[0] / pair[1]
    if target.per != actual.per:
        return Verdict("undetermined", None, f"目标按“每{target.per or '—'}”计，实际按“每{actual.per or '—'}”计，口径不同，无法比较")
    prefix = f"{note}；" if note else ""
    shown = f"目标 {_shown(target)}，实际 {_shown(actual)}"
    if factor != 1 and (target.kind == "range" or actual.kind == "range"):
        return Verdict("undetermined", None, f"{prefix}区间类指标单位不同，需人工判断")
    if target.kind == "range" and actual.kind == "number" and actual.op == "=":
        value = actual.number * factor  # type: ignore[operator]
        if target.number <= value <= target.upper:  # type: ignore[operator]
            return Verdict("computed", points, f"{prefix}实际值在目标区间内，计满分", shown, None, ZERO)
        bound, direction = (target.number, "at_least") if value < target.number else (target.upper, "at_most")  # type: ignore[operator]
        applied = ratio_score(value, bound, direction, points)  # type: ignore[arg-type]
        return Verdict("computed", applied.score, f"{prefix}实际值在目标区间外，按最近的界限计：{applied.rule}", shown, None, applied.deduction)
    if target.kind == "range" or actual.kind == "range":
        if (target.number, target.upper) == (actual.number, actual.upper):
            return Verdict("computed", points, f"{prefix}实际区间与目标一致，计满分", shown, None, ZERO)
        return Verdict("undetermined", None, f"{prefix}区间类指标（{shown}）不一致，需人工判断")
    direction = _direction(ind, target, rules)
    if actual.op not in (None, "=") and actual.op[0] != (">" if direction == "at_least" else "<"):
        return Verdict("undetermined", None, f"{prefix}实际完成值“{_shown(actual)}”只给出了相反方向的界限，无法确定完成程度")
    # Both sides in the common base unit: 5 小时 against 1 天 is 5 against 24, never 5 × 0.041666…
    applied = ratio_score(actual.number * pair[0], target.number * pair[1], direction, points)  # type: ignore[operator, arg-type]
    return Verdict("computed", applied.score, prefix + applied.rule, shown, None, applied.deduction)


_NONE = {"无", "零", "没有", "未发生", "无发生"}  # what a zero target's actual says in words
_ON_TIME = re.compile("按时|按期|如期|及时|提前")
_LATE = re.compile("未|没有|延期|滞后|推迟|逾期|超期|不及时")


def _by_deadline(target: Value, actual: Value, points: Decimal) -> Verdict:
    """A month to finish by: done by then is full points; done later is said, not graded."""
    shown = f"目标 {_shown(target)}，实际 {_shown(actual)}"
    if actual.kind == "deadline" or (actual.kind == "number" and actual.unit == "月" and actual.year is None and actual.op == "="):
        late = (actual.year or target.year or 0, actual.number) > (target.year or actual.year or 0, target.number)
        if not late:
            return Verdict("computed", points, "在目标期限内完成，计满分", shown, None, ZERO)
        return Verdict("undetermined", None, f"实际完成时间（{_shown(actual)}）晚于目标期限（{_shown(target)}），按时效扣分需人工评定")
    text = actual.text.strip()
    if _ON_TIME.search(text) and not _LATE.search(text):
        return Verdict("computed", points, f"实际“{text}”，按期完成，计满分", shown, None, ZERO)
    if _LATE.search(text):
        return Verdict("undetermined", None, f"实际“{text}”未按期完成，按时效扣分需人工评定")
    return Verdict("undetermined", None, f"期限类指标（{shown}）读不出完成时间，需人工评定")


def _direction(ind: Indicator, target: Value, rules: RatioToTarget) -> str:
    """≥/≤ words decide; a bare target of 0 can only mean “no more than”; a bare rate is
    “at least”; otherwise the rubric names the level-2 groups (成本, 时效) read as “at most”."""
    if target.op in (">=", ">"):
        return "at_least"
    if target.op in ("<=", "<") or target.number == 0:
        return "at_most"
    if target.unit == "%":
        return "at_least"
    return "at_most" if ind.level2 and ind.level2.strip() in rules.at_most_level2 else "at_least"


def _qualitative(ind: Indicator, points: Decimal, rules: Levels) -> Verdict:
    target = ind.target_value
    kind = "定性指标" if target.kind != "unparsed" else f"指标值无法读出（{target.reason}），按定性指标处理"
    if ind.score is None:
        return Verdict("undetermined", None, f"{kind}，未填报得分，需按等级人工评定")
    band = rules.band_of(ind.score, points)
    where = f"属“{band.name}”档" if band else "不在任何等级区间内"
    return Verdict("undetermined", None, f"{kind}（目标“{ind.target or ''}”，实际“{ind.actual or ''}”），填报得分 {num(ind.score)} {where}")


def _is_quantitative(ind: Indicator) -> bool:
    if ind.kind is not None:
        return ind.kind == "quantitative"
    return _goal(ind).kind in ("number", "range", "relative", "deadline")


def score_project_indicators(table: ProjectTable, compiled: CompiledRubric) -> tuple[list[IndicatorScore], list[LevelScore]]:
    rubric = compiled.rubric
    rules = rubric.indicators
    assert rules is not None  # the loader requires it of a project rubric
    results: list[IndicatorScore] = []
    for ind in table.indicators:
        quantitative = _is_quantitative(ind)
        if ind.points is None:
            verdict = Verdict("undetermined", None, "未填分值")
        elif quantitative:
            verdict = _quantitative(ind, ind.points, rules.quantitative)
            if ind.adjusted_value.kind != "blank":
                verdict.applied = f"按调整指标值“{_shown(ind.adjusted_value)}”（年初为“{_shown(ind.target_value)}”）计；{verdict.applied}"
        else:
            verdict = _qualitative(ind, ind.points, rules.qualitative)
        method = rules.quantitative if quantitative else rules.qualitative
        results.append(
            finish(
                verdict,
                compiled=compiled,
                name=ind.name,
                points=ind.points,
                stated=ind.score,
                method=method.method,
                rule=method.describe(ind.points or ZERO),
                level1=ind.level1,
                level2=ind.level2,
            )
        )
    return results, _levels(table, compiled, results)


def _label(compiled: CompiledRubric, level1: str | None) -> str:
    match = next((lv.name for lv in compiled.rubric.levels if lv.matches(level1)), None)
    return match or level1 or "（未标明一级指标）"


def weights_mismatch(compiled: CompiledRubric, own: list[IndicatorScore], levels: list[LevelScore]) -> str | None:
    """The table's weights against the rubric's, said once for the table: the level-1 subtotals
    where the rubric fixes them, the sum of the unit's own weights where the table sets them."""
    rubric = compiled.rubric
    if rubric.weights == "table":
        stated = sum((i.points for i in own if i.points is not None), ZERO)
        if own and stated != rubric.indicator_points:
            return f"绩效指标权重合计 {num(stated)}，评分规则 {rubric.id} 要求 {num(rubric.indicator_points or ZERO)}"
        return None
    if not own:
        return None  # no indicators: nothing to weigh, and the table's emptiness is reported elsewhere
    off = [f"{lv.name} {num(lv.stated_points or ZERO)}（规则 {num(lv.points)}）" for lv in levels if lv.points is not None and lv.stated_points != lv.points]
    present = {lv.name for lv in levels}
    dropped = rubric.satisfaction_level if rubric.satisfaction_level not in present else None
    moved = rubric.without_satisfaction if dropped else {}
    off += [f"{lv.name} 0（规则 {num(moved.get(lv.name, lv.points))}）" for lv in rubric.levels if lv.points and lv.name not in present and lv.name != dropped]
    foreign = [f"{lv.name} {num(lv.stated_points or ZERO)}" for lv in levels if lv.points is None]
    if foreign:
        off.append(f"规则中没有的一级指标：{'、'.join(foreign)}")
    return f"一级指标分值与评分规则 {rubric.id} 不符：{'、'.join(off)}" if off else None


def _levels(table: ProjectTable, compiled: CompiledRubric, results: list[IndicatorScore]) -> list[LevelScore]:
    """Subtotals per level-1 indicator, next to the weight the rubric gives that level (none
    when the unit sets its own weights)."""
    rubric = compiled.rubric
    # each indicator to its level in one pass (and each distinct label matched once): picking
    # every level's indicators out of the whole list grew with levels × indicators
    named: dict[str | None, str] = {}
    groups: dict[str, list[IndicatorScore]] = {}
    for r in results:
        if r.level1 not in named:
            named[r.level1] = _label(compiled, r.level1)
        groups.setdefault(named[r.level1], []).append(r)
    without_satisfaction = rubric.satisfaction_level not in groups
    levels: list[LevelScore] = []
    for label, mine in groups.items():
        rubric_level = next((lv for lv in rubric.levels if lv.name == label), None)
        points = rubric_level.points if rubric_level else None
        if rubric_level and points is not None and without_satisfaction:
            points = rubric.without_satisfaction.get(label, points)
        stated = [r.stated_score for r in mine if r.stated_score is not None]
        levels.append(
            LevelScore(
                name=label,
                points=points,
                stated_points=sum((r.points for r in mine if r.points is not None), ZERO),
                score=sum((r.score for r in mine if r.score is not None), ZERO),
                stated_score=sum(stated, ZERO) if stated else None,
            )
        )
    return levels
