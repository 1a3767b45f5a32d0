"""Agreement across the package: base data table ↔ project tables ↔ department table ↔
narrative. The same amount, stated twice, must be the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from difflib import SequenceMatcher

from ..ingest.forms.narrative import narrative_amounts
from ..labels import normalize_label
from ..model import BaseProject, ProjectTable
from .finding import Location
from .registry import Check, Context, Result, amount, check
from .tolerance import same_figure, sums_agree

ROUNDING = "合计按各数末位半个单位之和、单个数按较粗的小数位比较（GUIDE §4.3）"


def _overlap(short: str, long: str) -> float:
    """Share of ``short``'s characters found, in order, in ``long`` (大院维护费 in 大院保维护费…)."""
    if not short:
        return 0.0
    blocks = SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 2) / len(short)


def match_projects(rows: list[BaseProject], tables: list[ProjectTable]) -> tuple[list[tuple[ProjectTable, list[BaseProject]]], list[BaseProject]]:
    """Each project table with the base-data rows it stands for: by name (a table may combine
    several rows, 信访工作经费、应急管理工作经费), else by identical figures."""
    names = [normalize_label(t.name) for t in tables]
    groups: dict[int, list[BaseProject]] = {i: [] for i in range(len(tables))}
    unmatched: list[BaseProject] = []
    for row in rows:
        name = normalize_label(row.name)
        scores = [_overlap(name, table_name) for table_name in names]
        best = max(range(len(tables)), key=lambda i: scores[i], default=None)
        if best is not None and scores[best] >= 0.7:
            groups[best].append(row)
        else:
            unmatched.append(row)
    for index, table in enumerate(tables):
        if groups[index]:
            continue
        funds = table.funds.total
        twin = next(
            (r for r in unmatched if r.final is not None and funds.executed is not None and same_figure(r.final, funds.executed)
             and r.budget is not None and funds.initial_budget is not None and same_figure(r.budget, funds.initial_budget)),
            None,
        )
        if twin is not None:
            groups[index].append(twin)
            unmatched.remove(twin)
    return [(tables[i], rows) for i, rows in groups.items()], unmatched


def _sum(values: list[Decimal | None]) -> Decimal | None:
    return None if not values or any(v is None for v in values) else sum(values, Decimal(0))  # type: ignore[arg-type]


def _agrees(stated: Decimal, parts: list[Decimal]) -> bool:
    return same_figure(stated, parts[0]) if len(parts) == 1 else sums_agree(stated, parts)


@check(
    "agreement.base-vs-project",
    "error",
    "项目表与基础数据表金额不符",
    "同一项目在项目支出绩效自评表中的年初预算数、全年执行数，应分别等于基础数据表中该项目（或其合并的几行）的本年预算数、本年决算数。",
    ROUNDING,
)
def base_vs_project(self: Check, ctx: Context) -> Iterator[Result]:
    evaluation = ctx.evaluation
    if not evaluation.projects or not evaluation.base_data.projects:
        yield self.skip("材料中没有项目表或基础数据表没有逐项列出项目")
        return
    pairs, unmatched = match_projects(evaluation.base_data.projects, evaluation.projects)
    for table, rows in pairs:
        where = Location(part="project", project=table.name, row="年度资金总额")
        if not rows:
            yield self.finding(f"项目“{table.name}”在基础数据表中找不到对应的行", where, {"project": table.name}, severity="info")
            continue
        names = "、".join(r.name for r in rows)
        for base_key, base_label, table_key, table_label in (("budget", "本年预算数", "initial_budget", "年初预算数"), ("final", "本年决算数", "executed", "全年执行数")):
            stated = getattr(table.funds.total, table_key)
            base = _sum([getattr(r, base_key) for r in rows])
            if stated is None or base is None:
                continue
            parts = [getattr(r, base_key) for r in rows]
            if not _agrees(stated, parts):
                yield self.finding(
                    f"{table_label} {amount(stated)}，基础数据表“{names}”的{base_label}为 {amount(base)}",
                    where.model_copy(update={"column": table_label}),
                    {"project_table": stated, "base_data": base, "base_rows": names},
                    base,
                )
    for row in unmatched:
        yield self.finding(f"基础数据表的项目“{row.name}”没有对应的项目支出绩效自评表", Location(part="base_data", row=row.name), {"project": row.name}, severity="info")


