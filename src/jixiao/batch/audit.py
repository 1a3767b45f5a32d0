"""``jixiao batch audit DIR``: the checks that are column arithmetic run as Polars expressions
over the whole dataset; every other check runs per package (``each``, on ``--jobs`` processes).

A vectorised check gives the same findings as its per-package twin — code, severity and
location; its message is written from the stored figures, so a figure shows without the
trailing zeros the form printed (9.50 → 9.5). Skips ("未能检查") are not produced in batch.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..audit import CHECKS
from ..cli_batch import audit_file, each
from .build import scan
from .flatten import INDICATORS

FINDING_SCHEMA = {"eval_id": pl.String, "code": pl.String, "severity": pl.String, "part": pl.String,
                  "project": pl.String, "row": pl.String, "column": pl.String, "indicator": pl.String,
                  "section": pl.String, "message": pl.String, "engine": pl.String}


def _shown(column: str) -> pl.Expr:
    """A micro-unit figure as the decimal it stands for, without trailing zeros."""
    whole = (pl.col(column) // 1_000_000).cast(pl.String)
    frac = (pl.col(column) % 1_000_000).cast(pl.String).str.zfill(6).str.strip_chars_end("0")
    return pl.when(frac == "").then(whole).otherwise(whole + "." + frac)


def _tables(directory: Path) -> pl.LazyFrame:
    """Project-form tables with the location the per-package audit gives them."""
    t = scan(directory, "projects")
    project = pl.when(pl.col("name") != "").then(pl.col("name")).otherwise(pl.lit("第 ") + (pl.col("table") + 1).cast(pl.String) + " 个项目")
    return t.with_columns(pl.when(pl.col("kind") == "department").then(pl.lit("department_evaluation")).otherwise(pl.lit("project")).alias("part"),
                          pl.when(pl.col("kind") == "department").then(None).otherwise(project).alias("project"))


def _finding(frame: pl.LazyFrame, code: str, severity: str, message: pl.Expr, **where: pl.Expr | str | None) -> pl.LazyFrame:
    cols = {k: (v if isinstance(v, pl.Expr) else pl.lit(v, pl.String)) for k, v in
            {"part": pl.col("part"), "project": pl.col("project"), "row": None, "column": None, "indicator": None, "section": None, **where}.items()}
    return frame.select(pl.col("eval_id"), pl.lit(code).alias("code"), pl.lit(severity).alias("severity"),
                        *[v.cast(pl.String).alias(k) for k, v in cols.items()], message.alias("message"))


def score_above_points(directory: Path, _: pl.LazyFrame) -> pl.LazyFrame:
    tables = _tables(directory)
    card = (scan(directory, "scorecard").filter(pl.col("score") > pl.col("points"))
            .with_columns(pl.lit("scorecard").alias("part"), pl.lit(None, pl.String).alias("project")))
    execution = (tables.filter(pl.col("execution.score_stated") > pl.col("execution.points"))
                 .with_columns(pl.lit("预算执行率").alias("name"), pl.col("execution.score_stated").alias("score"),
                               pl.col("execution.points").alias("points")))
    own = (scan(directory, "indicators").filter(pl.col("score") > pl.col("points"))
           .join(tables.select("eval_id", "table", "part", "project"), on=["eval_id", "table"]))
    message = pl.lit("“") + pl.col("name") + "”得分 " + _shown("score") + " 超过分值 " + _shown("points")
    return pl.concat([_finding(f.select("eval_id", "part", "project", "name", "score", "points"), "rules.score-above-points", "error",
                               message, indicator=pl.col("name"), column="得分") for f in (card, execution, own)])


def over_execution(directory: Path, _: pl.LazyFrame) -> pl.LazyFrame:
    t = _tables(directory)
    budget, executed = pl.col("funds.total.full_year_budget"), pl.col("funds.total.executed")
    none = t.filter((budget == 0) & (executed > 0))
    over = t.filter((budget > 0) & (executed > budget))
    return pl.concat([
        _finding(none, "rules.over-execution", "warning", pl.lit("全年预算数为 0，却执行了 ") + _shown("funds.total.executed") + " 万元", row="年度资金总额"),
        _finding(over, "rules.over-execution", "warning", pl.lit("全年执行数 ") + _shown("funds.total.executed") + " 超过全年预算数 "
                 + _shown("funds.total.full_year_budget"), row="年度资金总额"),
    ])


def full_points_missed_target(directory: Path, scores: pl.LazyFrame) -> pl.LazyFrame:
    tables = _tables(directory).select("eval_id", "table", "part", "project")
    units = scan(directory, "units").select("eval_id", "has_scorecard")
    missed = (scores.filter((pl.col("position") >= 0) & (pl.col("status") == "computed") & (pl.col("stated_score") == pl.col("points"))
                                   & (pl.col("score") < pl.col("points")))
              .join(tables, on=["eval_id", "table"]).join(units, on="eval_id")
              .filter(~((pl.col("part") == "department_evaluation") & pl.col("has_scorecard"))))
    message = pl.lit("“") + pl.col("name") + "”未达到目标却计满分 " + _shown("points") + "；按规则应得 " + _shown("score") + " 分"
    return _finding(missed, "rules.full-points-missed-target", "error", message, indicator=pl.col("name"), column="得分")


VECTORISED = {
    "rules.score-above-points": score_above_points,
    "rules.over-execution": over_execution,
    "rules.full-points-missed-target": full_points_missed_target,
}


def registry() -> list[tuple[str, str, bool]]:
    """Every check: code, title, whether batch audit runs it as column expressions."""
    return [(c.code, c.title, c.code in VECTORISED) for c in CHECKS]


READ = ["funds.total.full_year_budget", "funds.total.executed", "execution.score_stated", "execution.points", INDICATORS]


def not_held(directory: Path) -> pl.LazyFrame:
    """Units a vectorised check would read a blank for where the package has a figure the dataset
    could not hold: a figure of a table the checks read, or any figure of a unit with a 评分表
    (its rows are not flagged one by one). Every check of theirs runs per package."""
    tables = scan(directory, "projects").explode("inexact", empty_as_null=True).filter(pl.col("inexact").is_in(READ)).select("eval_id")
    units = scan(directory, "units").filter(pl.col("has_scorecard") & ~pl.col("exact")).select("eval_id")
    return pl.concat([tables, units]).unique()


def vectorised_findings(directory: Path, scores: pl.LazyFrame | pl.DataFrame, codes: list[str] | None = None) -> pl.DataFrame:
    held = not_held(directory)
    frames = [fn(directory, scores.lazy()).join(held, on="eval_id", how="anti")
              for code, fn in VECTORISED.items() if codes is None or code in codes]
    if not frames:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    return pl.concat(pl.collect_all(frames)).with_columns(pl.lit("batch").alias("engine")).select(list(FINDING_SCHEMA))


def per_package_findings(sources: dict[str, str], department: str, project: str, jobs: int,
                         every: frozenset[str] = frozenset()) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """The checks that are not vectorised, per package; every check for the units in ``every``."""
    rest = tuple(c.code for c in CHECKS if c.code not in VECTORISED)
    rows, failed = [], []
    for chosen, codes in (([s for s in sources if sources[s] not in every], rest), ([s for s in sources if sources[s] in every], ())):
        for path, report, error in each([Path(s) for s in chosen], audit_file, (department, project, None, (), codes, ()), jobs):
            if report is None:
                failed.append((str(path), error or ""))
                continue
            eid = sources[str(path)]
            for f in report.findings:
                loc = f.location
                rows.append((eid, f.code, f.severity, loc.part, loc.project, loc.row, loc.column, loc.indicator, loc.section,
                             f.message, "per-package"))
    return pl.DataFrame(rows, schema=FINDING_SCHEMA, orient="row"), failed
