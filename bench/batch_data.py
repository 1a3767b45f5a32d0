"""Datasets for bench/batch_scale.py, generated as Parquet columns directly (Polars hashes, no
per-package JSON): N units × 11 project-form tables (the department's and 10 projects) × 9
indicators, in parts of at most 20,000 units (scoring memory is bounded by a part). Every unit is distinct (its own id and hashed
figures); the indicators cycle through the scoring branches: ≥/≤ rates, costs in 万元 against
元, hours against days, ranges, deadlines, qualitative, blank actuals, zero budgets."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from jixiao.batch.schema import SCHEMA_VERSION, schemas

PART = 20_000
TABLES, INDICATORS = 11, 9
M = 1_000_000


def _frame(table: str, columns: dict[str, pl.Expr], rows: int) -> pl.DataFrame:
    schema = schemas()[table]
    base = pl.DataFrame({"i": pl.int_range(0, rows, eager=True, dtype=pl.Int64)})
    # every generated figure is written as a whole number: 0 decimals where the figure is filled
    places = {f"{c}_places": pl.when(columns[c].is_not_null()).then(0) for c in columns if f"{c}_places" in schema}
    columns = {**columns, **places}
    exprs = [columns[c].cast(t).alias(c) if c in columns else pl.lit(None, t).alias(c) for c, t in schema.items()]
    return base.select(exprs)


def _eid(unit: pl.Expr) -> pl.Expr:
    return pl.lit("u") + unit.cast(pl.String).str.zfill(8)


def write_part(out: Path, start: int, units: int, seed: int = 7) -> None:
    name = f"part-bench-{start // PART:05d}.parquet"
    for table in ("units", "projects", "indicators"):
        (out / table).mkdir(parents=True, exist_ok=True)
    i = pl.col("i")
    unit = i + start
    _frame("units", {"eval_id": _eid(unit), "unit": unit, "source": pl.lit("bench"), "unit_name": pl.lit("单位") + unit.cast(pl.String),
                     "supervisor": pl.lit("部门") + (unit % 40).cast(pl.String), "fiscal_year": pl.lit(2024),
                     "has_scorecard": pl.lit(False), "has_department_table": pl.lit(True), "project_count": pl.lit(10),
                     "exact": pl.lit(True)}, units).write_parquet(out / "units" / name)
    rows = units * TABLES
    h = (i + start * TABLES).hash(seed)
    budget = (h % 10_000 + 100) * M
    rate = (h // 10_000) % 61 + 50  # 50–110 %
    zero = (h // 1_000_000) % 100 == 0
    _frame("projects", {
        "eval_id": _eid(i // TABLES + start), "unit": i // TABLES + start, "source": pl.lit("bench"), "table": i % TABLES - 1,
        "kind": pl.when(i % TABLES == 0).then(pl.lit("department")).otherwise(pl.lit("project")),
        "name": pl.lit("项目") + (i % TABLES).cast(pl.String), "layout": pl.lit("national-2020"), "indicator_count": pl.lit(INDICATORS),
        "funds.total.full_year_budget": pl.when(zero).then(0).otherwise(budget),
        "funds.total.executed": pl.when(zero).then(0).otherwise(budget * rate // 100),
        "execution.points": pl.lit(10 * M), "execution.score_stated": ((h // 7) % 11) * M, "total_stated": (h % 41 + 60) * M,
    }, rows).write_parquet(out / "projects" / name)
    rows *= INDICATORS
    h = (i + start * TABLES * INDICATORS).hash(seed + 1)
    mode, r1, r2 = h % 10, (h // 10) % 1000, (h // 10_000) % 11
    position = i % INDICATORS

    def pick(*values):
        expr = pl.when(mode == 0).then(pl.lit(values[0]))
        for k, v in enumerate(values[1:], 1):
            expr = expr.when(mode == k).then(pl.lit(v))
        return expr

    t_number = pick(90 * M, 90 * M, 95 * M, 98 * M, 100 * M, 90 * M, 11 * M, None, 80 * M, 2 * M)
    a_number = (pl.when(mode < 4).then((80 + r1 % 25) * M).when(mode == 4).then((90 + r1 % 30) * M)
                .when(mode == 5).then((85 + r1 % 20) * M).when(mode == 6).then((10 + r1 % 3) * M)
                .when(mode == 9).then((24 + r1 % 40) * M).otherwise(None))
    cost_in_yuan = (mode == 4) & (r1 % 2 == 0)
    _frame("indicators", {
        "eval_id": _eid(i // (TABLES * INDICATORS) + start), "unit": i // (TABLES * INDICATORS) + start, "source": pl.lit("bench"),
        "table": (i // INDICATORS) % TABLES - 1, "layout": pl.lit("national-2020"), "fiscal_year": pl.lit(2024), "position": position,
        "level1": pl.when(position < 5).then(pl.lit("产出指标")).when(position < 8).then(pl.lit("效益指标")).otherwise(pl.lit("满意度指标")),
        "level2": pick("数量指标", "质量指标", "质量指标", "质量指标", "成本指标", "质量指标", "时效指标", "满意度指标", "数量指标", "时效指标"),
        "name": pl.lit("指标") + position.cast(pl.String), "points": pl.lit(10 * M), "score": r2 * M,
        "target_kind": pick("number", "number", "number", "number", "number", "range", "deadline", "qualitative", "number", "number"),
        "target_op": pick(">=", ">=", ">=", ">=", "<=", None, "<=", "=", ">=", "<="),
        "target_number": t_number, "target_upper": pl.when(mode == 5).then(100 * M),
        "target_unit": pick("%", "%", "%", "%", "万元", "%", "月", None, "人次", "天"),
        "adjusted_kind": pl.lit("blank"),
        "actual_kind": pick("number", "number", "number", "number", "number", "number", "deadline", "qualitative", "blank", "number"),
        "actual_op": pick("=", "=", "=", "=", "=", "=", "<=", "=", None, "="),
        "actual_number": pl.when(cost_in_yuan).then(a_number * 10_000).otherwise(a_number),
        "actual_unit": pl.when(cost_in_yuan).then(pl.lit("元")).otherwise(pick("%", "%", "%", "%", "万元", "%", "月", None, None, "小时")),
        "actual_none": pl.lit(False), "actual_on_time": pl.lit(False), "actual_late": pl.lit(False),
    }, rows).write_parquet(out / "indicators" / name)


def generate(out: Path, units: int, reuse_from: Path | None = None) -> None:
    """Writes ``units`` distinct units; parts already generated for a smaller run are linked."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "dataset.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    for start in range(0, units, PART):
        size = min(PART, units - start)
        name = f"part-bench-{start // PART:05d}.parquet"
        if reuse_from is not None and size == PART and (reuse_from / "units" / name).exists() \
                and pl.scan_parquet(reuse_from / "units" / name).select(pl.len()).collect().item() == PART:
            for t in ("units", "projects", "indicators"):
                (out / t).mkdir(parents=True, exist_ok=True)
                (out / t / name).symlink_to((reuse_from / t / name).resolve())
            continue
        write_part(out, start, size)
