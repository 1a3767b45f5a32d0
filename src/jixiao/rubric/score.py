"""Scoring a package: the department scoring table and every project table, explained."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..labels import normalize_label
from ..model import Evaluation, ProjectTable, ScorecardRow
from .indicator import Env, finish, judge, quantize
from .choose import ProjectRubrics, as_project_rubrics
from .loader import CompiledRubric
from .project import score_project_indicators, weights_mismatch
from .methods import num
from .results import Coverage, IndicatorScore, LevelScore, PackageScore, TableScore

ZERO = Decimal(0)


def _rows_by_label(rows: list[ScorecardRow]) -> dict[str, list[int]]:
    """Scoring-table rows by normalised name, built once: looking each indicator up by
    comparing it with every row made scoring quadratic in the table's length."""
    index: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        index.setdefault(normalize_label(row.name), []).append(position)
    return index


def _matching_rows(rows: list[ScorecardRow], index: dict[str, list[int]], names: list[str]) -> list[ScorecardRow]:
    """The rows named by any of ``names``, in table order."""
    positions = sorted({p for n in names for p in index.get(normalize_label(n), ())})
    return [rows[p] for p in positions]


def _find_row(matches: list[ScorecardRow]) -> ScorecardRow | None:
    """The scoring-table row of an indicator; a merged row without figures yields to one with."""
    return next((r for r in matches if r.score is not None or r.points is not None), matches[0] if matches else None)


def _grade_or_none(compiled: CompiledRubric, total: Decimal | None) -> str | None:
    return compiled.rubric.grade_of(total) if total is not None else None


def _total(compiled: CompiledRubric, indicators: list[IndicatorScore], notes: list[str]) -> tuple[Decimal, Decimal]:
    """(total, applicable points): not-applicable indicators leave the total rescaled to full
    marks; a table whose points add up to more than the rubric's total is capped, and said so."""
    rubric = compiled.rubric
    points = sum((i.points or ZERO for i in indicators), ZERO)
    applicable = sum((i.points or ZERO for i in indicators if i.status != "not_applicable"), ZERO)
    raw = sum((i.score for i in indicators if i.score is not None), ZERO)
    if points != rubric.total:
        notes.append(f"各指标分值合计 {num(points)}，与评分规则总分 {num(rubric.total)} 不符")
    excluded = any(i.status == "not_applicable" for i in indicators)
    if excluded and applicable > 0:
        raw = raw * rubric.total / applicable
    if raw > rubric.total:
        notes.append(f"核算得分 {num(quantize(raw, rubric.precision))} 超过总分，按 {num(rubric.total)} 计")
        raw = rubric.total
    return quantize(raw, rubric.precision), applicable


def _coverage(indicators: list[IndicatorScore]) -> Coverage:
    applicable = [i for i in indicators if i.status != "not_applicable"]
    computed = [i for i in applicable if i.status == "computed"]
    return Coverage(
        indicators=len(applicable),
        computed=len(computed),
        points=sum((i.points or ZERO for i in applicable), ZERO),
        points_computed=sum((i.points or ZERO for i in computed), ZERO),
        score=sum((i.score or ZERO for i in computed), ZERO),
    )


def _verdict(compiled: CompiledRubric, total: Decimal, coverage: Coverage) -> dict:
    """Total and grade, or neither with the reason: a total made mostly of the unit's own
    scores is not a rescore, and a grade on it would read as the bureau's verdict."""
    least = compiled.rubric.min_coverage
    if coverage.share is not None and coverage.share >= least:
        return {"total": total, "grade": compiled.rubric.grade_of(total), "coverage": coverage}
    reason = (
        f"{coverage.describe()}，低于评分规则 {compiled.rubric.id} 要求的 {num(least * 100)}%，"
        f"其余为填报得分或无法确定，总分与等级无法核算"
    )
    if coverage.share is None:
        reason = "没有适用的指标，总分与等级无法核算"
    return {"total": None, "grade": None, "coverage": coverage, "undetermined": reason}


def _stated_sum(scores: list[Decimal | None]) -> Decimal | None:
    stated = [s for s in scores if s is not None]
    return sum(stated, ZERO) if stated else None


