"""The batch engine gives the per-package engine's answers: every indicator's score and
status, every table's total and grade, and the vectorised checks' findings."""

import pytest

from batch_cases import sample, synth
from jixiao.batch.differential import compare, compare_audit
from jixiao.rubric.choose import project_rubrics
from synth import RUBRICS


@pytest.fixture(scope="module")
def evaluations():
    return sample(400)


def test_scores_agree_on_every_indicator_and_table(evaluations):
    result = compare(evaluations, project_rubrics())
    assert result.disagreements == []
    assert result.units > 400 and result.indicators > 4000 and result.fallback == 0


def test_scoring_tables_are_scored_in_batch_too(evaluations, department_rubric):
    result = compare(evaluations[:20], project_rubrics(), department_rubric)
    assert result.disagreements == []
    assert result.fallback == 0 and result.department_indicators > 100  # the examples' scoring tables (tests/test_batch_department.py)


def test_vectorised_findings_are_the_per_package_findings(evaluations, department_rubric):
    result = compare_audit(evaluations, project_rubrics(), department_rubric)
    assert result.disagreements == []
    assert result.findings > 100 and result.not_checked > 10  # records compared


@pytest.fixture(scope="module")
def generated():
    return synth(300, start=7_000)


def test_generated_units_agree_on_every_indicator_and_table(generated):
    # zero denominators, blanks, negatives, units of measure, deadlines without a year, figures
    # past six decimals (those units go per package, and say why)
    department, project = RUBRICS
    result = compare(generated, project, department)
    assert result.disagreements == []
    assert result.units >= 30 and result.indicators > 500


def test_generated_units_have_the_per_package_findings(generated):
    department, project = RUBRICS
    result = compare_audit(generated, project, department)
    assert result.disagreements == []  # findings message for message, and the 未能检查 records
    assert result.units >= 40 and result.findings > 300 and result.not_checked > 50
    # every vectorised check fired (得分系数 is in no synth table: see test_batch_audit)
    assert all(found for code, (found, _) in result.by_code.items() if code != "rules.coefficient-times-weight")


@pytest.mark.corpus
@pytest.mark.parametrize("edge", [None, 0.05])  # the generator's share of edge figures; at 0.05 most units are held exactly
def test_ten_thousand_generated_units_agree(edge):
    department, project = RUBRICS
    result = compare(synth(10_000, start=100_000, edge=edge), project, department)
    share = result.fallback / (result.units + result.fallback)
    print(f"synth: units {result.units}, per package {result.fallback} ({share:.0%}), indicators {result.indicators}, "
          f"tables {result.tables}, disagreements {len(result.disagreements)}")
    assert result.disagreements == []
    assert result.units + result.fallback == 10_000


@pytest.mark.corpus
def test_ten_thousand_units_agree():
    result = compare(sample(10_000), project_rubrics())
    print(f"units {result.units}, indicators {result.indicators}, tables {result.tables}, disagreements {len(result.disagreements)}")
    assert result.disagreements == []
