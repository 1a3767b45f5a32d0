"""Department scoring tables (评分表) scored in batch give the per-package engine's answers:
every department indicator's score and status, the table's total and grade; units with a
scoring table no longer go to the per-package engine for it."""

import tempfile
from pathlib import Path

import polars as pl
import pytest

from batch_cases import sample
from jixiao.batch.differential import compare, write_dataset
from jixiao.batch.ir import PolarsOps
from jixiao.batch.plan import make_plan
from jixiao.batch.score import fallback_units
from jixiao.rubric.choose import project_rubrics
from jixiao.rubric.loader import find_rubric, load_rubric
from synth import RUBRICS, corpus

DEPARTMENT_RUBRICS = ("hengshan-2022-department", "chongqing-2021-department")
SCORECARD_REASON = "部门整体评分表"


@pytest.fixture(scope="module")
def evaluations():
    return sample(100)


@pytest.mark.parametrize("rubric", DEPARTMENT_RUBRICS)
def test_samples_scoring_tables_agree_and_stay_in_batch(evaluations, rubric):
    result = compare(evaluations, project_rubrics(), find_rubric(rubric))
    assert result.disagreements == []
    assert result.fallback == 0  # the examples' and hard cases' scoring tables used to fall back
    assert result.department_indicators > 100


@pytest.mark.parametrize("rubric", DEPARTMENT_RUBRICS)
def test_synthetic_scoring_tables_agree(rubric):
    units = list(corpus(300, 20_000, edge=0.05))  # mostly sane figures: most units are scored in batch
    scorecards = sum(1 for ev in units if ev.scorecard)
    result = compare(units, RUBRICS[1], find_rubric(rubric))
    assert result.disagreements == []
    assert scorecards > 150 and result.tables > 80  # a third hold figures the dataset cannot store exactly
    if rubric == "hengshan-2022-department":
        assert result.department_indicators > 1000
    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(units, Path(tmp))
        reasons = fallback_units(Path(tmp), make_plan(PolarsOps(), RUBRICS[1]), find_rubric(rubric)).collect()["reason"]
    # what still falls back is figures the dataset cannot hold exactly, or negative points; never the scoring table
    assert reasons.len() and not reasons.str.starts_with(SCORECARD_REASON).any()
    assert reasons.str.contains("数值").any()
    assert result.fallback == reasons.len() and result.units >= 40, (result.units, result.fallback)


def test_a_rubric_with_a_method_not_compiled_still_falls_back(tmp_path):
    source = find_rubric("hengshan-2022-department").path.read_text(encoding="utf-8")
    ratio = source.replace("scoring: {method: threshold, direction: at_most, limit: 100%, step: 1%, deduction: 0.5, stepping: whole}",
                           "scoring: {method: ratio, direction: at_most, target: 100%}", 1)
    assert ratio != source
    path = tmp_path / "ratio-department.yaml"
    path.write_text(ratio.replace("id: hengshan-2022-department", "id: ratio-department", 1), encoding="utf-8")
    department = load_rubric(path)
    units = list(corpus(40, 0))
    result = compare(units, RUBRICS[1], department)
    assert result.disagreements == []
    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(units, Path(tmp))
        reasons = fallback_units(Path(tmp), make_plan(PolarsOps(), RUBRICS[1]), department).collect()
    why = reasons.filter(pl.col("reason").str.starts_with(SCORECARD_REASON))["reason"]
    assert why.len() > 0 and why.str.contains("ratio").all()