@check(
    "agreement.department-vs-base",
    "error",
    "部门整体自评表与基础数据表不符",
    "部门整体支出绩效自评表的年度预算应等于基础数据表基本支出与各项目的本年预算数之和，执行数应等于基本支出与各项目的本年决算数之和；其中基本支出、项目支出应分别相等。",
    ROUNDING,
)
def department_vs_base(self: Check, ctx: Context) -> Iterator[Result]:
    department, base = ctx.evaluation.department_evaluation, ctx.evaluation.base_data
    if department is None:
        yield self.skip("材料中没有部门整体支出绩效自评表")
        return
    comparisons = [
        ("年度预算", department.funds.total.full_year_budget, [base.basic_expenditure.budget, *(p.budget for p in base.projects)]),
        ("执行数", department.funds.total.executed, [base.basic_expenditure.final, *(p.final for p in base.projects)]),
        ("其中基本支出", department.basic_budget, [base.basic_expenditure.budget]),
        ("其中项目支出", department.project_budget, [p.budget for p in base.projects]),
    ]
    for label, stated, parts in comparisons:
        known = [p for p in parts if p is not None]
        if stated is None or not known or len(known) != len(parts) and label.startswith("其中"):
            continue
        if not _agrees(stated, known):
            figure = sum(known, Decimal(0))
            yield self.finding(
                f"部门整体自评表{label} {amount(stated)}，基础数据表对应合计为 {amount(figure)}（相差 {amount(stated - figure)}）",
                Location(part="department_evaluation", row=label),
                {"department_table": stated, "base_data": figure, "terms": len(known)},
                figure,
            )


# What a narrative label states, in terms of the base data table.
_NARRATIVE = (
    (re.compile(r"基本支出决算"), "基本支出决算数", lambda b: [b.basic_expenditure.final]),
    (re.compile(r"项目支出决算"), "各项目本年决算数之和", lambda b: [p.final for p in b.projects] if b.project_expenditure.final is None else [b.project_expenditure.final]),
    (re.compile(r"^年初项目支出预算总|^项目支出预算总"), "各项目本年预算数之和", lambda b: [p.budget for p in b.projects] if b.project_expenditure.budget is None else [b.project_expenditure.budget]),
    (re.compile(r"“?三公”?经费决算"), "三公经费本年决算数", lambda b: [b.three_public.total.final]),
)


@check(
    "agreement.narrative-vs-base",
    "error",
    "自评报告金额与基础数据表不符",
    "自评报告中写明的基本支出决算数、项目支出决算数与预算数、“三公”经费决算数，应与基础数据表一致。",
    ROUNDING,
)
def narrative_vs_base(self: Check, ctx: Context) -> Iterator[Result]:
    base = ctx.evaluation.base_data
    if not ctx.evaluation.narrative:
        yield self.skip("材料中没有自评报告")
        return
    for section in ctx.evaluation.narrative:
        for stated in narrative_amounts(section.text):
            for pattern, what, parts_of in _NARRATIVE:
                if not pattern.search(stated.label):
                    continue
                parts = parts_of(base)
                if not parts or any(p is None for p in parts):
                    continue
                if not _agrees(stated.amount, parts):
                    figure = sum(parts, Decimal(0))
                    yield self.finding(
                        f"报告写“{stated.label}{amount(stated.amount)}万元”，基础数据表{what}为 {amount(figure)}（相差 {amount(stated.amount - figure)}）",
                        Location(part="narrative", section=section.heading),
                        {"narrative": stated.amount, "base_data": figure, "label": stated.label},
                        figure,
                    )
                break


_HEADCOUNT = re.compile(r"(在职人员|在职人数|实有人员|编制数?|核定编制)\s*(?:为|共|有)?\s*(\d+)\s*(?:人|名)")


@check(
    "agreement.headcount",
    "error",
    "报告中的人数与基础数据表不符",
    "自评报告写明的在职人数、编制数应与基础数据表的财政供养人员情况一致。",
)
def headcount(self: Check, ctx: Context) -> Iterator[Result]:
    staffing = ctx.evaluation.base_data.staffing
    for section in ctx.evaluation.narrative:
        for match in _HEADCOUNT.finditer(section.text):
            said = int(match.group(2))
            field, label = (staffing.authorized, "编制数") if "编制" in match.group(1) else (staffing.actual, "实际在职人数")
            if field is not None and said != field:
                yield self.finding(
                    f"报告写“{match.group()}”，基础数据表{label}为 {field}",
                    Location(part="narrative", section=section.heading),
                    {"narrative": said, "base_data": field},
                    field,
                )


CHECKS = (base_vs_project, department_vs_base, narrative_vs_base, headcount)
