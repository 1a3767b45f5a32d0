"""Batch results: the compiled engine's rows, the per-package engine's rows for the units it
could not take, per-unit verdicts, written under ``DIR/results/``."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..cli_batch import each, rubrics, score_file
from .build import parts_of, scan, source_files
from .differential import IND_SCHEMA
from .ir import PolarsOps
from .plan import make_plan
from .score import TABLE_SCHEMA, batch_scores, fallback_units, package_rows


@dataclass
class Run:
    units: int = 0
    tables: int = 0
    indicators: int = 0
    fallback: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: {"compiled": 0.0, "per_package": 0.0, "total": 0.0})


NAMES = ("indicator_scores", "table_scores", "unit_scores")


def read(directory: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(directory / "results" / name / "*.parquet")


def score_directory(directory: Path, department_ref: str, project_ref: str, jobs: int = 1,
                    engine: str = "polars", master: str | None = None) -> Run:
    """Scores part by part (a part holds whole packages), so memory is bounded by a part
    whatever the dataset's size; results go to ``DIR/results/<name>/<part>``."""
    department, project = rubrics(department_ref, project_ref)
    out = directory / "results"
    for name in NAMES:
        shutil.rmtree(out / name, ignore_errors=True)
        (out / name).mkdir(parents=True)
    run = Run()
    plan = make_plan(PolarsOps(), project)
    if engine == "spark":
        from .spark_score import session

        parts: list[str | None] = [None]  # Spark splits the work itself
        spark = session(master)
    else:
        parts = parts_of(directory)
    writing: Future | None = None
    with ThreadPoolExecutor(max_workers=1) as writer:
        for part in parts:
            started = time.perf_counter()
            skip = fallback_units(directory, plan, department, part).with_columns(source_files(directory)).collect()
            if engine == "spark":
                from .spark_score import spark_scores

                bi, bt = spark_scores(spark, directory, project, department, skip)
            else:
                li, lt = batch_scores(directory, project, department, skip.lazy(), part)
                bi, bt = pl.collect_all([li, lt])
            compiled = time.perf_counter()
            pi, pt = _per_package(skip, department_ref, project_ref, jobs, run)
            fallen = time.perf_counter()
            indicators = pl.concat([bi.with_columns(engine=pl.lit("batch")), pi.with_columns(engine=pl.lit("per-package"))], how="vertical_relaxed")
            tables = pl.concat([bt.with_columns(engine=pl.lit("batch")), pt.with_columns(engine=pl.lit("per-package"))], how="vertical_relaxed")
            units = unit_verdicts(directory, tables, part)
            if writing is not None:
                writing.result()  # at most one part waits to be written: memory stays bounded
            # written on a thread of its own while the next part is scored: Polars lets go of the
            # GIL in both, so that the encoding of the files overlaps the scoring
            writing = writer.submit(_write, out, part or "part-spark.parquet", (indicators, tables, units))
            run.units += units.height
            run.tables += tables.height
            run.indicators += indicators.height
            run.fallback += skip.height
            run.seconds["compiled"] += compiled - started
            run.seconds["per_package"] += fallen - compiled
            run.seconds["total"] += time.perf_counter() - started
        if writing is not None:
            writing.result()
    summary(read(directory, "unit_scores")).write_csv(out / "summary.csv")
    return run


def _write(out: Path, name: str, frames: tuple[pl.DataFrame, ...]) -> None:
    for label, frame in zip(NAMES, frames):
        # lz4: a third faster to write than the default zstd, for files a quarter larger
        frame.write_parquet(out / label / name, compression="lz4")


def _per_package(skip: pl.DataFrame, department_ref: str, project_ref: str, jobs: int, run: Run) -> tuple[pl.DataFrame, pl.DataFrame]:
    inds, tabs = [], []
    sources = dict(zip(skip["source"].to_list(), skip["eval_id"].to_list()))
    for path, result, error in each([Path(s) for s in sources], score_file, (department_ref, project_ref, None, ()), jobs):
        if result is None:
            run.failed.append((str(path), error or ""))
            continue
        i, t = package_rows(sources[str(path)], result)
        inds += i
        tabs += t
    return pl.DataFrame(inds, schema=IND_SCHEMA, orient="row"), pl.DataFrame(tabs, schema=TABLE_SCHEMA, orient="row")


def unit_verdicts(directory: Path, tables: pl.DataFrame, part: str | None = None) -> pl.DataFrame:
    """One row per unit: the department part's total and grade (the unit's own verdict), and
    how its projects fared."""
    dept = tables.filter(pl.col("kind") == "department").select(
        "eval_id", pl.col("total"), pl.col("grade"), pl.col("stated_total"), pl.col("stated_grade"), "engine")
    projects = tables.filter(pl.col("kind") == "project").group_by("eval_id").agg(
        pl.len().alias("projects"), pl.col("total").is_not_null().sum().alias("projects_scored"),
        (pl.col("grade") == "差").sum().alias("projects_poor"), pl.col("total").mean().round(0).cast(pl.Int64).alias("project_mean_total"),
        pl.col("engine").first().alias("project_engine"))
    units = scan(directory, "units", part).select("eval_id", "source", "unit_name", "supervisor", "fiscal_year").collect()
    return (units.join(dept, on="eval_id", how="left").join(projects, on="eval_id", how="left")
            .with_columns(pl.coalesce("engine", "project_engine").alias("engine")).drop("project_engine"))


def summary(units: pl.DataFrame) -> pl.DataFrame:
    """Units by grade of the department part (无法核算 where there is no total)."""
    return (units.with_columns(pl.col("grade").fill_null("无法核算")).group_by("grade").agg(pl.len().alias("units"))
            .sort("grade"))
