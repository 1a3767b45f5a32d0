"""Column expressions the vectorised checks share: a figure shown as the per-package audit shows
it, the rounding tolerance of GUIDE §4.3, exact rates, and the finding and skip rows.

A figure is its micro-unit column with the ``_places`` column beside it (docs/dataset.md).
Everything is integer arithmetic; Int128 where a product of two figures may pass Int64."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .schema import MAX_PLACES, SCALE_DIGITS
from .build import scan

LOCATION = ["part", "project", "row", "column", "indicator", "section"]
FINDING_SCHEMA = {"eval_id": pl.String, "code": pl.String, "severity": pl.String, **{k: pl.String for k in LOCATION},
                  "message": pl.String, "engine": pl.String}
NOT_CHECKED_SCHEMA = {"eval_id": pl.String, "code": pl.String, **{k: pl.String for k in LOCATION},
                      "reason": pl.String, "engine": pl.String}
I128 = pl.Int128


def ten(power: pl.Expr) -> pl.Expr:
    return pl.lit(10, I128).pow(power.cast(pl.Int64))


def units_of(value: pl.Expr, places: pl.Expr, scale: int = SCALE_DIGITS) -> pl.Expr:
    """A figure (in units of 10^−scale) as an integer count of 10^−places (exact: it was written
    with that many decimals; a figure written with more, 1.50000000, has zeros past the sixth)."""
    p = places.cast(pl.Int64)
    return value.cast(I128) * ten((p - scale).clip(0, None)) // ten((pl.lit(scale) - p).clip(0, None))


def digits(value: pl.Expr, places: pl.Expr, scale: int = SCALE_DIGITS) -> pl.Expr:
    """``value`` (micro-units) shown with ``places`` decimals, as ``format(Decimal, "f")`` shows
    it: 3393.90 stays 3393.90, 27 stays 27, 1E+2 shows 100. (A negative zero, -0.00, is never
    stored: schema.places marks its unit inexact.)"""
    p = places.cast(pl.Int64)
    whole = units_of(value, places, scale)
    magnitude = whole.abs()
    int_part = (magnitude // ten(p.clip(0, None))).cast(pl.String)
    frac = (magnitude % ten(p.clip(0, None))).cast(pl.String).str.zfill(p.clip(0, None))
    sign = pl.when(whole < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.when(p > 0).then(sign + int_part + "." + frac).otherwise(sign + int_part)


def amount(column: str) -> pl.Expr:
    """A stored figure as the per-package audit's ``amount`` shows it."""
    return digits(pl.col(column), pl.col(f"{column}_places"))


def plain(column: str) -> pl.Expr:
    """A figure whose written decimals are not known, without trailing zeros (9.50 → 9.5)."""
    return digits(pl.col(column), pl.lit(SCALE_DIGITS)).str.strip_chars_end("0").str.strip_chars_end(".")


def sum_places(*places: pl.Expr) -> pl.Expr:
    """Decimals of ``sum(parts, Decimal(0))``: the most of any part, and never fewer than 0."""
    return pl.max_horizontal(pl.lit(0), *places)


def slack2(places: pl.Expr) -> pl.Expr:
    """Twice half a unit of the last shown digit, in units of 10^−MAX_PLACES (0.005 → 10^10)."""
    return ten(pl.lit(MAX_PLACES) - places.cast(pl.Int64))


def sums_agree(total: pl.Expr, total_places: pl.Expr, parts: pl.Expr, parts_slack2: pl.Expr) -> pl.Expr:
    """tolerance.sums_agree with every side doubled and in units of 10^−MAX_PLACES, so the half
    units stay integers."""
    gap = (total.cast(I128) - parts.cast(I128)).abs() * 2 * 10 ** (MAX_PLACES - SCALE_DIGITS)
    return gap <= slack2(total_places) + parts_slack2


def rounded_units(value: pl.Expr, places: pl.Expr, scale: int = SCALE_DIGITS) -> pl.Expr:
    """A figure (in units of 10^−scale) rounded half up to ``places`` decimals, as a count of 10^−places."""
    p = places.cast(pl.Int64)
    top, bottom = value.cast(I128).abs() * ten((p - scale).clip(0, None)), ten((pl.lit(scale) - p).clip(0, None))
    magnitude = (2 * top + bottom) // (2 * bottom)
    return pl.when(value < 0).then(0 - magnitude).otherwise(magnitude)


