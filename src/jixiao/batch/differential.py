"""The batch engine against the per-package engine on the same evaluations: every indicator's
score and status, every table's total and grade. Any difference is a bug in one of them."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..model import Evaluation
from ..rubric.choose import ProjectRubrics
from ..rubric.loader import CompiledRubric
from ..rubric.score import score_package
from .build import build
from .flatten import flatten
from .ir import PolarsOps
from .plan import make_plan
from .score import TABLE_SCHEMA, batch_scores, fallback_units, package_rows

IND_SCHEMA = {"eval_id": pl.String, "table": pl.Int32, "position": pl.Int32, "name": pl.String, "points": pl.Int64,
              "score": pl.Int64, "stated_score": pl.Int64, "status": pl.String}


@dataclass
class Comparison:
    units: int = 0
    fallback: int = 0
    indicators: int = 0
    department_indicators: int = 0  # of them, the department part's (table −1)
    tables: int = 0
    disagreements: list[dict] = field(default_factory=list)


def write_dataset(evaluations: Iterable[Evaluation], directory: Path) -> dict[str, Evaluation]:
    kept: dict[str, Evaluation] = {}

    def outcomes():
        for n, ev in enumerate(evaluations):
            eid, columns = flatten(ev, f"memory:{n}")
            kept[eid] = ev
            yield Path(f"memory:{n}"), (eid, columns), None

    build([], directory, outcomes())
    return kept


def per_package(kept: dict[str, Evaluation], department: CompiledRubric | None, project: ProjectRubrics,
                only: set[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    inds, tabs = [], []
    for eid in only:
        i, t = package_rows(eid, score_package(kept[eid], department, project))
        inds += i
        tabs += t
    return (pl.DataFrame(inds, schema=IND_SCHEMA, orient="row"), pl.DataFrame(tabs, schema=TABLE_SCHEMA, orient="row"))


def compare(evaluations: Iterable[Evaluation], project: ProjectRubrics, department: CompiledRubric | None = None,
            engine: str = "polars", spark=None) -> Comparison:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        kept = write_dataset(evaluations, directory)
        skip = fallback_units(directory, make_plan(PolarsOps(), project), department).collect()
        if engine == "spark":
            from .spark_score import spark_scores

            bi, bt = spark_scores(spark, directory, project, department, skip)
        else:
            li, lt = batch_scores(directory, project, department, skip.lazy())
            bi, bt = li.collect(), lt.collect()
        batched = set(kept) - set(skip["eval_id"].to_list())
        pi, pt = per_package(kept, department, project, batched)
    out = Comparison(units=len(batched), fallback=skip.height, indicators=pi.height,
                     department_indicators=pi.filter(pl.col("table") == -1).height, tables=pt.height)
    _diff(out, pi, bi, ["eval_id", "table", "position"], ["score", "status"], "indicator")
    _diff(out, pt, bt, ["eval_id", "table"], ["total", "grade"], "table")
    return out


def _diff(out: Comparison, expected: pl.DataFrame, got: pl.DataFrame, keys: list[str], values: list[str], what: str) -> None:
    joined = expected.select(*keys, "name", *values).join(
        got.select(*keys, *[pl.col(v).alias(f"{v}_batch") for v in values]), on=keys, how="full", coalesce=True)
    differs = pl.lit(False)
    for v in values:
        differs = differs | ~pl.col(v).eq_missing(pl.col(f"{v}_batch"))
    for row in joined.filter(differs).head(50).iter_rows(named=True):
        out.disagreements.append({"what": what, **row})
    out.disagreements += [] if not joined.filter(differs).height > 50 else [{"what": what, "more": joined.filter(differs).height - 50}]


LOCATION = ["eval_id", "code", "severity", "part", "project", "row", "column", "indicator", "section"]


def compare_audit(evaluations: Iterable[Evaluation], project: ProjectRubrics, department: CompiledRubric | None) -> Comparison:
    """Vectorised checks against the same checks per package: the same findings (code,
    severity, location), as multisets."""
    from ..audit import CHECKS
    from ..audit.report import audit, selected
    from .audit import VECTORISED, not_held, vectorised_findings

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        kept = write_dataset(evaluations, directory)
        inds, _ = per_package(kept, department, project, set(kept))
        got = vectorised_findings(directory, inds)
        held = set(not_held(directory).collect()["eval_id"].to_list())
    checks = selected(CHECKS, tuple(VECTORISED))
    rows = []
    for eid, ev in kept.items():
        if eid in held:  # audited per package: nothing of theirs to compare
            continue
        for f in audit(ev, department, project, checks=checks).findings:
            loc = f.location
            rows.append((eid, f.code, f.severity, loc.part, loc.project, loc.row, loc.column, loc.indicator, loc.section))
    expected = pl.DataFrame(rows, schema={k: pl.String for k in LOCATION}, orient="row")
    out = Comparison(units=len(kept) - len(held), fallback=len(held), indicators=inds.height, tables=expected.height)
    a = expected.group_by(LOCATION).len("expected")
    b = got.select(LOCATION).group_by(LOCATION).len("batch")
    both = a.join(b, on=LOCATION, how="full", coalesce=True, nulls_equal=True).filter(~pl.col("expected").eq_missing(pl.col("batch")))
    out.disagreements = both.head(50).to_dicts()
    return out
