"""The arithmetic checks as column expressions (their per-package twins: jixiao/audit/arithmetic.py)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .audit_expr import I128, amount, digits, finding, join, skip, slack2, sum_places, sums_agree, tables
from .build import scan

Frames = tuple[list[pl.LazyFrame], list[pl.LazyFrame]]  # findings, 未能检查

COLUMNS = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}
SOURCES = {"fiscal": "当年财政拨款", "carried_over": "上年结转资金", "other": "其他资金"}


Figure = tuple[pl.Expr, pl.Expr]  # micro-units, decimals written


def fig(column: str) -> Figure:
    return pl.col(column), pl.col(f"{column}_places")


def row_by_columns(frame: pl.LazyFrame, code: str, subject: pl.Expr, name: str, columns: dict[str, tuple[Figure, dict[str, Figure]]],
                   where: dict[str, str]) -> tuple[list[pl.LazyFrame], pl.LazyFrame]:
    """arithmetic._row_by_columns: a row's total against its parts, column by column (a finding
    at ``where`` and the column), and one 未能检查 record for the columns a blank leaves unchecked."""
    findings, blank_total, blank_parts = [], [], []
    for title, ((total, total_places), parts) in columns.items():
        known = pl.any_horizontal([v.is_not_null() for v, _ in parts.values()])
        figure = pl.sum_horizontal([v.cast(I128) for v, _ in parts.values()])
        shown = digits(figure, sum_places(*[p for _, p in parts.values()]))
        slack = pl.sum_horizontal([slack2(p) for _, p in parts.values()])
        wrong = frame.filter(total.is_not_null() & known & ~sums_agree(total, total_places, figure, slack))
        terms = join([pl.when(v.is_not_null()).then(pl.lit(f"{k} ") + digits(v, p)) for k, (v, p) in parts.items()], " + ")
        findings.append(finding(wrong, code, "error", pl.lit(f"{title}：{name} ") + digits(total, total_places) + " 不等于 " + terms + " = " + shown,
                                **where, column=title))
        names = [pl.when(v.is_not_null()).then(pl.lit(k)) for k, (v, _) in parts.items()]
        one = pl.sum_horizontal([v.is_not_null().cast(pl.Int32) for v, _ in parts.values()]) == 1
        sum_of = join(names, "、") + pl.when(one).then(pl.lit("为 ")).otherwise(pl.lit("之和为 ")) + shown
        blank_total.append(pl.when(total.is_null() & known).then(pl.lit(f"{title}（") + sum_of + "）"))
        blank_parts.append(pl.when(total.is_not_null() & ~known).then(pl.lit(f"{title} ") + digits(total, total_places)))
    every = "、".join(next(iter(columns.values()))[1])
    clauses = join([pl.lit(f"{name}未填") + join(blank_total, "、"), pl.lit(f"{name}已填") + join(blank_parts, "、") + f"，{every}均未填"], "；")
    gaps = frame.with_columns(clauses.alias("clauses")).filter(pl.col("clauses").is_not_null())
    return findings, skip(gaps, code, subject + pl.col("clauses") + "，无法核对", **where)


def funds_by_source(directory: Path, _: pl.LazyFrame) -> Frames:
    code, row = "arithmetic.funds-by-source", "年度资金总额"
    t = tables(directory)
    columns = {title: (fig(f"funds.total.{column}"), {name: fig(f"funds.{key}.{column}") for key, name in SOURCES.items()})
               for column, title in COLUMNS.items()}
    empty = ~pl.any_horizontal([c.is_not_null() for (total, _), parts in columns.values() for c in (total, *(v for v, _ in parts.values()))])
    findings, gaps = row_by_columns(t.filter(~empty), code, pl.col("table_name") + "：", row, columns, {"row": row})
    return findings, [skip(t.filter(empty), code, pl.col("table_name") + f"未填{row}，也未填各资金来源，无法核对", row=row), gaps]


def _sums(frame: pl.LazyFrame, keys: list[str], column: str) -> pl.LazyFrame:
    """Per group: the sum of the filled ``column``, how many are filled, and the sum's decimals."""
    filled = pl.col(column).is_not_null()
    return frame.group_by(keys).agg(pl.col(column).cast(I128).sum().alias("sum"), filled.sum().alias("n"),
                                    pl.col(f"{column}_places").filter(filled).max().alias("sum_places"))


