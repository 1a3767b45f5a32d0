"""Walking the tables a check looks at, each with its location and its rescore."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import wraps

from ..model import ProjectTable
from ..rubric.results import TableScore
from .finding import Location
from .registry import Check, Context, Result


@dataclass
class Scored:
    table: ProjectTable
    location: Location
    score: TableScore | None

    def at(self, **where: str | None) -> Location:
        return self.location.model_copy(update=where)


def project_form_tables(ctx: Context) -> Iterator[Scored]:
    """Every table in project form: the department self-evaluation table, then each project."""
    if ctx.tables is None:  # walked once an audit: a dozen checks walk them
        ctx.tables = tuple(_walk(ctx))
    return iter(ctx.tables)


def _walk(ctx: Context) -> Iterator[Scored]:
    evaluation, score = ctx.evaluation, ctx.score
    department = evaluation.department_evaluation
    if department is not None:
        dept_score = score.department if score.department is not None and not evaluation.scorecard else None
        yield Scored(department, Location(part="department_evaluation"), dept_score)
    for index, table in enumerate(evaluation.projects):
        table_score = score.projects[index] if index < len(score.projects) else None
        yield Scored(table, Location(part="project", project=table.name or f"第 {index + 1} 个项目"), table_score)


def per_table(function: Callable[[Check, Context], Iterator[Result]]) -> Callable[[Check, Context], Iterator[Result]]:
    """Marks a check that reads nothing but each table in project form, its location and its
    rescore: given a memory (``ctx.remembered``), its results for a table are remembered by
    the table's content and rescore, and a save that changed one table runs it on that one."""

    @wraps(function)
    def run(check: Check, ctx: Context) -> Iterator[Result]:
        memory = ctx.remembered
        if memory is None:
            yield from function(check, ctx)
            return
        for item in project_form_tables(ctx):
            text = ctx.texts.get(id(item.table))
            if text is None:
                text = ctx.texts[id(item.table)] = item.table.model_dump_json()
            # The rescore by identity, held by the entry: the same table scored by the same
            # rubric is the same object (the web remembers scores by table), never a new one
            # at a reused id.
            key = (check.code, item.location.part, item.location.project, text, id(item.score))
            hit = memory.get(key)
            if hit is None or hit[0] is not item.score:
                hit = (item.score, list(function(check, replace(ctx, tables=(item,)))))
                memory.put(key, hit, len(text))
            yield from hit[1]

    return run
