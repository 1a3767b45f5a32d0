"""What a rubric file says: levels, indicators, their formulas and scoring methods, grades."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..labels import same_label

from .methods import Levels, Method, RatioToTarget, ZeroRule


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RubricIndicator(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="永久代码，英文小写")
    name: str = Field(description="三级指标名称")
    aliases: list[str] = Field(default_factory=list, description="评分表中的其他写法")
    points: Decimal = Field(ge=0, le=10**6)
    formula: str | None = Field(None, description="指标值的计算公式")
    scoring: Method
    zero_denominator: ZeroRule | None = Field(None, description="分母为 0 时的处理")
    criteria: str | None = Field(None, description="评价标准（原文）")
    description: str | None = Field(None, description="指标说明（原文）")
    note: str | None = Field(None, description="对原表的更正或说明")


class Level2(_Strict):
    name: str
    points: Decimal = Field(ge=0, le=10**6)
    aliases: list[str] = Field(default_factory=list)
    indicators: list[RubricIndicator] = Field(min_length=1)


class Level1(_Strict):
    name: str
    points: Decimal | None = Field(None, ge=0, le=10**6, description="分值；按表中权重计分（weights: table）时可空")
    aliases: list[str] = Field(default_factory=list)
    children: list[Level2] = Field(default_factory=list)

    def matches(self, label: str | None) -> bool:
        return label is not None and any(same_label(label, n) for n in (self.name, *self.aliases))


class Grade(_Strict):
    grade: str
    min: Decimal = Field(ge=0, le=10**6)


class ProjectIndicatorRules(_Strict):
    """How a unit's own indicators are scored, by their nature."""

    quantitative: RatioToTarget
    qualitative: Levels


class Rubric(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    kind: Literal["department", "project"]
    jurisdiction: str
    year: int | None = Field(None, description="适用年度；空表示不限")
    source: str | None = None
    issued_by: str | None = Field(None, description="发文机关")
    document: str | None = Field(None, description="文号")
    unpublished: list[str] = Field(default_factory=list, description="原文未规定、按全国口径选定的规则")
    layouts: list[str] = Field(default_factory=list, description="默认用本规则评分的表样（导入时识别，见 vocabulary/layouts.yaml）")
    weights: Literal["rubric", "table"] = Field(
        "rubric", description="rubric：一级指标分值由本规则规定；table：各指标权重由单位在表中自定，本规则只核对合计"
    )
    indicator_points: Decimal | None = Field(
        None, gt=0, le=10**6, description="weights: table 时，表中绩效指标权重之和应为多少"
    )
    corrections: list[str] = Field(default_factory=list, description="对原表的更正")
    total: Decimal = Field(Decimal(100), gt=0, le=10**6)
    precision: int = Field(2, ge=0, le=4, description="得分保留小数位")
    use_stated: bool = Field(True, description="数据无法确定得分时，采用填报得分并注明")
    min_coverage: Decimal = Field(
        Decimal("0.6"), ge=0, le=1,
        description="按数据核算的分值占适用分值的最低比例；低于此值时总分与等级为“无法核算”",
    )
    grades: list[Grade] = Field(min_length=1)
    fields: dict[str, str] = Field(default_factory=dict, description="公式中可用的命名量")
    levels: list[Level1] = Field(min_length=1)
    execution: RubricIndicator | None = Field(
        None, description="项目表：按资金计算的预算执行率；空表示执行率是表中的一个指标（如决策、过程、产出、效益框架）"
    )
    satisfaction_level: str | None = Field(None, description="项目表：满意度一级指标的名称")
    without_satisfaction: dict[str, Decimal] = Field(
        default_factory=dict, description="未设满意度指标时改变的一级指标分值"
    )
    indicators: ProjectIndicatorRules | None = None

    def grade_of(self, total: Decimal) -> str:
        for grade in sorted(self.grades, key=lambda g: g.min, reverse=True):
            if total >= grade.min:
                return grade.grade
        return self.grades[-1].grade

    def scorecard(self) -> list[dict]:
        """The scoring table's rows as a unit receives them to fill in: names, points, criteria."""
        return [
            {"level1": l1.name, "level1_points": l1.points, "level2": l2.name if l2 else None,
             "level2_points": l2.points if l2 else None, "name": ind.name, "points": ind.points,
             "criteria": ind.criteria, "description": ind.description}
            for l1, l2, ind in self.all_indicators()
        ]

    def all_indicators(self) -> list[tuple[Level1, Level2 | None, RubricIndicator]]:
        found: list[tuple[Level1, Level2 | None, RubricIndicator]] = []
        for level1 in self.levels:
            for level2 in level1.children:
                found.extend((level1, level2, ind) for ind in level2.indicators)
        return found
