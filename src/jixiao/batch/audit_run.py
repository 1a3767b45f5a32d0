"""``jixiao batch audit`` as a library call: the vectorised checks over the whole dataset, the
others per package, written to ``DIR/results/findings`` with a summary by code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .audit import not_held, per_package_findings, vectorised_findings
from .build import source_files
from .results import score_directory


@dataclass
class AuditRun:
    units: int = 0
    findings: int = 0
    vectorised: int = 0
    per_package: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def audit_directory(directory: Path, department: str, project: str, jobs: int = 1) -> AuditRun:
    score_directory(directory, department, project, jobs)  # the findings on scores (未达目标却计满分) read the rescore
    batch = vectorised_findings(directory, pl.scan_parquet(directory / "results" / "indicator_scores" / "*.parquet"))
    units = pl.read_parquet(directory / "units" / "*.parquet", columns=["eval_id", "source"]).with_columns(source_files(directory))
    every = frozenset(not_held(directory).collect()["eval_id"].to_list())  # units whose figures the vectorised checks cannot read
    rest, failed = per_package_findings(dict(zip(units["source"].to_list(), units["eval_id"].to_list())), department, project, jobs, every)
    findings = pl.concat([batch, rest])
    out = directory / "results" / "findings"
    out.mkdir(parents=True, exist_ok=True)
    findings.write_parquet(out / "part-all.parquet")
    findings.group_by("code", "severity").len("findings").sort("findings", descending=True).write_csv(directory / "results" / "findings_summary.csv")
    return AuditRun(units.height, findings.height, batch.height, rest.height, failed)
