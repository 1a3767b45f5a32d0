"""Scoring methods: how an indicator's value becomes points.

Each method is a parameter model a rubric file names under ``scoring: {method: …}`` and a
pure function of (value, points) that returns the score together with the rule that
applied, in Chinese, so that every point can be explained. Scores are never below zero
nor above the indicator's points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator
from ..decimals import rounded
from .wording import num, pct, pct_against, points_of

ZERO = Decimal(0)
ONE = Decimal(1)


def _decimal(value: object) -> object:
    """Rubric authors write 100%, 5% or 0.5; all are read exactly, within sane bounds."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        try:
            value = Decimal(value.strip()[:-1].strip()) / 100
        except ArithmeticError:
            raise ValueError(f"“{value}”不是有效的百分数") from None
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            return value  # pydantic reports it
    if isinstance(value, Decimal) and (not value.is_finite() or value.adjusted() > 9):  # abs() could overflow
        raise ValueError(f"{value} 超出合理范围")
    return value


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _read_decimals(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        numeric = {name for name, f in cls.model_fields.items() if "Decimal" in str(f.annotation)}
        return {k: _decimal(v) if k in numeric else v for k, v in data.items()}


@dataclass(frozen=True)
class Applied:
    """What a method made of one value; ``score`` is None when it could not decide."""

    score: Decimal | None
    rule: str
    deduction: Decimal | None = None


def _clamp(score: Decimal, points: Decimal) -> Decimal:
    return min(max(score, ZERO), points)


class Threshold(_Params):
    """Full points within a limit; a deduction per step beyond it, floored at zero."""

    method: Literal["threshold"]
    direction: Literal["at_most", "at_least", "both"]
    limit: Decimal
    step: Decimal = Field(gt=0)
    deduction: Decimal = Field(gt=0)
    stepping: Literal["whole", "partial", "proportional"]

    def describe(self, points: Decimal) -> str:
        side = {"at_most": "超过", "at_least": "低于", "both": "超过或低于"}[self.direction]
        ok = {"at_most": "≤", "at_least": "≥", "both": "="}[self.direction]
        count = {
            "whole": "按满档计，不足一档不扣",
            "partial": "不足一档按一档计",
            "proportional": "按比例计",
        }[self.stepping]
        return (
            f"{ok}{pct(self.limit)} 计 {num(points)} 分；每{side} {points_of(self.step)}扣 "
            f"{num(self.deduction)} 分（{count}），扣完为止"
        )

    def apply(self, value: Decimal, points: Decimal) -> Applied:
        gap = {
            "at_most": value - self.limit,
            "at_least": self.limit - value,
            "both": abs(value - self.limit),
        }[self.direction]
        shown = pct_against(value, self.limit)
        if gap <= 0:
            return Applied(points, f"{shown} 在标准 {pct(self.limit)} 以内，不扣分", ZERO)
        steps = gap / self.step
        if self.stepping == "whole":
            steps = steps.to_integral_value(ROUND_FLOOR)
        elif self.stepping == "partial":
            steps = steps.to_integral_value(ROUND_CEILING)
        deduction = steps * self.deduction
        score = _clamp(points - deduction, points)
        side = "超出" if value > self.limit else "低于"
        return Applied(
            score,
            f"{shown} {side}标准 {points_of(gap)}，计 {num(steps)} 档 × {num(self.deduction)} 分 = 扣 {num(deduction)} 分",
            points - score,
        )


class Band(_Params):
    gt: Decimal | None = None
    ge: Decimal | None = None
    lt: Decimal | None = None
    le: Decimal | None = None
    eq: Decimal | None = None
    points: Decimal = Field(ge=0)

    @model_validator(mode="after")
    def _bounded(self) -> Band:
        if self.eq is None and all(b is None for b in (self.gt, self.ge, self.lt, self.le)):
            raise ValueError("每一档须给出 gt/ge/lt/le/eq 中至少一个边界")
        if self.eq is not None and any(b is not None for b in (self.gt, self.ge, self.lt, self.le)):
            raise ValueError("eq 不能与其他边界同用")
        if self.gt is not None and self.ge is not None or self.lt is not None and self.le is not None:
            raise ValueError("同一侧只能给一个边界（gt 与 ge、lt 与 le 不能同用）")
        return self

    def contains(self, value: Decimal) -> bool:
        return (
            (self.eq is None or value == self.eq)
            and (self.gt is None or value > self.gt)
            and (self.ge is None or value >= self.ge)
            and (self.lt is None or value < self.lt)
            and (self.le is None or value <= self.le)
        )

    def label(self) -> str:
        if self.eq is not None:
            return f"={pct(self.eq)}"
        low = f"{'(' if self.gt is not None else '['}{pct(self.gt if self.gt is not None else self.ge)}" if (
            self.gt is not None or self.ge is not None) else "(-∞"
        high = f"{pct(self.lt if self.lt is not None else self.le)}{')' if self.lt is not None else ']'}" if (
            self.lt is not None or self.le is not None) else "+∞)"
        return f"{low}, {high}"


class Bands(_Params):
    """The first band that contains the value gives the points."""

    method: Literal["bands"]
    bands: list[Band] = Field(min_length=1)

    def describe(self, points: Decimal) -> str:
        return "；".join(f"{b.label()} 计 {num(b.points)} 分" for b in self.bands)

    def apply(self, value: Decimal, points: Decimal) -> Applied:
        for band in self.bands:
            if band.contains(value):
                score = _clamp(band.points, points)
                shown = pct_against(value, band.gt, band.ge, band.lt, band.le, band.eq)
                return Applied(score, f"{shown} 落在 {band.label()} 档，计 {num(band.points)} 分", points - score)
        return Applied(None, f"{pct(value)} 不在任何一档内")


class Ratio(_Params):
    """Points in proportion to the value against a target, never above the points."""

    method: Literal["ratio"]
    direction: Literal["at_least", "at_most"] = "at_least"
    target: Decimal = ONE

    def describe(self, points: Decimal) -> str:
        if self.direction == "at_least":
            return f"分值 × min(实际值 ÷ {pct(self.target)}, 1)"
        return f"分值 × min({pct(self.target)} ÷ 实际值, 1)"

    def apply(self, value: Decimal, points: Decimal) -> Applied:
        return ratio_score(value, self.target, self.direction, points, pct)


def ratio_score(
    actual: Decimal, target: Decimal, direction: str, points: Decimal, show: Callable[[Decimal], str] = num
) -> Applied:
    """GUIDE §4.1: ≥ targets score points × actual/target, ≤ targets points × target/actual."""
    if direction == "at_least":
        if actual >= target:
            return Applied(points, f"实际 {show(actual)} 达到目标 {show(target)}，计满分", ZERO)
        part, whole = (actual, target) if target > 0 else (ONE, ONE)
    else:
        if actual <= target:
            return Applied(points, f"实际 {show(actual)} 未超过目标 {show(target)}，计满分", ZERO)
        part, whole = (target, actual) if actual > 0 else (ONE, ONE)
    # One division, after the product: points × (a ÷ b) rounds a ÷ b first (5 ÷ 24 × 3 is
    # 0.62499…, not 0.625), and the score's half-up rounding then goes the wrong way.
    score = _clamp(points * part / whole, points)
    shown = f"{show(actual)} ÷ {show(target)}" if direction == "at_least" else f"{show(target)} ÷ {show(actual)}"
    return Applied(score, f"未达目标，按比例计分：{num(points)} × {shown} = {num(_cents(score))}", points - score)


def _cents(value: Decimal) -> Decimal:
    return rounded(value, 2)


class Level(_Params):
    name: str
    points: Decimal | None = Field(None, ge=0)
    min: Decimal | None = Field(None, ge=0, le=1)
    max: Decimal | None = Field(None, ge=0, le=1)
    aliases: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_form(self) -> Level:
        ranged = self.min is not None and self.max is not None
        if (self.points is None) == (not ranged):
            raise ValueError(f"等级“{self.name}”须给出 points，或同时给出 min 与 max（占分值的比例）")
        if ranged and self.min > self.max:  # type: ignore[operator]
            raise ValueError(f"等级“{self.name}”的 min 大于 max")
        return self

    def matches(self, word: str) -> bool:
        return word == self.name or word in self.aliases


class Levels(_Params):
    """A level is assessed; it gives fixed points or a range of the indicator's points."""

    method: Literal["levels"]
    levels: list[Level] = Field(min_length=1)

    def describe(self, points: Decimal) -> str:
        parts = []
        for level in self.levels:
            if level.points is not None:
                parts.append(f"{level.name} {num(level.points)} 分")
            else:
                parts.append(f"{level.name} {pct(level.min)}–{pct(level.max)}")  # type: ignore[arg-type]
        return "；".join(parts)

    def band_of(self, score: Decimal, points: Decimal) -> Level | None:
        for level in self.levels:
            if level.min is not None and level.max is not None and points > 0:
                if points * level.min <= score <= points * level.max:
                    return level
        return None

    def apply_level(self, word: str, stated: Decimal | None, points: Decimal) -> Applied:
        level = next((lv for lv in self.levels if lv.matches(word)), None)
        if level is None:
            return Applied(None, f"未知等级“{word}”，可选：{'、'.join(lv.name for lv in self.levels)}")
        if level.points is not None:
            score = _clamp(level.points, points)
            return Applied(score, f"评定为“{level.name}”，计 {num(level.points)} 分", points - score)
        low, high = points * level.min, points * level.max  # type: ignore[operator]
        if stated is not None and low <= stated <= high:
            return Applied(stated, f"评定为“{level.name}”（{num(low)}–{num(high)} 分），取填报得分 {num(stated)}", points - stated)
        return Applied(None, f"评定为“{level.name}”，应在 {num(low)}–{num(high)} 分之间，需人工确定得分")


class ChecklistItem(_Params):
    text: str
    points: Decimal = Field(ge=0)


class Checklist(_Params):
    """Each item met earns its points."""

    method: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)

    def describe(self, points: Decimal) -> str:
        return "；".join(f"{i + 1}. {item.text} {num(item.points)} 分" for i, item in enumerate(self.items))

    def apply_items(self, met: list[bool | None], points: Decimal) -> Applied:
        answered = sum(1 for ok in met if ok is not None)
        if len(met) != len(self.items) or answered != len(self.items):
            return Applied(None, f"应逐项填报 {len(self.items)} 项是否符合，已填报 {answered} 项")
        earned = sum((item.points for item, ok in zip(self.items, met) if ok), ZERO)
        missed = [str(i + 1) for i, ok in enumerate(met) if not ok]
        rule = "各项均符合" if not missed else f"第 {'、'.join(missed)} 项不符合"
        score = _clamp(earned, points)
        return Applied(score, f"{rule}，计 {num(score)} 分", points - score)