def _score_sums(directory: Path, t: pl.LazyFrame, column: str, execution: str) -> pl.LazyFrame:
    """Each project-form table with the sum of its 预算执行率 figure and its indicators' figures."""
    own = _sums(scan(directory, "indicators"), ["eval_id", "table"], column)
    e = pl.col(execution)
    return (t.join(own, on=["eval_id", "table"], how="left")
            .with_columns((pl.col("sum").fill_null(0) + e.fill_null(0).cast(I128)).alias("sum"),
                          (pl.col("n").fill_null(0) + e.is_not_null().cast(pl.UInt32)).alias("n"),
                          sum_places(pl.col("sum_places"), pl.col(f"{execution}_places")).alias("sum_places")))


def score_total(directory: Path, _: pl.LazyFrame) -> Frames:
    code = "arithmetic.score-total"
    t = _score_sums(directory, tables(directory), "score", "execution.score_stated")
    shown, stated = digits(pl.col("sum"), pl.col("sum_places")), pl.col("total_stated")
    findings = [
        finding(t.filter(stated.is_null() & (pl.col("n") > 0)), code, "warning", pl.lit("总分未填写；各项得分之和为 ") + shown, row="总分"),
        finding(t.filter(stated.is_not_null() & (pl.col("n") > 0) & (pl.col("sum") != stated)), code, "error",
                pl.lit("总分填报 ") + amount("total_stated") + "，各项得分之和为 " + shown, row="总分"),
    ]
    skips = [skip(t.filter(stated.is_not_null() & (pl.col("n") == 0)), code,
                  pl.col("table_name") + "总分填报 " + amount("total_stated") + "，各项得分均未填，无法核对", row="总分")]
    card = (scan(directory, "units").select("eval_id", "scorecard_total_stated", "scorecard_total_stated_places")
            .join(_sums(scan(directory, "scorecard"), ["eval_id"], "score"), on="eval_id", how="left")
            .with_columns(pl.col("n").fill_null(0), sum_places(pl.col("sum_places")).alias("sum_places"),
                          pl.lit("scorecard").alias("part"), pl.lit(None, pl.String).alias("project")))
    stated, where = pl.col("scorecard_total_stated"), {"part": "scorecard", "project": None, "row": "合计"}
    findings.append(finding(card.filter(stated.is_not_null() & (pl.col("n") > 0) & (pl.col("sum") != stated)), code, "error",
                            pl.lit("评分表合计填报 ") + amount("scorecard_total_stated") + "，各项得分之和为 " + shown, **where))
    skips += [
        skip(card.filter(stated.is_null() & (pl.col("n") > 0)), code, pl.lit("评分表合计未填；各项得分之和为 ") + shown + "，无法核对", **where),
        skip(card.filter(stated.is_not_null() & (pl.col("n") == 0)), code,
             pl.lit("评分表合计填报 ") + amount("scorecard_total_stated") + "，各项得分均未填，无法核对", **where),
    ]
    return findings, skips


