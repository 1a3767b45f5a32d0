"""Targets and actuals in any unit of measure (issue 11, item 1): a missed 500 批次 target is a
missed target, whatever the unit is called; two units compare when the table (units.yaml)
says how."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, package
from jixiao.rubric.score import score_package, score_project
from jixiao.rubric.units import conversion
from jixiao.model.values import parse_value
from test_score_project import one


@pytest.mark.parametrize(
    "target, actual, level2, met, missed",
    [
        # (target, actual that meets it, actual that misses it) in units no fixed list knows
        ("≥500批次", "520批次", "数量指标", "460批次", D("9.20")),  # 10 × 460 / 500
        ("≤5个工作日", "4个工作日", "时效指标", "8个工作日", D("6.25")),  # 10 × 5 / 8
        ("≥120万头（只）", "125万头（只）", "数量指标", "96万头（只）", D("8.00")),
        ("≥2万亩", "2.3万亩", "数量指标", "1.5万亩", D("7.50")),
        ("≥50公斤", "52公斤", "数量指标", "40公斤", D("8.00")),
        ("≤120元/人·年", "110元/人·年", "成本指标", "150元/人·年", D("8.00")),
        ("≥3篇", "3篇", "质量指标", "2篇", D("6.67")),
        ("10个工作日内", "7个工作日", "时效指标", "20个工作日", D("5.00")),
    ],
)
def test_any_unit_is_scored_met_and_missed(project_rubric, target, actual, level2, met, missed):
    full = one(project_rubric, target, actual, level2)
    assert (full.status, full.score) == ("computed", D("10.00")), full.explanation
    short = one(project_rubric, target, met, level2)
    assert (short.status, short.score) == ("computed", missed), short.explanation


def test_a_zero_target_in_any_unit_is_no_more_than(project_rubric):
    assert one(project_rubric, "0起", "0起", "质量指标").score == 10
    assert one(project_rubric, "0起", "2起", "质量指标").score == 0


@pytest.mark.parametrize(
    "target, actual, expected, note",
    [
        ("≥2万亩", "23000亩", D("10.00"), "1亩 = 0.0001万亩"),
        ("≥2万亩", "15000亩", D("7.50"), "换算"),
        ("≥5公里", "4000米", D("8.00"), "1米 = 0.001公里"),
        ("≥100万元", "0.8亿元", D("10.00"), "1亿元 = 10000万元"),
    ],
)
def test_units_a_prefix_or_a_quantity_apart_are_converted_and_said_so(project_rubric, target, actual, expected, note):
    item = one(project_rubric, target, actual)
    assert (item.status, item.score) == ("computed", expected)
    assert note in item.explanation


@pytest.mark.parametrize(
    "target, actual",
    [("≤5天", "4个工作日"), ("≥500批次", "500次"), ("≥3篇", "3份")],
)
def test_units_that_do_not_compare_are_said_so_and_never_graded(project_rubric, target, actual):
    item = one(project_rubric, target, actual)
    assert item.status == "stated" and "单位不一致" in item.explanation


@pytest.mark.parametrize(
    "text, reason",
    [("3个工作日内办结", "数字后"), ("100%完成", "数字后"), ("20人左右", "约数"), ("20次，完成", "数字后"), ("12月中旬前", "不到月底")],
)
def test_a_clause_after_a_figure_is_not_a_unit(text, reason):
    value = parse_value(text)
    assert value.kind == "unparsed" and reason in value.reason


UNITS = st.sampled_from(["批次", "个工作日", "起", "万头(只)", "公斤", "元/人·年", "篇", "家", "%", "个百分点"])
PAIRS = st.sampled_from([("万亩", "亩"), ("万元", "元"), ("亿元", "万元"), ("公里", "米"), ("吨", "公斤"), ("万人", "人")])


@settings(max_examples=60, deadline=None)
@given(unit=UNITS, target=st.integers(1, 10_000), low=st.integers(0, 20_000), high=st.integers(0, 20_000))
def test_scoring_is_monotonic_in_the_actual_for_every_unit(project_rubric, unit, target, low, high):
    low, high = sorted((low, high))
    for word in ("≥", "≤"):
        level2 = "数量指标" if word == "≥" else "成本指标"
        a = one(project_rubric, f"{word}{target}{unit}", f"{low}{unit}", level2).score
        b = one(project_rubric, f"{word}{target}{unit}", f"{high}{unit}", level2).score
        assert (a <= b) if word == "≥" else (a >= b or low == 0)


@settings(max_examples=60, deadline=None)
@given(pair=PAIRS, target=st.integers(1, 1000), low=st.integers(0, 2000), high=st.integers(0, 2000))
def test_scoring_is_monotonic_across_a_prefix_or_quantity_pair(project_rubric, pair, target, low, high):
    big, small = pair
    low, high = sorted((low, high))
    scale = conversion(big, small)
    a = one(project_rubric, f"≥{target}{big}", f"{low * scale}{small}").score
    b = one(project_rubric, f"≥{target}{big}", f"{high * scale}{small}").score
    assert a <= b
    same = one(project_rubric, f"≥{target}{big}", f"{low}{big}").score
    assert a == same  # the same amount in either unit scores the same


def test_a_missed_target_kept_at_full_points_is_an_error_whatever_its_unit(department_rubric, project_rubric):
    """460 of 500 批次 with its full 15 points: an error, where it used to pass unseen."""
    from conftest import package
    from jixiao.audit.report import audit

    evaluation = package("""
    projects:
      - name: 抽检项目
        funds: {total: {full_year_budget: 10, executed: 10}}
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 抽检批次, target: '≥500批次', actual: '460批次', points: 15, score: 15}
    """)
    report = audit(evaluation, department_rubric, project_rubric, [], "x")
    [finding] = [f for f in report.findings if f.code == "rules.full-points-missed-target"]
    assert finding.severity == "error" and "13.80" in finding.message


@pytest.mark.parametrize(
    "target, actual, status",
    [
        ("12月底前", "12月底前", "computed"),
        ("12月底前", "11月", "computed"),  # a bare month the actual names is a date here
        ("12月底前", "2023年11月完成", "computed"),
        ("2023年12月完成", "2023年12月", "computed"),
        ("12月底前", "按时完成", "computed"),
        ("6月底前", "已提前完成", "computed"),
        ("6月底前", "2023年9月", "undetermined"),  # late: said, never graded
        ("6月底前", "未按期完成", "undetermined"),
        ("12月底前", "完成", "undetermined"),  # no time to compare
    ],
)
def test_deadlines_against_dates_and_words(project_rubric, target, actual, status):
    item = one(project_rubric, target, actual, "时效指标")
    assert item.status == ("stated" if status == "undetermined" else status), item.explanation
    if status == "computed":
        assert item.score == 10
    else:
        assert "人工评定" in item.explanation


@pytest.mark.parametrize(
    "target, actual, level2",
    [
        ("≥1季度", "3个月", "数量指标"),  # 3 × 0.333…季度 fell short by 10⁻²⁸ and lost a point's fraction
        ("≤7天", "168小时", "时效指标"),  # 168 × 0.041666…7天 came out over 7
        ("≥3年", "36个月", "数量指标"),
        ("≤2天", "48小时", "时效指标"),
    ],
)
def test_the_same_quantity_in_another_unit_meets_its_target_exactly(project_rubric, target, actual, level2):
    item = one(project_rubric, target, actual, level2, score="null")
    assert (item.status, item.score, item.deduction) == ("computed", D(10), 0), item.explanation
    assert "换算" in item.explanation and "未达目标" not in item.explanation


@pytest.mark.parametrize(
    "target, actual, status",
    [
        ("12月底前", "2023年3月", "undetermined"),  # the next year's March is late
        ("10月底前", "2023年1月完成", "undetermined"),
        ("12月底前", "2022年11月", "computed"),
        ("2022年12月", "11月", "computed"),  # a bare month is in the evaluated year
        ("2021年12月", "11月", "undetermined"),
    ],
)
def test_a_deadline_without_a_year_is_in_the_evaluated_year(project_rubric, target, actual, status):
    evaluation = package(f"""
    fiscal_year: 2022
    projects:
      - name: 测试项目
        funds: {{total: {{full_year_budget: 10, executed: 10}}}}
        indicators:
          - {{level1: 产出指标, level2: 时效指标, name: 完成时间, target: '{target}', actual: '{actual}', points: 10}}
    """)
    item = score_package(evaluation, None, project_rubric).projects[0].indicators[1]
    assert item.status == status, item.explanation


def test_a_deadline_is_a_time_not_a_count_of_months():
    assert parse_value("12月底前").kind == "deadline" and parse_value("12月").kind == "number"
    assert (parse_value("2023年11月完成").year, parse_value("2023年11月完成").number) == (2023, D(11))


@pytest.mark.parametrize(
    "target, actual, expected",
    [
        ("不低于95%且≤100%", "97%", D("10.00")),
        ("95%-100%", "100%", D("10.00")),
        ("不低于95%且≤100%", "76%", D("8.00")),  # below: 10 × 76 / 95
        ("≥95%且≤100%", "125%", D("8.00")),  # above: 10 × 100 / 125
    ],
)
def test_a_target_range_scores_an_actual_inside_it_full_and_outside_it_by_the_nearer_bound(project_rubric, target, actual, expected):
    item = one(project_rubric, target, actual, "质量指标")
    assert (item.status, item.score) == ("computed", expected), item.explanation


@pytest.mark.parametrize("actual, expected", [("无", D(10)), ("0起", D(10)), ("未发生", D(10)), ("1起", D(0))])
def test_a_zero_target_is_met_by_none_in_words(project_rubric, actual, expected):
    item = one(project_rubric, "0起", actual, "质量指标")
    assert (item.status, item.score) == ("computed", expected), item.explanation


def test_days_and_working_days_compare_only_when_the_rubric_says_so(project_rubric, write_rubric):
    table = package("""
    projects:
      - name: 办件
        funds: {total: {full_year_budget: 10, executed: 10}}
        indicators:
          - {level1: 产出指标, level2: 时效指标, name: 办结时限, target: '≤5个工作日', actual: '6天', points: 10, score: 10}
    """).projects[0]
    national = score_project(table, project_rubric).indicators[1]
    assert national.status == "stated" and "单位不一致" in national.explanation
    text = (ROOT / "src" / "jixiao" / "rubrics" / "mof-2020-project.yaml").read_text(encoding="utf-8")
    text = text.replace("id: mof-2020-project", "id: days").replace(
        "    at_most_level2: [成本指标, 时效指标]", "    at_most_level2: [成本指标, 时效指标]\n    same_units: [[天, 个工作日, 工作日]]")
    item = score_project(table, write_rubric(text, "days")).indicators[1]
    assert (item.status, item.score) == ("computed", D("8.33"))  # 10 × 5 / 6
    assert "按评分规则，“天”与“个工作日”视为同一单位" in item.explanation
