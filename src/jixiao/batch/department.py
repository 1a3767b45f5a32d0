"""The department scoring table (评分表) compiled once into column expressions, as
``rubric/score.py::score_department`` scores it per package.

Each rubric indicator is one row per unit: its formula over the unit's figures (``units``,
list sums from ``lists``) and the answer on its scoring-table row (``scorecard``), then its
method as branches on exact integers, then the shared finish (stated score where allowed,
half-up rounding, capped at the points). What a person decides (``manual``, ``levels``, a
stated ``external`` result) is read from the answer exactly as the per-package engine reads it.
The engine-neutral part (``DepartmentPlan``) is written against ``ir``; ``department_scores``
is the Polars plumbing.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import lcm
from typing import Any

from ..labels import normalize_label
from ..rubric.ast import Binary, Call, Name, Neg, Node, Num
from ..rubric.loader import CompiledRubric
from ..rubric.methods import Bands, Checklist, DeductPerCount, External, Levels, Manual, Threshold
from ..rubric.model import RubricIndicator
from .compile import Compiler, Frac, NotCompilable, rational
from .indicators import finish_stages
from .ir import Expr
from .plan import RubricPlan
from .schema import SCALE, NotExact, list_fields, scaled, unit_fields

ANSWERS = {"answer.value": "answer_value", "answer.out_of": "answer_out_of"}  # formula name → scorecard column


def figures() -> set[str]:
    """The package's scalar figures held in ``units`` as micro-units (the year is a plain integer)."""
    return set(unit_fields()) - {"fiscal_year"}


def list_column(path: str, what: str) -> str:
    """The unit-level column holding ``what`` (sum, blank, count) of the list field ``path``."""
    return f"{path}#{what}"


