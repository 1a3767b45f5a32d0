"""Per-package engine bugs the batch differential found: a ratio is divided once, after the
product, and units of measure are converted without dividing."""

from decimal import Decimal

from jixiao.model import Indicator, ProjectTable
from jixiao.rubric.choose import project_rubrics
from jixiao.rubric.methods import ratio_score
from jixiao.rubric.score import score_project


def test_points_times_a_ratio_is_divided_once():
    # 3 × (5 ÷ 24) rounded first is 0.62499…, which rounds to 0.62; the score is 0.625 → 0.63
    assert ratio_score(Decimal(5), Decimal(24), "at_least", Decimal(3)).score == Decimal("0.625")


def _table(target: str, actual: str, level2: str = "时效指标", points: str = "3") -> ProjectTable:
    return ProjectTable(name="项目", indicators=[Indicator(level1="产出指标", level2=level2, name="办结时限", target=target,
                                                           actual=actual, points=Decimal(points))])


def test_months_against_a_year_compare_without_a_repeating_decimal():
    table = score_project(_table("≥1年", "5个月", "数量指标", "1.5"), project_rubrics().default)
    # 1.5 × 5 ÷ 12 = 0.625 exactly; through 1 个月 = 0.08333… 年 it came out 0.62
    assert table.indicators[1].score == Decimal("0.63")


def test_a_day_against_thirty_hours_scores_target_over_actual():
    table = score_project(_table("1天", "30小时"), project_rubrics().default)
    assert table.indicators[1].score == Decimal("2.40")  # 3 × 24 ÷ 30
