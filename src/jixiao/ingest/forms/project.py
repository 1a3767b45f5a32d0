"""项目支出绩效自评表 and 部门整体支出绩效自评表: every block found by its labels (through
the vocabulary), every figure read under the header column that names it."""

from __future__ import annotations

import re
from typing import Any

from ...model import DepartmentEvaluation, Goal, ProjectTable
from ..align import Kind
from ..document import Cell
from ..notices import Notice
from ..numbers import clean, number_in
from .common import Ctx, Header, Row, after, first_filled, header, label
from .grid import Grid, is_grid_header
from .signatures import parse_signatures

FUND_KINDS: dict[str, Kind] = {
    "block": "block", "label": "label", "initial_budget": "number", "full_year_budget": "number", "executed": "number",
    "points": "number", "rate": "rate", "score": "number", "reason": "text",
}
GOAL_KINDS: dict[str, Kind] = {"block": "block", "expected": "text", "adjusted": "text", "actual": "text"}
_AMOUNTS = ("initial_budget", "full_year_budget", "executed")


class _Reader:
    """Reads one table's rows in order; each block's rule places the cells it reads."""

    def __init__(self, ctx: Ctx, department: bool):
        self.ctx, self.department = ctx, department
        self.data: dict[str, Any] = {"funds": {}, "execution": {}, "goals": [], "indicators": []}
        self.fund: Header | None = None
        self.goal: Header | None = None
        self.grid: Grid | None = None

    def row(self, row: Row) -> None:
        ctx = self.ctx
        if self.grid is not None and self.grid.open:
            self.grid.row(row, self.data)
            return
        if self.closing(row):
            return
        if self.grid is None and is_grid_header(ctx, row):  # before the header fields: 自评得分 heads a column here
            self.grid = Grid(ctx, row)
            return
        named = self.header_fields(row)
        if self.grid is None and self.is_fund_header(row):  # 部门名称 | X | 执行数 | … : both at once
            self.fund = header(ctx, row, "fund.columns", FUND_KINDS, blocks=("fund.block",))
            self.goal = None
            return
        if named:
            return
        if self.grid is not None:
            if is_grid_header(ctx, row):  # a grid split across tables: the header again
                self.grid.open = True
                for cell in row:
                    ctx.use(cell)
            return
        if self.department and _labelled(ctx, row[first_filled(row) or 0]) == "budget" and self.dept_row(row):
            return
        fund_cell = next((c for c in row if clean(c.text) and ctx.key("fund.rows", c)), None)
        fund = ctx.key("fund.rows", fund_cell) if fund_cell is not None else None
        # a department table's breakdown writes its amounts inline (其他资金：12.5); a fund row in its own cells
        apart = fund is not None and any(re.search(r"\d", c.text) for c in row if c is not fund_cell)
        if fund and self.fund is not None and self.goal is None and (apart or not self.department):
            self.fund_row(row, fund)
            return
        if self.department and self.dept_row(row):
            return
        goal_keys = {ctx.key("goal.columns", c, prefix=False) for c in row if clean(c.text)}
        if goal_keys & {"expected", "adjusted"} or {"block", "actual"} <= goal_keys:
            self.goal = header(ctx, row, "goal.columns", GOAL_KINDS)
            return
        if self.goal is not None:
            cells = self.goal.cells(row)
            goal = Goal(**{k: ctx.prose(cells.get(k)) for k in ("expected", "adjusted", "actual")})
            if goal.expected or goal.adjusted or goal.actual:
                self.data["goals"].append(goal)

    def is_fund_header(self, row: Row) -> bool:
        keys = [self.ctx.key("fund.columns", c, prefix=False) for c in row if clean(c.text)]
        return any(k in _AMOUNTS for k in keys) and not any(self.ctx.key("fund.rows", c) for c in row if clean(c.text) and not self.ctx.key("fund.columns", c))

    def header_fields(self, row: Row) -> bool:
        """项目名称 | X, 主管部门 | Y | 实施单位 | Z, 自评得分 | 96 (or 项目名称：X in one cell)."""
        ctx, found = self.ctx, False
        for i, cell in enumerate(row):
            text = clean(cell.text)
            if not text:
                continue
            key = self.name_key(cell)
            inline = None
            if key is None and re.search("[:：]", text):
                head, _, tail = re.split("([:：])", text, maxsplit=1)
                key = self.name_key(head)
                inline = tail.strip(" \u3000") if key else None
            if key is None:
                continue
            found = True
            ctx.use(cell)
            value = None if inline is not None else row[i + 1] if i + 1 < len(row) and self.name_key(row[i + 1]) is None else None
            if key in ("total_stated", "total_reviewed"):
                self.data[key] = ctx.number(value) if inline is None else number_in(inline)
            elif inline is not None:
                self.data[key] = inline or None
            else:
                self.data[key] = ctx.text(value)
        return found

    def name_key(self, cell: Cell | str) -> str | None:
        if self.ctx.key("form.names", cell, prefix=False):
            return "name"
        return self.ctx.key("form.header", cell, prefix=False)

    def closing(self, row: Row) -> bool:
        """评价结论 | text, 存在问题 | text, 改进措施 | text — also run together in one row, as
        Word's copy does with short rows — and the signatures that may follow them."""
        ctx = self.ctx
        first = first_filled(row)
        if first is None or ctx.key("form.closing", row[first], prefix=False) is None:
            return False
        for i, cell in enumerate(row):
            key = ctx.key("form.closing", cell, prefix=False) if clean(cell.text) else None
            if key is not None:
                ctx.use(cell)
                value = row[i + 1] if i + 1 < len(row) and ctx.key("form.closing", row[i + 1], prefix=False) is None else None
                self.data[key] = self.prose_and_signatures(value)
            elif parse_signatures(ctx.vocab, cell.text):
                ctx.use(cell)
                self.sign(parse_signatures(ctx.vocab, cell.text))
        return True

    def prose_and_signatures(self, cell: Cell | None) -> str | None:
        """A long text, less any signature line that a copy ran into its last lines."""
        text = self.ctx.prose(cell)
        if text is None:
            return None
        kept = []
        for line in text.split("\n"):
            signed = parse_signatures(self.ctx.vocab, line)
            if signed:
                self.sign(signed)
            else:
                kept.append(line)
        return "\n".join(kept) or None

    def sign(self, found: dict[str, str | None]) -> None:
        signatures = self.data.setdefault("signatures", {})
        signatures.update({k: v for k, v in found.items() if v or k not in signatures})

    def fund_row(self, row: Row, fund: str) -> None:
        ctx, fund_header = self.ctx, self.fund
        assert fund_header is not None
        for cell in row:
            if clean(cell.text) and ctx.key("fund.rows", cell) and not ctx.key("fund.columns", cell):
                ctx.use(cell)
        cells = fund_header.cells(row)
        values = {k: ctx.number(cells.get(k), percent=k == "rate") for k in (*_AMOUNTS, "rate", "points", "score")}
        amounts = {k: values[k] for k in _AMOUNTS}
        if fund == "total":
            self.data["funds"]["total"] = amounts
            self.data["execution"] = {
                "points": values["points"], "rate_stated": values["rate"], "score_stated": values["score"],
                "reason": ctx.prose(cells.get("reason")),
            }
        else:
            self.data["funds"][fund] = {**amounts, "rate_stated": values["rate"]}
            reason = cells.get("reason")
            if reason is not None and clean(reason.text) and not self.data["execution"].get("reason"):
                self.data["execution"]["reason"] = ctx.prose(reason)

    def dept_row(self, row: Row) -> bool:
        """The department table's own labels: budget requested, its breakdown, duties, goal."""
        ctx = self.ctx
        filled = [i for i, c in enumerate(row) if clean(c.text)]
        start = filled[0] if filled else 0
        key = _labelled(ctx, row[start])
        if key == "budget" and self.fund is not None:
            ctx.use(row[start])
            budget = number_in(clean(row[start + 1].text)) if len(row) > start + 1 else None
            if budget is not None:
                ctx.use(row[start + 1])
            cells = self.fund.cells(row)
            self.data["funds"]["total"] = {"initial_budget": budget, "full_year_budget": budget, "executed": ctx.number(cells.get("executed"))}
            self.data["execution"] = {
                "points": ctx.number(cells.get("points")),
                "rate_stated": ctx.number(cells.get("rate"), percent=True),
                "score_stated": ctx.number(cells.get("score")),
                "reason": ctx.prose(cells.get("reason")),
            }
            return True
        breakdown = False
        for cell in row:
            part = _labelled(ctx, cell)
            if part not in ("by_source", "by_use", "fiscal", "special_account", "unit_funds", "other_source", "basic_budget", "project_budget"):
                continue
            breakdown = True
            amount = number_in(clean(cell.text))
            ctx.use(cell)  # a heading, a source with nothing against it, or a figure placed below
            if amount is None:
                continue
            if part in ("fiscal", "special_account", "unit_funds"):
                self.data["funds"][part] = {"initial_budget": amount, "full_year_budget": amount}
            elif part in ("basic_budget", "project_budget"):
                self.data[part] = amount
            else:
                ctx.notices.append(Notice.at("unplaced-text", "warning", cell.where, f"“{clean(cell.text)}”的金额没有对应字段，未读取", clean(cell.text)))
        if breakdown:
            return True
        if key == "goal" and any(ctx.key("goal.columns", c, prefix=False) in ("expected", "adjusted", "actual") for c in row[start + 1 :]):
            return False  # 整体绩效目标 | 预期目标 | 全年（调整）目标: a goals header, read as such
        if key in ("duties", "goal"):
            ctx.use(row[start])
            text = ctx.prose(after(row, start))
            if key == "duties":
                self.data["duties"] = text
            else:
                self.data["goals"].append(Goal(expected=text))
            return True
        return False


