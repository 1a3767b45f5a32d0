"""A new evaluation as a complete, empty package: every form and row a unit fills in, so that
nothing is missing merely because no file was imported, and nothing is invented."""

from __future__ import annotations

from ..labels import normalize_label
from .evaluation import (
    BaseData, BaseProject, Evaluation, FundRow, Funds, FundsExecution, Goal, Indicator, ProjectTable, ThreePublic, Triple,
)

# The report's nine sections (GUIDE §2) and the words that recognise a unit's own heading.
STANDARD = (
    ("一、部门（单位）基本情况", ("基本情况",)),
    ("二、一般公共预算支出情况", ("一般公共预算",)),
    ("三、政府性基金预算支出情况", ("政府性基金",)),
    ("四、国有资本经营预算支出情况", ("国有资本",)),
    ("五、社会保险基金预算支出情况", ("社会保险",)),
    ("六、部门整体支出绩效情况", ("绩效情况", "绩效目标")),
    ("七、存在的问题及原因分析", ("问题",)),
    ("八、下一步改进措施", ("改进措施",)),
    ("九、其他需要说明的情况", ("其他需要说明", "其他情况")),
)


def blank_evaluation(unit: str, fiscal_year: int, scorecard: list[dict], supervisor: str | None = None) -> Evaluation:
    """The package with the scoring table's rows (from the department rubric, by the caller),
    the department table, every base-data block, and the report's headings — all blank."""
    return Evaluation.model_validate({
        "unit": {"name": unit, "supervisor": supervisor},
        "fiscal_year": fiscal_year,
        "scorecard": scorecard,
        "department_evaluation": {"name": unit},
        "narrative": [{"heading": heading, "text": ""} for heading, _ in STANDARD],
    })


def with_project_tables(evaluation: Evaluation) -> tuple[Evaluation, list[str]]:
    """A project self-evaluation table for each base-data project line that has none, its funds
    taken from the line (本年预算数 → 年初预算数, 调整预算数 or 本年预算数 → 全年预算数,
    本年决算数 → 全年执行数). Returns the evaluation and the names added."""
    added = _without_table(evaluation)
    tables = [ProjectTable(name=line.name, funds=Funds(total=_funds(line))) for line in added]
    return evaluation.model_copy(update={"projects": [*evaluation.projects, *tables]}), [line.name for line in added]


def lines_without_table(evaluation: Evaluation) -> list[str]:
    """The names of the base-data project lines that have no self-evaluation table yet."""
    return [line.name for line in _without_table(evaluation)]


def _without_table(evaluation: Evaluation) -> list[BaseProject]:
    have = {normalize_label(t.name) for t in evaluation.projects}
    return [line for line in evaluation.base_data.projects if line.name and normalize_label(line.name) not in have]


def _funds(line: BaseProject) -> FundRow:
    budget = line.adjusted_budget if line.adjusted_budget is not None else line.budget
    return FundRow(initial_budget=line.budget, full_year_budget=budget, executed=line.final)


def from_previous(blank: Evaluation, previous: Evaluation) -> Evaluation:
    """A new year's package pre-filled from the unit's package of the year before: the unit, the
    编制数, every base-data row with last year's 本年决算数 as its 上年决算数 (the project lines
    by name), and the tables of the projects — and the department's — with their indicators,
    weights and last year's (adjusted) targets as this year's starting point, in last year's
    layout. This year's figures (budgets, actuals, scores) stay blank: nothing is invented."""
    data, three = previous.base_data, previous.base_data.three_public
    base = {
        "staffing": {"authorized": data.staffing.authorized},
        "three_public": {k: _prior(getattr(three, k)) for k in ThreePublic.model_fields},
        "projects": [{"name": r.name, "category": r.category, **_prior(r)} for r in data.projects],
        **{k: _prior(getattr(data, k)) for k in ("basic_expenditure", "public_funds", "project_expenditure", "procurement")},
        **{k: [{"name": r.name, **_prior(r)} for r in getattr(data, k)] for k in ("basic_expenditure_items", "public_funds_items", "other_rows")},
    }
    department = blank.department_evaluation
    if previous.department_evaluation is not None and department is not None:
        department = department.model_copy(update=_carried(previous.department_evaluation))
    unit = blank.unit.model_copy(update={k: v for k, v in previous.unit.model_dump().items() if v is not None and k != "name"})
    return blank.model_copy(update={
        "unit": unit,
        "base_data": BaseData.model_validate(base),
        "department_evaluation": department,
        "projects": [ProjectTable.model_validate({"name": t.name, "department": t.department, "implementer": t.implementer, **_carried(t)})
                     for t in previous.projects],
    })


def _prior(row: Triple) -> dict:
    return {"prior_final": row.final}


def _carried(table: ProjectTable) -> dict:
    """What of a table goes on to the next year: its goals, indicators, weights and layout."""
    return {
        "goals": [Goal(expected=g.expected) for g in table.goals if g.expected],
        "indicators": [
            Indicator(level1=i.level1, level2=i.level2, name=i.name, target=i.target_adjusted or i.target,
                      points=i.points, kind=i.kind, core=i.core)
            for i in table.indicators
        ],
        "execution": FundsExecution(points=table.execution.points),
        "total_points": table.total_points,
        "layout": table.layout,
    }
