"""Terminal views (rich) of scores and rubrics; they only read result and rubric models."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..decimals import rounded
from ..rubric.loader import CompiledRubric
from ..rubric.methods import num
from ..rubric.results import UNDETERMINED, IndicatorScore, PackageScore, TableScore
from .rubric_table import rubric_facts, scoring_table

STATUS = {
    "computed": ("核算", "green"),
    "stated": ("采用填报", "yellow"),
    "not_applicable": ("不适用", "dim"),
    "undetermined": ("无法确定", "red"),
}


def _n(value: Decimal | None) -> str:
    return "" if value is None else num(value)


def _score_cell(item: IndicatorScore) -> Text:
    text = Text(_n(item.score))
    if item.score is not None and item.stated_score is not None and item.score != item.stated_score:
        text.stylize("bold red")
    return text


def indicator_table(table: TableScore, title: str, explain: bool) -> Table:
    """One row per indicator; ``explain`` shows the whole explanation instead of the rule applied."""
    out = Table(title=title, show_lines=explain, title_justify="left")
    for header in ("一级指标", "三级指标", "分值", "填报", "核算", "方式"):
        out.add_column(header, overflow="fold", no_wrap=header in ("分值", "填报", "核算", "方式"))
    out.add_column("说明", overflow="fold", ratio=1)
    level = None
    for item in table.indicators:
        label, style = STATUS[item.status]
        out.add_row(
            item.level1 if item.level1 != level else "",
            item.name,
            _n(item.points),
            _n(item.stated_score),
            _score_cell(item),
            Text(label, style=style),
            item.explanation if explain else (item.applied or ""),
        )
        level = item.level1
    return out


def _summary(table: TableScore) -> Text:
    stated = f"填报总分 {_n(table.stated_total) or '（未填）'}"
    if table.stated_grade:
        stated += f"（{table.stated_grade}）"
    ruled = f"核算总分 {_n(table.total)}（{table.grade}）" if table.total is not None else f"核算总分 {UNDETERMINED}"
    line = f"{ruled}；{stated}；各项填报得分之和 {_n(table.stated_sum)}；{table.coverage.describe()}"
    if table.applicable_points != table.total_points:
        line += f"；适用分值 {_n(table.applicable_points)}，已折算为 {_n(table.total_points)} 分制"
    if not table.complete:
        line += "；部分指标无法确定得分，总分不完整"
    text = Text(line, style="bold")
    if table.undetermined:
        text.append(f"\n{table.undetermined}", style="bold red")
    for note in table.notes:
        text.append(f"\n注意：{note}", style="yellow")
    return text


def package_view(score: PackageScore, detail: bool = False, explain: bool = False) -> Group:
    parts: list = [Text(f"{score.unit}　{score.fiscal_year} 年度", style="bold underline")]
    parts += [Text(f"注意：{note}", style="yellow") for note in score.notes]
    parts.append(Text(f"全部材料：{score.coverage.describe()}"))
    if score.department is not None:
        title = f"部门整体：{score.department.name}（评分规则 {score.department.rubric}）"
        parts += [indicator_table(score.department, title, explain), _summary(score.department)]
    projects = Table(title="项目支出绩效自评", title_justify="left")
    for header in ("项目", "执行率", "填报总分", "核算总分", "等级", "按数据核算"):
        projects.add_column(header, overflow="fold")
    for table in score.projects:
        rate = "" if table.execution_rate is None else f"{num(rounded(table.execution_rate * 100, 2))}%"
        total = Text(table.total_shown, style="bold red" if table.stated_total is not None and table.total != table.stated_total else "")
        covered = f"{table.coverage.computed}/{table.coverage.indicators} 项，{_n(table.coverage.points_computed)}/{_n(table.coverage.points)} 分"
        projects.add_row(table.name, rate, _n(table.stated_total), total, table.grade_shown, covered)
    if score.projects:
        parts.append(projects)
    if detail:
        for table in score.projects:
            parts += [indicator_table(table, f"项目：{table.name}", explain), _summary(table)]
    return Group(*parts)


def rubric_view(compiled: CompiledRubric) -> Group:
    rubric = compiled.rubric
    head = Text(f"{rubric.title}\n{rubric.jurisdiction}　{rubric.year or '不限年度'}　编号 {rubric.id}", style="bold")
    out = Table(show_lines=True)
    for header in ("一级指标", "二级指标", "三级指标", "分值", "评价标准", "指标说明", "Jixiao 计分规则"):
        out.add_column(header, overflow="fold")
    for line in scoring_table(compiled):
        first1, first2 = (f"{level[0]}\n{level[1]}分" if level and level[1] else level[0] if level else "" for level in (line.level1, line.level2))
        ind = line.indicator
        if ind is None:
            out.add_row(first1, "", "（单位自设）", "", "", "", "")
            continue
        # the execution rate (outside the levels) shows its rule alone
        rule = f"{line.formula}；{line.rule}" if line.formula and not line.blank1 else line.rule
        out.add_row(first1, first2, ind.name, line.points, ind.criteria or "", ind.description or "", rule)
    parts: list = [head, out]
    if rubric.indicators is not None:
        parts.append(Text(f"定量指标：{rubric.indicators.quantitative.describe(Decimal(0))}"))
        parts.append(Text(f"定性指标：{rubric.indicators.qualitative.describe(Decimal(0))}"))
    if rubric.without_satisfaction:
        moved = "、".join(f"{k} {_n(v)} 分" for k, v in rubric.without_satisfaction.items())
        parts.append(Text(f"未设满意度指标时：{moved}"))
    parts += [Text(line) for line in rubric_facts(rubric)]
    grades = "；".join(f"{g.grade} ≥ {_n(g.min)}" for g in rubric.grades)
    parts.append(Text(f"等级：{grades}；得分保留 {rubric.precision} 位小数"))
    for correction in rubric.corrections:
        parts.append(Text(f"更正：{correction}", style="yellow"))
    return Group(*parts)
