"""A rubric as its scoring table: the rows every view of a rubric (terminal, web) reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..rubric.loader import CompiledRubric
from ..rubric.methods import num
from ..rubric.model import Rubric, RubricIndicator

ZERO = {"full": "计满分", "zero": "计 0 分", "not_applicable": "按不适用处理"}


@dataclass
class Line:
    """One row of the scoring table. A level is (name, points, rowspan) where its cell starts,
    None where a row above spans it; ``blank`` levels have no cell above and get an empty one."""

    level1: tuple[str, str, int] | None
    level2: tuple[str, str, int] | None
    indicator: RubricIndicator | None
    points: str = ""
    formula: str = ""
    rule: str = ""
    zero: str = ""
    blank1: bool = False
    blank2: bool = False


def _line(compiled: CompiledRubric, ind: RubricIndicator, level1=None, level2=None) -> Line:
    formula = compiled.formulas.get(f"{ind.id}:formula")
    zero = ""
    if ind.zero_denominator is not None:
        z = ind.zero_denominator
        zero = f"分母为 0 时：0÷0 {ZERO[z.zero_over_zero]}，非 0÷0 {ZERO[z.nonzero_over_zero]}"
    return Line(level1, level2, ind, num(ind.points), f"{ind.name} = {formula.render()}" if formula else "",
                ind.scoring.describe(ind.points), zero)


def _execution_line(compiled: CompiledRubric, ind: RubricIndicator) -> Line:
    # Execution rate sits outside the levels in project rubrics.
    line = _line(compiled, ind)
    line.blank1 = line.blank2 = True
    return line


def scoring_table(compiled: CompiledRubric) -> list[Line]:
    """The rubric as its scoring table, row by row, with spans for the levels."""
    rubric = compiled.rubric
    lines = [_execution_line(compiled, rubric.execution)] if rubric.execution is not None else []
    for level1 in rubric.levels:
        span1 = sum(len(level2.indicators) for level2 in level1.children) or 1
        head1 = (level1.name, num(level1.points) if level1.points is not None else "", span1)
        if not level1.children:
            lines.append(Line(head1, None, None, blank2=True))
        for level2 in level1.children:
            head2 = (level2.name, num(level2.points), len(level2.indicators))
            for ind in level2.indicators:
                lines.append(_line(compiled, ind, head1, head2))
                head1 = head2 = None
    return lines


def rubric_facts(rubric: Rubric) -> list[str]:
    """What a reader needs besides the table: whose weights count, the floor of coverage, the
    layouts scored by default, and the rules the source does not publish."""
    facts = []
    if rubric.weights == "table":
        facts.append(f"各指标分值按表中权重计，绩效指标权重合计须为 {num(rubric.indicator_points or Decimal(0))} 分")
    if rubric.execution is None and rubric.kind == "project":
        facts.append("预算执行率不单列，是表中的一个指标")
    facts.append(f"按数据核算的分值不足 {num(rubric.min_coverage * 100)}% 时，总分与等级为“无法核算”")
    if rubric.layouts:
        facts.append(f"默认用于表样：{'、'.join(rubric.layouts)}")
    if rubric.document or rubric.issued_by:
        facts.append(f"发文：{'，'.join(filter(None, [rubric.issued_by, rubric.document]))}")
    facts += [f"原文未规定：{item}" for item in rubric.unpublished]
    return facts
