"""Agreement across the package: base data table ↔ project tables ↔ department table ↔
narrative. The same amount, stated twice, must be the same."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import NamedTuple

from ..ingest.forms.narrative import narrative_amounts
from ..model import BaseData
from .arithmetic import TRIPLE
from .finding import Location
from .matching import match_projects
from .registry import Check, Context, Result, amount, check
from .tolerance import same_figure, sums_agree

ROUNDING = "合计按各数末位半个单位之和、单个数按较粗的小数位比较（GUIDE §4.3）"


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
        missing = [what for what, absent in (("材料中没有项目支出绩效自评表", not evaluation.projects), ("基础数据表没有逐项列出项目", not evaluation.base_data.projects)) if absent]
        yield self.skip(f"{'，'.join(missing)}，无法核对")
        return
    pairs, unmatched = match_projects(evaluation.base_data.projects, evaluation.projects)
    for table, rows in pairs:
        where = Location(part="project", project=table.name, row="年度资金总额")
        if not rows:
            yield self.finding(f"项目“{table.name}”在基础数据表中找不到对应的行", where, {"project": table.name}, severity="info")
            continue
        names = "、".join(r.name for r in rows)
        gaps: list[str] = []
        for base_key, base_label, table_key, table_label in (("budget", "本年预算数", "initial_budget", "年初预算数"), ("final", "本年决算数", "executed", "全年执行数")):
            stated = getattr(table.funds.total, table_key)
            parts = [getattr(r, base_key) for r in rows if getattr(r, base_key) is not None]
            blank = [r.name for r in rows if getattr(r, base_key) is None]
            if stated is None:
                if parts:
                    gaps.append(f"项目表未填{table_label}（基础数据表“{names}”的{base_label}为 {amount(sum(parts, Decimal(0)))}）")
                continue
            if not parts:
                gaps.append(f"基础数据表“{names}”未填{base_label}（项目表{table_label}为 {amount(stated)}）")
                continue
            if _agrees(stated, parts):
                continue  # a combined row left blank is taken as nothing budgeted or spent, and the rest agree
            base = sum(parts, Decimal(0))
            if blank:
                gaps.append(f"基础数据表“{'、'.join(blank)}”未填{base_label}，已填各行之和 {amount(base)} 与项目表{table_label} {amount(stated)} 不符")
                continue
            yield self.finding(
                f"{table_label} {amount(stated)}，基础数据表“{names}”的{base_label}为 {amount(base)}",
                where.model_copy(update={"column": table_label}),
                {"project_table": stated, "base_data": base, "base_rows": names},
                base,
            )
        if gaps:
            yield self.skip(f"项目“{table.name}”：{'；'.join(gaps)}，无法核对", where)
    for row in unmatched:
        yield self.finding(f"基础数据表的项目“{row.name}”没有对应的项目支出绩效自评表", Location(part="base_data", row=row.name), {"project": row.name}, severity="info")


def _project_lines(base: BaseData, column: str, title: str) -> tuple[list[Decimal], list[str], str | None]:
    """The base table's project figures for a column: (figures, projects left blank, why there
    are none). Without project lines the “项目支出” row states the same figure."""
    if base.projects:
        return [getattr(p, column) for p in base.projects if getattr(p, column) is not None], [p.name for p in base.projects if getattr(p, column) is None], None
    total = getattr(base.project_expenditure, column)
    return ([total], [], None) if total is not None else ([], [], f"基础数据表既未逐项列出项目，也未填“项目支出”{title}")


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
    comparisons = (
        ("年度预算", department.funds.total.full_year_budget, "budget", True, True),
        ("执行数", department.funds.total.executed, "final", True, True),
        ("其中基本支出", department.basic_budget, "budget", True, False),
        ("其中项目支出", department.project_budget, "budget", False, True),
    )
    unstated: list[str] = []
    gaps: dict[str, list[str]] = {}  # what the base table lacks → the department figures it leaves unchecked
    for label, stated, column, with_basic, with_projects in comparisons:
        title = TRIPLE[column]
        basic = base.basic_expenditure.budget if column == "budget" else base.basic_expenditure.final
        known, blank, why = _project_lines(base, column, title) if with_projects else ([], [], None)
        if stated is None:
            unstated.append(label)
            continue
        against = f"{label}为 {amount(stated)}"
        if with_basic and basic is None:
            gaps.setdefault(f"基础数据表未填基本支出{title}", []).append(against)
            continue
        if why is not None:
            gaps.setdefault(why, []).append(against)
            continue
        known = ([basic] if with_basic else []) + known
        if not known:
            gaps.setdefault(f"基础数据表各项目均未填{title}", []).append(against)
            continue
        if _agrees(stated, known):
            continue
        figure = sum(known, Decimal(0))
        if blank and not with_basic:
            # a project left blank may hold the difference, so this is not a finding
            gaps.setdefault(f"基础数据表“{'、'.join(blank)}”未填{title}，其余各项目之和为 {amount(figure)}", []).append(against)
            continue
        yield self.finding(
            f"部门整体自评表{label} {amount(stated)}，基础数据表对应合计为 {amount(figure)}（相差 {amount(stated - figure)}）",
            Location(part="department_evaluation", row=label),
            {"department_table": stated, "base_data": figure, "terms": len(known)},
            figure,
        )
    clauses = [f"部门整体支出绩效自评表未填{'、'.join(unstated)}"] if unstated else []
    clauses += [f"{lack}（部门整体自评表{'、'.join(figures)}）" for lack, figures in gaps.items()]
    if clauses:
        yield self.skip(f"{'；'.join(clauses)}，无法核对", Location(part="department_evaluation"))


class _Figure(NamedTuple):
    parts: list[Decimal]  # the base table's figures that add up to what the narrative states
    what: str  # how the finding names them
    blank: str  # which of them were left blank, as the reason says it
    missing: str | None  # why there is nothing to compare against


def _basic_final(base: BaseData) -> _Figure:
    if base.basic_expenditure.final is not None:
        return _Figure([base.basic_expenditure.final], "基本支出决算数", "", None)
    items = [i.final for i in base.basic_expenditure_items if i.final is not None]
    # the items under 其中 need not cover the whole, so their sum is shown, not compared
    shown = f"（其中所列明细之和为 {amount(sum(items, Decimal(0)))}）" if items else ""
    return _Figure([], "", "", f"基础数据表未填基本支出本年决算数{shown}")


def _projects(column: str) -> Callable[[BaseData], _Figure]:
    def figure(base: BaseData) -> _Figure:
        title = TRIPLE[column]
        total = getattr(base.project_expenditure, column)
        if total is not None:
            return _Figure([total], f"各项目{title}之和", "", None)
        known, blank, why = _project_lines(base, column, title)
        if why or not known:
            return _Figure([], "", "", why or f"基础数据表未填“项目支出”{title}，各项目也均未填")
        return _Figure(known, f"各项目{title}之和", f"“{'、'.join(blank)}”未填{title}" if blank else "", None)

    return figure


def _three_public_final(base: BaseData) -> _Figure:
    three = base.three_public
    if three.total.final is not None:
        return _Figure([three.total.final], "三公经费本年决算数", "", None)
    vehicle = three.vehicle.final
    if vehicle is None and three.vehicle_purchase.final is not None and three.vehicle_operation.final is not None:
        vehicle = three.vehicle_purchase.final + three.vehicle_operation.final
    rows = {"公务用车": vehicle, "因公出国（境）": three.overseas.final, "公务接待": three.reception.final}
    if any(v is None for v in rows.values()):
        blank = "、".join(k for k, v in rows.items() if v is None)
        return _Figure([], "", "", f"基础数据表未填三公经费本年决算数，其{blank}费也未填")
    return _Figure(list(rows.values()), "三公经费合计未填，公务用车、出国、公务接待本年决算数之和", "", None)  # type: ignore[arg-type]


# What a narrative label states, in terms of the base data table.
_NARRATIVE: tuple[tuple[re.Pattern[str], Callable[[BaseData], _Figure]], ...] = (
    (re.compile(r"基本支出决算"), _basic_final),
    (re.compile(r"项目支出决算"), _projects("final")),
    (re.compile(r"^年初项目支出预算总|^项目支出预算总"), _projects("budget")),
    (re.compile(r"“?三公”?经费决算"), _three_public_final),
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
    skipped: set[int] = set()  # one skip per base-table figure, however often the report repeats it
    figures: dict[int, _Figure] = {}  # each worked out once: it sums every project line
    for section in ctx.evaluation.narrative:
        for stated in narrative_amounts(section.text):
            for index, (pattern, figure_of) in enumerate(_NARRATIVE):
                if not pattern.search(stated.label):
                    continue
                if index not in figures:
                    figures[index] = figure_of(base)
                figure = figures[index]
                said = f"报告写“{stated.label}{amount(stated.amount)}万元”"
                where = Location(part="narrative", section=section.heading)
                if figure.missing is not None or not _agrees(stated.amount, figure.parts) and figure.blank:
                    if index not in skipped:
                        skipped.add(index)
                        total = amount(sum(figure.parts, Decimal(0)))
                        why = figure.missing or f"基础数据表{figure.blank}，其余{figure.what}为 {total}，与之不符"
                        yield self.skip(f"{said}，{why}，无法核对", where)
                elif not _agrees(stated.amount, figure.parts):
                    total = sum(figure.parts, Decimal(0))
                    yield self.finding(
                        f"{said}，基础数据表{figure.what}为 {amount(total)}（相差 {amount(stated.amount - total)}）",
                        where,
                        {"narrative": stated.amount, "base_data": total, "label": stated.label},
                        total,
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
    skipped: set[str] = set()
    for section in ctx.evaluation.narrative:
        for match in _HEADCOUNT.finditer(section.text):
            said = int(match.group(2))
            field, label = (staffing.authorized, "编制数") if "编制" in match.group(1) else (staffing.actual, "实际在职人数")
            where = Location(part="narrative", section=section.heading)
            if field is None and label not in skipped:
                skipped.add(label)
                yield self.skip(f"报告写“{match.group()}”，基础数据表财政供养人员情况未填{label}，无法核对", where)
            elif field is not None and said != field:
                yield self.finding(
                    f"报告写“{match.group()}”，基础数据表{label}为 {field}",
                    where,
                    {"narrative": said, "base_data": field},
                    field,
                )


CHECKS = (base_vs_project, department_vs_base, narrative_vs_base, headcount)
