"""The batch engine gives the per-package engine's answers: every indicator's score and
status, every table's total and grade, and the vectorised checks' findings."""

import pytest

from batch_cases import sample
from jixiao.batch.differential import compare, compare_audit
from jixiao.rubric.choose import project_rubrics


@pytest.fixture(scope="module")
def evaluations():
    return sample(400)


def test_scores_agree_on_every_indicator_and_table(evaluations):
    result = compare(evaluations, project_rubrics())
    assert result.disagreements == []
    assert result.units > 400 and result.indicators > 4000 and result.fallback == 0


def test_units_the_batch_engine_cannot_hold_go_to_the_per_package_engine(evaluations, department_rubric):
    result = compare(evaluations[:20], project_rubrics(), department_rubric)
    assert result.disagreements == []
    assert result.fallback > 0  # the examples' scoring tables are scored per package


def test_vectorised_findings_are_the_per_package_findings(evaluations, department_rubric):
    result = compare_audit(evaluations, project_rubrics(), department_rubric)
    assert result.disagreements == []
    assert result.findings > 100 and result.not_checked > 10  # records compared


@pytest.mark.corpus
def test_ten_thousand_units_agree():
    result = compare(sample(10_000), project_rubrics())
    print(f"units {result.units}, indicators {result.indicators}, tables {result.tables}, disagreements {len(result.disagreements)}")
    assert result.disagreements == []
