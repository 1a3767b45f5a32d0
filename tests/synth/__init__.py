"""Synthetic evaluations for differential testing: one ``Evaluation`` per seed, built as the
importers build them (raw 指标值 text, Decimal figures as typed, blanks as None), with a
tunable share of edge cases so that every scoring branch and audit check fires both ways.

    evaluation(seed, edge=EDGE) -> Evaluation       deterministic per (seed, edge)
    corpus(n, start=0, edge=EDGE) -> Iterator[Evaluation]
    RUBRICS -> (department rubric, project rubrics by layout), as the package is scored

``tests/synth/branches.py`` names the branch each scored indicator took, for coverage.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.model import (
    DepartmentEvaluation, Evaluation, FundRow, Funds, NarrativeSection, ProjectTable, Signatures, Triple, Unit,
)
from jixiao.model.blank import STANDARD
from jixiao.model.evaluation import BaseProject
from jixiao.rubric.choose import project_rubrics

from .department import RUBRIC, base_data, scorecard, stated_scores
from .figures import PEOPLE, PLACES, PROJECTS, UNITS, ZERO, Gen, figure
from .tables import execution, project_table

EDGE = 0.25
RUBRICS = (RUBRIC, project_rubrics())
CATEGORIES = ("业务工作专项", "运行维护专项", "市级专项", None)


def evaluation(seed: int, edge: float = EDGE) -> Evaluation:
    g = Gen(seed, edge)
    year = g.int(2019, 2025)
    place = g.pick(PLACES)
    unit, supervisor = place + g.pick(UNITS), place + "人民政府"
    count = g.pick((1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 12, 20))  # most units run a few projects
    names = [f"{place}{n}" for n in g.rng.sample(PROJECTS, count)]
    projects = [project_table(g, f"{year}年{n}" if g.chance(0.2) else n, unit, supervisor, year) for n in names]
    base, figures = base_data(g)
    base.projects = _lines(g, projects)
    base.project_expenditure = Triple(
        budget=_sum([p.budget for p in base.projects]), final=_sum([p.final for p in base.projects]),
        prior_final=g.amount(100, 5000))
    ev = Evaluation(
        unit=Unit(name=unit, supervisor=supervisor, code=f"{g.int(100, 999)}{g.int(1, 99):03d}" if g.chance(0.5) else None),
        fiscal_year=year, base_data=base, projects=projects,
        signatures=Signatures(filler=g.pick(PEOPLE), head=g.pick(PEOPLE), phone=f"1{g.int(3000000000, 9999999999)}"),
    )
    style = g.pick(("scorecard", "scorecard", "scorecard", "table")) if not g.odd() else g.pick(("scorecard", "table", "none"))
    if style != "none":
        ev.department_evaluation = _department(g, ev, supervisor, year)
    if style == "scorecard":
        ev.scorecard = scorecard(g)
        ev.scorecard_total_stated = stated_scores(g, ev.scorecard, figures)
    ev.narrative = _narrative(g, ev)
    return ev


def corpus(n: int, start: int = 0, edge: float = EDGE) -> Iterator[Evaluation]:
    for seed in range(start, start + n):
        yield evaluation(seed, edge)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _lines(g: Gen, projects: list[ProjectTable]) -> list[BaseProject]:
    """The base table's project lines: the tables' own figures, a slip or a missing line now and then."""
    lines = []
    for table in projects:
        total = table.funds.total
        if g.odd() and g.chance(0.2):
            continue
        final = total.executed
        if final is not None and g.odd() and g.chance(0.3):
            final += g.pick((Decimal("0.01"), Decimal(10), Decimal("-1.5")))
        lines.append(BaseProject(
            name=table.name, category=g.pick(CATEGORIES), prior_final=g.amount(0, 2000), budget=total.initial_budget,
            adjusted_budget=total.full_year_budget if total.full_year_budget != total.initial_budget else None, final=final))
    if g.odd() and g.chance(0.2):
        lines.append(BaseProject(name="未编制自评表的项目", budget=g.amount(1, 100), final=g.amount(1, 100)))
    return lines


def _department(g: Gen, ev: Evaluation, supervisor: str, year: int) -> DepartmentEvaluation:
    layout = g.pick(("flat-department", "flat-department", "national-2020", None))
    table = project_table(g, ev.unit.name, ev.unit.name, supervisor, year, layout)
    base = ev.base_data
    basic, projects = base.basic_expenditure, base.project_expenditure
    budget = None if basic.budget is None or projects.budget is None else basic.budget + projects.budget
    final = None if basic.final is None or projects.final is None else basic.final + projects.final
    if final is not None and g.odd():
        final += g.pick((Decimal("0.05"), Decimal(100)))
    data = dict(table)
    data["funds"] = Funds(total=FundRow(initial_budget=budget, full_year_budget=budget, executed=final))
    data["execution"], _ = execution(g, table.execution.points, budget, final, budget)
    return DepartmentEvaluation(**data, basic_budget=basic.budget, project_budget=projects.budget,
                                duties=g.pick((None, "负责辖区内经济社会发展各项工作。")))


def _narrative(g: Gen, ev: Evaluation) -> list[NarrativeSection]:
    base = ev.base_data
    said = {
        "基本支出决算": base.basic_expenditure.final,
        "项目支出决算": base.project_expenditure.final,
        "“三公”经费决算": base.three_public.total.final,
    }
    sentences = []
    for label, value in said.items():
        if value is None or g.chance(0.3):
            continue
        if g.odd():
            value += g.pick((Decimal("0.1"), Decimal(12)))
        sentences.append(f"{ev.fiscal_year}年{label}{figure(value)}万元")
    staff = base.staffing.actual
    profile = f"本单位在职人员{staff + (1 if g.odd() else 0)}人。" if staff is not None else "本单位为一级预算单位。"
    if g.odd():
        profile += g.pick(("XX同志负责填报。", "严格执行执行各项制度。", f"{ev.fiscal_year - 3}年度工作总结。"))
    texts = {0: profile, 1: "，".join(sentences) + "。" if sentences else ""}
    return [NarrativeSection(heading=h, text=texts.get(i, g.pick(("", "按要求开展相关工作。"))))
            for i, (h, _) in enumerate(STANDARD) if not (g.odd() and i > 5 and g.chance(0.5))]
