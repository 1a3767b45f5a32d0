"""The compiled department plan (``department.py``) on Spark: the same stages, built with
``SparkOps``, over the same Parquet tables as ``department_score`` reads in Polars."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..rubric.loader import CompiledRubric
from .department import DepartmentPlan, list_column
from .department_score import IND_COLS, ROW_COLS
from .ir import SparkOps
from .plan import table_aggregates, table_verdict


def _staged(frame: Any, stages: list[dict]) -> Any:
    for stage in stages:
        frame = frame.withColumns(stage)
    return frame


def spark_department_scores(spark: Any, directory: Path, department: CompiledRubric, skipped: Any | None) -> tuple[Any, Any]:
    """(indicator scores, table scores) of every unit's scoring table; ``skipped``: a frame of
    the eval_ids the per-package engine scores."""
    o = SparkOps()
    F = o.F
    plan = DepartmentPlan(o, department)
    units = spark.read.parquet(str(directory / "units")).where(F.col("has_scorecard"))
    if skipped is not None:
        units = units.join(skipped, "eval_id", "left_anti")
    lists = spark.read.parquet(str(directory / "lists"))
    for path in sorted(plan.c.lists):
        agg = lists.where(F.col("path") == path).groupBy("eval_id").agg(
            F.sum("value").alias(list_column(path, "sum")),
            (F.max(F.col("value").isNull().cast("int")) == 1).alias(list_column(path, "blank")),
            F.count(F.lit(1)).alias(list_column(path, "count")))
        # filled by column, not ``fillna``: that reads the dots in a field's path as nesting
        filled = {list_column(path, "sum"): 0, list_column(path, "blank"): False, list_column(path, "count"): 0}
        units = units.join(agg, "eval_id", "left").withColumns({k: o.fill(o.col(k), v) for k, v in filled.items()})
    scorecard = spark.read.parquet(str(directory / "scorecard"))
    figured = F.col("score").isNotNull() | F.col("points").isNotNull()
    frames = []
    for position, (ind, stages) in enumerate(plan.indicators):
        rows = scorecard.where(F.col("label").isin(plan.labels(ind)))
        pick = rows.groupBy("eval_id").agg(
            F.coalesce(F.min(F.when(figured, F.col("position"))), F.min("position")).alias("position"))
        row = rows.join(pick, ["eval_id", "position"]).select("eval_id", *ROW_COLS).withColumnRenamed("score", "stated_score")
        frame = _staged(units.join(row, "eval_id", "left"), stages).withColumns(
            {"table": F.lit(-1).cast("int"), "position": F.lit(position).cast("int"), "name": F.lit(ind.name)})
        frames.append(frame.select(*IND_COLS))
    scored = spark.createDataFrame([], "eval_id string, table int, position int, name string, points long, score long, "
                                       "stated_score long, status string")
    for frame in frames:
        scored = scored.unionByName(frame)
    heads = units.select("eval_id", F.lit(-1).cast("int").alias("table"), F.lit("department").alias("kind"),
                         F.col("unit_name").alias("name"), F.lit(department.rubric.id).alias("rubric"),
                         F.col("scorecard_total_stated").alias("total_stated"))
    aggregates = table_aggregates(o)
    totals = (scored.groupBy("eval_id", "table").agg(*[e.alias(k) for k, e in aggregates.items()])
              .join(heads, ["eval_id", "table"], "right")
              .fillna({"applicable": 0, "raw": 0, "excluded": False, "points_computed": 0, "unscored": 0})
              .transform(lambda f: _staged(f, table_verdict(plan.table)))
              .select("eval_id", "table", "kind", "name", "rubric", "total", "grade",
                      F.col("total_stated").alias("stated_total"), "stated_grade", "coverage_share", "complete"))
    return scored, totals
