"""Which project rubric scores a table: the one named, or the one made for the table's layout.

Provinces print the project table with their own weights (50/30/10, 预算执行 10 + 权重 90,
决策/过程/产出/效益, 得分系数 × 权重). The importer records the layout family it recognised; a
rubric lists the layouts it is for. Naming a rubric overrides the layout for every table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ProjectTable
from .loader import CompiledRubric, RubricError, find_rubric, load_rubric, rubric_files

AUTO = "auto"
DEFAULT_PROJECT_RUBRIC = "mof-2020-project"


@dataclass(frozen=True)
class ProjectRubrics:
    default: CompiledRubric
    by_layout: dict[str, CompiledRubric] = field(default_factory=dict)

    def of(self, table: ProjectTable) -> CompiledRubric:
        return self.by_layout.get(table.layout or "", self.default)

    @property
    def named(self) -> bool:
        return not self.by_layout


def project_rubrics(ref: str = AUTO) -> ProjectRubrics:
    """``auto``: each table by its layout, else the national rubric; any other ref: that rubric
    for every table. Raises RubricError for a ref that is not a usable project rubric."""
    if ref != AUTO:
        return ProjectRubrics(find_rubric(ref))
    default = find_rubric(DEFAULT_PROJECT_RUBRIC)
    by_layout: dict[str, CompiledRubric] = {}
    for path in rubric_files():
        try:
            compiled = load_rubric(path)
        except RubricError:
            continue  # `jixiao rubric check` and the web's rubric list report broken files
        if compiled.rubric.kind == "project":
            for layout in compiled.rubric.layouts:
                by_layout.setdefault(layout, compiled)
    return ProjectRubrics(default, by_layout)


def as_project_rubrics(project: CompiledRubric | ProjectRubrics) -> ProjectRubrics:
    return project if isinstance(project, ProjectRubrics) else ProjectRubrics(project)