class DeductPerCount(_Params):
    """Points less a fixed deduction per occurrence (e.g. per compliance breach)."""

    method: Literal["deduct_per_count"]
    per: Decimal = Field(gt=0)
    conditions: list[str] = Field(default_factory=list)

    def describe(self, points: Decimal) -> str:
        return f"每出现一例不符合扣 {num(self.per)} 分，扣完为止"

    def apply(self, count: Decimal, points: Decimal) -> Applied:
        if count < 0 or count != count.to_integral_value():
            return Applied(None, f"次数 {num(count)} 须为非负整数")
        score = _clamp(points - self.per * count, points)
        return Applied(score, f"{num(count)} 例 × {num(self.per)} 分 = 扣 {num(self.per * count)} 分", points - score)


class External(_Params):
    """Converts an external assessment: points × score ÷ its maximum."""

    method: Literal["external"]
    score: str = Field(description="公式：外部考核得分")
    out_of: str = Field(description="公式：外部考核总分")

    def describe(self, points: Decimal) -> str:
        return f"{num(points)} × 考核得分 ÷ 考核总分"

    def apply(self, share: Decimal, points: Decimal) -> Applied:
        score = _clamp(points * share, points)
        return Applied(score, f"{num(points)} × {pct(share)} = {num(_cents(score))}", points - score)


