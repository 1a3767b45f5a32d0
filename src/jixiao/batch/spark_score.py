"""The same compiled rubrics on Apache Spark: the plan is built with ``SparkOps`` instead of
``PolarsOps`` and run over the same Parquet; no scheduler of our own."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from ..rubric.choose import ProjectRubrics
from ..rubric.loader import CompiledRubric
from .indicators import goal_columns, level2_column, unit_sizes
from .ir import SparkOps
from .department_score import department_not_compiled
from .plan import make_plan, table_aggregates, table_verdict
from .score import INDICATOR_COLS, TABLE_SCHEMA
from .spark_department import spark_department_scores

JAVA_MISSING = "找不到 Java（Spark 需要 Java 17）：请安装 Java 或设置 JAVA_HOME"


@lru_cache(maxsize=2)
def session(master: str | None = None) -> Any:
    if shutil.which("java") is None:
        raise RuntimeError(JAVA_MISSING)
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master or "local[*]").appName("jixiao-batch")
            .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            # the plan is written in stages so that no rule is computed twice; collapsing them
            # back into one projection inlines every stage into the next and multiplies the work
            .config("spark.sql.optimizer.excludedRules", "org.apache.spark.sql.catalyst.optimizer.CollapseProject")
            .config("spark.sql.constraintPropagation.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC").getOrCreate())


def _read(spark: Any, directory: Path, table: str) -> Any:
    return spark.read.parquet(str(directory / table))


def _to_polars(frames: list[Any], schema: dict, out: Path) -> pl.DataFrame:
    """Through Parquet, as a cluster hands results back (no Arrow bridge to the driver needed)."""
    if not frames:
        return pl.DataFrame(schema=schema)
    union = frames[0]
    for frame in frames[1:]:
        union = union.unionByName(frame)
    union.write.mode("overwrite").parquet(str(out))
    parts = sorted(out.glob("*.parquet"))
    frame = pl.read_parquet(parts).cast(schema) if parts else pl.DataFrame(schema=schema)  # type: ignore[arg-type]
    shutil.rmtree(out, ignore_errors=True)
    return frame.select(list(schema))


def _staged(frame: Any, stages: list[dict]) -> Any:
    for stage in stages:
        frame = frame.withColumns(stage)
    return frame


def spark_scores(spark: Any, directory: Path, project: ProjectRubrics, department: CompiledRubric | None,
                 skip: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    o = SparkOps()
    F = o.F
    present = set(pl.scan_parquet(str(directory / "projects" / "*.parquet")).select("layout").unique().collect()["layout"].to_list())
    plan = make_plan(o, project, present)  # building Spark columns is a round trip each: only the rubrics in use
    rubric = o.when(*[(F.col("layout") == k, F.lit(v)) for k, v in plan.layouts.items()], otherwise=F.lit(plan.default)) \
        if plan.layouts else F.lit(plan.default)
    tables = _read(spark, directory, "projects").withColumn("rubric", rubric)
    units = _read(spark, directory, "units").select("eval_id", "has_scorecard")
    tables = tables.join(units, "eval_id").where(
        (F.col("kind") == "project") | ~(F.col("has_scorecard") & F.lit(department is not None)))
    skipped = None
    if skip.height:
        skipped = spark.createDataFrame([(e,) for e in skip["eval_id"].to_list()], "eval_id string")
        tables = tables.join(skipped, "eval_id", "left_anti")
    keys = tables.select("eval_id", "table", "rubric")  # an indicator row carries its package's fiscal_year
    indicators = (_read(spark, directory, "indicators").join(keys, ["eval_id", "table"])
                  .withColumn("stated_score", F.col("score")).withColumns(goal_columns(o)))
    pairs = [(r["ua"], r["ug"]) for r in indicators.select("ua", "ug").distinct().collect()]
    names = [r["level2"] for r in indicators.select("level2").distinct().collect()]
    ind_frames, table_frames = [], []
    for rid, p in plan.plans.items():
        rules = p.compiled.rubric.indicators
        sizes = spark.createDataFrame(unit_sizes(pairs, rules.quantitative.same_units if rules else []) or [("", "", 1, 1)],
                                      "ua string, ug string, fa long, fb long")
        level2 = level2_column(o, names, rules.quantitative.at_most_level2 if rules else [])
        own = _staged(indicators.where(F.col("rubric") == rid).join(F.broadcast(sizes), ["ua", "ug"], "left").withColumns(level2),
                      p.indicator).select(*INDICATOR_COLS)
        mine = tables.where(F.col("rubric") == rid)
        scored = own
        if p.execution is not None:
            execution = mine.withColumns({
                "position": F.lit(-1).cast("int"), "name": F.lit(p.compiled.rubric.execution.name),
                "points": o.lit(p.execution_points), "stated_score": F.col("`execution.score_stated`")})
            scored = _staged(execution, p.execution).select(*INDICATOR_COLS).unionByName(own)
        ind_frames.append(scored)
        aggregates = table_aggregates(o)
        totals = (scored.groupBy("eval_id", "table").agg(*[e.alias(k) for k, e in aggregates.items()])
                  .join(mine.select("eval_id", "table", "kind", "name", "rubric", "total_stated"), ["eval_id", "table"], "right")
                  .fillna({"applicable": 0, "raw": 0, "excluded": False, "points_computed": 0, "unscored": 0})
                  .transform(lambda f: _staged(f, table_verdict(p)))
                  .select("eval_id", "table", "kind", "name", "rubric", "total", "grade",
                          F.col("total_stated").alias("stated_total"), "stated_grade", "coverage_share", "complete"))
        table_frames.append(totals)
    if department is not None and department_not_compiled(department) is None:
        dept = spark_department_scores(spark, directory, department, skipped)
        ind_frames.append(dept[0])
        table_frames.append(dept[1])
    ind_schema = {"eval_id": pl.String, "table": pl.Int32, "position": pl.Int32, "name": pl.String,
                  "points": pl.Int64, "score": pl.Int64, "stated_score": pl.Int64, "status": pl.String}
    inds = _to_polars(ind_frames, ind_schema, directory / "results" / "_spark_indicators")
    tabs = _to_polars(table_frames, TABLE_SCHEMA, directory / "results" / "_spark_tables")
    return inds, tabs