def _labelled(ctx: Ctx, cell: Cell) -> str | None:
    """The department table's label a cell is: the label alone, or with its amount after a
    colon (项目支出：838.14) — never a goal's sentence that begins with the same words."""
    text = label(cell)  # normalised, 其中： and a trailing colon gone
    head, colon, tail = re.split("(:)", text, maxsplit=1) if ":" in text else (text, "", "")
    if colon and tail and number_in(tail) is None:
        return None
    return ctx.key("department.rows", head, prefix=False)


def layout_of(ctx: Ctx, rows: list[Row]) -> str | None:
    """The layout family most of whose markers stand among the table's labels."""
    labels = {label(c) for row in rows for c in row if clean(c.text) and len(c.text) <= 40}
    labels |= {re.sub(r"\([^()]*\)$", "", t) for t in labels}
    best, score = None, 0
    for layout in ctx.vocab.layouts.values():
        hits = sum(1 for m in layout.markers if m in labels or any(t.startswith(m) for t in labels))
        if hits > score:
            best, score = layout.id, hits
    return best


def read_project(rows: list[Row], ctx: Ctx, department: bool = False) -> ProjectTable:
    reader = _Reader(ctx, department)
    for row in rows:
        reader.row(row)
    data = {k: v for k, v in reader.data.items() if v is not None}
    if reader.grid is not None:
        data["indicators"] = reader.grid.indicators
        if rows:
            reader.grid.finish(rows[0][0].where if rows[0] else None)
    data.setdefault("name", "")
    data["layout"] = layout_of(ctx, rows)
    model = DepartmentEvaluation if department else ProjectTable
    return model.model_validate(data)
