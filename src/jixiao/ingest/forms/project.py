"""项目支出绩效自评表 and 部门整体支出绩效自评表: found by their labels, never by position."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...model import DepartmentEvaluation, Goal, Indicator, ProjectTable
from ..notices import Notice
from ..numbers import clean, number_in
from .common import Ctx, Row, after, find, has, label, level_name, level_names, lookup, next_to, right

NAME_LABELS = ("项目支出名称", "项目名称")
DEPARTMENT_LABELS = ("部门名称", "部门(单位)名称", "单位名称")
FUND_ROWS = {
    "年度资金总额": "total",
    "资金总额": "total",
    "当年财政拨款": "fiscal",
    "财政拨款": "fiscal",
    "上年结转资金": "carried_over",
    "上年结转": "carried_over",
    "其他资金": "other",
}
FUND_COLUMNS = {
    "年初预算数": "initial_budget",
    "全年预算数": "full_year_budget",
    "全年执行数": "executed",
    "执行数": "executed",
    "分值": "points",
    "权重": "points",
    "执行率": "rate",
    "资金执行率": "rate",
    "得分": "score",
}
GRID_COLUMNS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "年度指标值": "target",
    "指标值": "target",
    "实际完成值": "actual",
    "分值": "points",
    "权重": "points",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation",
    "偏差原因": "deviation",
}
TOTAL_LABELS = ("总分", "合计")
# The department table's budget request, by source and by use.
BREAKDOWN = {
    "按收入性质分": None,
    "按支出性质分": None,
    "按指出性质分": None,  # a typo seen in the wild
    "一般公共预算收入": "fiscal",
    "政府性基金拨款": None,
    "纳入专户管理的非税收入拨款": None,
    "其他资金": None,
    "基本支出": "basic_budget",
    "项目支出": "project_budget",
}


def _columns(ctx: Ctx, header: Row, names: dict[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = lookup(names, cell)
        if key and key not in found:
            found[key] = index
            ctx.use(cell)
    return found


class _Reader:
    """Reads one table's rows in order; each label rule consumes the cells it places."""

    def __init__(self, ctx: Ctx, department: bool):
        self.ctx, self.department = ctx, department
        self.data: dict[str, Any] = {"funds": {}, "execution": {}, "goals": [], "indicators": []}
        self.fund_header: Row | None = None
        self.fund_columns: dict[str, int] = {}
        self.goal_header: Row | None = None
        self.grid_header: Row | None = None
        self.grid_columns: dict[str, int] = {}
        self.levels: list[str | None] = [None, None]
        self.queued: list[tuple[str, Decimal | None]] = []  # further levels of a merged level cell
        self.level_weight: Decimal | None = None
        self.level_points = Decimal(0)
        self.done = False

    def row(self, row: Row) -> None:
        ctx = self.ctx
        if self.done:
            return
        first = next((i for i, c in enumerate(row) if clean(c.text)), None)
        total = first if first is not None and label(row[first]) in TOTAL_LABELS else None
        if total is not None and self.grid_header is not None:
            ctx.use(row[total])
            figures = [c for c in row[total + 1 :] if clean(c.text)]
            if len(figures) == 1:
                # one figure: 分值 only if it is what the points add up to, else the score
                figure = ctx.number(figures[0])
                points = [i.points for i in self.data["indicators"] if i.points is not None]
                points.append(self.data["execution"].get("points") or Decimal(0))
                self.data["total_points" if figure == sum(points, Decimal(0)) else "total_stated"] = figure
            else:
                self.data["total_points"] = ctx.number(figures[0]) if figures else None
                self.data["total_stated"] = ctx.number(figures[1]) if len(figures) > 1 else None
            self.done = True
            return
        if self.grid_header is not None:
            if has(row, "三级指标"):  # the header repeated on the next page
                for cell in row:
                    ctx.use(cell)
                return
            self.indicator(row)
            return
        for labels, key in ((NAME_LABELS + DEPARTMENT_LABELS, "name"), (("主管部门",), "department"), (("实施单位",), "implementer")):
            index = find(row, *labels)
            if index is not None:
                ctx.use(row[index])
                self.data[key] = ctx.text(next_to(row, index))
                continue
            inline = next((c for c in row if any(label(c).startswith(f"{n}:") for n in labels)), None)
            if inline is not None:  # 项目名称：X in one cell
                ctx.use(inline)
                self.data[key] = clean(inline.text).split("：", 1)[-1].split(":", 1)[-1].strip() or None
        if sum(1 for c in row if lookup(FUND_COLUMNS, c) in ("initial_budget", "full_year_budget", "executed")) >= 1 and not lookup(FUND_ROWS, next((c for c in row if clean(c.text)), None)):
            self.fund_header, self.fund_columns = row, _columns(ctx, row, FUND_COLUMNS)
            if label(row[0]).startswith("项目资金"):
                ctx.use(row[0])
            return
        if self.department and self.dept_row(row):
            return
        fund = next((key for c in row if (key := lookup(FUND_ROWS, c))), None)
        if fund and self.fund_header is not None:
            self.fund_row(row, fund)
            return
        if has(row, "预期目标"):
            self.goal_header = row
            for cell in row:
                if label(cell) in ("预期目标", "实际完成情况", "年度总体目标"):
                    ctx.use(cell)
            return
        if has(row, "三级指标"):
            self.grid_header, self.grid_columns = row, _columns(ctx, row, GRID_COLUMNS)
            for cell in row:
                if label(cell) in ("绩效指标", "部门整体支出年度绩效指标"):
                    ctx.use(cell)
            return
        if self.goal_header is not None:
            expected = right(row, self.goal_header, find(self.goal_header, "预期目标"))  # type: ignore[arg-type]
            actual = right(row, self.goal_header, find(self.goal_header, "实际完成情况") or len(self.goal_header) - 1)
            goal = Goal(expected=ctx.prose(expected), actual=ctx.prose(actual))
            if goal.expected or goal.actual:
                self.data["goals"].append(goal)

    def fund_row(self, row: Row, fund: str) -> None:
        ctx, header = self.ctx, self.fund_header
        assert header is not None
        for cell in row:
            if lookup(FUND_ROWS, cell):
                ctx.use(cell)
        values: dict[str, Decimal | None] = {}
        for key, column in self.fund_columns.items():
            cell = right(row, header, column)
            values[key] = ctx.number(cell, percent=key == "rate")
        self.data["funds"][fund] = {k: values.get(k) for k in ("initial_budget", "full_year_budget", "executed")}
        if fund == "total":
            self.data["execution"] = {"points": values.get("points"), "rate_stated": values.get("rate"), "score_stated": values.get("score")}

    def dept_row(self, row: Row) -> bool:
        """The department table's own labels: budget requested, its breakdown, duties, goal."""
        ctx = self.ctx
        filled = [i for i, c in enumerate(row) if clean(c.text)]
        start = filled[0] if filled else 0
        if label(row[start]).startswith("年度预算") and self.fund_header is not None:
            ctx.use(row[start])
            budget = number_in(clean(row[start + 1].text)) if len(row) > start + 1 else None
            if budget is not None:
                ctx.use(row[start + 1])
            values = {k: right(row, self.fund_header, c) for k, c in self.fund_columns.items()}
            self.data["funds"]["total"] = {
                "initial_budget": budget,
                "full_year_budget": budget,
                "executed": ctx.number(values.get("executed")),
            }
            self.data["execution"] = {
                "points": ctx.number(values.get("points")),
                "rate_stated": ctx.number(values.get("rate"), percent=True),
                "score_stated": ctx.number(values.get("score")),
            }
            return True
        breakdown = False
        for cell in row:
            prefix = next((p for p in BREAKDOWN if label(cell).startswith(p)), None)
            if prefix is None:
                continue
            breakdown, key = True, BREAKDOWN[prefix]
            amount = number_in(clean(cell.text))
            ctx.use(cell)  # a heading, a source with nothing against it, or a figure placed below
            if amount is not None:
                if key == "fiscal":
                    self.data["funds"]["fiscal"] = {"initial_budget": amount, "full_year_budget": amount}
                elif key in ("basic_budget", "project_budget"):
                    self.data[key] = amount
                else:
                    ctx.notices.append(Notice.at("unplaced-text", "warning", cell.where, f"“{clean(cell.text)}”的金额没有对应字段，未读取", clean(cell.text)))
        if breakdown:
            return True
        index = find(row, "部门职能职责概述")
        if index is not None:
            ctx.use(row[index])
            self.data["duties"] = ctx.prose(after(row, index))
            return True
        index = find(row, "整体绩效目标", "部门整体绩效目标")
        if index is not None:
            ctx.use(row[index])
            self.data["goals"].append(Goal(expected=ctx.prose(after(row, index))))
            return True
        return False

    def indicator(self, row: Row) -> None:
        ctx, header = self.ctx, self.grid_header
        assert header is not None
        cells = {key: right(row, header, column) for key, column in self.grid_columns.items()}
        for depth, key in enumerate(("level1", "level2")):
            text = clean(cells[key].text) if cells.get(key) is not None else ""
            if text:
                ctx.use(cells[key])
                if depth == 0:
                    (self.levels[0], self.level_weight), *self.queued = level_names(text)
                    self.level_points, self.levels[1] = Decimal(0), None
                else:
                    self.levels[1] = level_name(text)[0]
        values = {k: ctx.text(cells.get(k)) for k in ("name", "target", "actual")}
        values["deviation"] = ctx.prose(cells.get("deviation"))  # a reason and a measure, often on two lines
        points, score = ctx.number(cells.get("points")), ctx.number(cells.get("score"))
        if not any(values.values()) and points is None and score is None:
            return
        if self.queued and self.level_weight is not None and self.level_points >= self.level_weight:
            # one merged cell named two levels: the next begins once the first's weight is used up
            (self.levels[0], self.level_weight), *self.queued = self.queued
            self.level_points = Decimal(0)
        self.level_points += points or 0
        self.data["indicators"].append(
            Indicator(
                level1=self.levels[0],
                level2=self.levels[1],
                name=values["name"] or "",
                target=values["target"],
                actual=values["actual"],
                points=points,
                score=score,
                deviation=values["deviation"],
            )
        )


def read_project(rows: list[Row], ctx: Ctx, department: bool = False) -> ProjectTable:
    reader = _Reader(ctx, department)
    for row in rows:
        reader.row(row)
    data = {k: v for k, v in reader.data.items() if v is not None}
    data.setdefault("name", "")
    model = DepartmentEvaluation if department else ProjectTable
    return model.model_validate(data)
