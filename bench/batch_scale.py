"""Batch scoring and auditing at scale (not a timed test): generated datasets of 10k, 100k
and 1M units (11 project-form tables × 9 indicators each), each size in a process of its own
so that its peak memory is its own. Also, in the same run: the per-package engine's units/s,
`dataset build` on real per-package JSON, and a hand-written Polars baseline for the
project-level scoring on the same data.

    python bench/batch_scale.py [--sizes 10000 100000 1000000] [--work /tmp/jixiao-bench]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import polars as pl  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(directory: Path, part: str) -> pl.DataFrame:
    """What a person would write in Polars for this data, by hand: the same rules, integers,
    half-up rounding, no compiler (the bench's own modes only); part by part, as the engine."""
    M = 1_000_000
    ind = pl.scan_parquet(directory / "indicators" / part)
    factor = (pl.when((pl.col("actual_unit") == "元") & (pl.col("target_unit") == "万元")).then(pl.lit(1, pl.Int64))
              .when((pl.col("actual_unit") == "小时") & (pl.col("target_unit") == "天")).then(1).otherwise(1))
    scale = (pl.when((pl.col("actual_unit") == "元") & (pl.col("target_unit") == "万元")).then(pl.lit(10_000, pl.Int64))
             .when((pl.col("actual_unit") == "小时") & (pl.col("target_unit") == "天")).then(24).otherwise(1))
    a = pl.col("actual_number").cast(pl.Int128) * factor
    t = pl.col("target_number").cast(pl.Int128) * scale
    P = pl.col("points").cast(pl.Int128)
    at_least = pl.col("target_op") == ">="
    n = (pl.when(pl.col("target_kind") == "range").then(
            pl.when(a < t).then(P * a).when(a > pl.col("target_upper")).then(P * pl.col("target_upper")).otherwise(P))
         .when(pl.col("target_kind") == "deadline").then(pl.when(a <= t).then(P))
         .when(at_least).then(pl.when(a >= t).then(P).otherwise(P * a))
         .otherwise(pl.when(a <= t).then(P).otherwise(P * t)))
    d = (pl.when(pl.col("target_kind") == "range").then(
            pl.when(a < t).then(t).when(a > pl.col("target_upper")).then(a).otherwise(1))
         .when(at_least).then(pl.when(a >= t).then(1).otherwise(t))
         .otherwise(pl.when(a <= t).then(1).otherwise(a)))
    computed = pl.col("actual_kind").is_in(["number", "deadline"]) & pl.col("target_kind").is_in(["number", "range", "deadline"]) & n.is_not_null()
    stated = pl.min_horizontal(pl.max_horizontal(pl.col("score"), 0), pl.col("points"))
    score = pl.when(computed).then(((n * 2 + d * 10_000) // (d * 20_000)).cast(pl.Int64) * 10_000).otherwise(stated)
    own = ind.select("eval_id", "table", "points", score.alias("score"), pl.lit(False).alias("na"))
    proj = pl.scan_parquet(directory / "projects" / part)
    b, e = pl.col("funds.total.full_year_budget").cast(pl.Int128), pl.col("funds.total.executed").cast(pl.Int128)
    ex = proj.select("eval_id", "table", pl.lit(10 * M, pl.Int64).alias("points"),
                     pl.when(b == 0).then(None).when(e >= b).then(10 * M).otherwise(
                         ((e * 20 * M + b * 10_000) // (b * 20_000)).cast(pl.Int64) * 10_000).alias("score"),
                     ((b == 0) & (e == 0)).alias("na"))
    both = pl.concat([ex, own])
    totals = both.group_by("eval_id", "table").agg(
        pl.col("score").sum().alias("raw"), pl.col("points").filter(~pl.col("na")).sum().alias("applicable"), pl.col("na").any().alias("na"))
    raw = pl.when(pl.col("na")).then(pl.col("raw").cast(pl.Int128) * 100 * M // pl.col("applicable")).otherwise(pl.col("raw"))
    total = pl.min_horizontal(((raw * 2 + 10_000) // 20_000).cast(pl.Int64) * 10_000, 100 * M)
    grade = pl.when(total >= 90 * M).then(pl.lit("优")).when(total >= 80 * M).then(pl.lit("良")).when(total >= 60 * M).then(pl.lit("中")).otherwise(pl.lit("差"))
    return totals.select("eval_id", "table", total.alias("total"), grade.alias("grade")).collect()


def score_only(directory: Path) -> float:
    """The compiled engine's part of ``score_directory`` (the units it leaves to the per-package
    engine found, every table scored), collected and not written: the like-for-like comparison
    with the baseline, which writes nothing."""
    from jixiao.batch.build import parts_of, source_files
    from jixiao.batch.ir import PolarsOps
    from jixiao.batch.plan import make_plan
    from jixiao.batch.score import batch_scores, fallback_units
    from jixiao.cli_batch import rubrics

    department, project = rubrics("hengshan-2022-department", "auto")
    plan = make_plan(PolarsOps(), project)
    started = time.perf_counter()
    for part in parts_of(directory):
        skip = fallback_units(directory, plan, department, part).with_columns(source_files(directory)).collect()
        pl.collect_all(list(batch_scores(directory, project, department, skip.lazy(), part)))
    return time.perf_counter() - started


def one_size(units: int, work: Path) -> dict:
    """Runs in its own process: generate, score, audit (vectorised checks), baseline."""
    from batch_data import generate

    from jixiao.batch.audit_run import vectorised_parts
    from jixiao.batch.build import parts_of
    from jixiao.batch.results import score_directory

    directory = work / f"units-{units}"
    started = time.perf_counter()
    if not (directory / "units").exists():
        smaller = sorted((p for p in work.glob("units-*") if p.is_dir()), key=lambda p: int(p.name.split("-")[1]))
        generate(directory, units, reuse_from=smaller[-1] if smaller else None)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    run = score_directory(directory, "hengshan-2022-department", "auto")
    scored = time.perf_counter() - started
    score_peak = peak_mb()
    unwritten = score_only(directory)
    started = time.perf_counter()
    findings = skipped = 0
    for _, found, not_checked in vectorised_parts(directory):  # part by part, as `batch audit` runs them
        findings, skipped = findings + found.height, skipped + not_checked.height
    audited = time.perf_counter() - started
    started = time.perf_counter()
    hand = sum(baseline(directory, part).height for part in parts_of(directory))
    hand_seconds = time.perf_counter() - started
    return {"units": units, "tables": run.tables, "indicator_rows": run.indicators, "generate_s": round(generated, 2),
            "score_s": round(scored, 2), "score_units_per_s": round(units / scored), "audit_vectorised_s": round(audited, 2),
            "findings": findings, "not_checked": skipped, "baseline_s": round(hand_seconds, 2), "baseline_tables": hand,
            "ratio_to_baseline": round(scored / hand_seconds, 2), "score_unwritten_s": round(unwritten, 2),
            "ratio_unwritten_to_baseline": round(unwritten / hand_seconds, 2), "peak_rss_mb_after_score": round(score_peak),
            "peak_rss_mb": round(peak_mb())}


def per_package(count: int, work: Path) -> dict:
    """The per-package engine and `dataset build` on real per-package input (the examples, the
    hard cases and the layout-variant corpus written as JSON)."""
    from batch_cases import sample

    from jixiao.audit.report import audit
    from jixiao.batch.build import build, flatten_file, input_files
    from jixiao.cli_batch import each
    from jixiao.model import dump_evaluation
    from jixiao.rubric.choose import project_rubrics
    from jixiao.rubric.loader import find_rubric
    from jixiao.rubric.score import score_package

    evaluations = sample(count)
    department, project = find_rubric("hengshan-2022-department"), project_rubrics()
    tables = sum(len(e.projects) + (e.department_evaluation is not None) for e in evaluations)
    indicators = sum(len(t.indicators) for e in evaluations for t in e.projects)
    started = time.perf_counter()
    for e in evaluations:
        score_package(e, department, project)
    scoring = time.perf_counter() - started
    started = time.perf_counter()
    for e in evaluations[:200]:
        audit(e, department, project)
    auditing = time.perf_counter() - started
    folder = work / "json"
    folder.mkdir(parents=True, exist_ok=True)
    for n, e in enumerate(evaluations):
        (folder / f"{n:06d}.json").write_text(dump_evaluation(e), encoding="utf-8")
    files = input_files([folder])
    out = work / "built"
    started = time.perf_counter()
    report = build(files, out, each(files, flatten_file, (None,), 2))
    building = time.perf_counter() - started
    return {"units": len(evaluations), "tables_per_unit": round(tables / len(evaluations), 1),
            "indicators_per_unit": round(indicators / len(evaluations), 1),
            "score_units_per_s": round(len(evaluations) / scoring, 1),
            "score_indicator_rows_per_s": round(indicators / scoring),
            "audit_units_per_s": round(min(200, len(evaluations)) / auditing, 1),
            "build_units_per_s_2_jobs": round((report.added + report.replaced) / building, 1), "build_s": round(building, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/jixiao-bench"))
    parser.add_argument("--per-package", type=int, default=2000)
    parser.add_argument("--child", type=int)
    parser.add_argument("--child-per-package", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.child:
        print(json.dumps(one_size(args.child, args.work)))
        return
    if args.child_per_package:
        print(json.dumps(per_package(args.per_package, args.work)))
        return
    me = [sys.executable, __file__, "--work", str(args.work), "--per-package", str(args.per_package)]
    rows = [json.loads(subprocess.run(me + ["--child-per-package"], check=True, capture_output=True, text=True).stdout.splitlines()[-1])]
    print("per-package:", rows[0], flush=True)
    for size in args.sizes:
        result = json.loads(subprocess.run(me + ["--child", str(size)], check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        print("batch:", result, flush=True)


if __name__ == "__main__":
    main()
