"""Project indicators scored against their own targets (GUIDE §4.1), edge by edge."""

from decimal import Decimal as D

import pytest

from conftest import package
from jixiao.rubric.methods import pct, ratio_score
from jixiao.rubric.score import score_project


def scored(project_rubric, *indicators, funds="{total: {full_year_budget: 10, executed: 10}}"):
    rows = "".join(f"\n          - {row}" for row in indicators) or " []"
    evaluation = package(f"""
    projects:
      - name: 测试项目
        funds: {funds}
        indicators:{rows}
    """)
    return score_project(evaluation.projects[0], project_rubric)


def one(project_rubric, target, actual, level2="数量指标", points=10, score=10):
    row = f"{{level1: 产出指标, level2: {level2}, name: 指标, target: '{target}', actual: '{actual}', points: {points}, score: {score}}}"
    return scored(project_rubric, row).indicators[1]


@pytest.mark.parametrize(
    "target, actual, level2, expected",
    [
        ("≥90%", "81%", "质量指标", D("9.00")),  # 10 × 81 / 90
        ("30次以上", "36次", "数量指标", D("10.00")),
        ("不高于3800元", "4000元", "成本指标", D("9.50")),  # 10 × 3800 / 4000
        ("0次", "2次", "质量指标", D("0.00")),  # a zero target can only mean “no more than”
        ("8小时", "10小时", "时效指标", D("8.00")),  # 时效: less is better
        ("100%", "90%", "时效指标", D("9.00")),  # a rate is “at least” even under 时效
        ("≥80", "73", "数量指标", D("9.13")),  # 9.125 rounds half up
    ],
)
def test_ratio_to_target(project_rubric, target, actual, level2, expected):
    item = one(project_rubric, target, actual, level2)
    assert (item.status, item.score) == ("computed", expected)


@pytest.mark.parametrize(
    "target, actual, reason",
    [
        ("≥90%", "不足90%", "相反方向"),
        ("≥90%", "低于90%", "相反方向"),
        ("每月不超过10万", "120万", "口径不同"),
        ("30次以上", "100%", "单位不一致"),
        ("≧人平收入2倍", "285.33", "人平收入"),
        ("≥3个", "1-2个", "区间类指标"),
    ],
)
def test_what_cannot_be_compared_falls_back_to_the_stated_score(project_rubric, target, actual, reason):
    item = one(project_rubric, target, actual)
    assert item.status == "stated" and item.score == 10
    assert reason in item.explanation


def test_unreadable_numeric_target_is_not_called_qualitative(project_rubric):
    item = one(project_rubric, "办公经费一般每村每年不低于3万元，常住人口在3000人以上的村一般不低于4万元", "114.78")
    assert "指标值无法读出" in item.explanation


def test_points_over_the_rubric_total_are_capped_and_noted(project_rubric):
    rows = [f"{{level1: 产出指标, name: 指标{i}, target: '100%', actual: '100%', points: 30, score: 30}}" for i in range(4)]
    table = scored(project_rubric, *rows)
    assert table.total == 100
    assert any("分值合计 130" in note for note in table.notes)
    assert any("超过总分" in note for note in table.notes)


def test_level_weight_mismatch_is_noted(project_rubric):
    table = scored(project_rubric, "{level1: 产出指标, name: 甲, target: '1', actual: '1', points: 40, score: 40}")
    assert [n for n in table.notes if "一级指标" in n] == ["一级指标分值与评分规则 mof-2020-project 不符：产出指标 40（规则 50）、效益指标 0（规则 40）"]


def test_without_satisfaction_benefits_weigh_40(project_rubric):
    table = scored(project_rubric, "{level1: 效益指标, name: 甲, target: '1', actual: '1', points: 40, score: 40}")
    benefits = next(level for level in table.levels if level.name == "效益指标")
    assert benefits.points == 40


def test_execution_over_budget_is_capped_and_zero_budget_rule(project_rubric):
    over = scored(project_rubric, funds="{total: {full_year_budget: 10, executed: 15}}")
    assert over.execution_rate == D("1.5") and over.indicators[0].score == 10
    nothing = scored(project_rubric, funds="{total: {full_year_budget: 0, executed: 0}}")
    assert nothing.indicators[0].status == "not_applicable"
    spent = scored(project_rubric, funds="{total: {full_year_budget: 0, executed: 3}}")
    assert spent.indicators[0].score == 0


def test_half_up_rounding_everywhere():
    assert pct(D("0.12345")) == "12.35%"
    assert "= 9.13" in ratio_score(D(73), D(80), "at_least", D(10)).rule


@pytest.mark.parametrize(
    "target, actual, score",
    [("≥95%", "96%", "null"), ("≥95%", "90%", "null"), ("良好", "良好", "-3"), ("≥95%", "", "-2"), ("≥95%", "", "3")],
)
def test_negative_points_never_give_a_negative_score(project_rubric, target, actual, score):
    """分值 typed as −5 is not computable; it once scored −5 (full marks of a negative weight)."""
    item = one(project_rubric, target, actual, "质量指标", points=-5, score=score)
    assert item.score is None and item.status == "undetermined", item.explanation
