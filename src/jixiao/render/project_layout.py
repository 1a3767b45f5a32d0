"""项目支出绩效自评表 and 部门整体支出绩效自评表, laid out from a ProjectTable.

Both forms end in the same indicator grid. The columns other provinces add to it (是否核心指标,
调整指标值, 得分系数) appear only when an indicator holds them; the blocks above the grid are
laid out on the nine columns of the national template and widened with it, so that every
figure stays under its header and a package without those columns prints as it always has.
Likewise the funds rows, the 原因 column, the adjusted goals, 财政审核评分 and the closing
rows (项目实施内容及过程概述, 评价结论, 存在问题, 改进措施) are printed only when the table holds them.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import DepartmentEvaluation, ProjectTable
from .cells import (
    Form,
    FormCell,
    clean_text,
    figure,
    filled,
    head,
    rate,
    shown,
    signature_line,
    text,
)

GRID_WIDTHS = [7, 9, 11, 16, 14, 12, 6, 6, 19]
# (field, header, the template column it follows, relative width, width taken from that column)
EXTRA_COLUMNS = (
    ("core", "是否核心指标", 3, 6, 0),
    ("target_adjusted", "调整指标值", 4, 12, 0),
    ("coefficient", "得分系数", 6, 8, 0),
)
# The execution's 原因 is a column of the funds block, right of 得分: it splits the last
# template column, which the indicator grid's 偏差原因分析及改进措施 spans whole.
REASON = ("reason", "原因", 8, 12, 12)
GRID_COLUMNS = (
    ("label", ""), ("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("target", "年度指标值"),
    ("actual", "实际完成值"), ("points", "分值"), ("score", "得分"), ("deviation", "偏差原因分析及改进措施"),
)
FUND_ROWS = (
    ("年度资金总额", "total"),
    ("其中：当年财政拨款", "fiscal"),
    ("上年结转资金", "carried_over"),
    ("财政专户管理资金", "special_account"),
    ("单位资金", "unit_funds"),
    ("其他资金", "other"),
)
OPTIONAL_FUNDS = {"special_account", "unit_funds"}  # not on the national template: only when held
CLOSING = (("项目实施内容及过程概述", "implementation"), ("评价结论", "conclusion"), ("存在问题", "problems"), ("改进措施", "measures"))

Extras = list[tuple[str, str, int, int, int]]


def _extras(table: ProjectTable) -> Extras:
    return [c for c in EXTRA_COLUMNS if any(getattr(i, c[0]) is not None for i in table.indicators)]


def _columns(extras: Extras) -> list[tuple[str, str]]:
    columns = list(GRID_COLUMNS)
    for name, header, after, _, _ in sorted(extras, key=lambda c: c[2], reverse=True):
        columns.insert(after + 1, (name, header))
    return columns


def _widths(extras: Extras) -> list[float]:
    widths: list[float] = list(GRID_WIDTHS)
    for _, _, after, width, taken in sorted(extras, key=lambda c: c[2], reverse=True):
        widths[after] -= taken
        widths.insert(after + 1, width)
    return widths


def _widen(rows: list[list[FormCell]], extras: Extras) -> list[list[FormCell]]:
    """Rows laid out on the template's nine columns, each cell grown over the grid columns
    added after the template columns it covers."""
    grow: dict[int, int] = {}
    for _, _, after, _, _ in extras:
        grow[after] = grow.get(after, 0) + 1
    out = []
    for row in rows:
        column, widened = 0, []
        for cell in row:
            added = sum(grow.get(c, 0) for c in range(column, column + cell.span))
            widened.append(replace(cell, span=cell.span + added) if added else cell)
            column += cell.span
        out.append(widened)
    return out


def _funds(table: ProjectTable, part: str, project: str | None) -> list[list[FormCell]]:
    funds, execution = table.funds, table.execution
    key = (part, project, "年度资金总额")
    rows = [[head("项目资金（万元）"), head("", 2), head("年初预算数"), head("全年预算数"), head("全年执行数"), head("分值"), head("执行率"), head("得分")]]
    for label, name in FUND_ROWS:
        row, first = getattr(funds, name), name == "total"
        if name in OPTIONAL_FUNDS and not filled(row):
            continue
        rows.append([
            FormCell(merged=True),
            text(label, span=2),
            figure(row.initial_budget, key + ("年初预算数",) if first else None),
            figure(row.full_year_budget, key + ("全年预算数",) if first else None),
            figure(row.executed, key + ("全年执行数",) if first else None),
            figure(execution.points if first else None, money=False),
            # the total's rate is the execution's; other rows carry their own where the form has them
            rate(execution.rate_stated if first else row.rate_stated, key + ("执行率",) if first else None),
            figure(execution.score_stated if first else None, (part, project, "预算执行率", "得分") if first else None, money=False),
        ])
    return rows


def _with_reason(rows: list[list[FormCell]], reason: str | None) -> list[list[FormCell]]:
    """The 原因 column at the right of the funds block: the header, then one cell down the rows."""
    if not clean_text(reason):
        return rows
    header, first, *rest = rows
    return [header + [head("原因")], first + [text(reason)], *[row + [FormCell(merged=True)] for row in rest]]


def _stretch(rows: list[list[FormCell]], reason: str | None) -> list[list[FormCell]]:
    """Grid rows grown over the 原因 column, which their last cell spans."""
    if not clean_text(reason):
        return rows
    return [row[:-1] + [replace(row[-1], span=row[-1].span + 1)] for row in rows]


def _goals(table: ProjectTable) -> list[list[FormCell]]:
    if not any(g.adjusted for g in table.goals):
        return [
            [head("年度总体目标", 3), head("预期目标", 3), head("实际完成情况", 3)],
            *[[FormCell(merged=True, span=3), text(g.expected, span=3), text(g.actual, span=3)] for g in table.goals],
        ]
    return [
        [head("年度总体目标", 2), head("预期目标", 2), head("全年（调整）目标", 2), head("实际完成情况", 3)],
        *[[FormCell(merged=True, span=2), text(g.expected, span=2), text(g.adjusted, span=2), text(g.actual, span=3)] for g in table.goals],
    ]


def _grid(table: ProjectTable, part: str, project: str | None, label: str, extras: Extras) -> list[list[FormCell]]:
    columns = _columns(extras)
    rows = [[head(label if name == "label" else header) for name, header in columns]]
    previous: tuple[str | None, str | None] = (None, None)
    for indicator in table.indicators:
        same1 = indicator.level1 == previous[0] and indicator.level1 is not None
        same2 = same1 and indicator.level2 == previous[1] and indicator.level2 is not None
        key = (part, project, indicator.name)
        cells = {
            "label": FormCell(merged=True),
            "level1": FormCell(merged=True) if same1 else text(indicator.level1),
            "level2": FormCell(merged=True) if same2 else text(indicator.level2),
            "name": text(indicator.name),
            "core": text({True: "是", False: "否", None: ""}[indicator.core]),
            "target": text(indicator.target, key=key + ("年度指标值",)),
            "target_adjusted": text(indicator.target_adjusted, key=key + ("调整指标值",)),
            "actual": text(indicator.actual, key=key + ("实际完成值",)),
            "points": figure(indicator.points, key + ("分值",), money=False),
            "coefficient": rate(indicator.coefficient, key + ("得分系数",)),
            "score": figure(indicator.score, key + ("得分",), money=False),
            "deviation": text(indicator.deviation, key=key + ("偏差原因分析及改进措施",)),
        }
        rows.append([cells[name] for name, _ in columns])
        previous = (indicator.level1, indicator.level2)
    names = [name for name, _ in columns]
    before = names.index("points")  # the label spans every column left of 分值

    total = {"points": figure(table.total_points, money=False), "score": figure(table.total_stated, (part, project, "总分", None), money=False)}
    rows.append([head("总分", before)] + [total.get(name) or text("") for name in names[before:]])
    if table.total_reviewed is not None:
        # the figure under 得分 and right beside its label, where a reader of the form looks for it
        score = names.index("score")
        reviewed = figure(table.total_reviewed, (part, project, "财政审核评分", None), money=False)
        rows.append([head("财政审核评分", score), reviewed] + [text("") for _ in names[score + 1 :]])
    return rows


def _closing(table: ProjectTable, width: int) -> list[list[FormCell]]:
    return [[head(label), text(getattr(table, name), span=width - 1)] for label, name in CLOSING if clean_text(getattr(table, name))]


def _extended(extras: Extras, reason: str | None) -> Extras:
    return extras + [REASON] if clean_text(reason) else extras


def project_form(table: ProjectTable, year: int) -> Form:
    part, project, reason = "project", table.name, table.execution.reason
    extras = _extras(table)
    every = _extended(extras, reason)
    rows = [
        *_widen([
            [head("项目支出名称"), text(table.name, span=8)],
            [head("主管部门", 2), text(table.department, span=3), head("实施单位", 2), text(table.implementer, span=2)],
        ], every),
        *_with_reason(_widen(_funds(table, part, project), extras), reason),
        *_widen(_goals(table), every),
    ]
    repeat = len(rows)
    rows += _stretch(_grid(table, part, project, "绩效指标", extras), reason)
    widths = _widths(every)
    until = len(rows)  # the grid header heads the indicators, not the closing text rows
    rows += _closing(table, len(widths))
    return Form(f"{year}年度项目支出绩效自评表", table.name[:28] or "项目", len(widths), rows, widths=widths, repeat=repeat,
                repeat_until=until, footer=signature_line(table.signatures))


def _department_goals(table: DepartmentEvaluation) -> list[list[FormCell]]:
    if not any(g.adjusted for g in table.goals):
        return [[head("整体绩效目标"), text(goal.expected if goal else None, span=8)] for goal in table.goals or [None]]
    return [
        [head("整体绩效目标"), head("预期目标", 4), head("全年（调整）目标", 4)],
        *[[FormCell(merged=True), text(g.expected, span=4), text(g.adjusted, span=4)] for g in table.goals],
    ]


def department_form(table: DepartmentEvaluation, year: int, supervisor: str | None = None) -> Form:
    part, reason = "department_evaluation", table.execution.reason
    funds, execution = table.funds, table.execution
    key = (part, None, "年度资金总额")
    # the form breaks the request down by source in one column of text: a source other places
    # add is one more line of it, printed only when the table holds it
    sources = []
    for label, name in FUND_ROWS:
        if name in OPTIONAL_FUNDS and filled(getattr(funds, name)):
            amount = shown(getattr(funds, name).full_year_budget)
            sources.append([FormCell(merged=True), text(f"{label}：{amount}", span=4), text("", span=4)])
    extras = _extras(table)
    every = _extended(extras, reason)
    top = [  # the funds block's header and total, side by side with the name
        [head("部门名称"), text(table.name, span=4), head("执行数"), head("资金执行率"), head("分值"), head("得分")],
        [head("年度预算申请（万元）"), text(f"资金总额：{shown(funds.total.full_year_budget)}", span=4), figure(funds.total.executed, key + ("全年执行数",)),
         rate(execution.rate_stated, key + ("执行率",)), figure(execution.points, money=False), figure(execution.score_stated, (part, None, "预算执行率", "得分"), money=False)],
    ]
    rows = [
        *_with_reason(_widen(top, extras), reason),
        *_widen([
            [FormCell(merged=True), text(f"其中：一般公共预算收入：{shown(funds.fiscal.full_year_budget)}" if funds.fiscal.full_year_budget is not None else "按收入性质分：", span=4),
             text(f"其中：基本支出：{shown(table.basic_budget)}" if table.basic_budget is not None else "按支出性质分：", span=4)],
            [FormCell(merged=True), text("", span=4), text(f"项目支出：{shown(table.project_budget)}" if table.project_budget is not None else "", span=4)],
            *sources,
            [head("部门职能职责概述"), text(table.duties, span=8)],
            *_department_goals(table),
        ], every),
    ]
    repeat = len(rows)
    rows += _stretch(_grid(table, part, None, "部门整体支出年度绩效指标", extras), reason)
    widths = _widths(every)
    until = len(rows)
    rows += _closing(table, len(widths))
    line = f"填报单位：{clean_text(table.name)}　　　　" + (f"主管部门：{clean_text(supervisor)}　　　　" if clean_text(supervisor) else "") + f"（{year}年度）"
    return Form("部门整体支出绩效自评表", "部门整体自评表", len(widths), rows, [line], widths=widths, repeat=repeat,
                repeat_until=until, footer=signature_line(table.signatures))
