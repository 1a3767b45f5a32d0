"""The unit's own indicators of a project table (``rubric/project.py``) as column expressions.

Two stages, because the unit conversion is a join: ``goal_columns`` picks the target the
actual answers to (调整指标值 where there is one) and reads 无 as 0; then, with the sizes of the
two units joined in (``fa``, ``fb``; null when they do not compare) and ``level2_column``,
``score_columns`` gives each row its status and micro-points.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..rubric.units import sizes
from .compile import NUMERIC, QUANTITATIVE, Compiler, rational
from .ir import Expr

FIELDS = ("kind", "op", "number", "upper", "unit", "per", "subject", "year")
# The columns of ``indicators`` that scoring reads (a column missing here fails loudly).
READS = ("eval_id", "unit", "table", "layout", "fiscal_year", "position", "name", "points", "score", "kind", "level2",
         *[f"{side}_{f}" for side in ("target", "adjusted", "actual") for f in FIELDS], "actual_none", "actual_on_time", "actual_late")


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
        (na, da), (nb, db) = rational(pair[1]), rational(pair[2])
        out.append((ua, ug, na * db, nb * da))
    return out


def level2_column(o: Any, names: Iterable[str | None], at_most: list[str]) -> dict[str, Expr]:
    """``level2_most``: the indicator's 二级指标 is one the rubric scores "at most" (成本指标,
    时效指标). Decided once per distinct name in the data (``names``), stripped as the
    per-package engine strips it, so that each row costs one lookup instead of a strip."""
    flagged = sorted({n for n in names if n is not None and n.strip() in at_most})
    return {"level2_most": o.fill(o.is_in(o.col("level2"), flagged), False)}


def score_columns(c: Compiler) -> list[dict[str, Expr]]:
    """Stages of columns, applied in order, ending in ``status`` and ``score`` (micro-points) of
    each own indicator by compiled rubric ``c``. Each stage names what the next reads, so no
    condition is written (or computed) twice: one ``branch`` number per row picks the rule."""
    o = c.o
    rules = c.rubric.indicators
    assert rules is not None
    P, S = o.col("points"), o.col("stated_score")
    gk, ak = o.col("g_kind"), o.col("a_kind")
    gn, an = o.col("g_number"), o.col("a_number")
    # deadlines read the actual as written (before 无 becomes 0); a month without a year is in
    # the evaluated fiscal year, and only without that does one side lend its year to the other
    aky = o.col("actual_kind")
    ay0 = o.coalesce(o.col("actual_year"), o.col("fiscal_year"))
    ty0 = o.coalesce(o.col("g_year"), o.col("fiscal_year"))
    ay, ty = o.coalesce(ay0, ty0, o.lit(0)), o.coalesce(ty0, ay0, o.lit(0))
    level2_most = o.col("level2_most")  # level2_column, joined in with the unit sizes
    facts = {
        "quantitative": o.when((o.not_null(o.col("kind")), o.col("kind") == "quantitative"), otherwise=o.is_in(gk, QUANTITATIVE)),
        "late": (ay > ty) | ((ay == ty) & (o.col("actual_number") > gn)),
        "dated": (aky == "deadline") | ((aky == "number") & (o.col("actual_unit") == "月")
                                        & o.is_null(o.col("actual_year")) & (o.col("actual_op") == "=")),
        "on_time": o.col("actual_on_time") & ~o.col("actual_late"),
        "A": o.wide(an) * o.wide(o.col("fa")),
        "T": o.wide(gn) * o.wide(o.col("fb")),
        "at_least": o.is_in(o.col("g_op"), [">=", ">"]) | (
            ~(o.is_in(o.col("g_op"), ["<=", "<"]) | (gn == 0)) & ((o.col("g_unit") == "%") | ~level2_most)),
        "g_range": gk == "range",
        "a_range": ak == "range",
        "exact_actual": (ak == "number") & (o.col("a_op") == "="),
    }
    A, T, at_least = o.col("A"), o.col("T"), o.col("at_least")
    g_range, a_range, exact = o.col("g_range"), o.col("a_range"), o.col("exact_actual")
    lo, hi = o.col("g_number"), o.col("g_upper")
    opposite = o.fill(o.when((at_least, o.is_in(o.col("a_op"), ["<=", "<"])), otherwise=o.is_in(o.col("a_op"), [">=", ">"])), False)
    # a branch earns nothing determined (None), its full points ("full"), or a ratio of an
    # actual to a target (GUIDE §4.1): the branch picks the two figures and the direction, and
    # one product per row follows, instead of one per ratio branch on every row
    full, und = "full", None
    deadline = gk == "deadline"
    branches: list[tuple[Expr, Any]] = [
        (o.is_null(P), und),
        (~o.col("quantitative"), und),
        (deadline & o.col("dated") & ~o.col("late"), full),
        (deadline & o.col("dated"), und),
        (deadline & o.col("on_time"), full),
        (deadline, und),
        (~o.is_in(gk, NUMERIC), und),  # relative, unparsed, blank, qualitative
        (~o.is_in(ak, NUMERIC), und),
        (o.is_null(o.col("fa")), und),
        (~o.eq_missing(o.col("g_per"), o.col("a_per")), und),
        ((o.col("fa") != o.col("fb")) & (g_range | a_range), und),
        (g_range & exact & (an >= lo) & (an <= hi), full),
        (g_range & exact & (an < lo), (o.wide(an), o.wide(lo), True)),
        (g_range & exact, (o.wide(an), o.wide(hi), False)),
        ((g_range | a_range) & (gn == an) & o.eq_missing(hi, o.col("a_upper")), full),
        (g_range | a_range, und),
        (opposite, und),
        (at_least, (A, T, True)),
        (o.lit(True), (A, T, False)),
    ]
    branch = o.when(*[(cond, o.lit(k)) for k, (cond, _) in enumerate(branches)], otherwise=o.lit(-1))
    ratios = [(o.col("branch") == k, out) for k, (_, out) in enumerate(branches) if isinstance(out, tuple)]
    picked = {
        "computed": o.is_in(o.col("branch"), [k for k, (_, out) in enumerate(branches) if out is not None]),
        "ra": o.when(*[(cond, out[0]) for cond, out in ratios], otherwise=o.null()),
        "rt": o.when(*[(cond, out[1]) for cond, out in ratios], otherwise=o.null()),
        "rl": o.when(*[(cond, o.lit(out[2])) for cond, out in ratios], otherwise=o.null()),  # null: full points
    }
    ra, rt, rl = o.col("ra"), o.col("rt"), o.col("rl")
    sides = {"met": o.when((rl, ra >= rt), otherwise=ra <= rt),
             "part": o.when((rl, ra), otherwise=rt), "whole": o.when((rl, rt), otherwise=ra)}
    one, whole, partial = o.wide(o.lit(1)), o.col("whole"), o.col("whole") > 0
    taken = (~o.col("computed"), o.null())
    fraction = {
        "n": o.when(taken, (o.is_null(rl), o.wide(P)), (o.col("met"), o.wide(P)), (partial, o.wide(P) * o.col("part")), otherwise=o.wide(P)),
        "d": o.when(taken, (o.is_null(rl), one), (o.col("met"), one), (partial, whole), otherwise=one),
    }
    return [facts, {"branch": branch}, picked, sides, fraction, *finish_stages(c, o.col("computed"), P, S)]


def finish_stages(c: Compiler, computed: Expr, P: Expr, S: Expr, otherwise: Expr | None = None) -> list[dict[str, Expr]]:
    """From ``n``/``d`` to status and score; an undetermined score falls back to the stated one
    where the rubric allows (``otherwise``: the status when neither, "undetermined" by default)."""
    o = c.o
    otherwise = o.lit("undetermined") if otherwise is None else otherwise
    undetermined = otherwise == "undetermined"
    stated = (~computed) & undetermined & o.not_null(S) & o.not_null(P) if c.rubric.use_stated else o.lit(False)
    clamped = o.least(o.greatest(S, o.lit(0)), P)
    return [
        {"status": o.when((computed, o.lit("computed")), (stated, o.lit("stated")), otherwise=otherwise),
         "n": o.when((computed, o.col("n")), (stated, o.wide(clamped)), otherwise=o.null()),
         "d": o.when((computed, o.col("d")), (stated, o.wide(o.lit(1))), otherwise=o.null())},
        {"r": c.rounded(o.col("n"), o.col("d"))},
        {"score": o.when((o.col("r") > P, P), otherwise=o.col("r"))},
    ]
