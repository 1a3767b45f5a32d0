"""A project rubric compiled once into column expressions (for Polars or Spark, see ``ir``).

Everything is exact integer arithmetic on micro-units. A score is carried as a fraction
``n / d`` of micro-points and rounded once, half-up, at the rubric's precision: the same
answer as the per-package engine's Decimal, with no intermediate rounding. What is not
compiled (a method or function this module does not know) raises NotCompilable, and the
units scored by that rubric go to the per-package engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..rubric.ast import Binary, Call, Name, Neg, Node, Num
from ..rubric.loader import CompiledRubric
from ..rubric.methods import Ratio
from .ir import Expr
from .schema import SCALE, SCALE_DIGITS

NUMERIC = ["number", "range"]
QUANTITATIVE = ["number", "range", "relative", "deadline"]


class NotCompilable(Exception):
    """A rubric feature the batch engine does not compile; said in Chinese for the report."""


def rational(value: Decimal) -> tuple[int, int]:
    """An exact decimal as (numerator, denominator) integers."""
    sign, digits, exponent = value.as_tuple()
    n = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    return (n * 10**exponent, 1) if exponent >= 0 else (n, 10**-exponent)  # type: ignore[operator]


@dataclass
class Frac:
    """value = n / d with d > 0; ``event`` is null, "missing", "zero0" or "zeroN" (the first
    blank or zero denominator met, left to right, as the Decimal evaluator meets them)."""

    n: Expr
    d: Expr
    event: Expr


class Compiler:
    def __init__(self, ops: Any, compiled: CompiledRubric):
        self.o, self.compiled, self.rubric = ops, compiled, compiled.rubric
        self.p = self.rubric.precision
        self.reads: set[str] = set()  # the table's figure columns the formulas read
        if self.rubric.kind != "project":
            raise NotCompilable(f"评分规则 {self.rubric.id} 不是项目表式规则，批量评分尚未编译部门整体评分表")

    # --- formulas --------------------------------------------------------------------------
    def formula(self, node: Node) -> Frac:
        o = self.o
        if isinstance(node, Num):
            n, d = rational(node.value)
            return Frac(o.wide(o.lit(n)), o.wide(o.lit(d)), o.null())
        if isinstance(node, Name):
            if node.path in self.compiled.fields:
                inner = self.evaluate(node.path)
                # a field that is blank or divides by zero is a blank name to the formula using it
                return Frac(inner.n, inner.d, o.when((o.not_null(inner.event), o.lit("missing")), otherwise=o.null()))
            self.reads.add(node.path)
            column = o.col(node.path)
            return Frac(o.wide(column), o.wide(o.lit(SCALE)), o.when((o.is_null(column), o.lit("missing")), otherwise=o.null()))
        if isinstance(node, Neg):
            inner = self.formula(node.operand)
            return Frac(o.neg(inner.n), inner.d, inner.event)
        if isinstance(node, Binary):
            a, b = self.formula(node.left), self.formula(node.right)
            if node.op in ("+", "-"):
                n = a.n * b.d + b.n * a.d if node.op == "+" else a.n * b.d - b.n * a.d
                return Frac(n, a.d * b.d, o.coalesce(a.event, b.event))
            if node.op == "*":
                return Frac(a.n * b.n, a.d * b.d, o.coalesce(a.event, b.event))
            zero = o.when((b.n == 0, o.when((a.n == 0, o.lit("zero0")), otherwise=o.lit("zeroN"))), otherwise=o.null())
            negative = b.n < 0
            n = a.n * b.d
            return Frac(o.when((negative, o.neg(n)), otherwise=n), o.when((negative, o.neg(a.d * b.n)), otherwise=a.d * b.n),
                        o.coalesce(a.event, b.event, zero))
        if isinstance(node, Call) and node.func == "abs":
            inner = self.formula(node.args[0])
            return Frac(o.when((inner.n < 0, o.neg(inner.n)), otherwise=inner.n), inner.d, inner.event)
        raise NotCompilable(f"评分规则 {self.rubric.id} 的公式用到了 {type(node).__name__}"
                            f"{'（' + node.func + '）' if isinstance(node, Call) else ''}，批量评分尚未编译")

    def evaluate(self, key: str, field: bool = True) -> Frac:
        """A named field or an indicator's formula, as ``Env.evaluate`` sees it: blank when a
        name is blank, except that a field dividing by zero makes the whole a zero denominator."""
        o = self.o
        formula = self.compiled.fields[key] if field else self.compiled.formulas[key]
        frac = self.formula(formula.tree)
        zeros = [self.evaluate(n).event for n in formula.names if n in self.compiled.fields]
        if not zeros:
            return frac
        first = o.coalesce(*[o.when((o.is_in(z, ["zero0", "zeroN"]), z), otherwise=o.null()) for z in zeros])
        return Frac(frac.n, frac.d, o.when(((frac.event == "missing") & o.not_null(first), first), otherwise=frac.event))

    # --- shared pieces ---------------------------------------------------------------------
    def rounded(self, n: Expr, d: Expr) -> Expr:
        """n / d micro-points (n ≥ 0, d > 0) rounded half-up at the rubric's precision, in micro-points."""
        o, drop = self.o, 10 ** (SCALE_DIGITS - self.p)
        n, d = o.wide(n), o.wide(d)
        return o.narrow(o.idiv(n * 2 + d * drop, d * (2 * drop))) * drop

    def finish(self, points: Expr, n: Expr, d: Expr) -> Expr:
        """Rounded, and never past the indicator's points (2.5 earned in full at 0 places is 2.5)."""
        o = self.o
        score = self.rounded(n, d)
        return o.when((score > points, points), otherwise=score)

    def stated(self, points: Expr, stated: Expr) -> Expr:
        o = self.o
        clamped = o.least(o.greatest(stated, o.lit(0)), points)
        return self.finish(points, clamped, o.lit(1))

    def ratio(self, points: Expr, actual: Expr, target: Expr, at_least: bool) -> tuple[Expr, Expr]:
        """GUIDE §4.1 on non-negative figures: (n, d) of the micro-points earned."""
        o = self.o
        met = actual >= target if at_least else actual <= target
        part, whole = (actual, target) if at_least else (target, actual)
        partial = whole > 0
        n = o.when((met, o.wide(points)), (partial, o.wide(points) * o.wide(part)), otherwise=o.wide(points))
        d = o.when((met, o.wide(o.lit(1))), (partial, o.wide(whole)), otherwise=o.wide(o.lit(1)))
        return n, d

    # --- the execution rate (a rubric indicator with a formula) ---------------------------
    def execution(self) -> list[dict[str, Expr]]:
        """Stages giving ``xstatus`` and ``n``/``d`` of the rubric's execution indicator per table."""
        o, ind = self.o, self.rubric.execution
        assert ind is not None
        if not isinstance(ind.scoring, Ratio):
            raise NotCompilable(f"评分规则 {self.rubric.id} 的预算执行率用 {ind.scoring.method} 计分，批量评分尚未编译")
        value = self.evaluate(f"{ind.id}:formula", field=False)
        points = o.col("points")
        tn, td = rational(ind.scoring.target)
        # v = n/d against T = tn/td, both sides scaled so that the fraction stays in integers
        actual, target = o.col("xn") * td, o.col("xd") * tn
        n, d = self.ratio(points, actual, target, ind.scoring.direction == "at_least")
        if ind.scoring.direction == "at_least" and tn > 0:  # a negative rate earns nothing (clamped at 0)
            n = o.when((o.col("xn") < 0, o.wide(o.lit(0))), otherwise=n)
        rule = ind.zero_denominator
        outcomes = {"full": (o.wide(points), o.wide(o.lit(1))), "zero": (o.wide(o.lit(0)), o.wide(o.lit(1)))}
        event = o.col("xevent")
        status, ns, ds = [(event == "missing", o.lit("undetermined"))], [], []
        for kind, which in (("zero0", rule.zero_over_zero if rule else None), ("zeroN", rule.nonzero_over_zero if rule else None)):
            if which in outcomes:
                status.append((event == kind, o.lit("computed")))
                ns.append((event == kind, outcomes[which][0]))
                ds.append((event == kind, outcomes[which][1]))
            else:
                status.append((event == kind, o.lit("not_applicable" if which else "undetermined")))
        computed = o.col("xstatus") == "computed"
        return [
            {"xn": value.n, "xd": value.d, "xevent": value.event},
            {"xstatus": o.when(*status, otherwise=o.lit("computed")),
             "n": o.when(*ns, (o.is_null(event), n), otherwise=o.null()) if ns else o.when((o.is_null(event), n), otherwise=o.null()),
             "d": o.when(*ds, (o.is_null(event), d), otherwise=o.null()) if ds else o.when((o.is_null(event), d), otherwise=o.null())},
            {"computed": computed},
        ]
