"""A new evaluation as a complete, empty package: every form and row a unit fills in, so that
nothing is missing merely because no file was imported, and nothing is invented."""

from __future__ import annotations

from ..labels import normalize_label
from .evaluation import BaseProject, Evaluation, FundRow, Funds, ProjectTable

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
