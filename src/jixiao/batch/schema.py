"""The dataset's tables and how figures are stored in them (docs/dataset.md is the reader's copy).

Every figure is an Int64 in micro-units (value × 10⁶): exact for the four decimal places the
forms use, summed and compared without floats. A figure with more than six decimals or beyond
±9.2 × 10¹² cannot be stored so; it is stored blank and its unit is marked ``exact = false``
with the reason, and batch scoring hands that unit to the per-package engine.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import get_args

import polars as pl

from ..model import Evaluation, ProjectTable
from ..model.values import Kind, Op
from ..rubric.fields import numeric_fields

SCALE_DIGITS = 6
SCALE = 10**SCALE_DIGITS
# The audit works in units of 10^−MAX_PLACES (half a unit of a figure's last digit, GUIDE §4.3);
# a figure written with more decimals (0E-20) would not fit its Int128 arithmetic.
MAX_PLACES = 12
_LIMIT = 2**63 - 1

# Written to DIR/dataset.json; a dataset from another version is refused (DatasetVersionError)
# rather than read with columns missing or meaning something else. 2: a ``<figure>_places`` column;
# 3: ``unit``, the package's number in the dataset (an integer join key, see ``table_key``), and
# the table's ``layout`` and the package's ``fiscal_year`` on each indicator row (what scoring
# would otherwise join onto every row), and the parsed values' kinds and operators as enums.
SCHEMA_VERSION = 3
# What version 3 added, said when an older dataset is refused.
VERSION_CHANGE = "新增单位编号列，指标行带表式和年度"

TABLES = ("units", "base_rows", "lists", "scorecard", "projects", "indicators", "narrative_amounts")


class NotExact(ValueError):
    """A figure the scaled integers cannot hold exactly."""


def places(value: Decimal | int | None) -> int | None:
    """How many decimals ``value`` was written with (3393.90 → 2, 27 → 0, 1E+2 → −2): the audit's
    tolerance and the way its messages show a figure both depend on it (GUIDE §4.3)."""
    if value is None:
        return None
    if isinstance(value, int):
        return 0
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return None  # not finite: scaled() reports it
    if value.is_zero() and value.is_signed():
        # −0.00 is shown with its sign (“得分 -0.00”), which an integer cannot keep
        raise NotExact(f"{value} 是带负号的零")
    if -exponent > MAX_PLACES:
        raise NotExact(f"{value} 写了 {-exponent} 位小数，超过 {MAX_PLACES} 位")
    return -exponent


def with_places(figures: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    """Each figure column followed by its ``_places`` column."""
    return {k: t for name, kind in figures.items() for k, t in ((name, kind), (f"{name}_places", PLACES))}


def scaled(value: Decimal | int | None) -> int | None:
    """``value`` × 10⁶ as an exact integer, or NotExact."""
    if value is None:
        return None
    if isinstance(value, int):
        out = value * SCALE
    else:
        if not value.is_finite():
            raise NotExact(f"{value} 不是有限数")
        shifted = value.scaleb(SCALE_DIGITS)
        if shifted != shifted.to_integral_value():
            raise NotExact(f"{value} 超过 {SCALE_DIGITS} 位小数")
        out = int(shifted)
    if not -_LIMIT <= out <= _LIMIT:
        raise NotExact(f"{value} 超出批量计算的范围")
    return out


@cache
def unit_fields() -> tuple[str, ...]:
    """Scalar figures of a package, one column each in ``units`` (named by their formula path)."""
    return tuple(p for p, t in numeric_fields(Evaluation).items()
                 if t == "number" and not p.startswith(("projects.", "department_evaluation.", "scorecard.")))


@cache
def list_fields() -> tuple[str, ...]:
    """Figures under a list of the base data table; one row each in ``lists``."""
    return tuple(p for p, t in numeric_fields(Evaluation).items() if t == "list" and p.startswith("base_data."))


@cache
def table_fields() -> tuple[str, ...]:
    """Scalar figures of a project-form table, one column each in ``projects``."""
    return tuple(p for p, t in numeric_fields(ProjectTable).items() if t == "number")


# Figures only the department self-evaluation table has (DepartmentEvaluation), in ``projects``.
DEPARTMENT_FIELDS = ("basic_budget", "project_budget")

STR, I64, I32, BOOL, PLACES = pl.String, pl.Int64, pl.Int32, pl.Boolean, pl.Int8
# A parsed value's kind and operator are closed sets: as enums, the scoring's many comparisons
# of them are comparisons of small integers, not of strings.
KIND, OP = pl.Enum(list(get_args(Kind))), pl.Enum(list(get_args(Op)))
_VALUE = {"kind": KIND, "op": OP, "number": I64, "upper": I64, "unit": STR, "per": STR, "subject": STR, "year": I32}


# ``unit`` is below 2**31 (build refuses more packages), and ``table`` an Int32 from −1 up, so
# the key below is exact and unique in Int64: one integer, which joins and groups several times
# faster than the pair (eval_id, table).
UNIT_LIMIT = 2**31


def table_key(unit: pl.Expr, table: pl.Expr) -> pl.Expr:
    """One Int64 naming a project-form table of the dataset."""
    return unit * 2**32 + (table.cast(pl.Int64) + 1)


def schemas() -> dict[str, dict[str, pl.DataType]]:
    base = {"eval_id": STR, "unit": I64, "source": STR}
    value_cols = {f"{side}_{k}": t for side in ("target", "adjusted", "actual") for k, t in _VALUE.items()}
    return {
        "units": {**base, "unit_name": STR, "unit_code": STR, "supervisor": STR, "fiscal_year": I32,
                  "has_scorecard": BOOL, "has_department_table": BOOL, "project_count": I32,
                  "exact": BOOL, "inexact_reason": STR,
                  **with_places({f: I64 for f in unit_fields() if f != "fiscal_year"})},
        "base_rows": {**base, "section": STR, "position": I32, "name": STR, "category": STR,
                      **with_places({"prior_final": I64, "budget": I64, "adjusted_budget": I64, "final": I64})},
        "lists": {**base, "path": STR, "position": I32, "value": I64},
        "scorecard": {**base, "position": I32, "level1": STR, "level2": STR, "name": STR, "label": STR,
                      **with_places({"level1_points": I64, "level2_points": I64, "points": I64, "score": I64}),
                      "criteria": STR, "description": STR, "has_answer": BOOL,
                      "answer_value": I64, "answer_out_of": I64, "answer_level": STR,
                      "answer_items": pl.List(BOOL), "answer_score": I64, "answer_justification": STR},
        "projects": {**base, "table": I32, "kind": STR, "name": STR, "department": STR, "implementer": STR,
                     "layout": STR, "indicator_count": I32, "inexact": pl.List(STR),
                     **with_places({f: I64 for f in (*table_fields(), *DEPARTMENT_FIELDS)})},
        "indicators": {**base, "table": I32, "layout": STR, "fiscal_year": I32, "position": I32, "level1": STR, "level2": STR, "name": STR,
                       **with_places({"points": I64, "coefficient": I64, "score": I64}), "kind": STR, "core": BOOL,
                       "has_deviation": BOOL, "target": STR, "target_adjusted": STR, "actual": STR,
                       **value_cols, "actual_none": BOOL, "actual_on_time": BOOL, "actual_late": BOOL},
        "narrative_amounts": {**base, "section": I32, "heading": STR, "label": STR, **with_places({"amount": I64}), "sentence": STR},
    }
