"""Every scoring method: worked examples from the rubrics, and properties over all inputs."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.rubric.methods import (
    Bands,
    Checklist,
    DeductPerCount,
    External,
    Levels,
    Manual,
    Ratio,
    Threshold,
    ZeroRule,
    ratio_score,
)

rates = st.decimals(min_value=-5, max_value=5, places=4, allow_nan=False, allow_infinity=False)
points = st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False)


def threshold(**kw):
    return Threshold.model_validate({"method": "threshold", **kw})


@pytest.mark.parametrize(
    "stepping, rate, expected",
    [
        ("whole", "1.0099", "5"),  # less than one whole step over
        ("whole", "1.01", "4.5"),
        ("whole", "1.0199", "4.5"),
        ("whole", "1.0299", "4.0"),
        ("partial", "1.0001", "4.5"),  # any part of a step counts
        ("partial", "1.02", "4.0"),
        ("proportional", "1.005", "4.75"),
        ("whole", "1.5", "0"),  # floored at zero
    ],
)
def test_threshold_at_most_steps(stepping, rate, expected):
    method = threshold(direction="at_most", limit="100%", step="1%", deduction="0.5", stepping=stepping)
    assert method.apply(D(rate), D(5)).score == D(expected)


def test_threshold_at_least_and_both():
    completion = threshold(direction="at_least", limit="100%", step="5%", deduction=2, stepping="whole")
    assert completion.apply(D("0.89"), D(5)).score == D(1)  # 11% below: two whole steps
    procurement = threshold(direction="both", limit="100%", step="5%", deduction=2, stepping="whole")
    assert procurement.apply(D("1.10"), D(6)).score == D(2)
    assert procurement.apply(D("0.90"), D(6)).score == D(2)


def test_three_public_change_rate_uses_corrected_weight():
    method = threshold(direction="at_most", limit="0%", step="1%", deduction="0.8", stepping="whole")
    assert method.apply(D("-0.7222"), D(5)).score == D(5)
    assert method.apply(D("0.03"), D(5)).score == D("2.6")


@given(rates, rates, points, st.sampled_from(["at_most", "at_least", "both"]), st.sampled_from(["whole", "partial", "proportional"]))
def test_threshold_within_points_and_monotonic(a, b, pts, direction, stepping):
    method = threshold(direction=direction, limit=1, step="0.05", deduction=2, stepping=stepping)
    sa, sb = method.apply(a, pts).score, method.apply(b, pts).score
    assert D(0) <= sa <= pts and D(0) <= sb <= pts
    lo, hi = sorted((a, b))
    s_lo, s_hi = method.apply(lo, pts).score, method.apply(hi, pts).score
    if direction == "at_most":
        assert s_lo >= s_hi
    elif direction == "at_least":
        assert s_lo <= s_hi


BUDGET_CONTROL = Bands.model_validate(
    {
        "method": "bands",
        "bands": [
            {"eq": 0, "points": 5},
            {"gt": 0, "le": "10%", "points": 4},
            {"gt": "10%", "le": "20%", "points": 3},
            {"gt": "20%", "le": "30%", "points": 2},
            {"gt": "30%", "points": 0},
        ],
    }
)


@pytest.mark.parametrize("rate, expected", [("0", 5), ("0.0001", 4), ("0.10", 4), ("0.1001", 3), ("0.30", 2), ("0.31", 0)])
def test_bands_respect_inclusive_bounds(rate, expected):
    assert BUDGET_CONTROL.apply(D(rate), D(5)).score == expected


def test_bands_outside_every_band_is_undetermined():
    assert BUDGET_CONTROL.apply(D("-0.05"), D(5)).score is None


@given(rates, rates)
def test_bands_within_points_and_monotonic(a, b):
    lo, hi = sorted((max(a, D(0)), max(b, D(0))))
    s_lo, s_hi = BUDGET_CONTROL.apply(lo, D(5)).score, BUDGET_CONTROL.apply(hi, D(5)).score
    assert 0 <= s_hi <= s_lo <= 5


def test_band_needs_a_bound_and_one_per_side():
    with pytest.raises(ValueError):
        Bands.model_validate({"method": "bands", "bands": [{"points": 1}]})
    with pytest.raises(ValueError):
        Bands.model_validate({"method": "bands", "bands": [{"gt": 0, "ge": 0, "points": 1}]})


@given(rates.filter(lambda r: r >= 0), rates.filter(lambda r: r >= 0), points)
def test_ratio_capped_and_monotonic(a, b, pts):
    lo, hi = sorted((a, b))
    at_least = Ratio(method="ratio", direction="at_least", target=D(1))
    assert D(0) <= at_least.apply(lo, pts).score <= at_least.apply(hi, pts).score <= pts
    at_most = Ratio(method="ratio", direction="at_most", target=D(1))
    assert pts >= at_most.apply(lo, pts).score >= at_most.apply(hi, pts).score >= 0


def test_ratio_to_target_examples():
    assert ratio_score(D(90), D(100), "at_least", D(10)).score == D(9)
    assert ratio_score(D(4000), D(3800), "at_most", D(5)).score == D(5) * D(3800) / D(4000)
    assert ratio_score(D(120), D(100), "at_least", D(10)).score == D(10)
    assert ratio_score(D(0), D(0), "at_least", D(10)).score == D(10)


QUALITATIVE = Levels.model_validate(
    {
        "method": "levels",
        "levels": [
            {"name": "达成年度指标", "min": "80%", "max": "100%"},
            {"name": "部分达成并具有一定效果", "min": "60%", "max": "80%"},
            {"name": "未达成且效果较差", "min": "0%", "max": "60%"},
        ],
    }
)
EFFICIENCY = Levels.model_validate(
    {"method": "levels", "levels": [{"name": "效果较好", "points": 6, "aliases": ["较好"]}, {"name": "一般", "points": 3}]}
)


def test_levels_fixed_points_and_ranges():
    assert EFFICIENCY.apply_level("较好", None, D(6)).score == 6
    assert EFFICIENCY.apply_level("一般", None, D(6)).score == 3
    assert EFFICIENCY.apply_level("很好", None, D(6)).score is None
    assert QUALITATIVE.apply_level("达成年度指标", D(9), D(10)).score == 9
    assert QUALITATIVE.apply_level("达成年度指标", D(7), D(10)).score is None  # outside 8–10
    assert QUALITATIVE.band_of(D(7), D(10)).name == "部分达成并具有一定效果"


@given(points, st.decimals(min_value=0, max_value=1, places=3))
def test_qualitative_band_contains_the_score(pts, share):
    score = pts * share
    band = QUALITATIVE.band_of(score, pts)
    if pts > 0:
        assert band is not None and pts * band.min <= score <= pts * band.max


SYSTEMS = Checklist.model_validate({"method": "checklist", "items": [{"text": f"第{i}项", "points": 2} for i in range(4)]})


@given(st.lists(st.booleans(), min_size=4, max_size=4))
def test_checklist_sums_items_met(met):
    assert SYSTEMS.apply_items(met, D(8)).score == 2 * sum(met)


def test_checklist_wrong_number_of_answers_is_undetermined():
    assert SYSTEMS.apply_items([True], D(8)).score is None


@given(st.integers(min_value=0, max_value=20))
def test_deduct_per_count_floored(count):
    score = DeductPerCount(method="deduct_per_count", per=D(1)).apply(D(count), D(6)).score
    assert score == max(6 - count, 0)


@given(st.decimals(min_value=0, max_value=2, places=3))
def test_external_conversion_within_points(share):
    external = External(method="external", score="answer.value", out_of="answer.out_of")
    assert D(0) <= external.apply(share, D(8)).score <= D(8)


def test_external_conversion_example():
    external = External(method="external", score="answer.value", out_of="answer.out_of")
    assert external.apply(D(45) / D(50), D(8)).score == D("7.2")


def test_manual_requires_justification_and_range():
    manual = Manual(method="manual")
    assert manual.apply_manual(D(8), None, D(10)).score is None
    assert manual.apply_manual(D(8), "  ", D(10)).score is None
    assert manual.apply_manual(D(11), "理由", D(10)).score is None
    assert manual.apply_manual(D(8), "带动就业 300 人", D(10)).score == 8


def test_zero_rule_shorthand_and_split():
    assert ZeroRule.model_validate("full").outcome(numerator_zero=False) == "full"
    split = ZeroRule.model_validate({"zero_over_zero": "full", "nonzero_over_zero": "zero"})
    assert split.outcome(numerator_zero=True) == "full"
    assert split.outcome(numerator_zero=False) == "zero"
