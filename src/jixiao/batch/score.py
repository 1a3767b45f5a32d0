"""``jixiao batch score DIR``: every table of every package, scored by compiled rubrics in Polars.

Units the compiled rubrics cannot score exactly — a figure a rubric reads that the dataset could
not hold, a department scoring table (评分表) whose rubric does not compile (``department.py``), a rubric with a method this
engine does not compile, negative points — are scored by the per-package engine (``each``,
on ``--jobs`` processes) and their rows added to the same tables, marked ``engine``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from ..rubric.choose import ProjectRubrics
from ..rubric.loader import CompiledRubric
from ..rubric.results import PackageScore, TableScore
from .build import scan
from .department_score import department_not_compiled, department_scores
from .indicators import READS, goal_columns, level2_column, unit_sizes
from .ir import PolarsOps
from .plan import Plan, make_plan, table_aggregates, table_verdict
from .flatten import INDICATORS
from .schema import scaled, table_key

INDICATOR_COLS = ["eval_id", "table", "position", "name", "points", "score", "stated_score", "status"]
TABLE_COLS = ["eval_id", "table", "kind", "name", "rubric", "total", "grade", "stated_total", "stated_grade",
              "coverage_share", "complete"]


def fallback_units(directory: Path, plan: Plan, department: CompiledRubric | None, part: str | None = None) -> pl.LazyFrame:
    units = scan(directory, "units", part)
    tables = with_rubric(scan(directory, "projects", part), plan)
    uncompiled = tables.filter(pl.col("rubric").is_in(list(plan.not_compiled))).group_by("eval_id").agg(
        pl.first("rubric").alias("why_rubric"))
    # a figure the dataset could not hold is a reason only where the table's rubric reads it
    reads = pl.DataFrame([(rid, path) for rid, p in plan.plans.items() for path in (*p.reads, INDICATORS)],
                         schema={"rubric": pl.String, "inexact": pl.String}, orient="row").lazy()
    inexact = (tables.explode("inexact", empty_as_null=True).join(reads, on=["rubric", "inexact"])
               .group_by("eval_id").agg(pl.format("{}·{}", "name", "inexact").sort_by("table", "inexact").first().alias("inexact")))
    negative = scan(directory, "indicators", part).filter(pl.col("points") < 0).select("eval_id").unique().with_columns(
        pl.lit(True).alias("negative"))
    why = (
        pl.when(pl.col("inexact").is_not_null()).then(pl.lit("评分要读的数值超出批量计算的精度或范围：") + pl.col("inexact"))
        # the scoring table's rubric reads the unit's own figures, whose exactness is the unit's
        .when(pl.col("has_scorecard") & pl.lit(department is not None) & ~pl.col("exact"))
        .then(pl.lit("数据集中有无法精确存储的数值：") + pl.col("inexact_reason"))
        .when(pl.col("has_scorecard") & pl.lit(department_not_compiled(department) is not None))
        .then(pl.lit(f"部门整体评分表的规则尚未编译为批量表达式：{department_not_compiled(department)}"))
        .when(pl.col("why_rubric").is_not_null()).then(pl.lit("评分规则尚未编译为批量表达式：") + pl.col("why_rubric"))
        .when(pl.col("negative").fill_null(False)).then(pl.lit("有负的指标分值"))
    )
    return (units.join(inexact, on="eval_id", how="left")
            .join(uncompiled, on="eval_id", how="left").join(negative, on="eval_id", how="left")
            .select("eval_id", "source", why.alias("reason")).filter(pl.col("reason").is_not_null()))


def with_rubric(tables: pl.LazyFrame, plan: Plan) -> pl.LazyFrame:
    rubric = pl.col("layout").replace_strict(plan.layouts, default=plan.default, return_dtype=pl.String) \
        if plan.layouts else pl.lit(plan.default)
    return tables.with_columns(rubric.alias("rubric"))


def batch_scores(directory: Path, project: ProjectRubrics, department: CompiledRubric | None,
                 skip: pl.LazyFrame | None = None, part: str | None = None) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(indicator scores, table scores) of every table of every unit not in ``skip``."""
    o = PolarsOps()
    # only the rubrics the data's layouts choose: each planned rubric scans the indicators anew
    layouts = set(scan(directory, "projects", part).select(pl.col("layout").unique()).collect()["layout"].to_list())
    plan = make_plan(o, project, layouts)
    tables = with_rubric(scan(directory, "projects", part), plan)
    units = scan(directory, "units", part).select("unit", "has_scorecard")
    tables = tables.join(units, on="unit").filter(
        (pl.col("kind") == "project") | ~(pl.col("has_scorecard") & pl.lit(department is not None)))
    if skip is not None:
        tables = tables.join(skip.select("eval_id"), on="eval_id", how="anti")
    keys = tables.select(table_key(pl.col("unit"), pl.col("table")).alias("key"))
    # read at once, in one chunk: a part written in several row groups is read in as many
    # chunks, and then each column that comes of a join (one chunk) makes Polars copy every
    # wide column into one chunk anew
    raw = scan(directory, "indicators", part).select(READS).collect().rechunk().lazy()
    # every actual unit against every goal unit in the data: a cross of two short lists read
    # from three string columns, instead of a pass over the scored rows
    goals = pl.concat([raw.select(pl.col("target_unit").alias("ug")), raw.select(pl.col("adjusted_unit").alias("ug"))]).unique()
    actuals = raw.select(pl.col("actual_unit").alias("ua")).unique()
    pairs = actuals.join(goals, how="cross").with_columns(pl.col("ua").fill_null(""), pl.col("ug").fill_null(""))
    same = goals.select(pl.col("ug").fill_null("").alias("ua"), pl.col("ug").fill_null(""))  # 无 read as 0 in the goal's unit
    pairs, names, keyed = pl.collect_all([pl.concat([pairs.select("ua", "ug"), same]).unique(),
                                          raw.select(pl.col("level2").unique()), keys])
    # an indicator row carries its table's layout and its package's year, so it needs no join:
    # a lookup of its table's key says whether the table is scored here, and the rows of the
    # tables that are not are dropped from the narrow result (``keep``)
    indicators = (with_rubric(raw, plan) if len(plan.plans) > 1 else raw).with_columns(
        pl.col("score").alias("stated_score"), table_key(pl.col("unit"), pl.col("table")).is_in(keyed["key"].implode()).alias("keyed"),
    ).with_columns(**goal_columns(o))
    ind_frames, table_frames = [], []
    for rid, p in plan.plans.items():
        rules = p.compiled.rubric.indicators
        sizes = pl.DataFrame(unit_sizes(list(pairs.iter_rows()), rules.quantitative.same_units if rules else []),
                             schema={"ua": pl.String, "ug": pl.String, "fa": pl.Int64, "fb": pl.Int64}, orient="row")
        level2 = level2_column(o, names["level2"].to_list(), rules.quantitative.at_most_level2 if rules else [])
        rows = indicators.filter(pl.col("rubric") == rid) if len(plan.plans) > 1 else indicators
        own = staged(rows.join(sizes.lazy(), on=["ua", "ug"], how="left", maintain_order="left").with_columns(**level2), p.indicator)
        # ``keep`` is a column of its own so that the optimiser cannot move the filter back
        # before the stages, onto the wide rows
        own = own.with_columns(keep=pl.col("keyed").fill_null(False)).filter(pl.col("keep"))
        mine = tables.filter(pl.col("rubric") == rid)
        parts = [own.select(INDICATOR_COLS)]
        if p.execution is not None:
            execution = mine.with_columns(
                pl.lit(-1, pl.Int32).alias("position"), pl.lit(p.compiled.rubric.execution.name).alias("name"),
                pl.lit(p.execution_points, pl.Int64).alias("points"), pl.col("execution.score_stated").alias("stated_score"))
            parts.insert(0, staged(execution, p.execution).select(INDICATOR_COLS))
        scored = pl.concat(parts)
        ind_frames.append(scored)
        totals = (scored.group_by("eval_id", "table").agg(**table_aggregates(o))
                  .join(mine.select("eval_id", "table", "kind", "name", "rubric", "total_stated"), on=["eval_id", "table"], how="right")
                  .with_columns(pl.col("applicable").fill_null(0), pl.col("raw").fill_null(0), pl.col("excluded").fill_null(False),
                                pl.col("points_computed").fill_null(0), pl.col("unscored").fill_null(0))
                  .pipe(staged, table_verdict(p))
                  .select("eval_id", "table", "kind", "name", "rubric", "total", "grade",
                          pl.col("total_stated").alias("stated_total"), "stated_grade", "coverage_share", "complete"))
        table_frames.append(totals)
    if department is not None and department_not_compiled(department) is None:
        dept_indicators, dept_table = department_scores(directory, department, skip, part)
        ind_frames.append(dept_indicators)
        table_frames.append(dept_table)
    empty_i = pl.DataFrame(schema={"eval_id": pl.String, "table": pl.Int32, "position": pl.Int32, "name": pl.String,
                                   "points": pl.Int64, "score": pl.Int64, "stated_score": pl.Int64, "status": pl.String}).lazy()
    return (pl.concat(ind_frames, how="vertical_relaxed") if ind_frames else empty_i,
            pl.concat(table_frames, how="vertical_relaxed") if table_frames else pl.DataFrame(schema=TABLE_SCHEMA).lazy())


