"""部门整体支出绩效评价基础数据表, in the layouts the samples show and the blocks other places add.

Rows are read by their labels. Spending rows carry 上年决算数 / 本年预算数 / 本年决算数 in
the columns the header names; rows with labels the table does not know become projects
(under a project heading), public-funds items (under 公用经费) or ``other_rows``.
"""

from __future__ import annotations

import re
from typing import Any

from ...labels import normalize_label
from ...model import BaseData
from ..align import Kind
from ..numbers import clean
from .common import Ctx, Header, Row, after, label

_SECTIONS = {"project_expenditure": "projects", "public_funds": "items", "basic_expenditure": "basic"}


def is_anchor(ctx: Ctx, text: str) -> bool:
    return ctx.key("base.anchors", text, prefix=False) is not None


def _columns(ctx: Ctx, header: Row, fiscal_year: int | None) -> dict[int, str]:
    """Which header column holds which of prior_final / budget / adjusted_budget / final."""
    found: dict[int, str] = {}
    for index, cell in enumerate(header):
        text = normalize_label(cell.text)
        year = re.search(r"(20\d\d)年", text)
        earlier = year is not None and fiscal_year is not None and int(year.group(1)) < fiscal_year
        prior = earlier or any(word in text for word in ctx.vocab.labels("base.columns", "prior"))
        key = ctx.key("base.columns", cell, prefix=False)
        if key == "adjusted_budget" and not prior:
            found[index] = "adjusted_budget"
        elif key == "budget":
            if not prior:  # a prior year's budget has no field: its cells stay unplaced
                found[index] = "budget"
        elif key == "final":
            found[index] = "prior_final" if prior else "final"
    if "final" not in found.values() and list(found.values()).count("prior_final") > 1:
        # no years to go by: the later 决算 column is this year's
        found[max(i for i, k in found.items() if k == "prior_final")] = "final"
    return found


def _header(row: Row, keys: dict[int, str]) -> Header:
    kinds: list[Kind] = ["number" if i in keys else "label" for i in range(len(row))]
    return Header(row, [keys.get(i) for i in range(len(row))], kinds)


