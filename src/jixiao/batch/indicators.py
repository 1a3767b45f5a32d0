"""The unit's own indicators of a project table (``rubric/project.py``) as column expressions.

Two stages, because the unit conversion is a join: ``goal_columns`` picks the target the
actual answers to (调整指标值 where there is one) and reads 无 as 0; then, with the sizes of the
two units joined in (``fa``, ``fb``; null when they do not compare), ``score_columns`` gives
each row its status and micro-points.
"""

from __future__ import annotations

from typing import Any

from ..rubric.units import sizes
from .compile import NUMERIC, QUANTITATIVE, Compiler, rational
from .ir import Expr

FIELDS = ("kind", "op", "number", "upper", "unit", "per", "subject", "year")


def goal_columns(o: Any) -> dict[str, Expr]:
    adjusted = o.col("adjusted_kind") != "blank"
    goal = {f"g_{f}": o.when((adjusted, o.col(f"adjusted_{f}")), otherwise=o.col(f"target_{f}")) for f in FIELDS}
    # a zero target met by 无: the actual becomes 0 in the target's unit
    none = o.fill((goal["g_number"] == 0) & o.col("actual_none"), False)
    actual = {
        "a_kind": o.when((none, o.lit("number")), otherwise=o.col("actual_kind")),
        "a_op": o.when((none, o.lit("=")), otherwise=o.col("actual_op")),
        "a_number": o.when((none, o.lit(0)), otherwise=o.col("actual_number")),
        "a_upper": o.when((none, o.null()), otherwise=o.col("actual_upper")),
        "a_unit": o.when((none, goal["g_unit"]), otherwise=o.col("actual_unit")),
        "a_per": o.when((none, o.null()), otherwise=o.col("actual_per")),
    }
    keys = {"ua": o.fill(actual["a_unit"], ""), "ug": o.fill(goal["g_unit"], "")}
    return {**goal, **actual, **keys}


def unit_sizes(pairs: list[tuple[str, str]], same_units: list[list[str]]) -> list[tuple[str, str, int | None, int | None]]:
    """(actual unit, goal unit, fa, fb) for the distinct pairs in the data ("" is no unit):
    an actual of x compares with a goal of y as x·fa against y·fb."""
    out = []
    for ua, ug in pairs:
        if ua == ug or not ua or not ug or any(ua in g and ug in g for g in same_units):
            out.append((ua, ug, 1, 1))
            continue
        pair = sizes(ua, ug)
        if pair is None:
            out.append((ua, ug, None, None))
            continue
        (na, da), (nb, db) = rational(pair[0]), rational(pair[1])
        out.append((ua, ug, na * db, nb * da))
    return out


def score_columns(c: Compiler) -> dict[str, Expr]:
    """status and score (micro-points) of each own indicator, by compiled rubric ``c``."""
    o = c.o
    rules = c.rubric.indicators
    assert rules is not None
    at_most_level2 = rules.quantitative.at_most_level2
    P, S = o.col("points"), o.col("score")
    gk, ak = o.col("g_kind"), o.col("a_kind")
    gn, an = o.col("g_number"), o.col("a_number")
    g_range, a_range = gk == "range", ak == "range"
    quantitative = o.when((o.not_null(o.col("kind")), o.col("kind") == "quantitative"), otherwise=o.is_in(gk, QUANTITATIVE))

    # deadlines read the actual as written (before 无 becomes 0)
    aky, an_raw = o.col("actual_kind"), o.col("actual_number")
    ay = o.coalesce(o.col("actual_year"), o.col("g_year"), o.lit(0))
    ty = o.coalesce(o.col("g_year"), o.col("actual_year"), o.lit(0))
    late = (ay > ty) | ((ay == ty) & (an_raw > gn))
    dated = (aky == "deadline") | ((aky == "number") & (o.col("actual_unit") == "月") & o.is_null(o.col("actual_year")) & (o.col("actual_op") == "="))
    on_time = o.col("actual_on_time") & ~o.col("actual_late")

    A = o.wide(an) * o.wide(o.col("fa"))
    T = o.wide(gn) * o.wide(o.col("fb"))
    level2_most = o.is_in(o.strip(o.col("level2")), at_most_level2)
    at_least = o.is_in(o.col("g_op"), [">=", ">"]) | (
        ~(o.is_in(o.col("g_op"), ["<=", "<"]) | (gn == 0)) & ((o.col("g_unit") == "%") | ~o.fill(level2_most, False)))
    opposite = o.when((at_least, o.is_in(o.col("a_op"), ["<=", "<"])), otherwise=o.is_in(o.col("a_op"), [">=", ">"]))
    lo, hi = o.col("g_number"), o.col("g_upper")
    least_n, least_d = c.ratio(P, A, T, True)
    most_n, most_d = c.ratio(P, A, T, False)
    below_n, below_d = c.ratio(P, o.wide(an), o.wide(lo), True)
    above_n, above_d = c.ratio(P, o.wide(an), o.wide(hi), False)
    full, und = (o.wide(P), o.wide(o.lit(1))), None
    branches: list[tuple[Expr, Any]] = [
        (o.is_null(P), und),
        (~quantitative, und),
        ((gk == "deadline") & dated & ~late, full),
        ((gk == "deadline") & dated, und),
        ((gk == "deadline") & on_time, full),
        (gk == "deadline", und),
        (~o.is_in(gk, NUMERIC), und),  # relative, unparsed, blank, qualitative
        (~o.is_in(ak, NUMERIC), und),
        (o.is_null(o.col("fa")), und),
        (~o.eq_missing(o.col("g_per"), o.col("a_per")), und),
        ((o.col("fa") != o.col("fb")) & (g_range | a_range), und),
        (g_range & (ak == "number") & (o.col("a_op") == "=") & (an >= lo) & (an <= hi), full),
        (g_range & (ak == "number") & (o.col("a_op") == "=") & (an < lo), (below_n, below_d)),
        (g_range & (ak == "number") & (o.col("a_op") == "="), (above_n, above_d)),
        ((g_range | a_range) & (gn == an) & o.eq_missing(hi, o.col("a_upper")), full),
        (g_range | a_range, und),
        (o.fill(opposite, False), und),
        (at_least, (least_n, least_d)),
    ]
    done = [(cond, o.lit(out is not None)) for cond, out in branches]
    n = o.when(*[(cond, out[0] if out else o.null()) for cond, out in branches], otherwise=most_n)
    d = o.when(*[(cond, out[1] if out else o.null()) for cond, out in branches], otherwise=most_d)
    computed = o.when(*done, otherwise=o.lit(True))
    return _finish(c, computed, n, d, P, S)


def _finish(c: Compiler, computed: Expr, n: Expr, d: Expr, P: Expr, S: Expr) -> dict[str, Expr]:
    o = c.o
    stated = (~computed) & o.not_null(S) & o.not_null(P) if c.rubric.use_stated else o.lit(False)
    status = o.when((computed, o.lit("computed")), (stated, o.lit("stated")), otherwise=o.lit("undetermined"))
    score = o.when((computed, c.finish(P, n, d)), (stated, c.stated(P, S)), otherwise=o.null())
    return {"status": status, "score": score}
