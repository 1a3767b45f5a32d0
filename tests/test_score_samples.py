"""The two real packages, scored: the figures a finance officer can check by hand."""

from decimal import ROUND_DOWN
from decimal import Decimal as D

import pytest

from jixiao.rubric.score import score_package, score_project


@pytest.fixture(scope="module")
def town(kaiyun, department_rubric, project_rubric):
    return score_package(kaiyun, department_rubric, project_rubric)


@pytest.fixture(scope="module")
def city(hengyang, department_rubric, project_rubric):
    return score_package(hengyang, department_rubric, project_rubric)


def by_id(table):
    return {i.id: i for i in table.indicators}


# Every indicator of the town scoring table whose value its base data determine.
DETERMINED = {
    "staff_control_rate": D(5),
    "three_public_change_rate": D(5),  # the sample says 8 against a weight of 5
    "building_area_rate": D(5),  # no 楼堂馆所 project: full marks
    "building_investment_rate": D(5),
    "public_funds_control_rate": D(8),
    "three_public_control_rate": D(7),
    "procurement_rate": D(6),  # nothing budgeted, nothing bought
}


def test_town_indicators_the_data_determine(town):
    results = by_id(town.department)
    for ident, expected in DETERMINED.items():
        assert results[ident].status == "computed", ident
        assert results[ident].score == expected, ident
    assert results["three_public_change_rate"].stated_score == 8
    for ident in set(results) - set(DETERMINED):
        assert results[ident].status == "stated", ident
        assert results[ident].score == results[ident].stated_score


def test_town_department_total_and_grade(town):
    dept = town.department
    assert (dept.stated_total, dept.stated_sum) == (D(93), D(93))
    # 7 of 16 indicators (41 of 100 points) are decided by the figures; the other 59 points are
    # the unit's own scores, so the rescore gives no total and no grade rather than 90 优.
    assert dept.complete and (dept.total, dept.grade) == (None, None)
    cover = dept.coverage
    assert (cover.computed, cover.indicators, cover.points_computed, cover.points, cover.score) == (7, 16, 41, 100, 41)
    assert "按数据核算 7/16 项指标、41/100 分（41%）" in dept.undetermined and "60%" in dept.undetermined
    assert (dept.total_shown, dept.grade_shown) == ("无法核算", "无法核算")
    assert [(lv.name, lv.score) for lv in dept.levels] == [("投入", 10), ("过程", 50), ("产出及效率", 30)]


def test_town_explanations_show_formula_figures_and_rule(town):
    staff = by_id(town.department)["staff_control_rate"]
    assert staff.substituted == "98 ÷ 150" and staff.value == "65.33%"
    assert "在职人数 / 编制数 = 98 ÷ 150 = 65.33%" in staff.explanation
    change = by_id(town.department)["three_public_change_rate"]
    assert "(1 - 3.6) ÷ 3.6 = -72.22%" in change.explanation
    completion = by_id(town.department)["budget_completion_rate"]
    assert "缺少数据：上年结转、年初预算、本年追加、年末结余" in completion.explanation
    assert "采用填报得分 0 分" in completion.explanation


def test_town_project_tables_total_92_and_94_and_the_rescore_differs_only_where_explained(town):
    assert [(p.stated_total, p.stated_sum) for p in town.projects] == [(D(92), D(92)), (D(94), D(94))]
    for table in town.projects:
        changed = {i.name: i.score - i.stated_score for i in table.indicators if i.score != i.stated_score}
        assert table.total - table.stated_total == sum(changed.values())
    # village: execution 6 → 5.79 (57.94%, not the printed 60%), 完成时间 4 → 5 (1-12月 met)
    assert {k: str(v) for k, v in changed_of(town.projects[0]).items()} == {"预算执行率": "-0.21", "完成时间": "1.00"}
    # community: execution 7 → 7.00, 完成时间 4 → 5, satisfaction 10 → 9 (90% against 100%)
    assert {k: str(v) for k, v in changed_of(town.projects[1]).items()} == {"完成时间": "1.00", "服务对象满意度高": "-1.00"}


def changed_of(table):
    return {i.name: i.score - i.stated_score for i in table.indicators if i.score != i.stated_score}


def test_town_projects_rescored(town):
    village, community = town.projects
    assert village.execution_rate.quantize(D("0.0001")) == D("0.5794")
    execution = village.indicators[0]
    assert execution.score == D("5.79") and execution.stated_score == 6
    timing = next(i for i in village.indicators if i.name == "完成时间")
    assert timing.status == "computed" and timing.score == 5 and timing.stated_score == 4
    satisfaction = community.indicators[-1]
    assert satisfaction.score == 9 and satisfaction.stated_score == 10  # 90% against a 100% target
    assert (village.total, community.total) == (D("92.79"), D("94.00"))


def test_relative_target_falls_back_to_stated(town):
    pay = next(i for i in town.projects[0].indicators if i.name == "村干部基本报酬")
    assert pay.status == "stated" and "人平收入" in pay.explanation


# Rates the city printed on 年初预算数 instead of 全年预算数. (其他补助经费… prints 248.04%, which
# is neither base: 418.45 / 16.87 is 2480.43%.)
CITY_RATES_ON_WRONG_BASE = {
    "大院保维护费、会务中心维护费": D("136.58"),
    "水电补助": D("164.58"),
    "物业管理费": D("146.5"),
}


def test_city_execution_rates_are_recomputed_on_the_full_year_budget(hengyang, project_rubric):
    seen = set()
    for table in hengyang.projects:
        if table.name not in CITY_RATES_ON_WRONG_BASE:
            continue
        seen.add(table.name)
        scored = score_project(table, project_rubric)
        funds = table.funds.total
        assert scored.execution_rate == funds.executed / funds.full_year_budget == 1
        # the units truncated rather than rounded (185.16 / 112.5 = 164.586…% printed 164.58%)
        wrong_base = (funds.executed / funds.initial_budget * 100).quantize(D("0.01"), ROUND_DOWN)
        assert wrong_base == CITY_RATES_ON_WRONG_BASE[table.name] == table.execution.rate_stated
        assert scored.indicators[0].score == 10
    assert seen == set(CITY_RATES_ON_WRONG_BASE)


def test_city_department_table_scored_in_project_form(city):
    dept = city.department
    assert dept.rubric == "mof-2020-project"
    assert dept.execution_rate.quantize(D("0.0001")) == D("1.8106")  # stated 143.91%
    assert dept.stated_total is None and dept.total is None and dept.grade is None
    assert (dept.coverage.computed, dept.coverage.indicators, dept.coverage.points_computed) == (6, 15, 35)
    output = next(lv for lv in dept.levels if lv.name == "产出指标")
    assert (output.points, output.stated_points) == (50, 50)


def test_city_count_target_against_percent_actual_is_not_compared(city):
    inspections = next(i for i in city.department.indicators if i.name == "督查督办次数")
    assert inspections.status == "stated"
    assert "单位不一致" in inspections.explanation


def test_forced_quantitative_indicator_with_unreadable_target(project_rubric):
    from conftest import package

    evaluation = package("""
    projects:
      - name: 测试项目
        funds: {total: {full_year_budget: 10, executed: 10}}
        indicators:
          - {level1: 产出指标, name: 面积, kind: quantitative, target: 会务中心5666平方米，大院67931平方米, actual: 100%, points: 15, score: 15}
    """)
    item = score_project(evaluation.projects[0], project_rubric).indicators[1]
    assert item.status == "stated" and "无法读出数值" in item.explanation
