"""The few column operations the compiled rubric needs, for each engine that runs it.

The compiler (``compile.py``) writes every rule once against this interface; Polars and Spark
each supply it. Integers only: figures are Int64 micro-units, and a product that can outgrow
Int64 (points × actual × 10^precision) is taken ``wide`` (Polars Int128, Spark decimal(38,0)).
Division is only ever of non-negative integers, where truncating and flooring agree.
"""

from __future__ import annotations

from typing import Any

import polars as pl

Expr = Any


class PolarsOps:
    name = "polars"

    def col(self, name: str) -> Expr:
        return pl.col(name)

    def lit(self, value: Any) -> Expr:
        if isinstance(value, int) and not isinstance(value, bool):
            return pl.lit(value, dtype=pl.Int64)
        return pl.lit(value)

    def when(self, *branches: tuple[Expr, Expr], otherwise: Expr) -> Expr:
        (cond, then), *rest = branches
        chain = pl.when(cond).then(then)
        for cond, then in rest:
            chain = chain.when(cond).then(then)
        return chain.otherwise(otherwise)

    def null(self) -> Expr:
        return pl.lit(None)

    def is_null(self, e: Expr) -> Expr:
        return e.is_null()

    def not_null(self, e: Expr) -> Expr:
        return e.is_not_null()

    def is_in(self, e: Expr, values: list[str]) -> Expr:
        return e.is_in(values)

    def eq_missing(self, a: Expr, b: Expr) -> Expr:
        return a.eq_missing(b)

    def coalesce(self, *es: Expr) -> Expr:
        return pl.coalesce(*es)

    def least(self, *es: Expr) -> Expr:
        return pl.min_horizontal(*es)

    def greatest(self, *es: Expr) -> Expr:
        return pl.max_horizontal(*es)

    def idiv(self, a: Expr, b: Expr) -> Expr:
        return a // b

    def wide(self, e: Expr) -> Expr:
        return e.cast(pl.Int128)

    def neg(self, e: Expr) -> Expr:
        # Polars has no negation on Int128; a subtraction from zero is the same integer
        return pl.lit(0, dtype=pl.Int128) - e

    def narrow(self, e: Expr) -> Expr:
        return e.cast(pl.Int64)

    def strip(self, e: Expr) -> Expr:
        return e.str.strip_chars()

    def fill(self, e: Expr, value: Any) -> Expr:
        return e.fill_null(value)

    # aggregates, inside group_by
    def agg_sum(self, e: Expr) -> Expr:
        return e.sum()

    def agg_count(self, e: Expr) -> Expr:
        return e.cast(pl.Int64).sum()

    def agg_any(self, e: Expr) -> Expr:
        return e.any()


class SparkOps(PolarsOps):
    name = "spark"

    def __init__(self) -> None:
        from pyspark.sql import functions as F
        from pyspark.sql import types as T

        self.F, self.T = F, T

    def col(self, name: str) -> Expr:
        return self.F.col(f"`{name}`")

    def lit(self, value: Any) -> Expr:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.F.lit(value).cast(self.T.LongType())
        return self.F.lit(value)

    def when(self, *branches: tuple[Expr, Expr], otherwise: Expr) -> Expr:
        (cond, then), *rest = branches
        chain = self.F.when(cond, then)
        for cond, then in rest:
            chain = chain.when(cond, then)
        return chain.otherwise(otherwise)

    def null(self) -> Expr:
        return self.F.lit(None)

    def is_null(self, e: Expr) -> Expr:
        return e.isNull()

    def not_null(self, e: Expr) -> Expr:
        return e.isNotNull()

    def is_in(self, e: Expr, values: list[str]) -> Expr:
        return e.isin(values) if values else self.F.lit(False)

    def eq_missing(self, a: Expr, b: Expr) -> Expr:
        return a.eqNullSafe(b)

    def coalesce(self, *es: Expr) -> Expr:
        return self.F.coalesce(*es)

    def least(self, *es: Expr) -> Expr:
        return self.F.least(*es)

    def greatest(self, *es: Expr) -> Expr:
        return self.F.greatest(*es)

    def idiv(self, a: Expr, b: Expr) -> Expr:
        # Spark has no integral division on columns; on decimal(38,0), (a − a mod b) / b is exact.
        a, b = self.wide(a), self.wide(b)
        return ((a - a % b) / b).cast(self.T.DecimalType(38, 0))

    def wide(self, e: Expr) -> Expr:
        return e.cast(self.T.DecimalType(38, 0))

    def narrow(self, e: Expr) -> Expr:
        return e.cast(self.T.LongType())

    def neg(self, e: Expr) -> Expr:
        return -e

    def strip(self, e: Expr) -> Expr:
        return self.F.regexp_replace(e, r"^[\s\u3000]+|[\s\u3000]+$", "")

    def fill(self, e: Expr, value: Any) -> Expr:
        return self.F.coalesce(e, self.lit(value))

    def agg_sum(self, e: Expr) -> Expr:
        return self.F.sum(e)

    def agg_count(self, e: Expr) -> Expr:
        return self.F.sum(e.cast(self.T.LongType()))

    def agg_any(self, e: Expr) -> Expr:
        return self.F.max(e.cast(self.T.IntegerType())) == 1
