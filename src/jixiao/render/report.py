"""The narrative report (自评报告), sections 一…九.

The unit's own sections are printed as the unit wrote them. A standard section the unit
lacks is written by Jixiao only where the forms hold figures for it, and then every sentence
is a figure or a cell quoted from the forms — with the audit's value where the audit found
the stated figure wrong — under a heading marked as generated, which the importer skips. A
section the forms cannot fill is left out and listed for the caller: an official document
never carries filler such as “请单位补充”, nor a “无” that nobody said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..audit import CHECKS
from ..audit.finding import Finding
from ..audit.report import AuditReport, TableRescore
# GENERATED is added to the heading of a section Jixiao wrote from the forms: the reader of the
# official document sees that the unit did not write it, and the importer, which owns the
# marker, skips the section, so that re-importing never makes Jixiao's text the unit's.
from ..decimals import rounded
from ..ingest.forms.narrative import GENERATED
from ..labels import normalize_label
from ..model import Evaluation, NarrativeSection, Triple
from ..model.blank import STANDARD
from ..rubric.methods import num
from .layout import shown

# What exports before this rule printed for 三/四/五; an evaluation that re-imported such an
# export holds it as if the unit had written it, so it is treated as an empty section.
LEGACY_PLACEHOLDER = "（材料中无此部分内容，请单位补充；没有此类支出的，写明“无”。）"

Key = tuple[str, str | None, str | None, str | None]  # part, project, row, column of a figure
TITLES = {check.code: check.title for check in CHECKS}
TRIPLE = (("budget", "预算数", "本年预算数"), ("final", "决算数", "本年决算数"), ("prior_final", "上年决算数", "上年决算数"))


def _amount(value: Decimal) -> str:
    return f"{shown(value)}万元"


def _percent(value: Decimal) -> str:
    return f"{num(value)}%"


def _points(value: Decimal) -> str:
    return f"{num(value)}分"


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except InvalidOperation:
        return None


class Audited:
    """The audit's verdict on each figure the generated text quotes, looked up by the figure's
    location on the forms — the same location the audit's findings carry."""

    def __init__(self, report: AuditReport | None):
        self.report = report
        self.errors: dict[Key, list[Finding]] = {}
        for finding in report.findings if report is not None else []:
            if finding.severity == "error":  # a warning says “may be”; only an error says the figure is wrong
                where = finding.location
                self.errors.setdefault((where.part, where.project, where.row or where.indicator, where.column), []).append(finding)

    def quote(self, stated: Decimal, key: Key, show: Callable[[Decimal], str]) -> str:
        """The figure as the report may print it. Where the audit recomputed it from the same
        table's own figures (arithmetic, rules) and settles on one value, that value, with the
        stated one marked; where the audit's value comes from another table (agreement), which
        of the two is wrong is not settled, so the stated figure stays, marked with both."""
        found = self.errors.get(key, [])
        if not found:
            return show(stated)
        titles = "；".join(dict.fromkeys(TITLES.get(f.code, f.code) for f in found))
        values = {_decimal(f.expected) for f in found}
        value = values.pop() if len(values) == 1 else None
        if value is None or value == stated:
            return f"{show(stated)}（经审核：{titles}）"
        if all(f.code.split(".")[0] in ("arithmetic", "rules") for f in found):
            return f"{show(value)}（表中填报{show(stated)}，经核算更正）"
        return f"{show(stated)}（经审核：{titles}，审核值为{show(value)}）"

    def score(self, stated: Decimal, key: Key, rescore: TableRescore | None) -> str:
        """A stated total, corrected as ``quote`` does, and beside it the rubric's rescore when
        the rescore is determined and differs: the self-evaluation score stays the unit's."""
        text = self.quote(stated, key, _points)
        if rescore is not None and rescore.total is not None and rescore.total != stated:
            text += f"（按评分规则核算为{_points(rescore.total)}）"
        return text


def _spending(audited: Audited, label: str, values: Triple, row: str) -> str | None:
    known = [(word, column, getattr(values, name)) for name, word, column in TRIPLE if getattr(values, name) is not None]
    keys = {column: ("base_data", None, row, column) for _, column, _ in known}
    if known and all(v == 0 for _, _, v in known) and not any(audited.errors.get(k) for k in keys.values()):
        return f"{label}均为0。"
    parts = [f"{word}为{audited.quote(value, keys[column], _amount)}" for word, column, value in known]
    return f"{label}{'，'.join(parts)}。" if parts else None


