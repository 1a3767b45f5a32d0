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
from ..numbers import clean
from .common import Ctx, Row, after, find, has, label, right

ANCHORS = ("财政供养人员情况", "经费控制情况", "编制数")

TRIPLES = {
    "三公经费": ("three_public", "total"),
    "“三公经费”": ("three_public", "total"),
    "公务用车购置和维护经费": ("three_public", "vehicle"),
    "公务用车购置和运行维护经费": ("three_public", "vehicle"),
    "公务用车购置及运行费": ("three_public", "vehicle"),
    "公车购置": ("three_public", "vehicle_purchase"),
    "公交车购置": ("three_public", "vehicle_purchase"),
    "公务用车购置": ("three_public", "vehicle_purchase"),
    "公车运行维护": ("three_public", "vehicle_operation"),
    "公交车运行维护": ("three_public", "vehicle_operation"),
    "公务用车运行维护": ("three_public", "vehicle_operation"),
    "公务用车运行维护费": ("three_public", "vehicle_operation"),
    "出国经费": ("three_public", "overseas"),
    "因公出国(境)经费": ("three_public", "overseas"),
    "因公出国(境)费": ("three_public", "overseas"),
    "公务接待": ("three_public", "reception"),
    "公务接待费": ("three_public", "reception"),
    "项目支出": ("project_expenditure", None),
    "部门项目支出": ("project_expenditure", None),
    "部门基本支出": ("basic_expenditure", None),
    "基本支出": ("basic_expenditure", None),
    "公用经费": ("public_funds", None),
    "政府采购金额": ("procurement", None),
    "政府采购": ("procurement", None),
}
CATEGORIES = ("业务工作专项", "运行维护专项", "市级专项资金", "市级专项")
EXECUTION = {"上年结转": "carried_over", "年初预算": "initial_budget", "本年追加": "supplementary", "本年追加预算": "supplementary", "年末结余": "year_end_balance"}
BUILDING_COLUMNS = {  # matched without their unit: 批复规模（㎡） is 批复规模
    "批复规模": "approved_area",
    "批准规模": "approved_area",
    "实际规模": "actual_area",
    "规模控制率": "area_rate_stated",
    "预算投资": "approved_investment",
    "批准投资": "approved_investment",
    "实际投资": "actual_investment",
    "投资概算控制率": "investment_rate_stated",
}
PLACEHOLDERS = {"……", "…", "......", "...", "无"}  # NFKC turns … into ...


def _bare(cell) -> str:
    return re.sub(r"\([^()]*\)$", "", label(cell))


def _columns(header: Row, fiscal_year: int | None) -> dict[int, str]:
    """Which header column holds which of prior_final / budget / final."""
    found: dict[int, str] = {}
    for index, cell in enumerate(header):
        text = normalize_label(cell.text)
        year = re.search(r"(20\d\d)年", text)
        earlier_year = year is not None and fiscal_year is not None and int(year.group(1)) < fiscal_year
        if "预算" in text:
            if not ("上年" in text or earlier_year):  # a prior year's budget has no field: its cells stay unplaced
                found[index] = "budget"
        elif "决算" in text:
            found[index] = "prior_final" if "上年" in text or earlier_year else "final"
    if "final" not in found.values() and list(found.values()).count("prior_final") > 1:
        # no years to go by: the later 决算 column is this year's
        found[max(i for i, k in found.items() if k == "prior_final")] = "final"
    return found