def points_total(directory: Path, _: pl.LazyFrame) -> Frames:
    code = "arithmetic.points-total"
    t = _score_sums(directory, tables(directory), "points", "execution.points")
    shown, total, where = digits(pl.col("sum"), pl.col("sum_places")), pl.col("total_points"), {"row": "总分", "column": "分值"}
    findings = [finding(t.filter(total.is_not_null() & (pl.col("n") > 0) & (pl.col("sum") != total)), code, "error",
                        pl.lit("各项分值之和 ") + shown + "，与总分值 " + amount("total_points") + " 不符", **where)]
    skips = [
        skip(t.filter(total.is_null() & (pl.col("n") > 0)), code, pl.col("table_name") + "总分值未填；各项分值之和为 " + shown + "，无法核对", **where),
        skip(t.filter(total.is_not_null() & (pl.col("n") == 0)), code,
             pl.col("table_name") + "总分值为 " + amount("total_points") + "，各项分值均未填，无法核对", **where),
    ]
    card = scan(directory, "scorecard")
    for level, keys in (("一", ["level1"]), ("二", ["level1", "level2"])):
        f, s = _level_points(card, level, keys)
        findings.append(f)
        skips.append(s)
    return findings, skips


def _level_points(card: pl.LazyFrame, level: str, keys: list[str]) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The scorecard's level-N points against the points of the rows under it (one group per
    level-N key, in the order the groups first appear)."""
    code, stated_col, name = "arithmetic.points-total", f"level{len(keys)}_points", pl.col(keys[-1])
    stated = pl.col(stated_col).filter(pl.col(stated_col).is_not_null())
    filled = pl.col("points").is_not_null()
    groups = (card.sort("position").group_by(["eval_id", *keys], maintain_order=True)
              .agg(pl.col("position").min().alias("first"), stated.first().alias("stated"),
                   pl.col(f"{stated_col}_places").filter(pl.col(stated_col).is_not_null()).first().alias("stated_places"),
                   pl.col("points").cast(I128).sum().alias("sum"), filled.sum().alias("n"),
                   pl.col("points_places").filter(filled).max().alias("sum_places"))
              .with_columns(sum_places(pl.col("sum_places")).alias("sum_places"), pl.lit("scorecard").alias("part"),
                            pl.lit(None, pl.String).alias("project")))
    checked = pl.col("stated").is_not_null() & (pl.col("n") > 0) & name.is_not_null()
    shown = digits(pl.col("sum"), pl.col("sum_places"))
    wrong = groups.filter(checked & (pl.col("sum") != pl.col("stated")))
    message = pl.lit(f"{level}级指标“") + name + "”分值 " + digits(pl.col("stated"), pl.col("stated_places")) + "，其下各指标分值之和为 " + shown
    unstated = pl.when(name.is_not_null() & pl.col("stated").is_null() & (pl.col("n") > 0)).then(pl.lit("“") + name + "”（其下各指标分值之和为 " + shown + "）")
    unpointed = pl.when(name.is_not_null() & pl.col("stated").is_not_null() & (pl.col("n") == 0)).then(pl.lit("“") + name + "”")
    # a scorecard without level-N points at all has nothing to check at that level
    anything = card.group_by("eval_id").agg(pl.col(stated_col).is_not_null().any().alias("any"))
    per_unit = (groups.with_columns(unstated.alias("unstated"), unpointed.alias("unpointed"))
                .group_by("eval_id").agg(pl.col("unstated").sort_by("first").drop_nulls().str.join(""),
                                         pl.col("unpointed").sort_by("first").drop_nulls().str.join(""))
                .join(anything, on="eval_id")
                .with_columns(join([pl.when((pl.col("unstated") != "") & pl.col("any")).then(pl.lit(f"{level}级指标") + pl.col("unstated") + "未填分值"),
                                    pl.when(pl.col("unpointed") != "").then(pl.lit(f"{level}级指标") + pl.col("unpointed") + "其下各指标均未填分值")],
                                   "；").alias("clauses"), pl.lit("scorecard").alias("part"), pl.lit(None, pl.String).alias("project"))
                .filter(pl.col("clauses").is_not_null()))
    return (finding(wrong, code, "error", message, row=name, column="分值"),
            skip(per_unit, code, pl.lit("评分表") + pl.col("clauses") + "，无法核对", column="分值"))
