"""Walking the tables a check looks at, each with its location and its rescore."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import ProjectTable
from ..rubric.results import TableScore
from .finding import Location
from .registry import Context


@dataclass
class Scored:
    table: ProjectTable
    location: Location
    score: TableScore | None

    def at(self, **where: str | None) -> Location:
        return self.location.model_copy(update=where)


def project_form_tables(ctx: Context) -> Iterator[Scored]:
    """Every table in project form: the department self-evaluation table, then each project."""
    evaluation, score = ctx.evaluation, ctx.score
    department = evaluation.department_evaluation
    if department is not None:
        dept_score = score.department if score.department is not None and not evaluation.scorecard else None
        yield Scored(department, Location(part="department_evaluation"), dept_score)
    for index, table in enumerate(evaluation.projects):
        table_score = score.projects[index] if index < len(score.projects) else None
        yield Scored(table, Location(part="project", project=table.name or f"第 {index + 1} 个项目"), table_score)
