"""What an export marks on the forms: computed values that differ from the stated ones and,
on request, audit findings — each on the cell it concerns, and all in a 核算对照表 annex."""

from __future__ import annotations

from dataclasses import dataclass, field


from ..audit.report import AuditReport
from ..rubric.methods import num, pct
from ..rubric.results import PackageScore, TableScore
from .layout import ANNEX_TITLE, Form, FormCell, head, text

Key = tuple[str, str | None, str | None, str | None]


@dataclass
class Mark:
    level: str  # computed | warning | error
    text: str


@dataclass
class Marks:
    cells: dict[Key, Mark] = field(default_factory=dict)
    annex: Form | None = None

    def get(self, key: Key | None) -> Mark | None:
        return self.cells.get(key) if key is not None else None

    def add(self, key: Key, level: str, message: str) -> None:
        old = self.cells.get(key)
        order = {"computed": 0, "warning": 1, "error": 2}
        if old is None:
            self.cells[key] = Mark(level, message)
        else:
            self.cells[key] = Mark(max(old.level, level, key=order.__getitem__), f"{old.text}\n{message}")


def _table(marks: Marks, rows: list[list[FormCell]], table: TableScore, part: str, project: str | None, label: str) -> None:
    for item in table.indicators:
        if item.status == "computed" and item.score is not None and item.stated_score is not None and item.score != item.stated_score:
            marks.add((part, project, item.name, "得分"), "computed", f"核算得分 {num(item.score)}：{item.applied}")
            rows.append([text(label), text(item.name), text(num(item.stated_score)), text(num(item.score)), text(item.explanation)])
    if table.execution_rate is not None and part != "scorecard":
        marks.add((part, project, "年度资金总额", "执行率"), "computed", f"核算执行率 {pct(table.execution_rate)}（全年执行数 ÷ 全年预算数）")
    if table.stated_total is not None and table.total != table.stated_total:
        rows.append([text(label), text("总分"), text(num(table.stated_total)), text(table.total_shown), text("；".join([*table.notes, *filter(None, [table.undetermined])]) or f"按评分规则 {table.rubric} 核算")])


def marks_for(score: PackageScore, report: AuditReport | None = None, department_part: str = "scorecard") -> Marks:
    marks = Marks()
    # the title is the table's own first row, so that an import can tell the annex in any format
    rows: list[list[FormCell]] = [[head(ANNEX_TITLE, 5)], [head("表"), head("指标"), head("填报"), head("核算"), head("说明")]]
    if score.department is not None:
        _table(marks, rows, score.department, department_part, None, "部门整体")
    for table in score.projects:
        _table(marks, rows, table, "project", table.name, table.name)
    if report is not None:
        for finding in report.findings:
            if finding.severity == "info":
                continue
            where = finding.location
            key = (where.part, where.project, where.indicator or where.row, where.column)
            marks.add(key, finding.severity, f"{'错误' if finding.severity == 'error' else '警告'}：{finding.message}")
            rows.append([text(where.project or "—"), text(where.indicator or where.row or where.section or "—"), text(""), text(str(finding.expected) if finding.expected is not None else ""), text(finding.message)])
    if len(rows) > 2:
        marks.annex = Form(ANNEX_TITLE, ANNEX_TITLE, 5, rows, ["Jixiao 按评分规则核算的结果与填报不一致之处，及审核发现的问题；导入时不读取本表。"], widths=[20, 18, 8, 8, 46], repeat=1, footer="")
    return marks



