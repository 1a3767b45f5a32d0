"""Department scoring-table rules on small packages written like the forms."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from conftest import package
from jixiao.rubric.loader import find_rubric
from jixiao.rubric.score import score_department

CONSISTENT = """
base_data:
  staffing: {authorized: 50, actual: 52}
  public_funds: {budget: 100, final: 103.5}
  three_public: {total: {prior_final: 10, budget: 10.3, final: 9}}
  procurement: {budget: 200, final: 180}
  execution: {carried_over: 20, initial_budget: 1000, supplementary: 150, year_end_balance: 80}
  buildings:
    - {name: 办公楼, approved_area: 1000, actual_area: 1060, approved_investment: 500, actual_investment: 500}
scorecard:
  - {name: 管理制度健全性, points: 8, answer: {items: [true, true, false, true]}}
  - {name: 资金使用合规性, points: 6, answer: {value: 2}}
  - {name: 预决算信息公开性, points: 5, answer: {items: [true, true, true, true, true]}}
  - {name: 重点工作实际完成率, points: 8, answer: {value: 45, out_of: 50}}
  - {name: 经济效益, points: 10, answer: {score: 8, justification: 带动就业 300 人}}
  - {name: 行政效能, points: 6, answer: {level: 一般}}
  - {name: 社会公众或服务对象满意度, points: 6, answer: {value: 85}}
"""

EXPECTED = {
    "staff_control_rate": D("3.00"),  # 104%: 4 whole points over × 0.5
    "three_public_change_rate": D("2.60"),  # +3%: 3 × 0.8
    "budget_completion_rate": D("3.00"),  # (1170 - 80) / 1170 = 93.16%: one whole 5% step = −2
    "budget_control_rate": D("3.00"),  # 150 / 1000 = 15%
    "building_area_rate": D("3.00"),  # 106%: one whole 5% step over
    "building_investment_rate": D("5.00"),
    "public_funds_control_rate": D("5.00"),  # 103.5%: 3 whole points over
    "three_public_control_rate": D("7.00"),
    "procurement_rate": D("2.00"),  # 90%: two 5% steps below
    "management_systems": D("6.00"),
    "fund_compliance": D("4.00"),
    "disclosure": D("5.00"),
    "key_work_completion": D("7.20"),
    "benefits": D("8.00"),
    "administrative_efficiency": D("3.00"),
    "public_satisfaction": D("4.00"),
}


def test_every_rule_of_the_table_on_a_complete_package(department_rubric):
    scored = score_department(package(CONSISTENT), department_rubric)
    got = {i.id: i.score for i in scored.indicators}
    assert got == EXPECTED
    assert all(i.status == "computed" for i in scored.indicators)
    assert scored.total == sum(EXPECTED.values()) and scored.grade == "中"


def test_manual_score_without_justification_is_not_accepted(department_rubric):
    text = CONSISTENT.replace("justification: 带动就业 300 人", "justification: ''")
    benefits = next(i for i in score_department(package(text), department_rubric).indicators if i.id == "benefits")
    assert benefits.status == "undetermined" and benefits.score is None
    assert "缺少评分理由" in benefits.explanation


def test_stated_score_used_only_when_data_are_missing_and_marked(department_rubric):
    scored = score_department(package("scorecard: [{name: 预算控制率, points: 5, score: 4}]"), department_rubric)
    control = next(i for i in scored.indicators if i.id == "budget_control_rate")
    assert (control.status, control.score) == ("stated", D(4))
    assert not scored.complete  # other rows have no score at all


def test_stated_score_above_its_points_is_capped(department_rubric):
    scored = score_department(package("scorecard: [{name: 经济效益, points: 10, score: 12}]"), department_rubric)
    benefits = next(i for i in scored.indicators if i.id == "benefits")
    assert benefits.score == 10 and "超过分值" in benefits.explanation


def test_not_applicable_indicator_rescales_the_total(department_rubric):
    text = CONSISTENT.replace("initial_budget: 1000", "initial_budget: 0").replace(
        "{carried_over: 20, initial_budget: 0, supplementary: 150, year_end_balance: 80}",
        "{carried_over: 0, initial_budget: 0, supplementary: 0, year_end_balance: 0}",
    )
    scored = score_department(package(text), department_rubric)
    statuses = {i.id: i.status for i in scored.indicators}
    assert statuses["budget_completion_rate"] == statuses["budget_control_rate"] == "not_applicable"
    assert scored.applicable_points == 90
    raw = sum(i.score for i in scored.indicators if i.score is not None)
    assert scored.total == (raw * 100 / 90).quantize(D("0.01"))


def test_spending_with_nothing_budgeted_scores_zero(department_rubric):
    text = CONSISTENT.replace("procurement: {budget: 200, final: 180}", "procurement: {budget: 0, final: 30}")
    scored = score_department(package(text), department_rubric)
    procurement = next(i for i in scored.indicators if i.id == "procurement_rate")
    assert procurement.score == 0 and "分母为 0，按规则不得分" in procurement.explanation


def test_blank_is_not_zero(department_rubric):
    text = CONSISTENT.replace("public_funds: {budget: 100, final: 103.5}", "public_funds: {budget: 100}")
    funds = next(i for i in score_department(package(text), department_rubric).indicators if i.id == "public_funds_control_rate")
    assert funds.status == "undetermined" and "实际公用经费" in funds.explanation


@given(st.decimals(min_value=0, max_value=10**6, places=2), st.sampled_from(["procurement_rate", "public_funds_control_rate"]))
def test_zero_denominator_rule_is_honoured(spent, ident):
    """The shipped table: nothing budgeted and nothing spent is full marks; spending anyway is zero."""
    field = {"procurement_rate": "procurement", "public_funds_control_rate": "public_funds"}[ident]
    rubric = find_rubric("hengshan-2022-department")
    scored = score_department(package(f"base_data: {{{field}: {{budget: 0, final: '{spent}'}}}}"), rubric)
    result = next(i for i in scored.indicators if i.id == ident)
    assert result.status == "computed"
    assert result.score == (result.points if spent == 0 else 0)
