"""Scores as data: every view (terminal, JSON, HTML, web) only reads these."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["computed", "stated", "not_applicable", "undetermined"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class IndicatorScore(_Result):
    id: str | None = Field(None, description="评分规则中的指标代码（项目表自设指标为空）")
    name: str
    level1: str | None = None
    level2: str | None = None
    points: Decimal | None
    score: Decimal | None = Field(description="核算得分")
    stated_score: Decimal | None = Field(description="填报得分")
    status: Status = Field(description="computed 按数据核算；stated 数据不足，采用填报得分；not_applicable 不适用；undetermined 无法确定")
    method: str
    value: str | None = Field(None, description="指标值（如 65.33%）")
    formula: str | None = None
    substituted: str | None = Field(None, description="代入数值后的公式")
    rule: str | None = Field(None, description="评分规则")
    applied: str | None = Field(None, description="适用的规则与扣分")
    deduction: Decimal | None = None
    explanation: str


class LevelScore(_Result):
    name: str
    points: Decimal | None = Field(description="评分规则规定的分值")
    stated_points: Decimal | None = Field(None, description="表中各指标分值之和")
    score: Decimal
    stated_score: Decimal | None = None


class TableScore(_Result):
    name: str
    rubric: str
    total: Decimal
    stated_total: Decimal | None = Field(description="表中填报的总分")
    stated_sum: Decimal | None = Field(None, description="表中各项填报得分之和")
    total_points: Decimal
    applicable_points: Decimal
    grade: str
    stated_grade: str | None
    complete: bool = Field(description="每个指标都有得分（核算或采用填报）")
    execution_rate: Decimal | None = Field(None, description="预算执行率（比例，0.5794 即 57.94%）")
    levels: list[LevelScore]
    indicators: list[IndicatorScore]
    notes: list[str] = Field(default_factory=list, description="评分时发现的结构问题")


class PackageScore(_Result):
    unit: str
    fiscal_year: int
    department: TableScore | None
    projects: list[TableScore]
    notes: list[str] = Field(default_factory=list)