class Manual(_Params):
    """Assessed by a person; a score without a written justification is not accepted."""

    method: Literal["manual"]
    justification_required: bool = True

    def describe(self, points: Decimal) -> str:
        return f"人工评分（0–{num(points)} 分）" + ("，须写明评分理由" if self.justification_required else "")

    def apply_manual(self, score: Decimal, justification: str | None, points: Decimal) -> Applied:
        if self.justification_required and not (justification or "").strip():
            return Applied(None, "人工评分缺少评分理由，不予采用")
        if not ZERO <= score <= points:
            return Applied(None, f"人工评分 {num(score)} 超出 0–{num(points)} 分")
        reason = f"，理由：{justification.strip()}" if justification and justification.strip() else ""
        return Applied(score, f"人工评分 {num(score)} 分{reason}", points - score)


class RatioToTarget(_Params):
    """Project indicators: each is compared with its own target (GUIDE §4.1)."""

    method: Literal["ratio_to_target"]
    at_most_level2: list[str] = Field(
        default_factory=list, description="指标值无方向词时按“不超过”理解的二级指标（如成本指标）"
    )
    same_units: list[list[str]] = Field(
        default_factory=list,
        description="本规则视为同一单位的写法，每组一列（如 [天, 个工作日]）；单位表不把它们当作同一单位",
    )

    def same_unit(self, a: str, b: str) -> bool:
        return any(a in group and b in group for group in self.same_units)

    def describe(self, points: Decimal) -> str:
        return "达到目标计满分；未达到：≥ 类按 实际÷目标、≤ 类按 目标÷实际 计分，不超过分值"


Method = Annotated[
    Union[Threshold, Bands, Ratio, Levels, Checklist, DeductPerCount, External, Manual, RatioToTarget],
    Field(discriminator="method"),
]

ZeroOutcome = Literal["full", "zero", "not_applicable"]


class ZeroRule(_Params):
    """What a zero denominator means; 0/0 (nothing budgeted, nothing spent) may differ from x/0."""

    zero_over_zero: ZeroOutcome
    nonzero_over_zero: ZeroOutcome

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: object) -> object:
        return {"zero_over_zero": data, "nonzero_over_zero": data} if isinstance(data, str) else data

    def outcome(self, numerator_zero: bool) -> ZeroOutcome:
        return self.zero_over_zero if numerator_zero else self.nonzero_over_zero