class _Reader:
    def __init__(self, ctx: Ctx, fiscal_year: int | None):
        self.ctx, self.fiscal_year = ctx, fiscal_year
        self.data: dict[str, Any] = {"three_public": {}, "projects": [], "public_funds_items": [], "basic_expenditure_items": [], "other_rows": [], "buildings": [], "execution": {}}
        self.header: Header | None = None
        self.staffing: Row | None = None
        self.building: Header | None = None
        self.execution: Header | None = None
        self.section: str | None = None  # "projects" or "items": where unknown labels go
        self.category: str | None = None

    def triple(self, row: Row) -> dict[str, Any]:
        assert self.header is not None
        cells = self.header.cells(row)
        return {key: self.ctx.number(cells.get(key)) for key in self.header.keys if key}

    def is_column_header(self, row: Row) -> bool:
        ctx = self.ctx
        return ctx.find(row, "base.anchors", "anchor") is not None and any(ctx.key("base.columns", c, prefix=False) for c in row) or sum(
            1 for c in row if ctx.key("base.columns", c, prefix=False) in ("budget", "final", "adjusted_budget")
        ) >= 2

    def row(self, row: Row) -> None:
        ctx = self.ctx
        first = next((i for i, c in enumerate(row) if clean(c.text)), None)
        if first is None:
            return
        name = label(row[first])
        if self.staffing is not None and not self.is_column_header(row):
            self.staffing_values(row)
            return
        self.staffing = None  # headcounts left blank: the next header is not their values
        if any(ctx.key("base.staffing", c, prefix=False) == "authorized" for c in row):
            self.staffing = row
            for cell in row:
                ctx.use(cell)
            return
        if self.is_column_header(row):
            self.building = self.execution = None  # the blocks before it end here
            self.header = _header(row, _columns(ctx, row, self.fiscal_year))
            for cell in row:
                ctx.use(cell)
            return
        if ctx.key("base.frugality", name, prefix=False):
            ctx.use(row[first])
            self.data["frugality_measures"] = ctx.prose(after(row, first))
            return
        if any(ctx.key("base.buildings", c, prefix=False) == "block" for c in row):
            keys = {i: k for i, c in enumerate(row) if (k := ctx.key("base.buildings", c, prefix=False)) and k != "block"}
            self.building = Header(row, [keys.get(i) for i in range(len(row))], ["number" if i in keys else "label" for i in range(len(row))])
            for cell in row:
                ctx.use(cell)
            return
        if self.building is not None and ctx.key("base.rows", name, prefix=False):
            self.building = None  # 三公经费, 项目支出…: spending rows, not buildings
        if self.building is not None and self.building_row(row):
            return
        if sum(1 for c in row if ctx.key("base.execution", c, prefix=False)) >= 2:
            keys = {i: k for i, c in enumerate(row) if (k := ctx.key("base.execution", c, prefix=False))}
            self.execution = Header(row, [keys.get(i) for i in range(len(row))], ["number"] * len(row))
            for cell in row:
                ctx.use(cell)
            return
        if self.execution is not None:
            cells = self.execution.cells(row)
            for key in self.execution.keys:
                if key:
                    self.data["execution"][key] = ctx.number(cells.get(key))
            self.execution = None
            return
        execution = ctx.key("base.execution", name, prefix=False)
        if execution and self.header is None:
            ctx.use(row[first])
            self.data["execution"][execution] = ctx.number(after(row, first))
            return
        if self.header is None:
            ctx.use(row[first])
            return
        figures = any(re.search(r"\d", c.text) for c in row[first + 1 :])
        category = next((c for c in ctx.vocab.labels("base.categories", "category") if c in name), None)
        if category and not figures:
            ctx.use(row[first])
            self.section, self.category = "projects", category
            return
        if ctx.vocab.matches("base.placeholders", "row", name) and all(v is None for v in self.triple(row).values()):
            ctx.use(row[first])  # ……, 无: a placeholder row; a stray figure in an unmapped column is still reported
            return
        ctx.use(row[first])
        known = ctx.key("base.rows", name, prefix=False)
        if known:
            group, _, part = known.partition(".")
            if not part:
                self.data[group] = self.triple(row)
            else:
                self.data[group][part] = self.triple(row)
            self.section = _SECTIONS.get(group)
            self.category = None if group == "project_expenditure" else self.category
            return
        values = self.triple(row)
        text = label(ctx.text(row[first]) or "") if self.section == "projects" else (ctx.text(row[first]) or "")
        text = text.removeprefix("其中：").removeprefix("其中:").strip()
        if self.section == "projects":
            self.data["projects"].append({"name": text, "category": self.category, **values})
        elif self.section == "items":
            self.data["public_funds_items"].append({"name": text, **values})
        elif self.section == "basic" and clean(row[first].text).startswith("其中"):
            self.data["basic_expenditure_items"].append({"name": text, **values})  # 其中：工资福利支出
        else:
            self.data["other_rows"].append({"name": text, **values})

    def staffing_values(self, row: Row) -> None:
        header, ctx = self.staffing, self.ctx
        assert header is not None
        keys = {i: k for i, c in enumerate(header) if (k := ctx.key("base.staffing", c, prefix=False))}
        cells = Header(header, [keys.get(i) for i in range(len(header))], ["number"] * len(header)).cells(row)
        fields = {"authorized": "authorized", "actual": "actual", "rate": "control_rate_stated"}
        self.data["staffing"] = {fields[k]: ctx.number(cells.get(k), percent=k == "rate") for k in keys.values()}
        self.staffing = None

    def building_row(self, row: Row) -> bool:
        header, ctx = self.building, self.ctx
        assert header is not None
        cells = header.cells(row)
        if not any(k for k in header.keys):
            return False
        values = {k: ctx.number(cells.get(k), percent=k.endswith("rate_stated")) for k in header.keys if k}
        name_cell = row[0] if not row[0] in cells.values() else None
        name = ctx.text(name_cell)
        if (name is None or ctx.vocab.matches("base.placeholders", "row", name)) and all(v is None for v in values.values()):
            return True  # an empty row, or “无”: no building this year
        self.data["buildings"].append({"name": name, **values})
        return True


def read_base_data(rows: list[Row], ctx: Ctx, fiscal_year: int | None) -> BaseData:
    reader = _Reader(ctx, fiscal_year)
    for row in rows:
        reader.row(row)
    return BaseData.model_validate(reader.data)