def staged(frame: pl.LazyFrame, stages: list[dict]) -> pl.LazyFrame:
    for stage in stages:
        frame = frame.with_columns(**stage)
    return frame


TABLE_SCHEMA = {"eval_id": pl.String, "table": pl.Int32, "kind": pl.String, "name": pl.String, "rubric": pl.String,
                "total": pl.Int64, "grade": pl.String, "stated_total": pl.Int64, "stated_grade": pl.String,
                "coverage_share": pl.Int64, "complete": pl.Boolean}


def _m(value: Decimal | None) -> int | None:
    return scaled(value) if value is not None else None


def package_rows(eid: str, score: PackageScore) -> tuple[list[tuple], list[tuple]]:
    """The per-package engine's result in the batch tables' rows (indicators, tables)."""
    indicators, tables = [], []
    parts: list[tuple[int, str, TableScore]] = []
    if score.department is not None:
        parts.append((-1, "department", score.department))
    parts += [(i, "project", t) for i, t in enumerate(score.projects)]
    for index, kind, table in parts:
        has_execution = bool(table.indicators) and table.indicators[0].id == "execution_rate"
        for position, ind in enumerate(table.indicators):
            pos = position - 1 if has_execution else position
            indicators.append((eid, index, pos, ind.name, _m(ind.points), _m(ind.score), _m(ind.stated_score), ind.status))
        share = table.coverage.share
        tables.append((eid, index, kind, table.name, table.rubric, _m(table.total), table.grade, _m(table.stated_total),
                       table.stated_grade, _m(share), table.complete))
    return indicators, tables
