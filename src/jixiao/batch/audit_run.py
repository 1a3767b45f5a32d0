"""``jixiao batch audit`` as a library call: the vectorised checks over the whole dataset, the
others per package, written to ``DIR/results/findings`` and ``DIR/results/not_checked`` with a
summary by code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .audit import per_package_findings, vectorised_audit
from .build import source_files
from .results import score_directory


@dataclass
class AuditRun:
    units: int = 0
    findings: int = 0
    vectorised: int = 0
    per_package: int = 0
    not_checked: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def audit_directory(directory: Path, department: str, project: str, jobs: int = 1) -> AuditRun:
    score_directory(directory, department, project, jobs)  # the findings on scores (未达目标却计满分) read the rescore
    batch, batch_skips = vectorised_audit(directory, pl.scan_parquet(directory / "results" / "indicator_scores" / "*.parquet"))
    units = pl.read_parquet(directory / "units" / "*.parquet", columns=["eval_id", "source", "exact"]).with_columns(source_files(directory))
    inexact = set(units.filter(~pl.col("exact"))["eval_id"].to_list())  # a figure the dataset could not hold: every check per package
    rest, rest_skips, failed = per_package_findings(dict(zip(units["source"].to_list(), units["eval_id"].to_list())), inexact, department, project, jobs)
    findings, skipped = pl.concat([batch, rest]), pl.concat([batch_skips, rest_skips])
    out = directory / "results"
    for name, frame in (("findings", findings), ("not_checked", skipped)):
        (out / name).mkdir(parents=True, exist_ok=True)
        frame.write_parquet(out / name / "part-all.parquet")
    counts = findings.group_by("code", "severity").len("findings").join(
        skipped.group_by("code").len("not_checked"), on="code", how="full", coalesce=True).sort("findings", descending=True, nulls_last=True)
    counts.write_csv(out / "findings_summary.csv")
    return AuditRun(units.height, findings.height, batch.height, rest.height, skipped.height, failed)