class _Reader:
    def __init__(self, ctx: Ctx, fiscal_year: int | None):
        self.ctx, self.fiscal_year = ctx, fiscal_year
        self.data: dict[str, Any] = {"three_public": {}, "projects": [], "public_funds_items": [], "basic_expenditure_items": [], "other_rows": [], "buildings": [], "execution": {}}
        self.header: Row | None = None
        self.columns: dict[int, str] = {}
        self.staffing: Row | None = None
        self.building: Row | None = None
        self.execution: Row | None = None
        self.section: str | None = None  # "projects" or "items": where unknown labels go
        self.category: str | None = None

    def triple(self, row: Row) -> dict[str, Any]:
        assert self.header is not None
        return {key: self.ctx.number(right(row, self.header, column)) for column, key in self.columns.items()}

    def row(self, row: Row) -> None:
        ctx = self.ctx
        first = next((i for i, c in enumerate(row) if clean(c.text)), None)
        if first is None:
            return
        name = label(row[first])
        if self.staffing is not None and not any(re.search("决算数|预算数|经费控制情况", c.text) for c in row):
            self.staffing_values(row)
            return
        self.staffing = None  # headcounts left blank: the next header is not their values
        if has(row, "编制数"):
            self.staffing = row
            for cell in row:
                ctx.use(cell)
            return
        if has(row, "经费控制情况") or sum(1 for c in row if re.search("决算数|预算数", c.text)) >= 2:
            self.header, self.columns = row, _columns(row, self.fiscal_year)
            for cell in row:
                ctx.use(cell)
            return
        if name == "厉行节约保障措施":
            ctx.use(row[first])
            self.data["frugality_measures"] = ctx.prose(after(row, first))
            return
        if any(normalize_label(c.text).startswith("楼堂馆所") for c in row):
            self.building = row
            for cell in row:
                ctx.use(cell)
            return
        if self.building is not None and self.building_row(row):
            return
        if sum(1 for c in row if label(c) in EXECUTION) >= 2:
            self.execution = row
            for cell in row:
                ctx.use(cell)
            return
        if self.execution is not None:
            for index, cell in enumerate(self.execution):
                key = EXECUTION.get(label(cell))
                if key:
                    self.data["execution"][key] = ctx.number(right(row, self.execution, index))
            self.execution = None
            return
        if name in EXECUTION and self.header is None:
            ctx.use(row[first])
            self.data["execution"][EXECUTION[name]] = ctx.number(after(row, first))
            return
        category = next((c for c in CATEGORIES if c in name), None)
        if category:
            ctx.use(row[first])
            self.section, self.category = "projects", category
            return
        if self.header is None:
            ctx.use(row[first])
            return
        if name in PLACEHOLDERS and all(v is None for v in self.triple(row).values()):
            ctx.use(row[first])  # ……, 无: a placeholder row; a stray figure in an unmapped column is still reported
            return
        ctx.use(row[first])
        known = TRIPLES.get(name) or TRIPLES.get(name.strip("“”\""))
        if known:
            group, part = known
            if part is None:
                self.data[group] = self.triple(row)
            else:
                self.data[group][part] = self.triple(row)
            self.section = {"project_expenditure": "projects", "public_funds": "items", "basic_expenditure": "basic"}.get(group)
            self.category = None if group == "project_expenditure" else self.category
            return
        values = self.triple(row)
        text = (ctx.text(row[first]) or "").removeprefix("其中：").removeprefix("其中:").strip()
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
        authorized = find(header, "编制数")
        actual = next((i for i, c in enumerate(header) if "在职人数" in label(c)), None)
        rate = find(header, "控制率")
        staffing: dict[str, Any] = {}
        if authorized is not None:
            staffing["authorized"] = ctx.number(right(row, header, authorized))
        if actual is not None:
            staffing["actual"] = ctx.number(right(row, header, actual))
        if rate is not None:
            staffing["control_rate_stated"] = ctx.number(right(row, header, rate), percent=True)
        self.data["staffing"] = staffing
        self.staffing = None

    def building_row(self, row: Row) -> bool:
        header, ctx = self.building, self.ctx
        assert header is not None
        cells = {key: right(row, header, i) for i, c in enumerate(header) if (key := BUILDING_COLUMNS.get(_bare(c)))}
        if not cells:
            return False
        values = {k: ctx.number(cell, percent=k.endswith("rate_stated")) for k, cell in cells.items()}
        name_cell = row[0] if len(row) > len(cells) else None
        name = ctx.text(name_cell)
        if (name is None or name in PLACEHOLDERS) and all(v is None for v in values.values()):
            return True  # an empty row, or “无”: no building this year
        self.data["buildings"].append({"name": name, **values})
        return True


def read_base_data(rows: list[Row], ctx: Ctx, fiscal_year: int | None) -> BaseData:
    reader = _Reader(ctx, fiscal_year)
    for row in rows:
        reader.row(row)
    return BaseData.model_validate(reader.data)
