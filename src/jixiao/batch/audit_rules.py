"""The rules checks as column expressions (their per-package twins: jixiao/audit/rules.py)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .audit_expr import I128, amount, digits, finding, pct, percent, plain, quotient, same_figure, skip, tables, units_of
from .schema import SCALE_DIGITS
from .build import scan

Frames = tuple[list[pl.LazyFrame], list[pl.LazyFrame]]  # findings, 未能检查


def _scored_rows(directory: Path) -> pl.LazyFrame:
    """Every row with points and a score, in the per-package order: the scorecard, then each
    project-form table's 预算执行率 row and its indicators."""
    keep = ["eval_id", "table", "order", "part", "project", "subject", "name", "score", "score_places", "points", "points_places"]
    t = tables(directory)
    card = scan(directory, "scorecard").with_columns(
        pl.lit(-2, pl.Int32).alias("table"), pl.col("position").alias("order"), pl.lit("scorecard").alias("part"),
        pl.lit(None, pl.String).alias("project"), pl.lit("评分表").alias("subject"))
    execution = t.select(pl.col("eval_id"), pl.col("table"), pl.lit(-1, pl.Int32).alias("order"), "part", "project",
                         pl.col("table_name").alias("subject"), pl.lit("预算执行率").alias("name"),
                         *[pl.col(f"execution.{k}{s}").alias(f"{v}{s}") for k, v in (("score_stated", "score"), ("points", "points")) for s in ("", "_places")])
    own = scan(directory, "indicators").with_columns(pl.col("position").alias("order")).join(
        t.select("eval_id", "table", "part", "project", pl.col("table_name").alias("subject")), on=["eval_id", "table"])
    return pl.concat([f.select(keep) for f in (card, execution, own)])


def score_above_points(directory: Path, _: pl.LazyFrame) -> Frames:
    rows = _scored_rows(directory)
    above = rows.filter(pl.col("score") > pl.col("points"))
    message = pl.lit("“") + pl.col("name") + "”得分 " + amount("score") + " 超过分值 " + amount("points")
    pointless = (rows.filter(pl.col("score").is_not_null() & pl.col("points").is_null())
                 .group_by("eval_id", "table").agg(pl.col("name").sort_by("order").str.join("”“"), pl.first("part", "project", "subject")))
    reason = pl.col("subject") + "“" + pl.col("name") + "”填了得分却未填分值，无法核对"
    return ([finding(above, "rules.score-above-points", "error", message, indicator=pl.col("name"), column="得分")],
            [skip(pointless, "rules.score-above-points", reason, column="分值")])


def over_execution(directory: Path, _: pl.LazyFrame) -> Frames:
    t = tables(directory)
    budget, executed = pl.col("funds.total.full_year_budget"), pl.col("funds.total.executed")
    none = t.filter((budget == 0) & (executed > 0))
    over = t.filter((budget > 0) & (executed > budget))
    blank = t.filter(budget.is_null() | executed.is_null())
    which = pl.concat_str([pl.when(budget.is_null()).then(pl.lit("全年预算数")),
                           pl.when(budget.is_null() & executed.is_null()).then(pl.lit("、")),
                           pl.when(executed.is_null()).then(pl.lit("全年执行数"))], ignore_nulls=True)
    code = "rules.over-execution"
    return ([
        finding(none, code, "warning", pl.lit("全年预算数为 0，却执行了 ") + amount("funds.total.executed") + " 万元", row="年度资金总额"),
        finding(over, code, "warning", pl.lit("全年执行数 ") + amount("funds.total.executed") + " 超过全年预算数 "
                + amount("funds.total.full_year_budget") + "（执行率 " + pct(executed, budget) + "）", row="年度资金总额"),
    ], [skip(blank, code, pl.col("table_name") + "年度资金总额未填" + which + "，无法判断是否超预算执行", row="年度资金总额")])


def full_points_missed_target(directory: Path, scores: pl.LazyFrame) -> Frames:
    t = tables(directory).select("eval_id", "table", "part", "project", "kind")
    units = scan(directory, "units").select("eval_id", "has_scorecard")
    missed = (scores.filter((pl.col("position") >= 0) & (pl.col("status") == "computed") & (pl.col("stated_score") == pl.col("points"))
                            & (pl.col("score") < pl.col("points")))
              .join(t, on=["eval_id", "table"]).join(units, on="eval_id")
              .filter(~((pl.col("part") == "department_evaluation") & pl.col("has_scorecard")))
              .join(scan(directory, "indicators").select("eval_id", "table", "position", "points_places"), on=["eval_id", "table", "position"]))
    # The per-package message also quotes the rescore's target/actual text and the score at the
    # rubric's precision; batch scores carry neither, so differential.py compares this message
    # without them (see MESSAGE_RULES there).
    message = (pl.lit("“") + pl.col("name") + "”未达到目标却计满分 " + amount("points") + "；按规则应得 "
               + plain("score") + " 分")
    return [finding(missed, "rules.full-points-missed-target", "error", message, indicator=pl.col("name"), column="得分")], []


