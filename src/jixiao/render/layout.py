"""The official forms laid out once, from the evaluation; every exporter renders this layout.

A form is rows of cells in column order. A cell may span columns; a cell under a vertical
merge is present with ``merged=True`` (the same shape the importer reads back, so that an
exported file imports to the evaluation it came from). Each cell knows which finding
location it shows, so that computed values and audit findings can be marked on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import DepartmentEvaluation, Evaluation, ProjectTable, Triple

ANNEX_TITLE = "核算对照表"  # the importer leaves a table with this title alone
GRID_WIDTHS = [7, 9, 11, 16, 14, 12, 6, 6, 19]


@dataclass
class FormCell:
    text: str = ""
    span: int = 1
    merged: bool = False  # continues the vertical merge of the cell above
    number: Decimal | None = None  # the figure, for spreadsheets
    percent: bool = False  # number is a percent figure (60 → 60%)
    money: bool = False  # number is an amount in 万元 (formatted to 2 or 4 places)
    header: bool = False
    key: tuple[str, str | None, str | None, str | None] | None = None  # (part, project, row/indicator, column)
    note: str | None = None  # what the computation says, where it differs


@dataclass
class Form:
    title: str
    sheet: str
    width: int
    rows: list[list[FormCell]]
    lines: list[str] = field(default_factory=list)  # 填报单位：…　单位：万元
    annex: str = ""  # 附件2
    widths: list[float] = field(default_factory=list)  # relative column widths
    repeat: int = 0  # the row repeated at the top of each printed page (the grid header)
    footer: str = "填表人：　　　　填报日期：　　　　联系电话：　　　　单位负责人签字："


def places(value: Decimal) -> int:
    """万元 to 2 places, or as many as the figure carries (38.1692 keeps 4)."""
    exponent = value.as_tuple().exponent
    return max(2, -exponent) if isinstance(exponent, int) else 2


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def clean_text(value: str | None) -> str:
    """Text as a form can hold it: control characters pasted from Word (\x0b…) removed."""
    return (value or "").translate(_CONTROL)


def shown(value: Decimal | None, percent: bool = False, money: bool = True) -> str:
    if value is None:
        return ""
    if percent:
        text = format(value, "f")
        return f"{text}%"
    if money:
        return format(value.quantize(Decimal(1).scaleb(-places(value))), "f")
    return format(value, "f")


def figure(value: Decimal | None, key=None, money: bool = True) -> FormCell:
    return FormCell(shown(value, money=money), number=value, key=key, money=money)


def rate(value: Decimal | None, key=None) -> FormCell:
    return FormCell(shown(value, percent=True), number=value, percent=True, key=key)


def text(value: str | None, span: int = 1, key=None) -> FormCell:
    return FormCell(clean_text(value), span=span, key=key)


def head(value: str, span: int = 1) -> FormCell:
    return FormCell(value, span=span, header=True)


def _triple(label: str, values: Triple, key_row: str, width: int) -> list[FormCell]:
    key = ("base_data", None, key_row)
    return [
        text(label, span=width - 3),
        figure(values.prior_final, key + ("上年决算数",)),
        figure(values.budget, key + ("本年预算数",)),
        figure(values.final, key + ("本年决算数",)),
    ]


def base_data_form(evaluation: Evaluation) -> Form:
    base, year, width = evaluation.base_data, evaluation.fiscal_year, 7
    staffing = base.staffing
    rows: list[list[FormCell]] = [
        [head("财政供养人员情况", width - 3), head("编制数"), head(f"{year}年实际在职人数"), head("控制率")],
        [
            text("", width - 3),
            figure(Decimal(staffing.authorized) if staffing.authorized is not None else None, money=False),
            figure(Decimal(staffing.actual) if staffing.actual is not None else None, money=False),
            rate(staffing.control_rate_stated, ("base_data", None, "财政供养人员情况", "控制率")),
        ],
        [head("经费控制情况", width - 3), head(f"{year - 1}年决算数"), head(f"{year}年预算数"), head(f"{year}年决算数")],
        _triple("一、部门基本支出", base.basic_expenditure, "部门基本支出", width),
    ]
    rows += [_triple(f"其中：{item.name}", item, item.name, width) for item in base.basic_expenditure_items]
    rows.append(_triple("其中：公用经费", base.public_funds, "公用经费", width))
    rows += [_triple(f"其中：{item.name}", item, item.name, width) for item in base.public_funds_items]
    three = base.three_public
    rows += [
        _triple("三公经费", three.total, "三公经费", width),
        _triple("1、公务用车购置和维护经费", three.vehicle, "公务用车购置和运行维护", width),
        _triple("其中：公车购置", three.vehicle_purchase, "公车购置", width),
        _triple("公车运行维护", three.vehicle_operation, "公车运行维护", width),
        _triple("2、出国经费", three.overseas, "出国经费", width),
        _triple("3、公务接待", three.reception, "公务接待", width),
        _triple("二、部门项目支出", base.project_expenditure, "项目支出", width),
    ]
    rows += [_triple(p.name, p, p.name, width) for p in base.projects if not p.category]
    categories = list(dict.fromkeys(p.category for p in base.projects if p.category))
    for number, category in enumerate(categories, start=1):
        rows.append([text(f"{number}、{category}(一个项目一行)", width - 3), text(""), text(""), text("")])
        rows += [_triple(p.name, p, p.name, width) for p in base.projects if p.category == category]
    rows.append(_triple("政府采购金额", base.procurement, "政府采购金额", width))
    rows += [_triple(r.name, r, r.name, width) for r in base.other_rows]
    execution = base.execution
    if any(v is not None for v in execution.model_dump().values()):
        rows.append([head("上年结转", width - 3), head("年初预算"), head("本年追加"), head("年末结余")])
        rows.append([FormCell(shown(execution.carried_over), span=width - 3, number=execution.carried_over, money=True),
                     figure(execution.initial_budget), figure(execution.supplementary), figure(execution.year_end_balance)])
    rows.append([head("楼堂馆所控制情况"), head("批复规模（㎡）"), head("实际规模（㎡）"), head("规模控制率"), head("预算投资（万元）"), head("实际投资（万元）"), head("投资概算控制率")])
    for b in base.buildings or []:
        rows.append([text(b.name), figure(b.approved_area, money=False), figure(b.actual_area, money=False), rate(b.area_rate_stated),
                     figure(b.approved_investment), figure(b.actual_investment), rate(b.investment_rate_stated)])
    if not base.buildings:
        rows.append([text("无")] + [text("") for _ in range(width - 1)])
    rows.append([head("厉行节约保障措施", 1), text(base.frugality_measures, span=width - 1)])
    return Form(f"{year}年部门整体支出绩效评价基础数据表", "基础数据表", width, rows, [f"填报单位：{clean_text(evaluation.unit.name)}　　　　单位：万元"], widths=[16, 12, 12, 12, 14, 14, 14])


def _funds(table: ProjectTable, part: str, project: str | None) -> list[list[FormCell]]:
    funds, execution = table.funds, table.execution
    key = (part, project, "年度资金总额")
    rows = [[head("项目资金（万元）"), head("", 2), head("年初预算数"), head("全年预算数"), head("全年执行数"), head("分值"), head("执行率"), head("得分")]]
    for label, row, first in (("年度资金总额", funds.total, True), ("其中：当年财政拨款", funds.fiscal, False), ("上年结转资金", funds.carried_over, False), ("其他资金", funds.other, False)):
        rows.append([
            FormCell(merged=True),
            text(label, span=2),
            figure(row.initial_budget, key + ("年初预算数",) if first else None),
            figure(row.full_year_budget, key + ("全年预算数",) if first else None),
            figure(row.executed, key + ("全年执行数",) if first else None),
            figure(execution.points if first else None, money=False),
            rate(execution.rate_stated if first else None, key + ("执行率",) if first else None),
            figure(execution.score_stated if first else None, (part, project, "预算执行率", "得分") if first else None, money=False),
        ])
    return rows


def _grid(table: ProjectTable, part: str, project: str | None, label: str) -> list[list[FormCell]]:
    rows = [[head(label), head("一级指标"), head("二级指标"), head("三级指标"), head("年度指标值"), head("实际完成值"), head("分值"), head("得分"), head("偏差原因分析及改进措施")]]
    previous: tuple[str | None, str | None] = (None, None)
    for indicator in table.indicators:
        same1 = indicator.level1 == previous[0] and indicator.level1 is not None
        same2 = same1 and indicator.level2 == previous[1] and indicator.level2 is not None
        key = (part, project, indicator.name)
        rows.append([
            FormCell(merged=True),
            FormCell(merged=True) if same1 else text(indicator.level1),
            FormCell(merged=True) if same2 else text(indicator.level2),
            text(indicator.name),
            text(indicator.target, key=key + ("年度指标值",)),
            text(indicator.actual, key=key + ("实际完成值",)),
            figure(indicator.points, key + ("分值",), money=False),
            figure(indicator.score, key + ("得分",), money=False),
            text(indicator.deviation, key=key + ("偏差原因分析及改进措施",)),
        ])
        previous = (indicator.level1, indicator.level2)
    rows.append([head("总分", 6), figure(table.total_points, money=False), figure(table.total_stated, (part, project, "总分", None), money=False), text("")])
    return rows


def project_form(table: ProjectTable, year: int) -> Form:
    part, project = "project", table.name
    rows = [
        [head("项目支出名称"), text(table.name, span=8)],
        [head("主管部门", 2), text(table.department, span=3), head("实施单位", 2), text(table.implementer, span=2)],
        *_funds(table, part, project),
        [head("年度总体目标", 3), head("预期目标", 3), head("实际完成情况", 3)],
        *[[FormCell(merged=True, span=3), text(g.expected, span=3), text(g.actual, span=3)] for g in table.goals],
    ]
    repeat = len(rows)
    rows += _grid(table, part, project, "绩效指标")
    return Form(f"{year}年度项目支出绩效自评表", table.name[:28] or "项目", 9, rows, widths=GRID_WIDTHS, repeat=repeat)


def department_form(table: DepartmentEvaluation, year: int) -> Form:
    part = "department_evaluation"
    funds, execution = table.funds, table.execution
    key = (part, None, "年度资金总额")
    rows = [
        [head("部门名称"), text(table.name, span=4), head("执行数"), head("资金执行率"), head("分值"), head("得分")],
        [head("年度预算申请（万元）"), text(f"资金总额：{shown(funds.total.full_year_budget)}", span=4), figure(funds.total.executed, key + ("全年执行数",)),
         rate(execution.rate_stated, key + ("执行率",)), figure(execution.points, money=False), figure(execution.score_stated, (part, None, "预算执行率", "得分"), money=False)],
        [FormCell(merged=True), text(f"其中：一般公共预算收入：{shown(funds.fiscal.full_year_budget)}" if funds.fiscal.full_year_budget is not None else "按收入性质分：", span=4),
         text(f"其中：基本支出：{shown(table.basic_budget)}" if table.basic_budget is not None else "按支出性质分：", span=4)],
        [FormCell(merged=True), text("", span=4), text(f"项目支出：{shown(table.project_budget)}" if table.project_budget is not None else "", span=4)],
        [head("部门职能职责概述"), text(table.duties, span=8)],
        *[[head("整体绩效目标"), text(goal.expected if goal else None, span=8)] for goal in table.goals or [None]],
    ]
    repeat = len(rows)
    rows += _grid(table, part, None, "部门整体支出年度绩效指标")
    return Form("部门整体支出绩效自评表", "部门整体自评表", 9, rows, [f"填报单位：{clean_text(table.name)}　　　　（{year}年度）"], widths=GRID_WIDTHS, repeat=repeat)


def scorecard_form(evaluation: Evaluation) -> Form:
    rows = [[head("一级指标"), head("二级指标"), head("三级指标"), head("分值"), head("评价标准"), head("指标说明"), head("得分")]]
    previous: tuple[str | None, str | None] = (None, None)
    for row in evaluation.scorecard:
        same1 = row.level1 == previous[0] and row.level1 is not None
        same2 = same1 and row.level2 == previous[1] and row.level2 is not None
        level1 = f"{row.level1}\n{shown(row.level1_points, money=False)}分" if row.level1_points is not None else row.level1
        level2 = f"{row.level2}\n{shown(row.level2_points, money=False)}分" if row.level2_points is not None else row.level2
        key = ("scorecard", None, row.name)
        rows.append([
            FormCell(merged=True) if same1 else text(level1),
            FormCell(merged=True) if same2 else text(level2),
            text(row.name),
            figure(row.points, key + ("分值",), money=False),
            text(row.criteria, key=key + ("评价标准",)),
            text(row.description),
            figure(row.score, key + ("得分",), money=False),
        ])
        previous = (row.level1, row.level2)
    rows.append([text(""), text(""), head("合计"), text(""), text(""), text(""), figure(evaluation.scorecard_total_stated, ("scorecard", None, "合计", None), money=False)])
    return Form(f"{evaluation.fiscal_year}年部门整体支出绩效评价指标评分表", "评分表", 7, rows, widths=[9, 9, 14, 5, 34, 30, 6])


def forms(evaluation: Evaluation) -> list[Form]:
    """The package's forms in the order they are handed in."""
    out: list[Form] = []
    if evaluation.scorecard:
        out.append(scorecard_form(evaluation))
    out.append(base_data_form(evaluation))
    if evaluation.department_evaluation is not None:
        out.append(department_form(evaluation.department_evaluation, evaluation.fiscal_year))
    out += [project_form(p, evaluation.fiscal_year) for p in evaluation.projects]
    for number, form in enumerate(out, start=1):
        form.annex = f"附件{number}"
    return out

