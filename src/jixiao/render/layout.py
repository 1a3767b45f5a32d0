"""The official forms laid out once, from the evaluation; every exporter renders this layout.

The cells and how figures are shown in them are in ``cells``; the project and department
self-evaluation tables, which share the indicator grid, in ``project_layout``.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import BaseData, Evaluation, Triple
from .cells import (
    Form,
    FormCell,
    clean_text,
    figure,
    head,
    places,
    rate,
    shown,
    signature_line,
    text,
)
from .project_layout import GRID_WIDTHS, department_form, project_form

__all__ = [
    "ANNEX_TITLE", "GRID_WIDTHS", "Form", "FormCell", "base_data_form", "clean_text", "department_form", "figure",
    "forms", "head", "places", "project_form", "rate", "scorecard_form", "shown", "text",
]

ANNEX_TITLE = "核算对照表"  # the importer leaves a table with this title alone


def _spending(base: BaseData) -> list[Triple]:
    three = base.three_public
    return [
        base.basic_expenditure, *base.basic_expenditure_items, base.public_funds, *base.public_funds_items,
        three.total, three.vehicle, three.vehicle_purchase, three.vehicle_operation, three.overseas, three.reception,
        base.project_expenditure, *base.projects, base.procurement, *base.other_rows,
    ]


def base_data_form(evaluation: Evaluation) -> Form:
    base, year, width = evaluation.base_data, evaluation.fiscal_year, 7
    staffing = base.staffing
    # 调整预算数 is a column only some provinces print: it takes a column from the row label
    adjusted = any(t.adjusted_budget is not None for t in _spending(base))
    label_span = width - 4 if adjusted else width - 3

    def spending(label: str, values: Triple, key_row: str) -> list[FormCell]:
        key = ("base_data", None, key_row)
        return [
            text(label, span=label_span),
            figure(values.prior_final, key + ("上年决算数",)),
            figure(values.budget, key + ("本年预算数",)),
            *([figure(values.adjusted_budget, key + ("调整预算数",))] if adjusted else []),
            figure(values.final, key + ("本年决算数",)),
        ]

    rows: list[list[FormCell]] = [
        [head("财政供养人员情况", width - 3), head("编制数"), head(f"{year}年实际在职人数"), head("控制率")],
        [
            text("", width - 3),
            figure(Decimal(staffing.authorized) if staffing.authorized is not None else None, money=False),
            figure(Decimal(staffing.actual) if staffing.actual is not None else None, money=False),
            rate(staffing.control_rate_stated, ("base_data", None, "财政供养人员情况", "控制率")),
        ],
        [head("经费控制情况", label_span), head(f"{year - 1}年决算数"), head(f"{year}年预算数"),
         *([head(f"{year}年调整预算数")] if adjusted else []), head(f"{year}年决算数")],
        spending("一、部门基本支出", base.basic_expenditure, "部门基本支出"),
    ]
    rows += [spending(f"其中：{item.name}", item, item.name) for item in base.basic_expenditure_items]
    rows.append(spending("其中：公用经费", base.public_funds, "公用经费"))
    rows += [spending(f"其中：{item.name}", item, item.name) for item in base.public_funds_items]
    three = base.three_public
    rows += [
        spending("三公经费", three.total, "三公经费"),
        spending("1、公务用车购置和维护经费", three.vehicle, "公务用车购置和运行维护"),
        spending("其中：公车购置", three.vehicle_purchase, "公车购置"),
        spending("公车运行维护", three.vehicle_operation, "公车运行维护"),
        spending("2、出国经费", three.overseas, "出国经费"),
        spending("3、公务接待", three.reception, "公务接待"),
        spending("二、部门项目支出", base.project_expenditure, "项目支出"),
    ]
    rows += [spending(p.name, p, p.name) for p in base.projects if not p.category]
    categories = list(dict.fromkeys(p.category for p in base.projects if p.category))
    for number, category in enumerate(categories, start=1):
        rows.append([text(f"{number}、{category}(一个项目一行)", label_span)] + [text("") for _ in range(width - label_span)])
        rows += [spending(p.name, p, p.name) for p in base.projects if p.category == category]
    rows.append(spending("政府采购金额", base.procurement, "政府采购金额"))
    rows += [spending(r.name, r, r.name) for r in base.other_rows]
    # the amount header (row 2) heads the spending rows, which are what runs onto a second
    # page; the staffing header above it and the blocks below carry headers of their own
    amounts = len(rows)
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
    return Form(f"{year}年部门整体支出绩效评价基础数据表", "基础数据表", width, rows, [_unit_line(evaluation, "单位：万元")],
                widths=[16, 12, 12, 12, 14, 14, 14], repeat=2, repeat_until=amounts, footer=signature_line(evaluation.signatures))


def _unit_line(evaluation: Evaluation, tail: str) -> str:
    supervisor = clean_text(evaluation.unit.supervisor)
    return f"填报单位：{clean_text(evaluation.unit.name)}　　　　" + (f"主管部门：{supervisor}　　　　" if supervisor else "") + tail


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
    return Form(f"{evaluation.fiscal_year}年部门整体支出绩效评价指标评分表", "评分表", 7, rows, widths=[9, 9, 14, 5, 34, 30, 6],
                footer=signature_line(evaluation.signatures))


def forms(evaluation: Evaluation) -> list[Form]:
    """The package's forms in the order they are handed in."""
    out: list[Form] = []
    if evaluation.scorecard:
        out.append(scorecard_form(evaluation))
    out.append(base_data_form(evaluation))
    if evaluation.department_evaluation is not None:
        out.append(department_form(evaluation.department_evaluation, evaluation.fiscal_year, evaluation.unit.supervisor))
    out += [project_form(p, evaluation.fiscal_year) for p in evaluation.projects]
    for number, form in enumerate(out, start=1):
        form.annex = f"附件{number}"
    return out

