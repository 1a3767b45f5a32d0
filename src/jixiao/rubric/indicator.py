"""Scoring one rubric indicator against the data, with its explanation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..decimals import rounded
from ..model import Answer
from .fields import resolve, title_of
from .formula import Formula, Name, Outcome, Value
from .loader import CompiledRubric
from .methods import Applied, Checklist, DeductPerCount, External, Levels, Manual, num, pct
from .model import RubricIndicator
from .results import IndicatorScore, Status


class Env:
    """Resolves formula names: rubric fields, ``answer.*`` and model paths under ``root``."""

    def __init__(self, root: BaseModel, compiled: CompiledRubric, answer: Answer | None = None):
        self.root, self.compiled, self.answer = root, compiled, answer
        self._fields: dict[str, Outcome] = {}

    def field(self, name: str) -> Outcome:
        if name not in self._fields:
            self._fields[name] = self.evaluate(self.compiled.fields[name])
        return self._fields[name]

    def lookup(self, name: str) -> Value | None:
        if name in self.compiled.fields:
            return self.field(name).value
        if name.startswith("answer."):
            return getattr(self.answer, name.split(".", 1)[1]) if self.answer else None
        return resolve(self.root, name)

    def blanks(self, formula: Formula) -> list[str]:
        """The underlying blank inputs of ``formula``, named as the forms name them."""
        out: list[str] = []
        for name in formula.names:
            if name in self.compiled.fields:
                inner = self.compiled.fields[name]
                if self.field(name).missing:
                    direct = isinstance(inner.tree, Name) and inner.tree.path not in self.compiled.fields
                    out.extend([name] if direct else [f"{name}（{b}）" for b in self.blanks(inner)])
                continue
            value = self.lookup(name)
            if value is None or (isinstance(value, list) and None in value):
                out.append(_describe_path(type(self.root), name))
        return out

    def evaluate(self, formula: Formula) -> Outcome:
        outcome = formula.evaluate(self.lookup)
        zero = [self.field(n) for n in formula.names if n in self.compiled.fields and self.field(n).zero_denominator]
        if zero and outcome.value is None and not outcome.zero_denominator:
            return Outcome(None, outcome.substituted, outcome.steps, zero_denominator=True, numerator_zero=zero[0].numerator_zero)
        return outcome


def _describe_path(model: type[BaseModel], path: str) -> str:
    if path.startswith("answer."):
        return f"评分表中本项的填报值（{path}）"
    return title_of(model, path)


@dataclass
class Verdict:
    """An indicator's outcome before rounding and wording."""

    status: Status
    score: Decimal | None
    applied: str
    value: str | None = None
    substituted: str | None = None
    deduction: Decimal | None = None
    number: Decimal | None = None  # the indicator's value (a rate as a fraction), when computed


def quantize(value: Decimal, places: int) -> Decimal:
    return rounded(value, places)


def _zero_rule(ind: RubricIndicator, outcome: Outcome, points: Decimal) -> Verdict:
    rule = ind.zero_denominator.outcome(outcome.numerator_zero)  # type: ignore[union-attr]
    what = "分子分母均为 0" if outcome.numerator_zero else "分母为 0"
    if rule == "full":
        return Verdict("computed", points, f"{what}，按规则计满分", None, outcome.substituted, Decimal(0))
    if rule == "zero":
        return Verdict("computed", Decimal(0), f"{what}，按规则不得分", None, outcome.substituted, points)
    return Verdict("not_applicable", None, f"{what}，按规则不适用，不计入总分", None, outcome.substituted)


def _from_formula(ind: RubricIndicator, env: Env, formula: Formula) -> Verdict | Outcome:
    outcome = env.evaluate(formula)
    if outcome.missing:
        blanks = "、".join(env.blanks(formula)) or "、".join(outcome.missing)
        return Verdict("undetermined", None, f"缺少数据：{blanks}", None, outcome.substituted)
    if outcome.zero_denominator:
        return _zero_rule(ind, outcome, ind.points)
    return outcome


