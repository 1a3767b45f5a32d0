"""The batch engine against the per-package engine on the same evaluations: every indicator's
score and status, every table's total and grade. Any difference is a bug in one of them."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..model import Evaluation
from ..rubric.choose import ProjectRubrics
from ..rubric.loader import CompiledRubric
from ..rubric.score import score_package
from .build import build, scan
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


KEY = ["eval_id", "code", "part", "project", "row", "column", "indicator", "section"]

# Messages compared by a stated rule instead of as text. rules.full-points-missed-target quotes the
# rescore's target/actual text (“…”完成 80，目标 100，) and shows the score at the rubric's precision
# (3.50); the batch scores carry neither, so the per-package message is compared with that clause
# removed and the score's trailing zeros dropped. Every other vectorised message is compared exactly.
def _without_trailing_zeros(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def _missed_target(message: str) -> str:
    message = re.sub(r"^(“[^“”]*”).*，(?=未达到目标却计满分)", r"\1", message)
    return re.sub(r"应得 (\S+) 分$", lambda m: f"应得 {_without_trailing_zeros(m.group(1))} 分", message)


MESSAGE_RULES: dict[str, Callable[[str], str]] = {"rules.full-points-missed-target": _missed_target}


@dataclass
class AuditComparison:
    units: int = 0  # units compared
    fallback: int = 0  # units audited per package only (a figure the dataset cannot hold)
    findings: int = 0  # per-package findings of the vectorised checks
    not_checked: int = 0  # per-package 未能检查 records of the vectorised checks
    by_code: dict[str, tuple[int, int]] = field(default_factory=dict)  # code → (findings, 未能检查)
    disagreements: list[dict] = field(default_factory=list)


def compare_audit(evaluations: Iterable[Evaluation], project: ProjectRubrics, department: CompiledRubric | None) -> AuditComparison:
    """Vectorised checks against the same checks per package: the same findings (code, severity,
    location, message) and the same 未能检查 records (code, location, reason), as multisets."""
    from ..audit import CHECKS
    from ..audit.report import audit, selected
    from .audit import VECTORISED, vectorised_audit

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        kept = write_dataset(evaluations, directory)
        inds, _ = per_package(kept, department, project, set(kept))
        got, got_skips = vectorised_audit(directory, inds)
        inexact = set(scan(directory, "units").filter(~pl.col("exact")).select("eval_id").collect()["eval_id"].to_list())
    # a unit with a figure the dataset cannot hold is audited per package by every check, so only
    # the exact units have vectorised records to compare
    kept = {eid: ev for eid, ev in kept.items() if eid not in inexact}
    checks = selected(CHECKS, tuple(VECTORISED))
    rows, skips = [], []
    for eid, ev in kept.items():
        report = audit(ev, department, project, checks=checks)
        for f in report.findings:
            loc = f.location
            rows.append((eid, f.code, f.severity, loc.part, loc.project, loc.row, loc.column, loc.indicator, loc.section, MESSAGE_RULES.get(f.code, str)(f.message)))
        for n in report.not_checked:
            loc = n.location
            where = (loc.part, loc.project, loc.row, loc.column, loc.indicator, loc.section) if loc else (None,) * 6
            skips.append((eid, n.code, *where, n.reason))
    expected = pl.DataFrame(rows, schema={k: pl.String for k in [*KEY[:2], "severity", *KEY[2:], "message"]}, orient="row")
    expected_skips = pl.DataFrame(skips, schema={k: pl.String for k in [*KEY, "reason"]}, orient="row")
    out = AuditComparison(units=len(kept), fallback=len(inexact), findings=expected.height, not_checked=expected_skips.height)
    for code in VECTORISED:
        out.by_code[code] = (expected.filter(pl.col("code") == code).height, expected_skips.filter(pl.col("code") == code).height)
    out.disagreements = (_multiset(expected, got, [*KEY, "severity", "message"], "finding")
                         + _multiset(expected_skips, got_skips, [*KEY, "reason"], "未能检查"))
    return out


def _multiset(expected: pl.DataFrame, got: pl.DataFrame, keys: list[str], what: str) -> list[dict]:
    a = expected.select(keys).group_by(keys).len("expected")
    b = got.select(keys).group_by(keys).len("batch")
    both = a.join(b, on=keys, how="full", coalesce=True, nulls_equal=True).filter(~pl.col("expected").eq_missing(pl.col("batch")))
    return [{"what": what, **row} for row in both.head(50).to_dicts()]
