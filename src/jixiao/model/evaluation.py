"""The evaluation document: one unit, one fiscal year (GUIDE §6).

Every figure is kept exactly as the document states it. Amounts are Decimal 万元 and keep
the precision they were written with (``3393.90`` stays two places), because the audit's
tolerance depends on the digits shown. A blank cell is ``None``, never zero. Rates are
percentages as printed on the forms (``60`` means 60%). Computed values never live here:
the scoring engine and the audit return them beside the document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from .values import Value, parse_value

# Bounds keep absurd figures (1e40) out of the arithmetic; no real form comes near them.
LIMIT = Decimal(10) ** 12
Amount = Annotated[Decimal | None, Field(default=None, title="金额（万元）", ge=-LIMIT, le=LIMIT)]
Percent = Annotated[Decimal | None, Field(default=None, title="百分比（%）", ge=-LIMIT, le=LIMIT)]
Points = Annotated[Decimal | None, Field(default=None, title="分值/得分", ge=-10**6, le=10**6)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _float_to_decimal(cls, value: object) -> object:
        # Our JSON reader never makes floats; a Python caller's float is read by its shortest
        # repr (0.1 → 0.1), the value the caller wrote, not its binary expansion.
        if isinstance(value, float):
            return Decimal(repr(value))
        return value


class Triple(Part):
    """A spending row of the base data table: 上年决算数 / 本年预算数 / 本年决算数."""

    prior_final: Amount = Field(None, title="上年决算数（万元）")
    budget: Amount = Field(None, title="本年预算数（万元）")
    adjusted_budget: Amount = Field(None, title="调整预算数（万元）")
    final: Amount = Field(None, title="本年决算数（万元）")


class NamedTriple(Triple):
    name: str = Field(title="项目名称")


class Staffing(Part):
    authorized: int | None = Field(None, title="编制数", ge=0, le=10**7)
    actual: int | None = Field(None, title="实际在职人数", ge=0, le=10**7)
    control_rate_stated: Percent = Field(None, title="控制率（填报，%）")


class ThreePublic(Part):
    total: Triple = Field(default_factory=Triple, title="三公经费合计")
    vehicle: Triple = Field(default_factory=Triple, title="公务用车购置和运行维护经费")
    vehicle_purchase: Triple = Field(default_factory=Triple, title="公务用车购置")
    vehicle_operation: Triple = Field(default_factory=Triple, title="公务用车运行维护")
    overseas: Triple = Field(default_factory=Triple, title="因公出国（境）经费")
    reception: Triple = Field(default_factory=Triple, title="公务接待费")


class BaseProject(Triple):
    name: str = Field(title="项目名称")
    category: str | None = Field(None, title="项目类别（业务工作专项/运行维护专项/市级专项）")


class Execution(Part):
    """The budget execution block some places add to the base data table."""

    carried_over: Amount = Field(None, title="上年结转（万元）")
    initial_budget: Amount = Field(None, title="年初预算（万元）")
    supplementary: Amount = Field(None, title="本年追加（万元）")
    year_end_balance: Amount = Field(None, title="年末结余（万元）")


class Building(Part):
    name: str | None = Field(None, title="楼堂馆所项目")
    approved_area: Decimal | None = Field(None, title="批复规模（㎡）", ge=-LIMIT, le=LIMIT)
    actual_area: Decimal | None = Field(None, title="实际规模（㎡）", ge=-LIMIT, le=LIMIT)
    area_rate_stated: Percent = Field(None, title="规模控制率（填报，%）")
    approved_investment: Amount = Field(None, title="预算投资（万元）")
    actual_investment: Amount = Field(None, title="实际投资（万元）")
    investment_rate_stated: Percent = Field(None, title="投资概算控制率（填报，%）")


class BaseData(Part):
    staffing: Staffing = Field(default_factory=Staffing, title="财政供养人员情况")
    basic_expenditure: Triple = Field(default_factory=Triple, title="部门基本支出")
    basic_expenditure_items: list[NamedTriple] = Field(
        default_factory=list, title="基本支出明细（按经济分类）"
    )
    public_funds: Triple = Field(default_factory=Triple, title="公用经费")
    public_funds_items: list[NamedTriple] = Field(default_factory=list, title="公用经费明细")
    three_public: ThreePublic = Field(default_factory=ThreePublic, title="三公经费")
    project_expenditure: Triple = Field(default_factory=Triple, title="项目支出合计")
    projects: list[BaseProject] = Field(default_factory=list, title="项目支出（一个项目一行）")
    procurement: Triple = Field(default_factory=Triple, title="政府采购金额")
    execution: Execution = Field(default_factory=Execution, title="预算执行情况")
    buildings: list[Building] = Field(default_factory=list, title="楼堂馆所控制情况")
    frugality_measures: str | None = Field(None, title="厉行节约保障措施")
    other_rows: list[NamedTriple] = Field(
        default_factory=list, title="其他行（表中有、本模型无专门字段的行）"
    )


class FundRow(Part):
    initial_budget: Amount = Field(None, title="年初预算数（万元）")
    full_year_budget: Amount = Field(None, title="全年预算数（万元）")
    executed: Amount = Field(None, title="全年执行数（万元）")
    rate_stated: Percent = Field(None, title="执行率（填报，%，年度资金总额之外的行）")


class Funds(Part):
    total: FundRow = Field(default_factory=FundRow, title="年度资金总额")
    fiscal: FundRow = Field(default_factory=FundRow, title="其中：当年财政拨款")
    carried_over: FundRow = Field(default_factory=FundRow, title="上年结转资金")
    special_account: FundRow = Field(default_factory=FundRow, title="财政专户管理资金")
    unit_funds: FundRow = Field(default_factory=FundRow, title="单位资金")
    other: FundRow = Field(default_factory=FundRow, title="其他资金")


class FundsExecution(Part):
    points: Points = Field(None, title="执行率分值")
    rate_stated: Percent = Field(None, title="执行率（填报，%）")
    score_stated: Points = Field(None, title="执行率得分（填报）")
    reason: str | None = Field(None, title="偏差原因")


class Goal(Part):
    expected: str | None = Field(None, title="预期目标")
    adjusted: str | None = Field(None, title="全年（调整）目标")
    actual: str | None = Field(None, title="实际完成情况")


class Indicator(Part):
    level1: str | None = Field(None, title="一级指标")
    level2: str | None = Field(None, title="二级指标")
    name: str = Field(title="三级指标")
    target: str | None = Field(None, title="年度指标值")
    target_adjusted: str | None = Field(None, title="调整指标值")
    actual: str | None = Field(None, title="实际完成值")
    points: Points = Field(None, title="分值")
    coefficient: Percent = Field(None, title="得分系数（%）")
    score: Points = Field(None, title="得分（填报）")
    deviation: str | None = Field(None, title="偏差原因分析及改进措施")
    kind: Literal["quantitative", "qualitative"] | None = Field(
        None, title="指标性质（定量/定性），空则按指标值判断"
    )
    core: bool | None = Field(None, title="是否核心指标")
    # What target and actual say as quantities, parsed on first reading and again only when
    # the text changes: scoring, the audit and the web all read these, never the strings. Not
    # on validation: an edit validates the whole package again, and most of it is never re-read.
    _parsed: dict[str, tuple[str | None, Value]] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        # What has been parsed so far is a cache, not part of the indicator.
        if not isinstance(other, Indicator):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def _value(self, field: str) -> Value:
        text = getattr(self, field)
        parsed = self.__pydantic_private__["_parsed"]  # not self._parsed: pydantic's __getattr__ is slow
        # Each entry holds the text it was parsed from: a shallow copy (an edit's) shares this
        # dict with its original, and each of the two then finds its own text or parses again.
        hit = parsed.get(field)
        if hit is None or hit[0] != text:
            hit = parsed[field] = (text, parse_value(text))
        return hit[1]

    @property
    def target_value(self) -> Value:
        """年度指标值 as a quantity: operator, number or range, unit, kind, or why it is not one."""
        return self._value("target")

    @property
    def actual_value(self) -> Value:
        return self._value("actual")

    @property
    def adjusted_value(self) -> Value:
        """调整指标值, where the table has one (blank otherwise)."""
        return self._value("target_adjusted")


class Signatures(Part):
    """The lines under a form: who answers for it and when (kept so the export prints them)."""

    project_lead: str | None = Field(None, title="项目负责人")
    finance_lead: str | None = Field(None, title="财务负责人")
    filler: str | None = Field(None, title="填表人")
    phone: str | None = Field(None, title="联系电话")
    date: str | None = Field(None, title="填报日期")
    head: str | None = Field(None, title="单位负责人签字")


class ProjectTable(Part):
    """项目支出绩效自评表; the department self-evaluation table has the same shape."""

    name: str = Field(title="项目名称")
    department: str | None = Field(None, title="主管部门")
    implementer: str | None = Field(None, title="实施单位")
    funds: Funds = Field(default_factory=Funds, title="项目资金（万元）")
    execution: FundsExecution = Field(default_factory=FundsExecution, title="预算执行率")
    goals: list[Goal] = Field(default_factory=list, title="年度总体目标")
    indicators: list[Indicator] = Field(default_factory=list, title="绩效指标")
    total_points: Points = Field(None, title="总分值")
    total_stated: Points = Field(None, title="总分（填报）")
    total_reviewed: Points = Field(None, title="财政审核评分")
    implementation: str | None = Field(None, title="项目实施内容及过程概述")
    conclusion: str | None = Field(None, title="评价结论")
    problems: str | None = Field(None, title="存在问题")
    measures: str | None = Field(None, title="改进措施")
    signatures: Signatures = Field(default_factory=Signatures, title="签字栏")
    layout: str | None = Field(None, title="表样（识别出的版式）")


class DepartmentEvaluation(ProjectTable):
    name: str = Field(title="部门名称")
    duties: str | None = Field(None, title="部门职能职责概述")
    basic_budget: Amount = Field(None, title="年度预算申请：其中基本支出（万元）")
    project_budget: Amount = Field(None, title="年度预算申请：其中项目支出（万元）")


class Answer(Part):
    """What the unit or the bureau supplies for an indicator the data cannot decide."""

    value: Decimal | None = Field(None, title="填报值（如满意度%、考核得分、违规次数）", ge=-LIMIT, le=LIMIT)
    out_of: Decimal | None = Field(None, title="满分（外部考核的总分）", ge=-LIMIT, le=LIMIT)
    level: str | None = Field(None, title="评定等级")
    items: list[bool | None] | None = Field(None, title="逐项是否符合（空为未评）")
    score: Points = Field(None, title="人工评分")
    justification: str | None = Field(None, title="评分理由")


class ScorecardRow(Part):
    level1: str | None = Field(None, title="一级指标")
    level1_points: Points = Field(None, title="一级指标分值（填报）")
    level2: str | None = Field(None, title="二级指标")
    level2_points: Points = Field(None, title="二级指标分值（填报）")
    name: str = Field(title="三级指标")
    points: Points = Field(None, title="分值")
    criteria: str | None = Field(None, title="评价标准")
    description: str | None = Field(None, title="指标说明")
    score: Points = Field(None, title="得分（填报）")
    answer: Answer | None = Field(None, title="评分依据（填报值）")


class NarrativeSection(Part):
    heading: str = Field(title="标题")
    text: str = Field("", title="正文")


class Unit(Part):
    name: str = Field(title="单位名称")
    code: str | None = Field(None, title="单位编码")
    supervisor: str | None = Field(None, title="主管部门")


class Evaluation(Part):
    """部门整体支出绩效自评材料: one unit, one fiscal year."""

    model_config = ConfigDict(title="绩效自评材料", extra="forbid", validate_assignment=True)

    schema_version: Literal[1] = Field(1, title="格式版本")
    unit: Unit = Field(title="单位")
    fiscal_year: int = Field(title="评价年度", ge=2000, le=2100)
    base_data: BaseData = Field(default_factory=BaseData, title="部门整体支出绩效评价基础数据表")
    department_evaluation: DepartmentEvaluation | None = Field(
        None, title="部门整体支出绩效自评表"
    )
    scorecard: list[ScorecardRow] = Field(
        default_factory=list, title="部门整体支出绩效评价指标评分表"
    )
    scorecard_total_stated: Points = Field(None, title="评分表合计（填报）")
    projects: list[ProjectTable] = Field(default_factory=list, title="项目支出绩效自评表")
    narrative: list[NarrativeSection] = Field(default_factory=list, title="自评报告")
    signatures: Signatures = Field(default_factory=Signatures, title="签字栏（基础数据表、评分表）")
