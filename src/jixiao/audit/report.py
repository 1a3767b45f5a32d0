"""The audit report: findings, what could not be checked, and the rescore. Views only read it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from ..ingest.notices import Notice
from ..model import Evaluation
from ..rubric.choose import ProjectRubrics
from ..rubric.loader import CompiledRubric
from ..rubric.results import PackageScore, TableScore, Verdict
from ..rubric.score import score_package
from . import CHECKS
from .finding import PARTS, Finding, NotChecked
from .registry import Check, Context, run_checks

ORDER = {"error": 0, "warning": 1, "info": 2}
RANK = {part: index for index, part in enumerate(PARTS)}  # a part's place, without a list scan per finding


class IndicatorRescore(BaseModel):
    name: str
    points: Decimal | None
    stated_score: Decimal | None
    score: Decimal | None
    status: str


class TableRescore(Verdict):
    name: str
    stated_total: Decimal | None
    stated_grade: str | None
    indicators: list[IndicatorRescore] = Field(default_factory=list)

    @classmethod
    def of(cls, table: TableScore) -> TableRescore:
        return cls(
            name=table.name,
            stated_total=table.stated_total,
            total=table.total,
            stated_grade=table.stated_grade,
            grade=table.grade,
            coverage=table.coverage,
            undetermined=table.undetermined,
            indicators=[IndicatorRescore(name=i.name, points=i.points, stated_score=i.stated_score, score=i.score, status=i.status) for i in table.indicators],
        )


class Rescore(BaseModel):
    department: TableRescore | None
    projects: list[TableRescore]


class AuditReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    unit: str
    fiscal_year: int
    findings: list[Finding]
    not_checked: list[NotChecked]
    rescore: Rescore

    @computed_field  # type: ignore[prop-decorator]
    @property
    def stats(self) -> dict[str, int]:
        return {severity: sum(1 for f in self.findings if f.severity == severity) for severity in ORDER}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def valid(self) -> bool:
        return self.stats["error"] == 0

    def flatten(self) -> list[list[str]]:
        """One row per finding — code, severity, part, where, message — for tables and tests."""
        return [[f.code, f.severity, PARTS[f.location.part], f.location.describe(), f.message] for f in self.findings]


def selected(checks: Sequence[Check], select: Iterable[str] = (), skip: Iterable[str] = ()) -> tuple[Check, ...]:
    """Checks picked (or skipped) by code or family: ``rules`` or ``rules.rate-base``."""
    select, skip = list(select), list(skip)

    def named(item: Check, names: list[str]) -> bool:
        return item.code in names or item.family in names

    return tuple(c for c in checks if (not select or named(c, select)) and not named(c, skip))


def audit(
    evaluation: Evaluation,
    department: CompiledRubric | None,
    project: CompiledRubric | ProjectRubrics,
    notices: Sequence[Notice] = (),
    source: str = "",
    checks: tuple[Check, ...] = CHECKS,
    score: PackageScore | None = None,
    previous: Evaluation | None = None,
    previous_score: PackageScore | None = None,
    remembered: Any = None,
) -> AuditReport:
    """``score`` is the package's score by the same rubrics, when the caller has it already;
    ``previous`` the unit's package of the year before, for the history checks (and
    ``previous_score`` its score, likewise); ``remembered`` a memory the per-table checks
    share between audits (see tables.per_table)."""
    score = score or score_package(evaluation, department, project)
    last = previous_score or (score_package(previous, department, project) if previous is not None else None)
    findings, skipped = run_checks(checks, Context(evaluation, score, list(notices), previous, last, remembered))
    findings.sort(key=lambda f: (ORDER[f.severity], RANK[f.location.part]))
    return AuditReport(
        source=source,
        unit=evaluation.unit.name,
        fiscal_year=evaluation.fiscal_year,
        findings=findings,
        not_checked=skipped,
        rescore=Rescore(
            department=TableRescore.of(score.department) if score.department else None,
            projects=[TableRescore.of(p) for p in score.projects],
        ),
    )
