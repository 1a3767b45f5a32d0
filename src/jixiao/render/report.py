"""The narrative report (自评报告), sections 一…九: the unit's own prose where the evaluation
has it, otherwise written from the figures — amounts, rates, goals, problems, measures."""

from __future__ import annotations

import re
from decimal import Decimal

from ..labels import normalize_label
from ..model import Evaluation, NarrativeSection, Triple
from ..model.blank import STANDARD
from .layout import shown



def _amount(value: Decimal | None) -> str:
    return f"{shown(value)}万元"


def _spending(label: str, values: Triple) -> str | None:
    figures = [values.budget, values.final, values.prior_final]
    if any(v is not None for v in figures) and all(v == 0 for v in figures if v is not None):
        return f"{label}均为0。"
    parts = []
    if values.budget is not None:
        parts.append(f"预算数为{_amount(values.budget)}")
    if values.final is not None:
        parts.append(f"决算数为{_amount(values.final)}")
    if values.prior_final is not None:
        parts.append(f"上年决算数为{_amount(values.prior_final)}")
    return f"{label}{'，'.join(parts)}。" if parts else None


def _written(evaluation: Evaluation, heading: str) -> str:
    base, year = evaluation.base_data, evaluation.fiscal_year
    if heading.startswith("一"):
        staffing = base.staffing
        department = evaluation.department_evaluation
        lines = [department.duties] if department is not None and department.duties else []
        if staffing.authorized is not None or staffing.actual is not None:
            lines.append(f"本单位编制数{staffing.authorized if staffing.authorized is not None else '（未填）'}人，实际在职人数{staffing.actual if staffing.actual is not None else '（未填）'}人。")
        if evaluation.projects:
            lines.append(f"本年度开展绩效自评的项目{len(evaluation.projects)}个。")
        return "\n".join(lines)
    if heading.startswith("二"):
        lines = [
            _spending(f"{year}年基本支出", base.basic_expenditure),
            _spending("其中公用经费" if base.basic_expenditure.final is not None or base.basic_expenditure.budget is not None else "公用经费", base.public_funds),
            _spending(f"{year}年项目支出", base.project_expenditure),
            _spending("“三公”经费", base.three_public.total),
            _spending("政府采购金额", base.procurement),
        ]
        if base.procurement.final == 0 and not base.procurement.budget:
            lines[-1] = "本年度未发生政府采购。"
        return "\n".join(line for line in lines if line) or "无。"
    if heading.startswith("六"):
        lines = []
        department = evaluation.department_evaluation
        for goal in department.goals if department else []:
            if goal.expected:
                lines.append(f"整体绩效目标：{goal.expected}" + (f"；完成情况：{goal.actual}" if goal.actual else "。"))
        stated = evaluation.scorecard_total_stated if evaluation.scorecard else (department.total_stated if department else None)
        if stated is not None:
            lines.append(f"部门整体支出绩效自评得分{shown(stated, money=False)}分。")
        for project in evaluation.projects:
            funds = project.funds.total
            bits = [f"项目“{project.name}”"]
            if funds.full_year_budget is not None:
                bits.append(f"全年预算{_amount(funds.full_year_budget)}")
            if funds.executed is not None:
                bits.append(f"执行{_amount(funds.executed)}")
            if project.execution.rate_stated is not None:  # the report says what the attached table says
                bits.append(f"执行率{shown(project.execution.rate_stated, percent=True)}")
            elif funds.full_year_budget and funds.executed is not None:
                bits.append(f"执行率{shown((funds.executed / funds.full_year_budget * 100).quantize(Decimal('0.01')), percent=True)}")
            if project.total_stated is not None:
                bits.append(f"自评得分{shown(project.total_stated, money=False)}分")
            lines.append("，".join(bits) + "。")
        return "\n".join(lines) or "无。"
    if heading.startswith(("七", "八")):
        # 偏差原因分析及改进措施 is written "reason；measure": the reason goes to 七, the measure to 八
        said: dict[str, list[str]] = {}  # the same words for several indicators are said once
        tables = ([evaluation.department_evaluation] if evaluation.department_evaluation else []) + list(evaluation.projects)
        for table in tables:
            for indicator in table.indicators:
                pieces = re.split(r"[；;]", (indicator.deviation or "").replace("\n", ""), maxsplit=1)
                reason, measure = pieces[0], pieces[1] if len(pieces) > 1 else ""
                part = (reason if heading.startswith("七") else measure).strip().rstrip("。；;，,")
                if part:
                    said.setdefault(part, []).append(f"{table.name}“{indicator.name}”")
        lines = [f"{number}.{text}（涉及{'、'.join(where)}）。" for number, (text, where) in enumerate(said.items(), start=1)]
        return "\n".join(lines) or "无。"
    if heading.startswith(("三", "四", "五")):
        return "（材料中无此部分内容，请单位补充；没有此类支出的，写明“无”。）"
    return "无。"


def report_sections(evaluation: Evaluation) -> list[NarrativeSection]:
    """The unit's own sections in its order, then each standard section it lacks, written."""
    own = list(evaluation.narrative)
    covered = {heading for heading, words in STANDARD if any(any(w in normalize_label(s.heading) for w in words) for s in own)}
    written = [NarrativeSection(heading=h, text=_written(evaluation, h)) for h, _ in STANDARD if h not in covered]
    return own + written
