"""Scores as data: every view (terminal, JSON, HTML, web) only reads these."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from ..decimals import rounded
from .methods import num

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


UNDETERMINED = "无法核算"


class Coverage(_Result):
    """How much of a table the figures decide: indicators and points computed from data, of
    those that apply. ``score`` is what the computed indicators earned, for a reader who wants
    the part that is known when the whole cannot be."""

    indicators: int = Field(description="适用的指标数")
    computed: int = Field(description="按数据核算的指标数")
    points: Decimal = Field(description="适用指标的分值合计")
    points_computed: Decimal = Field(description="按数据核算的指标的分值合计")
    score: Decimal = Field(description="按数据核算的指标的得分合计")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share(self) -> Decimal | None:
        """Points computed over points applicable (0.41 is 41%); None when nothing applies."""
        return rounded(self.points_computed / self.points, 4) if self.points else None

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(
            indicators=self.indicators + other.indicators,
            computed=self.computed + other.computed,
            points=self.points + other.points,
            points_computed=self.points_computed + other.points_computed,
            score=self.score + other.score,
        )

    def describe(self) -> str:
        share = "—" if self.share is None else f"{num(rounded(self.share * 100, 1))}%"
        return (
            f"按数据核算 {self.computed}/{self.indicators} 项指标、"
            f"{num(self.points_computed)}/{num(self.points)} 分（{share}）"
        )


NO_COVERAGE = Coverage(indicators=0, computed=0, points=Decimal(0), points_computed=Decimal(0), score=Decimal(0))


class LevelScore(_Result):
    name: str
    points: Decimal | None = Field(description="评分规则规定的分值")
    stated_points: Decimal | None = Field(None, description="表中各指标分值之和")
    score: Decimal
    stated_score: Decimal | None = None


class Verdict(BaseModel):
    """A table's rescored total and grade, or "无法核算" with the reason and the coverage."""

    total: Decimal | None = Field(description="核算总分；按数据核算的分值占比低于评分规则的下限时为空（无法核算）")
    grade: str | None = Field(description="核算等级；无法核算时为空")
    coverage: Coverage
    undetermined: str | None = Field(None, description="总分无法核算的原因")

    @property
    def total_shown(self) -> str:
        return UNDETERMINED if self.total is None else f"{self.total:f}"

    @property
    def grade_shown(self) -> str:
        return UNDETERMINED if self.grade is None else self.grade


class TableScore(_Result, Verdict):
    name: str
    rubric: str
    stated_total: Decimal | None = Field(description="表中填报的总分")
    stated_sum: Decimal | None = Field(None, description="表中各项填报得分之和")
    total_points: Decimal
    applicable_points: Decimal
    stated_grade: str | None
    complete: bool = Field(description="每个指标都有得分（核算或采用填报）")
    execution_rate: Decimal | None = Field(None, description="预算执行率（比例，0.5794 即 57.94%）")
    levels: list[LevelScore]
    indicators: list[IndicatorScore]
    notes: list[str] = Field(default_factory=list, description="评分时发现的结构问题")
    weights_mismatch: str | None = Field(None, description="表中分值（权重）与评分规则不符之处，整表一句")


class PackageScore(_Result):
    unit: str
    fiscal_year: int
    department: TableScore | None
    projects: list[TableScore]
    notes: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def coverage(self) -> Coverage:
        tables = ([self.department] if self.department else []) + self.projects
        return sum((t.coverage for t in tables), NO_COVERAGE)