def _explained(num: pl.Expr, den: pl.Expr, stated: str) -> pl.Expr:
    """tolerance.rate_explained: the stated percent is num ÷ den rounded half up, or cut off."""
    p = pl.col(f"{stated}_places")
    want = units_of(pl.col(stated), p)
    return (quotient(num, den, p) == want) | (quotient(num, den, p, down=True) == want)


def on_initial_budget(stated: str = "execution.rate_stated") -> pl.Expr:
    """tolerance.on_initial_budget over the columns of a project-form table."""
    initial, full, executed = pl.col("funds.total.initial_budget"), pl.col("funds.total.full_year_budget"), pl.col("funds.total.executed")
    usable = pl.col(stated).is_not_null() & (initial != 0) & (full != 0) & executed.is_not_null()
    return (usable & _explained(executed, initial, stated) & ~_explained(executed, full, stated)).fill_null(False)


def rate_base(directory: Path, _: pl.LazyFrame) -> Frames:
    t = tables(directory)
    initial, full, executed = pl.col("funds.total.initial_budget"), pl.col("funds.total.full_year_budget"), pl.col("funds.total.executed")
    stated = percent("execution.rate_stated")
    unknown = t.filter(pl.col("execution.rate_stated").is_not_null() & (initial != 0)
                       & ~(executed.is_not_null() & (full != 0)).fill_null(False))
    why = (pl.when(executed.is_null()).then(pl.lit("全年执行数未填")).when(full.is_null()).then(pl.lit("全年预算数未填"))
           .otherwise(pl.lit("全年预算数为 0")))
    wrong = t.filter(on_initial_budget())
    message = (pl.lit("执行率填报 ") + stated + "，是按年初预算数 " + amount("funds.total.initial_budget") + " 计算的；应按全年预算数 "
               + amount("funds.total.full_year_budget") + " 计算为 " + pct(executed, full))
    where = {"row": "年度资金总额", "column": "执行率"}
    return ([finding(wrong, "rules.rate-base", "error", message, **where)],
            [skip(unknown, "rules.rate-base", pl.col("table_name") + "：执行率填报 " + stated + "，" + why + "，无法判断是否按年初预算数计算", **where)])


PRODUCT_SCALE = 14  # coefficient (%) × points ÷ 100 of two micro-unit figures, exact in units of 10^−14


def coefficient_times_weight(directory: Path, _: pl.LazyFrame) -> Frames:
    """rules.coefficient_times_weight; the product is worked out as Decimal does it: exact, with
    the exponent of coefficient × points unless it needs more decimals, and shown normalised."""
    c, p, s = pl.col("coefficient"), pl.col("points"), pl.col("score")
    product = c.cast(I128) * p.cast(I128)
    text = product.abs().cast(pl.String)
    zeros = text.str.len_chars().cast(pl.Int64) - text.str.strip_chars_end("0").str.len_chars().cast(pl.Int64)
    needed = PRODUCT_SCALE - zeros  # decimals of the product with its trailing zeros dropped
    ideal = pl.col("coefficient_places").cast(pl.Int64) + pl.col("points_places").cast(pl.Int64)
    places = pl.when(product == 0).then(ideal).otherwise(pl.max_horizontal(ideal, needed))
    rows = (scan(directory, "indicators").filter(c.is_not_null() & p.is_not_null() & s.is_not_null())
            .join(tables(directory).select("eval_id", "table", "part", "project"), on=["eval_id", "table"]))
    score = s.cast(I128) * 10 ** (PRODUCT_SCALE - SCALE_DIGITS)
    wrong = rows.filter(~same_figure(score, pl.col("score_places"), product, places, PRODUCT_SCALE))
    shown = digits(product, pl.when(product == 0).then(0).otherwise(needed).clip(0, None), PRODUCT_SCALE)
    # Decimal keeps the sign of a zero product: 0% × −5 reads -0
    shown = pl.when((product == 0) & ((c < 0) ^ (p < 0))).then(pl.lit("-0")).otherwise(shown)
    message = (pl.lit("“") + pl.col("name") + "”得分系数 " + amount("coefficient") + "% × 指标权重 " + amount("points") + " = " + shown
               + "，填报得分却为 " + amount("score"))
    return [finding(wrong, "rules.coefficient-times-weight", "error", message, indicator=pl.col("name"), column="得分")], []