def _basic(evaluation: Evaluation) -> list[str]:
    staffing, department = evaluation.base_data.staffing, evaluation.department_evaluation
    lines = [f"部门职能职责（据部门整体支出绩效自评表）：{department.duties.strip().rstrip('。')}。"] if department is not None and department.duties and department.duties.strip() else []
    people = [f"{label}{value}人" for label, value in (("编制数", staffing.authorized), ("实际在职人数", staffing.actual)) if value is not None]
    if people:
        lines.append(f"本单位{'，'.join(people)}。")
    if evaluation.projects:
        lines.append(f"本年度开展绩效自评的项目{len(evaluation.projects)}个。")
    return lines


def _general_budget(evaluation: Evaluation, audited: Audited) -> list[str]:
    base, year = evaluation.base_data, evaluation.fiscal_year
    lines = [
        _spending(audited, f"{year}年基本支出", base.basic_expenditure, "部门基本支出"),
        _spending(audited, "其中公用经费" if base.basic_expenditure.final is not None or base.basic_expenditure.budget is not None else "公用经费", base.public_funds, "公用经费"),
        _spending(audited, f"{year}年项目支出", base.project_expenditure, "项目支出"),
        _spending(audited, "“三公”经费", base.three_public.total, "三公经费"),
        # the figures, even when 0: “本年度未发生政府采购” would be Jixiao's reading of them
        _spending(audited, "政府采购金额", base.procurement, "政府采购"),
    ]
    return [line for line in lines if line]


def _performance(evaluation: Evaluation, audited: Audited) -> list[str]:
    lines = []
    department = evaluation.department_evaluation
    rescore = audited.report.rescore if audited.report is not None else None
    for goal in department.goals if department else []:
        if goal.expected:
            # the department table's own words, each under the column it was written in
            lines.append(f"整体绩效目标：{goal.expected.rstrip('。；;')}" + (f"；完成情况：{goal.actual.rstrip('。；;')}" if goal.actual else "") + "。")
    if evaluation.scorecard:
        stated, key = evaluation.scorecard_total_stated, ("scorecard", None, "合计", None)
    else:
        stated, key = (department.total_stated if department else None), ("department_evaluation", None, "总分", None)
    if stated is not None:
        lines.append(f"部门整体支出绩效自评得分{audited.score(stated, key, rescore.department if rescore else None)}。")
    for index, project in enumerate(evaluation.projects):
        funds, name = project.funds.total, project.name

        def at(row: str, column: str | None = None, name: str = name) -> Key:
            return ("project", name, row, column)

        bits = [f"项目“{name}”"]
        if funds.full_year_budget is not None:
            bits.append(f"全年预算{audited.quote(funds.full_year_budget, at('年度资金总额', '全年预算数'), _amount)}")
        if funds.executed is not None:
            bits.append(f"执行{audited.quote(funds.executed, at('年度资金总额', '全年执行数'), _amount)}")
        if project.execution.rate_stated is not None:  # the table's own rate, or the audit's where it is wrong
            bits.append(f"执行率{audited.quote(project.execution.rate_stated, at('年度资金总额', '执行率'), _percent)}")
        elif funds.full_year_budget and funds.executed is not None:
            bits.append(f"执行率{_percent(rounded(funds.executed / funds.full_year_budget * 100, 2))}（按表中金额计算）")
        if project.total_stated is not None:
            tables = rescore.projects if rescore is not None else []
            bits.append(f"自评得分{audited.score(project.total_stated, at('总分'), tables[index] if index < len(tables) else None)}")
        if len(bits) > 1:
            lines.append("，".join(bits) + "。")
    return lines