def judge(ind: RubricIndicator, env: Env, answer: Answer | None, stated: Decimal | None) -> Verdict:
    method, points = ind.scoring, ind.points
    if isinstance(method, External):
        parts = []
        for key in ("scoring.score", "scoring.out_of"):
            got = _from_formula(ind, env, env.compiled.formulas[f"{ind.id}:{key}"])
            if isinstance(got, Verdict):
                return got
            parts.append(got)
        if parts[1].value == 0:
            return _zero_rule(ind, Outcome(None, "", zero_denominator=True, numerator_zero=parts[0].value == 0), points)
        applied = method.apply(parts[0].value / parts[1].value, points)  # type: ignore[operator]
        return _verdict(applied, f"{num(parts[0].value)} / {num(parts[1].value)}", f"{parts[0].substituted} ÷ {parts[1].substituted}")  # type: ignore[arg-type]
    if ind.formula:
        got = _from_formula(ind, env, env.compiled.formulas[f"{ind.id}:formula"])
        if isinstance(got, Verdict):
            return got
        value: Any = got.value
        applied = method.apply(value, points)  # type: ignore[union-attr]
        shown = num(value) if isinstance(method, DeductPerCount) else pct(value)
        verdict = _verdict(applied, shown, got.substituted)
        verdict.number = value
        return verdict
    if isinstance(method, Checklist):
        if not answer or answer.items is None:
            return Verdict("undetermined", None, "未逐项填报是否符合")
        return _verdict(method.apply_items(answer.items, points), None, None)
    if isinstance(method, Levels):
        if not answer or not answer.level:
            return Verdict("undetermined", None, "未填报评定等级")
        return _verdict(method.apply_level(answer.level, stated, points), answer.level, None)
    if isinstance(method, Manual):
        if not answer or answer.score is None:
            return Verdict("undetermined", None, "需人工评分")
        return _verdict(method.apply_manual(answer.score, answer.justification, points), None, None)
    raise AssertionError(f"method {method.method} reached judge without a formula")  # loader forbids this


def _verdict(applied: Applied, value: str | None, substituted: str | None) -> Verdict:
    status: Status = "computed" if applied.score is not None else "undetermined"
    return Verdict(status, applied.score, applied.rule, value, substituted, applied.deduction)


def finish(
    verdict: Verdict,
    *,
    compiled: CompiledRubric,
    name: str,
    points: Decimal | None,
    stated: Decimal | None,
    method: str,
    rule: str | None,
    formula: str | None = None,
    ident: str | None = None,
    level1: str | None = None,
    level2: str | None = None,
) -> IndicatorScore:
    """Rounds the score, falls back to the stated score where allowed, and writes the explanation."""
    rubric = compiled.rubric
    status, score, parts = verdict.status, verdict.score, []
    if formula:
        line = f"{name} = {formula}"
        if verdict.substituted:
            line += f" = {verdict.substituted}"
        if verdict.value:
            line += f" = {verdict.value}"
        parts.append(line)
    if rule:
        parts.append(f"标准：{rule}")
    parts.append(verdict.applied)
    # Never on negative points: a score is never below zero, and no stated figure makes one.
    if status == "undetermined" and rubric.use_stated and stated is not None and points is not None and points >= 0:
        status, score = "stated", min(max(stated, Decimal(0)), points)
        capped = "（超过分值，按分值计）" if stated > points else ""
        parts.append(f"数据不足以核算，采用填报得分 {num(stated)} 分{capped}")
    if score is not None:
        # Rounding never lifts a score past its points: 2.5 points earned in full at whole-number
        # precision are 2.5, not 3.
        score = quantize(score, rubric.precision)
        if points is not None and points >= 0 and score > points:
            score = points
        parts.append(f"得 {num(score)} 分")
    elif status == "undetermined":
        parts.append("无法确定得分")
    return IndicatorScore(
        id=ident,
        name=name,
        level1=level1,
        level2=level2,
        points=points,
        score=score,
        stated_score=stated,
        status=status,
        method=method,
        value=verdict.value,
        formula=formula,
        substituted=verdict.substituted,
        rule=rule,
        applied=verdict.applied,
        deduction=verdict.deduction if score is not None else None,
        explanation="；".join(parts) + "。",
    )