def same_figure(a: pl.Expr, a_places: pl.Expr, b: pl.Expr, b_places: pl.Expr, scale: int = SCALE_DIGITS) -> pl.Expr:
    """tolerance.same_figure: the one written with more decimals, rounded to the other's, is it.
    Both figures are in units of 10^−scale."""
    a_coarse = a_places <= b_places
    coarse, fine = pl.when(a_coarse).then(a).otherwise(b), pl.when(a_coarse).then(b).otherwise(a)
    places = pl.min_horizontal(a_places, b_places)
    return rounded_units(fine, places, scale) == units_of(coarse, places, scale)


def quotient(num: pl.Expr, den: pl.Expr, places: pl.Expr, down: bool = False) -> pl.Expr:
    """num ÷ den × 100 as an integer count of 10^−places, rounded half up (ROUND_HALF_UP: ties
    away from zero) or cut toward zero (ROUND_DOWN). Exact, where Decimal first rounds the
    quotient to 28 digits: the two differ only past the 28th digit of a non-terminating quotient."""
    p = places.cast(pl.Int64)
    top = num.cast(I128).abs() * 100 * ten(p.clip(0, None))
    bottom = den.cast(I128).abs() * ten((-p).clip(0, None))
    magnitude = top // bottom if down else (2 * top + bottom) // (2 * bottom)
    return pl.when(negative(num, den)).then(0 - magnitude).otherwise(magnitude)


def negative(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return (num != 0) & ((num < 0) ^ (den < 0))


def pct(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """rubric.methods.pct of num ÷ den: two decimals, half up, trailing zeros dropped (65.3%)."""
    q = quotient(num, den, pl.lit(2))
    text = digits(q * 10_000, pl.lit(2)).str.strip_chars_end("0").str.strip_chars_end(".")
    # Decimal keeps the sign of a negative rate that rounds to zero: −0.001% reads -0%
    return pl.when(negative(num, den) & (q == 0)).then(pl.lit("-0")).otherwise(text) + "%"


def percent(column: str) -> pl.Expr:
    """A stated rate as ``f"{stated}%"`` writes it (str(Decimal): the same digits as format "f"
    for the rates forms carry; a rate written 1E+2 would read 1E+2% there and 100% here)."""
    return amount(column) + "%"


def join(parts: list[pl.Expr], separator: str) -> pl.Expr:
    """The non-null parts joined, in order; null when there are none."""
    joined = pl.concat_list([p.cast(pl.String) for p in parts]).list.drop_nulls().list.join(separator)
    return pl.when(joined == "").then(None).otherwise(joined)


def nested_quotes(message: pl.Expr) -> pl.Expr:
    """registry.nested_quotes: “‘三公经费’变动率”, as Check.finding writes every message."""
    return message.str.replace_all(r"“([^“”]*)“([^“”]*)”([^“”]*)”", "“${1}‘${2}’${3}”")


def tables(directory: Path) -> pl.LazyFrame:
    """Project-form tables with the location and name (``table_name``) the per-package audit gives them."""
    t = scan(directory, "projects")
    department = pl.col("kind") == "department"
    project = pl.when(pl.col("name") != "").then(pl.col("name")).otherwise(pl.lit("第 ") + (pl.col("table") + 1).cast(pl.String) + " 个项目")
    return t.with_columns(pl.when(department).then(pl.lit("department_evaluation")).otherwise(pl.lit("project")).alias("part"),
                          pl.when(department).then(None).otherwise(project).alias("project"),
                          pl.when(department).then(pl.lit("部门整体支出绩效自评表"))
                          .otherwise(pl.lit("项目“") + project + "”的自评表").alias("table_name"))


def _where(where: dict[str, pl.Expr | str | None]) -> list[pl.Expr]:
    cols = {"part": pl.col("part"), "project": pl.col("project"), "row": None, "column": None, "indicator": None, "section": None, **where}
    return [(v if isinstance(v, pl.Expr) else pl.lit(v, pl.String)).cast(pl.String).alias(k) for k, v in cols.items()]


def finding(frame: pl.LazyFrame, code: str, severity: str | pl.Expr, message: pl.Expr, **where: pl.Expr | str | None) -> pl.LazyFrame:
    level = severity if isinstance(severity, pl.Expr) else pl.lit(severity)
    return frame.select(pl.col("eval_id"), pl.lit(code).alias("code"), level.alias("severity"), *_where(where),
                        nested_quotes(message).alias("message"), pl.lit("batch").alias("engine"))


def skip(frame: pl.LazyFrame, code: str, reason: pl.Expr, **where: pl.Expr | str | None) -> pl.LazyFrame:
    """A 未能检查 row; Check.skip does not rewrite nested quotes, so neither does this."""
    return frame.select(pl.col("eval_id"), pl.lit(code).alias("code"), *_where(where), reason.alias("reason"),
                        pl.lit("batch").alias("engine"))