def _deviations(evaluation: Evaluation, measures: bool) -> list[str]:
    # 偏差原因分析及改进措施 is written “reason；measure”, as the column's title has it: the
    # reason goes to 七, the measure to 八, each quoted with the indicators it was written for
    said: dict[str, list[str]] = {}  # the same words for several indicators are said once
    tables = ([evaluation.department_evaluation] if evaluation.department_evaluation else []) + list(evaluation.projects)
    for table in tables:
        for indicator in table.indicators:
            pieces = re.split(r"[；;]", (indicator.deviation or "").replace("\n", ""), maxsplit=1)
            reason, measure = pieces[0], pieces[1] if len(pieces) > 1 else ""
            part = (measure if measures else reason).strip().rstrip("。；;，,")
            if part:
                said.setdefault(part, []).append(f"{table.name}“{indicator.name}”")
    return [f"{number}.{text}（涉及{'、'.join(where)}）。" for number, (text, where) in enumerate(said.items(), start=1)]


def _written(evaluation: Evaluation, heading: str, audited: Audited) -> list[str]:
    """The sentences the forms give for a standard section; none for 三/四/五/九, which the
    forms hold no figures for (a “无” there would be Jixiao's claim, not the unit's)."""
    if heading.startswith("一"):
        return _basic(evaluation)
    if heading.startswith("二"):
        return _general_budget(evaluation, audited)
    if heading.startswith("六"):
        return _performance(evaluation, audited)
    if heading.startswith(("七", "八")):
        return _deviations(evaluation, measures=heading.startswith("八"))
    return []


def _standard(heading: str) -> int | None:
    label = normalize_label(heading)
    return next((i for i, (_, words) in enumerate(STANDARD) if any(w in label for w in words)), None)


def _sub(heading: str) -> bool:
    """（一）… under a section: the section above it holds its text in these."""
    return heading.strip().startswith(("（", "("))


@dataclass
class ReportPlan:
    """What the report prints, and what the caller is told instead of printing filler."""

    sections: list[NarrativeSection] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)  # standard headings written from the forms (marked)
    missing: list[str] = field(default_factory=list)  # standard headings neither the unit nor the forms fill: left out
    empty: list[str] = field(default_factory=list)  # the unit's own headings with nothing under them

    def notes(self) -> list[str]:
        """The lists in Chinese, for the command line and any other front end."""
        notes = []
        if self.missing:
            notes.append(f"自评报告缺少以下部分，材料和表格中都没有相应内容，导出时略去，请单位补写：{'、'.join(self.missing)}")
        if self.empty:
            notes.append(f"自评报告以下部分只有标题、没有内容：{'、'.join(self.empty)}")
        if self.generated:
            notes.append(f"自评报告以下部分单位材料中没有，已根据所附表格的数字生成，并在标题后注明“{GENERATED}”：{'、'.join(self.generated)}")
        return notes


def report_plan(evaluation: Evaluation, report: AuditReport | None = None) -> ReportPlan:
    """The unit's sections in its order, each standard section it lacks written from the
    forms and placed where the standard order puts it, or listed as missing."""
    audited = Audited(report)
    plan = ReportPlan()
    own = []
    for index, section in enumerate(evaluation.narrative):
        text = "" if section.text.strip() == LEGACY_PLACEHOLDER else section.text
        following = evaluation.narrative[index + 1].heading if index + 1 < len(evaluation.narrative) else ""
        if not text.strip() and not (_sub(following) and not _sub(section.heading)):
            plan.empty.append(section.heading)
        own.append(section if text == section.text else section.model_copy(update={"text": text}))
    covered = {_standard(s.heading) for s in own}
    pending: list[tuple[int, NarrativeSection]] = []
    for number, (heading, _) in enumerate(STANDARD):
        if number in covered:
            continue
        lines = _written(evaluation, heading, audited)
        if lines:
            pending.append((number, NarrativeSection(heading=f"{heading}{GENERATED}", text="\n".join(lines))))
            plan.generated.append(heading)
        else:
            plan.missing.append(heading)
    for section in own:
        number = None if _sub(section.heading) else _standard(section.heading)  # never inside a section's （一）（二）
        while number is not None and pending and pending[0][0] < number:
            plan.sections.append(pending.pop(0)[1])
        plan.sections.append(section)
    plan.sections += [section for _, section in pending]
    return plan


def report_sections(evaluation: Evaluation, report: AuditReport | None = None) -> list[NarrativeSection]:
    """The sections the report prints (see ``report_plan`` for what is left out)."""
    return report_plan(evaluation, report).sections
