"""Batch results: the compiled engine's rows, the per-package engine's rows for the units it
could not take, per-unit verdicts, written under ``DIR/results/``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..cli_batch import each, rubrics, score_file
from .build import scan
from .differential import IND_SCHEMA
from .ir import PolarsOps
from .plan import make_plan
from .score import TABLE_SCHEMA, batch_scores, fallback_units, package_rows


@dataclass
class Run:
    indicators: pl.DataFrame
    tables: pl.DataFrame
    units: pl.DataFrame
    fallback: pl.DataFrame
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def score_directory(directory: Path, department_ref: str, project_ref: str, jobs: int = 1,
                    engine: str = "polars", master: str | None = None) -> Run:
    department, project = rubrics(department_ref, project_ref)
    started = time.perf_counter()
    skip = fallback_units(directory, make_plan(PolarsOps(), project), department).collect()
    if engine == "spark":
        from .spark_score import session, spark_scores

        bi, bt = spark_scores(session(master), directory, project, department, skip)
    else:
        li, lt = batch_scores(directory, project, department, skip.lazy())
        bi, bt = pl.collect_all([li, lt])
    compiled = time.perf_counter()
    inds, tabs, failed = [], [], []
    sources = dict(zip(skip["source"].to_list(), skip["eval_id"].to_list()))
    for path, result, error in each([Path(s) for s in sources], score_file,
                                    (department_ref, project_ref, None, ()), jobs):
        if result is None:
            failed.append((str(path), error or ""))
            continue
        i, t = package_rows(sources[str(path)], result)
        inds += i
        tabs += t
    pi = pl.DataFrame(inds, schema=IND_SCHEMA, orient="row")
    pt = pl.DataFrame(tabs, schema=TABLE_SCHEMA, orient="row")
    fallen = time.perf_counter()
    indicators = pl.concat([bi.with_columns(pl.lit("batch").alias("engine")), pi.with_columns(pl.lit("per-package").alias("engine"))], how="vertical_relaxed")
    tables = pl.concat([bt.with_columns(pl.lit("batch").alias("engine")), pt.with_columns(pl.lit("per-package").alias("engine"))], how="vertical_relaxed")
    units = unit_verdicts(directory, tables)
    return Run(indicators, tables, units, skip, failed,
               {"compiled": compiled - started, "per_package": fallen - compiled, "total": time.perf_counter() - started})


def unit_verdicts(directory: Path, tables: pl.DataFrame) -> pl.DataFrame:
    """One row per unit: the department part's total and grade (the unit's own verdict), and
    how its projects fared."""
    dept = tables.filter(pl.col("kind") == "department").select(
        "eval_id", pl.col("total"), pl.col("grade"), pl.col("stated_total"), pl.col("stated_grade"), "engine")
    projects = tables.filter(pl.col("kind") == "project").group_by("eval_id").agg(
        pl.len().alias("projects"), pl.col("total").is_not_null().sum().alias("projects_scored"),
        (pl.col("grade") == "差").sum().alias("projects_poor"), pl.col("total").mean().round(0).cast(pl.Int64).alias("project_mean_total"),
        pl.col("engine").first().alias("project_engine"))
    units = scan(directory, "units").select("eval_id", "source", "unit_name", "supervisor", "fiscal_year").collect()
    return (units.join(dept, on="eval_id", how="left").join(projects, on="eval_id", how="left")
            .with_columns(pl.coalesce("engine", "project_engine").alias("engine")).drop("project_engine"))


def write_results(run: Run, directory: Path) -> Path:
    out = directory / "results"
    out.mkdir(exist_ok=True)
    run.indicators.write_parquet(out / "indicator_scores.parquet")
    run.tables.write_parquet(out / "table_scores.parquet")
    run.units.write_parquet(out / "unit_scores.parquet")
    summary(run.units).write_csv(out / "summary.csv")
    return out


def summary(units: pl.DataFrame) -> pl.DataFrame:
    """Units by grade of the department part (无法核算 where there is no total)."""
    return (units.with_columns(pl.col("grade").fill_null("无法核算")).group_by("grade").agg(pl.len().alias("units"))
            .sort("grade"))
