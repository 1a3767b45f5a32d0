"""The synthetic-evaluation generator (tests/synth): deterministic, reaching every scoring
branch of every shipped rubric, and every package it makes scores, audits and round-trips."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

import synth
from jixiao.audit.report import audit
from jixiao.model import Evaluation, dump_evaluation, parse_evaluation
from jixiao.rubric.loader import find_rubric
from jixiao.rubric.score import score_package
from synth.branches import keys

TESTS = Path(__file__).resolve().parent
SEEDS = range(300)
DEPARTMENT, PROJECT = synth.RUBRICS
COMPUTED = {"full", "partial", "zero"}
NOT_DECIDED = {"stated", "undetermined"}
# What each method can come to, beyond the stated / undetermined every rule reaches on blank data.
REACHABLE = {
    "threshold": COMPUTED,
    "bands": COMPUTED,
    "checklist": COMPUTED,
    "deduct_per_count": COMPUTED,
    "external": COMPUTED | {"not_applicable"},
    "manual": COMPUTED,
    "levels": COMPUTED,
    "ratio": COMPUTED | {"not_applicable"},
    "ratio_to_target": COMPUTED,
}
PROJECT_RUBRICS = ["mof-2020-project", "sichuan-2023-project", "decision-process-project", "chongqing-2021-department"]
RUBRICS = {r: find_rubric(r).rubric for r in [DEPARTMENT.rubric.id, *PROJECT_RUBRICS]}
# The branches of a unit's own project indicators, by the rule that applied (synth/branches.py).
PROJECT_DETAILS = {
    "met_at_least", "met_at_most", "proportional", "range_in", "range_out", "range_same", "range_other", "relative",
    "target_unreadable", "actual_unreadable", "opposite", "units_differ", "unknown_unit", "per_differs",
    "converted", "one_unit", "adjusted", "deadline_met", "deadline_words", "deadline_late", "deadline_late_words",
    "deadline_unknown", "no_points", "level_no_score", "level_band", "level_out", "unparsed_qualitative",
}
DEPARTMENT_DETAILS = {
    "within_limit", "steps", "band", "zero_over_zero", "over_zero", "blank", "checklist", "items_missing", "count",
    "bad_count", "external", "manual", "no_justification", "manual_out_of_range", "level", "unknown_level",
}
# Checks that must both fire on some packages and stay quiet on others.
BOTH_WAYS = [
    "arithmetic.funds-by-source", "arithmetic.score-total", "arithmetic.points-total", "arithmetic.projects-sum",
    "arithmetic.three-public-parts", "arithmetic.items-exceed-total", "arithmetic.rate-vs-amounts",
    "agreement.base-vs-project", "agreement.department-vs-base", "agreement.narrative-vs-base", "agreement.headcount",
    "rules.score-above-points", "rules.score-not-given", "rules.full-points-missed-target", "rules.over-execution",
    "rules.rate-base", "rules.level-weights", "quality.missing-deviation", "quality.target-too-low",
    "quality.actual-not-comparable", "quality.type-mismatch",
]


@pytest.fixture(scope="module")
def packages() -> list[Evaluation]:
    return list(synth.corpus(len(SEEDS), SEEDS.start))


@pytest.fixture(scope="module")
def scored(packages):
    return [score_package(e, DEPARTMENT, PROJECT) for e in packages]


def test_same_seed_same_package_and_seeds_differ(packages):
    for seed in (0, 1, 17, 299):
        assert dump_evaluation(synth.evaluation(seed)) == dump_evaluation(packages[seed])
    assert len({dump_evaluation(e) for e in packages[:50]}) == 50
    assert synth.evaluation(5, edge=0.9) != synth.evaluation(5)


def test_same_seed_same_package_in_another_process(packages):
    """Nothing may hang on set or dict order, which changes with the hash seed of a process."""
    script = "import sys, synth; from jixiao.model import dump_evaluation; sys.stdout.write(''.join(dump_evaluation(e) for e in synth.corpus(20)))"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": os.pathsep.join([str(TESTS.parent / "src"), str(TESTS)])}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=True, encoding="utf-8").stdout
    assert out == "".join(dump_evaluation(e) for e in packages[:20])


def test_every_method_of_every_shipped_rubric_reaches_each_of_its_outcomes(scored):
    reached: dict[tuple[str, str], set[str]] = defaultdict(set)
    for score in scored:
        for rubric, what, outcome, _ in keys(score):
            reached[rubric, what].add(outcome)
    department = {f"{ind.scoring.method}:{ind.id}" for _, _, ind in DEPARTMENT.rubric.all_indicators()}
    expected = {(DEPARTMENT.rubric.id, what) for what in department}
    for rubric in PROJECT_RUBRICS:
        compiled = RUBRICS[rubric]
        expected |= {(rubric, "ratio_to_target"), (rubric, "levels")}
        if compiled.execution is not None:
            expected.add((rubric, f"ratio:{compiled.execution.id}"))
    assert expected <= set(reached), sorted(expected - set(reached))
    missing = {}
    for (rubric, what), outcomes in reached.items():
        method = what.split(":")[0]
        qualitative = method == "levels" and rubric in PROJECT_RUBRICS  # a person grades these
        want = NOT_DECIDED if qualitative else REACHABLE[method]
        if what == "threshold:budget_completion_rate" or what == "bands:budget_control_rate":
            want = want | {"not_applicable"}  # their rules make a zero budget not applicable
        if not want <= outcomes or not outcomes & NOT_DECIDED:
            missing[rubric, what] = sorted((want | NOT_DECIDED) - outcomes)
    assert not missing, missing


def test_every_branch_of_the_rules_is_reached(scored):
    project, department = set(), set()
    for score in scored:
        for rubric, _, _, detail in keys(score):
            (department if rubric == DEPARTMENT.rubric.id else project).add(detail)
    assert PROJECT_DETAILS <= project, sorted(PROJECT_DETAILS - project)
    assert DEPARTMENT_DETAILS <= department, sorted(DEPARTMENT_DETAILS - department)


def test_edge_figures_occur(packages):
    funds = [p.funds.total for e in packages for p in e.projects]
    assert any(f.full_year_budget == 0 and f.executed == 0 for f in funds)
    assert any(f.full_year_budget == 0 and f.executed for f in funds)
    assert any(f.executed is None for f in funds)
    assert any(f.full_year_budget is not None and f.full_year_budget < 0 for f in funds)
    assert any(f.full_year_budget is not None and f.full_year_budget > 10**10 for f in funds)
    assert any(f.full_year_budget is not None and -f.full_year_budget.as_tuple().exponent >= 8 for f in funds)  # type: ignore[operator]
    indicators = [i for e in packages for p in e.projects for i in p.indicators]
    assert any(i.actual_value.kind == "blank" for i in indicators)
    assert any(i.target_value.kind == "blank" for i in indicators)
    for form in ("≥", "≧", "不低于", "不超过", "以上", "以内", "≤", "%", "万元", "元", "天", "月"):
        assert any(form in (i.target or "") for i in indicators), form
    # many decimals are an edge case drawn on purpose, not a float's binary expansion leaking in
    assert not [t for i in indicators for t in (i.target, i.actual) if t and re.search(r"\.\d{15,}", t)]


def test_every_package_scores_and_audits_and_no_score_breaks_the_rules(packages, scored):
    fired: dict[str, int] = defaultdict(int)
    for evaluation, score in zip(packages, scored):
        report = audit(evaluation, DEPARTMENT, PROJECT, score=score)
        codes = {f.code for f in report.findings}
        assert "audit.check-failed" not in codes, [f.evidence for f in report.findings if f.code == "audit.check-failed"]
        for code in codes:
            fired[code] += 1
        tables = ([score.department] if score.department else []) + score.projects
        for table in tables:
            rubric = RUBRICS[table.rubric]
            for ind in table.indicators:
                if ind.score is None:
                    continue
                assert isinstance(ind.score, Decimal)
                assert Decimal(0) <= ind.score, ind.explanation
                assert ind.points is None or ind.score <= max(ind.points, Decimal(0)), ind.explanation
                assert -ind.score.as_tuple().exponent <= rubric.precision, ind.explanation  # type: ignore[operator]
            if table.total is not None:
                assert Decimal(0) <= table.total <= rubric.total
                assert table.grade == rubric.grade_of(table.total)
    quiet = [code for code in BOTH_WAYS if not 0 < fired[code] < len(packages)]
    assert not quiet, {code: fired[code] for code in quiet}


def test_half_up_rounding_at_the_boundary(packages, scored):
    """10 × a ÷ 2000 with an odd a ends in 5 at the third place: half-up, never half-even."""
    seen = 0
    for evaluation, score in zip(packages, scored):
        for table, result in zip(evaluation.projects, score.projects):
            own = [i for i in result.indicators if i.id is None]
            for ind, got in zip(table.indicators, own):
                if ind.target == "≥2000人" and ind.points == 10 and got.status == "computed":
                    exact = Decimal(10) * ind.actual_value.number / 2000  # type: ignore[operator]
                    assert got.score == exact.quantize(Decimal("0.01"), "ROUND_HALF_UP"), got.explanation
                    seen += 1
    assert seen >= 5


def test_json_round_trip_keeps_every_package(packages):
    for evaluation in packages:
        text = dump_evaluation(evaluation)
        again = parse_evaluation(text)
        assert again == evaluation
        assert dump_evaluation(again) == text