def score_department(evaluation: Evaluation, compiled: CompiledRubric) -> TableScore:
    rubric = compiled.rubric
    indicators: list[IndicatorScore] = []
    levels: list[LevelScore] = []
    notes: list[str] = []
    matched: set[int] = set()
    by_label = _rows_by_label(evaluation.scorecard)
    for level1 in rubric.levels:
        mine: list[IndicatorScore] = []
        for level2 in level1.children:
            for ind in level2.indicators:
                matches = _matching_rows(evaluation.scorecard, by_label, [ind.name, *ind.aliases])
                row = _find_row(matches)
                matched.update(id(r) for r in matches)
                answer = row.answer if row else None
                stated = row.score if row else None
                verdict = judge(ind, Env(evaluation, compiled, answer), answer, stated)
                if row is None:
                    verdict.applied = f"评分表中没有“{ind.name}”这一行；{verdict.applied}"
                formula = compiled.formulas.get(f"{ind.id}:formula")
                mine.append(
                    finish(
                        verdict,
                        compiled=compiled,
                        name=ind.name,
                        points=ind.points,
                        stated=stated,
                        method=ind.scoring.method,
                        rule=ind.scoring.describe(ind.points),
                        formula=formula.render() if formula else None,
                        ident=ind.id,
                        level1=level1.name,
                        level2=level2.name,
                    )
                )
        levels.append(
            LevelScore(
                name=level1.name,
                points=level1.points,
                score=sum((i.score for i in mine if i.score is not None), ZERO),
                stated_score=_stated_sum([i.stated_score for i in mine]),
            )
        )
        indicators.extend(mine)
    unknown = [r.name for r in evaluation.scorecard if id(r) not in matched]
    if unknown:
        notes.append(f"评分表中以下指标不在评分规则 {rubric.id} 内，未核算：{'、'.join(unknown)}")
    total, applicable = _total(compiled, indicators, notes)
    stated_total = evaluation.scorecard_total_stated
    return TableScore(
        name=evaluation.unit.name,
        rubric=rubric.id,
        stated_total=stated_total,
        stated_sum=_stated_sum([r.score for r in evaluation.scorecard]),
        total_points=rubric.total,
        applicable_points=applicable,
        **_verdict(compiled, total, _coverage(indicators)),
        stated_grade=_grade_or_none(compiled, stated_total),
        complete=all(i.score is not None or i.status == "not_applicable" for i in indicators),
        levels=levels,
        indicators=indicators,
        notes=notes,
    )


def score_project(table: ProjectTable, compiled: CompiledRubric, year: int | None = None) -> TableScore:
    """A project table (or a department table in project form) by a project rubric; ``year``
    is the package's fiscal year, for deadlines that do not name one."""
    rubric = compiled.rubric
    own, levels = score_project_indicators(table, compiled, year)
    indicators, rate = own, None
    if rubric.execution is not None:
        execution = rubric.execution
        formula = compiled.formulas[f"{execution.id}:formula"]
        verdict = judge(execution, Env(table, compiled), None, table.execution.score_stated)
        indicators = [finish(
            verdict,
            compiled=compiled,
            name=execution.name,
            points=execution.points,
            stated=table.execution.score_stated,
            method=execution.scoring.method,
            rule=execution.scoring.describe(execution.points),
            formula=formula.render(),
            ident=execution.id,
        ), *own]
        rate = verdict.number
    notes: list[str] = []
    total, applicable = _total(compiled, indicators, notes)
    mismatch = weights_mismatch(compiled, own, levels)
    if mismatch:
        notes.append(mismatch)
    return TableScore(
        name=table.name,
        rubric=rubric.id,
        stated_total=table.total_stated,
        stated_sum=_stated_sum([i.stated_score for i in indicators]),
        total_points=rubric.total,
        applicable_points=applicable,
        **_verdict(compiled, total, _coverage(indicators)),
        stated_grade=_grade_or_none(compiled, table.total_stated),
        complete=all(i.score is not None or i.status == "not_applicable" for i in indicators),
        execution_rate=rate,
        weights_mismatch=mismatch,
        levels=levels,
        indicators=indicators,
        notes=notes,
    )


TableScorer = Callable[[ProjectTable, CompiledRubric, "int | None"], TableScore]


def score_package(
    evaluation: Evaluation, department: CompiledRubric | None, project: CompiledRubric | ProjectRubrics,
    table_score: TableScorer = score_project,
) -> PackageScore:
    """The department part is the scoring table when the package has one, else the
    department self-evaluation table in project form (scored like a project). Each table in
    project form is scored by the rubric named, or by the one for its layout; ``table_score``
    stands in for score_project where a caller remembers tables it scored before."""
    rubrics = as_project_rubrics(project)
    notes: list[str] = []
    if evaluation.scorecard and department is not None:
        dept: TableScore | None = score_department(evaluation, department)
    elif evaluation.department_evaluation is not None:
        dept = table_score(evaluation.department_evaluation, rubrics.of(evaluation.department_evaluation), evaluation.fiscal_year)
    else:
        dept = None
        notes.append("材料中没有评分表，也没有部门整体支出绩效自评表，部门整体未评分")
    return PackageScore(
        unit=evaluation.unit.name,
        fiscal_year=evaluation.fiscal_year,
        department=dept,
        projects=[table_score(p, rubrics.of(p), evaluation.fiscal_year) for p in evaluation.projects],
        notes=notes,
    )