class DepartmentCompiler(Compiler):
    """Formulas over a whole package. A denominator the same for every row (10⁶ for a figure,
    10^k for a constant) stays a Python int, so that adding figures does not multiply their
    scales: (a + b + c − d) / (a + b + c) would otherwise outgrow 128 bits."""

    def __init__(self, ops: Any, compiled: CompiledRubric):  # the project-only check does not apply
        self.o, self.compiled, self.rubric = ops, compiled, compiled.rubric
        self.p = self.rubric.precision
        self.lists: set[str] = set()

    def D(self, d: Any) -> Expr:
        return self.o.wide(self.o.lit(d)) if isinstance(d, int) else d

    def formula(self, node: Node) -> Frac:
        o = self.o
        if isinstance(node, Name) and node.path in self.compiled.fields:
            return super().formula(node)
        if isinstance(node, Name):
            if node.path not in ANSWERS and node.path not in figures():
                raise NotCompilable(f"评分规则 {self.rubric.id} 的公式用到了 {node.path}，数据集中没有它的精确数值列")
            column = o.col(ANSWERS.get(node.path, node.path))
            return Frac(o.wide(column), SCALE, o.when((o.is_null(column), o.lit("missing")), otherwise=o.null()))
        if isinstance(node, Num):
            n, d = rational(node.value)
            return Frac(o.wide(o.lit(n)), d, o.null())
        if isinstance(node, Binary) and node.op in ("+", "-", "*"):
            a, b = self.formula(node.left), self.formula(node.right)
            event = o.coalesce(a.event, b.event)
            if node.op == "*":
                d = a.d * b.d if isinstance(a.d, int) and isinstance(b.d, int) else self.D(a.d) * self.D(b.d)
                return Frac(a.n * b.n, d, event)
            if isinstance(a.d, int) and isinstance(b.d, int):
                d = lcm(a.d, b.d)
                left, right = self._times(a.n, d // a.d), self._times(b.n, d // b.d)
            else:
                d, left, right = self.D(a.d) * self.D(b.d), a.n * self.D(b.d), b.n * self.D(a.d)
            return Frac(left + right if node.op == "+" else left - right, d, event)
        if isinstance(node, Binary):  # division: the sign moves to the numerator, d > 0
            a, b = self.formula(node.left), self.formula(node.right)
            zero = o.when((b.n == 0, o.when((a.n == 0, o.lit("zero0")), otherwise=o.lit("zeroN"))), otherwise=o.null())
            n, d = a.n * self.D(b.d), self.D(a.d) * b.n
            negative = b.n < 0
            return Frac(o.when((negative, self.neg(n)), otherwise=n), o.when((negative, self.neg(d)), otherwise=d),
                        o.coalesce(a.event, b.event, zero))
        if isinstance(node, Call) and node.func in ("sum", "count") and isinstance(node.args[0], Name) \
                and node.args[0].path in list_fields():
            path = node.args[0].path
            self.lists.add(path)
            if node.func == "count":
                return Frac(o.wide(o.col(list_column(path, "count"))), 1, o.null())
            blank = o.when((o.col(list_column(path, "blank")), o.lit("missing")), otherwise=o.null())
            return Frac(o.wide(o.col(list_column(path, "sum"))), SCALE, blank)
        if isinstance(node, (Neg, Call)) and (isinstance(node, Neg) or node.func == "abs"):
            inner = self.formula(node.operand if isinstance(node, Neg) else node.args[0])
            n = self.neg(inner.n) if isinstance(node, Neg) else o.when((inner.n < 0, self.neg(inner.n)), otherwise=inner.n)
            return Frac(n, inner.d, inner.event)
        raise NotCompilable(f"评分规则 {self.rubric.id} 的公式用到了 {type(node).__name__}"
                            f"{'（' + node.func + '）' if isinstance(node, Call) else ''}，批量评分尚未编译")

    def neg(self, e: Expr) -> Expr:
        """−e as 0 − e: Polars has no negation of Int128 columns."""
        return self.o.wide(self.o.lit(0)) - e

    def _times(self, n: Expr, k: int) -> Expr:
        return n if k == 1 else n * self.o.wide(self.o.lit(k))

    def value(self, key: str) -> dict[str, Expr]:
        frac = self.evaluate(key, field=False)
        return {"vn": frac.n, "vd": self.D(frac.d), "vev": frac.event}


def _micro(value: Any, rubric: str) -> int:
    try:
        return scaled(value)  # type: ignore[return-value]
    except NotExact as exc:
        raise NotCompilable(f"评分规则 {rubric} 的参数 {value} 无法精确计算：{exc}") from None


@dataclass
class Outcome:
    """An indicator's branches before the shared finish: ``computed`` rows carry n / d
    micro-points; the rest take status ``other`` (undetermined or not applicable)."""

    computed: Expr
    n: Expr
    d: Expr
    other: Expr


class DepartmentPlan:
    """The stages of every indicator of a department rubric, and of the table's verdict."""

    def __init__(self, ops: Any, compiled: CompiledRubric):
        self.o, self.compiled = ops, compiled
        self.c = DepartmentCompiler(ops, compiled)
        self.table = RubricPlan(compiled, self.c, [], None, None, frozenset())
        self.indicators: list[tuple[RubricIndicator, list[dict[str, Expr]]]] = []
        for _, _, ind in compiled.rubric.all_indicators():
            self.indicators.append((ind, self._stages(ind)))

    def labels(self, ind: RubricIndicator) -> list[str]:
        return sorted({normalize_label(n) for n in (ind.name, *ind.aliases)})

    # --- per indicator --------------------------------------------------------------------
    def _stages(self, ind: RubricIndicator) -> list[dict[str, Expr]]:
        o, P = self.o, _micro(ind.points, self.compiled.rubric.id)
        method = ind.scoring
        if isinstance(method, External):
            first, outcome = self._external(ind, P)
        elif ind.formula:
            first = self.c.value(f"{ind.id}:formula")
            outcome = self._on_formula(ind, P)
        else:
            first, outcome = {}, self._on_answer(ind, P)
        decided = {"computed": outcome.computed, "n": outcome.n, "d": outcome.d, "other": outcome.other}
        points = {"points": o.lit(P)}
        return [{**points, **first}, decided,
                *finish_stages(self.c, o.col("computed"), o.col("points"), o.col("stated_score"), o.col("other"))]

    def _zero(self, ind: RubricIndicator, event: Expr, P: int, numerator_zero: Expr | None = None) -> list[tuple[Expr, tuple]]:
        """Branches for a zero denominator: (condition, (computed, n, d, other)) by the rubric's rule."""
        o, rule = self.o, ind.zero_denominator
        if rule is None:
            raise NotCompilable(f"评分规则 {self.compiled.rubric.id} 的指标 {ind.id} 未规定分母为 0 时的处理")
        one = o.wide(o.lit(1))
        outcome = {"full": (o.lit(True), o.wide(o.lit(P)), one, o.null()),
                   "zero": (o.lit(True), o.wide(o.lit(0)), one, o.null()),
                   "not_applicable": (o.lit(False), o.null(), o.null(), o.lit("not_applicable"))}
        if numerator_zero is None:
            return [(event == "zero0", outcome[rule.zero_over_zero]), (event == "zeroN", outcome[rule.nonzero_over_zero])]
        return [(event & numerator_zero, outcome[rule.zero_over_zero]), (event, outcome[rule.nonzero_over_zero])]

    def _assemble(self, branches: list[tuple[Expr, tuple]], ok: Expr, n: Expr, d: Expr) -> Outcome:
        """The first branch that holds, else the method's own (``ok`` rows computed)."""
        o = self.o
        final = (ok, n, d, o.when((ok, o.null()), otherwise=o.lit("undetermined")))
        parts = [o.when(*[(cond, out[k]) for cond, out in branches], otherwise=final[k]) if branches else final[k]
                 for k in range(4)]
        return Outcome(o.fill(parts[0], False), *parts[1:])

    def _on_formula(self, ind: RubricIndicator, P: int) -> Outcome:
        o = self.o
        n, d, event = o.col("vn"), o.col("vd"), o.col("vev")
        undetermined = (o.lit(False), o.null(), o.null(), o.lit("undetermined"))
        branches = [(event == "missing", undetermined)]
        if ind.zero_denominator is not None:
            branches += self._zero(ind, event, P)
        ok, sn, sd = self._method(ind.scoring, P, n, d)
        return self._assemble(branches, ok, sn, sd)

    def _method(self, method: Any, P: int, n: Expr, d: Expr) -> tuple[Expr, Expr, Expr]:
        """(decided, n, d) of the micro-points ``method`` gives the value n / d (d > 0)."""
        o, W, one = self.o, self.o.wide, self.o.wide(self.o.lit(1))
        if isinstance(method, Threshold):
            ln, ld = rational(method.limit)
            sn, sd = rational(method.step)
            dm = _micro(method.deduction, self.compiled.rubric.id)
            over = n * ld - W(o.lit(ln)) * d  # (value − limit) × d × ld
            gap = {"at_most": over, "at_least": self.c.neg(over),
                   "both": o.when((over < 0, self.c.neg(over)), otherwise=over)}[method.direction]
            gd = d * ld
            if method.stepping == "proportional":
                left = W(o.lit(P)) * gd * sn - gap * (sd * dm)
                score_n, score_d = o.when((left < 0, W(o.lit(0))), otherwise=left), gd * sn
            else:
                up = gd * sn - 1 if method.stepping == "partial" else W(o.lit(0))
                steps = o.idiv(gap * sd + up, gd * sn)
                score_n, score_d = o.greatest(W(o.lit(P)) - steps * dm, W(o.lit(0))), one
            full = gap <= 0
            return o.lit(True), o.when((full, W(o.lit(P))), otherwise=score_n), o.when((full, one), otherwise=score_d)
        if isinstance(method, Bands):
            branches = []
            for band in method.bands:
                conds = []
                for bound, test in ((band.eq, "=="), (band.gt, ">"), (band.ge, ">="), (band.lt, "<"), (band.le, "<=")):
                    if bound is None:
                        continue
                    bn, bd = rational(bound)
                    left, right = n * bd, W(o.lit(bn)) * d
                    conds.append({"==": left == right, ">": left > right, ">=": left >= right,
                                  "<": left < right, "<=": left <= right}[test])
                cond = conds[0]
                for more in conds[1:]:
                    cond = cond & more
                branches.append((cond, W(o.lit(min(_micro(band.points, self.compiled.rubric.id), P)))))
            ok = o.when(*[(c, o.lit(True)) for c, _ in branches], otherwise=o.lit(False))
            return ok, o.when(*branches, otherwise=o.null()), one
        if isinstance(method, DeductPerCount):
            per = _micro(method.per, self.compiled.rubric.id)
            count = o.idiv(o.when((n < 0, W(o.lit(0))), otherwise=n), d)
            ok = (n >= 0) & (count * d == n)
            return ok, o.greatest(W(o.lit(P)) - count * per, W(o.lit(0))), one
        raise NotCompilable(f"评分规则 {self.compiled.rubric.id} 用 {method.method} 计分，批量评分尚未编译")

    def _external(self, ind: RubricIndicator, P: int) -> tuple[dict[str, Expr], Outcome]:
        """Score ÷ out-of, each a formula (the stated result and its maximum); the first blank
        or zero denominator met decides, then a zero maximum by the zero rule."""
        o, W = self.o, self.o.wide
        s = self.c.evaluate(f"{ind.id}:scoring.score", field=False)
        m = self.c.evaluate(f"{ind.id}:scoring.out_of", field=False)
        first = {"vn": s.n, "vd": self.c.D(s.d), "vev": s.event, "mn": m.n, "md": self.c.D(m.d), "mev": m.event}
        undetermined = (o.lit(False), o.null(), o.null(), o.lit("undetermined"))
        branches = [(o.col("vev") == "missing", undetermined), *self._zero(ind, o.col("vev"), P),
                    (o.col("mev") == "missing", undetermined), *self._zero(ind, o.col("mev"), P)]
        branches += self._zero(ind, o.col("mn") == 0, P, numerator_zero=o.col("vn") == 0)
        negative = o.col("mn") < 0
        n = W(o.lit(P)) * o.col("vn") * o.col("md")
        d = o.col("vd") * o.col("mn")
        n, d = o.when((negative, self.c.neg(n)), otherwise=n), o.when((negative, self.c.neg(d)), otherwise=d)
        clamped = o.least(o.greatest(n, W(o.lit(0))), W(o.lit(P)) * d)
        return first, self._assemble(branches, o.lit(True), clamped, d)

    def _on_answer(self, ind: RubricIndicator, P: int) -> Outcome:
        o, W, one = self.o, self.o.wide, self.o.wide(self.o.lit(1))
        method = ind.scoring
        if isinstance(method, Checklist):
            items = o.col("answer_items")
            k = len(method.items)
            got = [o.list_item(items, i) for i in range(k)]
            ok = o.fill(o.list_len(items) == k, False)
            for item in got:
                ok = ok & o.not_null(item)
            earned = W(o.lit(0))
            for item, spec in zip(got, method.items):
                earned = earned + o.when((o.fill(item, False), W(o.lit(_micro(spec.points, self.compiled.rubric.id)))),
                                         otherwise=W(o.lit(0)))
            return self._assemble([], ok, o.least(earned, W(o.lit(P))), one)
        if isinstance(method, Levels):
            word = o.col("answer_level")
            S = o.col("stated_score")
            branches = []
            for level in method.levels:
                named = o.fill(o.is_in(word, [level.name, *level.aliases]), False)
                if level.points is not None:
                    branches.append((named, (o.lit(True), W(o.lit(min(_micro(level.points, self.compiled.rubric.id), P))), one, o.null())))
                    continue
                (an, ad), (bn, bd) = rational(level.min), rational(level.max)  # type: ignore[arg-type]
                inside = o.fill((W(S) * ad >= W(o.lit(P * an))) & (W(S) * bd <= W(o.lit(P * bn))), False)
                branches.append((named, (inside, W(S), one, o.when((inside, o.null()), otherwise=o.lit("undetermined")))))
            return self._assemble(branches, o.lit(False), o.null(), o.null())
        if isinstance(method, Manual):
            score = o.col("answer_score")
            ok = o.not_null(score) & (score >= 0) & (score <= P)
            if method.justification_required:
                ok = ok & o.fill(o.strip(o.col("answer_justification")) != "", False)
            return self._assemble([], o.fill(ok, False), W(score), one)
        raise NotCompilable(f"评分规则 {self.compiled.rubric.id} 的指标 {ind.id} 用 {method.method} 计分且无公式，批量评分尚未编译")
