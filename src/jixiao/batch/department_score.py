"""The compiled department plan (``department.py``) run over a dataset in Polars: one frame per
rubric indicator (each unit with its scoring-table row), then the table's total and grade."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..rubric.loader import CompiledRubric
from .build import scan
from .compile import NotCompilable
from .department import DepartmentPlan, list_column
from .ir import PolarsOps
from .plan import table_aggregates, table_verdict

IND_COLS = ["eval_id", "table", "position", "name", "points", "score", "stated_score", "status"]
ROW_COLS = ["score", "answer_value", "answer_out_of", "answer_level", "answer_items", "answer_score", "answer_justification"]


def department_not_compiled(department: CompiledRubric | None) -> str | None:
    """Why units with a scoring table go to the per-package engine (None: they need not)."""
    if department is None:
        return None
    try:
        DepartmentPlan(PolarsOps(), department)
    except NotCompilable as exc:
        return str(exc)
    return None


def with_lists(units: pl.LazyFrame, lists: pl.LazyFrame, paths: set[str]) -> pl.LazyFrame:
    """Each list field a formula sums or counts, as unit columns: an empty list sums to 0, one
    blank item makes the sum blank (as ``sum()`` in the formula language)."""
    for path in sorted(paths):
        agg = lists.filter(pl.col("path") == path).group_by("eval_id").agg(
            pl.col("value").sum().alias(list_column(path, "sum")),
            pl.col("value").is_null().any().alias(list_column(path, "blank")),
            pl.len().cast(pl.Int64).alias(list_column(path, "count")))
        units = units.join(agg, on="eval_id", how="left").with_columns(
            pl.col(list_column(path, "sum")).fill_null(0), pl.col(list_column(path, "blank")).fill_null(False),
            pl.col(list_column(path, "count")).fill_null(0))
    return units


def matched_rows(scorecard: pl.LazyFrame, labels: list[str]) -> pl.LazyFrame:
    """Per unit, the scoring-table row of an indicator: the first of its rows with a score or
    points, else its first row (a merged row without figures yields, as ``_find_row``)."""
    rows = scorecard.filter(pl.col("label").is_in(labels))
    figured = pl.col("score").is_not_null() | pl.col("points").is_not_null()
    pick = rows.group_by("eval_id").agg(
        pl.coalesce(pl.col("position").filter(figured).min(), pl.col("position").min()).alias("position"))
    return rows.join(pick, on=["eval_id", "position"]).select("eval_id", *ROW_COLS)


def _staged(frame: pl.LazyFrame, stages: list[dict]) -> pl.LazyFrame:
    for stage in stages:
        frame = frame.with_columns(**stage)
    return frame


def department_scores(directory: Path, department: CompiledRubric, skip: pl.LazyFrame | None,
                      part: str | None = None) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(indicator scores, table scores) of the scoring table of every unit that has one."""
    o = PolarsOps()
    plan = DepartmentPlan(o, department)
    rubric = department.rubric
    units = scan(directory, "units", part).filter(pl.col("has_scorecard"))
    if skip is not None:
        units = units.join(skip.select("eval_id"), on="eval_id", how="anti")
    units = with_lists(units, scan(directory, "lists", part), plan.c.lists)
    scorecard = scan(directory, "scorecard", part)
    frames = []
    for position, (ind, stages) in enumerate(plan.indicators):
        frame = units.join(matched_rows(scorecard, plan.labels(ind)), on="eval_id", how="left").rename({"score": "stated_score"})
        frame = _staged(frame, stages).with_columns(pl.lit(-1, pl.Int32).alias("table"), pl.lit(position, pl.Int32).alias("position"),
                                                   pl.lit(ind.name).alias("name"))
        frames.append(frame.select(IND_COLS))
    empty = pl.DataFrame(schema={"eval_id": pl.String, "table": pl.Int32, "position": pl.Int32, "name": pl.String,
                                 "points": pl.Int64, "score": pl.Int64, "stated_score": pl.Int64, "status": pl.String}).lazy()
    scored = pl.concat(frames, how="vertical_relaxed") if frames else empty
    heads = units.select("eval_id", pl.lit(-1, pl.Int32).alias("table"), pl.lit("department").alias("kind"),
                         pl.col("unit_name").alias("name"), pl.lit(rubric.id).alias("rubric"),
                         pl.col("scorecard_total_stated").alias("total_stated"))
    totals = (scored.group_by("eval_id", "table").agg(**table_aggregates(o))
              .join(heads, on=["eval_id", "table"], how="right")
              .with_columns(pl.col("applicable").fill_null(0), pl.col("raw").fill_null(0), pl.col("excluded").fill_null(False),
                            pl.col("points_computed").fill_null(0), pl.col("unscored").fill_null(0))
              .pipe(_staged, table_verdict(plan.table))
              .select("eval_id", "table", "kind", "name", "rubric", "total", "grade",
                      pl.col("total_stated").alias("stated_total"), "stated_grade", "coverage_share", "complete"))
    return scored, totals
