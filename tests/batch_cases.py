"""Evaluations for the batch differential tests: the examples, the layout-variant corpus, and
the examples with their indicators and funds replaced by the hard cases (every branch of the
project scoring: units of measure, deadlines, ranges, zero targets, blanks, zero budgets)."""

from __future__ import annotations

from decimal import Decimal

from conftest import EXAMPLES
from jixiao.model import Indicator, load_evaluation
from variants.generator import generate

CASES = [  # target, actual, level2, points, stated score
    ("≥90%", "93%", "质量指标", "10", "10"), ("≥90%", "85%", "质量指标", "10", "10"),
    ("≤100万元", "1200000元", "成本指标", "5", "5"), ("≤100万元", "99万元", "成本指标", "5", "4"),
    ("8小时", "1天", "时效指标", "3", "3"), ("1天", "30小时", "时效指标", "3", "2"), ("5小时", "24小时", "数量指标", "3", "3"),
    ("0起", "无", "安全指标", "5", "5"), ("0起", "2起", "安全指标", "5", "5"), ("90-100%", "85%", "质量指标", "3", "3"),
    ("90-100%", "95%", "质量指标", "3", None), ("90-100%", "105%", "质量指标", "3", "3"), ("90%-100%", "90%-100%", "质量指标", "2", "2"),
    ("12月底前", "11月", "时效指标", "4", "4"), ("2023年12月", "2024年1月", "时效指标", "4", "4"),
    ("12月底前", "按时完成", "时效指标", "4", "4"), ("12月底前", "延期完成", "时效指标", "4", "4"), ("12月底前", "已完成", "时效指标", "4", None),
    ("满意", "满意", "满意度指标", "10", "9"), ("", "", "数量指标", "5", "5"), ("30次以上", "", "数量指标", "5", None),
    ("≥人平收入2倍", "3倍", "效益指标", "5", "5"), ("5", "3", "成本指标", "5", "5"), ("3", "5", "成本指标", "5", "5"),
    ("3", "5", "数量指标", "5", "5"), ("100%", "≥95%", "质量指标", "5", "5"), ("≤5%", "≥3%", "质量指标", "5", "5"),
    ("≥24", "5", "数量指标", "3", "3"), ("≥3", "1", "数量指标", "2.5", "2.5"), ("≥7", "3", "数量指标", "2.555", "2.555"),
    ("≥10万亩", "95000亩", "数量指标", "8", "8"), ("≥10亩", "9平方米", "数量指标", "8", "8"), ("≥10", "9", "数量指标", None, "8"),
    ("每月不超过10万", "每月12万", "成本指标", "6", "6"), ("每月不超过10万", "12万", "成本指标", "6", "6"),
    ("≥95%", "96%", "质量指标", "5", "6"), ("≥95%", "90%", "质量指标", "5", "-1"), ("≥0", "0", "数量指标", "5", "5"),
    ("12月前完成", "2023年2月", "时效指标", "4", "2"),  # a month without a year is in the package's 2022: late
]
# a negative budget negates the rate's fraction (on wide integers, which Polars cannot negate)
FUNDS = [("100", "90"), ("0", "0"), ("0", "5"), (None, "5"), ("100", None), ("24", "5"), ("3", "3.5"), ("100", "-5"),
         ("-100", "50")]


def hard_cases() -> list:
    town = load_evaluation(EXAMPLES / "kaiyun-2022.json")
    out = []
    for n, (budget, executed) in enumerate(FUNDS):
        ev = town.model_copy(deep=True)
        ev.unit.name = f"难例单位{n}"
        for k, table in enumerate(ev.projects):
            table.funds.total.full_year_budget = None if budget is None else Decimal(budget)
            table.funds.total.executed = None if executed is None else Decimal(executed)
            chosen = [CASES[(n * 7 + k * 5 + i) % len(CASES)] for i in range(12)]
            table.indicators = [
                Indicator(level1="产出指标" if i % 3 else "效益指标", level2=l2, name=f"指标{i}", target=t or None, actual=a or None,
                          points=None if p is None else Decimal(p), score=None if s is None else Decimal(s),
                          kind="quantitative" if i == 5 else None)
                for i, (t, a, l2, p, s) in enumerate(chosen)]
        out.append(ev)
    return out


def _numbered(seed: int):
    evaluation = generate(seed).expected
    evaluation.unit.code = f"variant-{seed}"  # the corpus reuses unit names; each seed is a unit of its own
    return evaluation


def sample(count: int, start: int = 0) -> list:
    examples = [load_evaluation(EXAMPLES / "kaiyun-2022.json"), load_evaluation(EXAMPLES / "hengyang-2022.json")]
    return examples + hard_cases() + [_numbered(s) for s in range(start, start + count)]


def synth(count: int, start: int = 0) -> list:
    """Generated evaluations (tests/synth), each a unit of its own: the generator reuses unit
    names and years, and a package of the same unit and year replaces the earlier one."""
    from synth import corpus

    out = []
    for seed, evaluation in enumerate(corpus(count, start), start):
        evaluation.unit.code = f"synth-{seed}"
        out.append(evaluation)
    return out
