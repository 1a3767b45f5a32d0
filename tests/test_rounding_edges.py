"""Rounding at the edges a generated corpus found: a score never rounds past its points, and a
figure past Decimal's 28 default digits is rounded, not an error (found by tests/synth)."""

from __future__ import annotations

import re
from decimal import Decimal as D

from conftest import ROOT
from jixiao.audit.report import audit
from jixiao.decimals import rounded
from jixiao.model import Evaluation
from jixiao.rubric.choose import project_rubrics
from jixiao.rubric.loader import find_rubric, load_rubric
from jixiao.rubric.score import score_package


def test_full_marks_of_two_and_a_half_points_at_whole_number_precision_stay_two_and_a_half(tmp_path):
    text = (ROOT / "src/jixiao/rubrics/mof-2020-project.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", "id: whole", text, flags=re.M)
    text = re.sub(r"^precision: .*$", "precision: 0", text, flags=re.M) if re.search(r"^precision:", text, re.M) else text + "\nprecision: 0\n"
    (tmp_path / "whole.yaml").write_text(text, encoding="utf-8")
    rubric = load_rubric(tmp_path / "whole.yaml")
    package = Evaluation.model_validate({"unit": {"name": "某局"}, "fiscal_year": 2022, "projects": [{"name": "培训", "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥100人次", "actual": "120人次", "points": "2.5", "score": "2.5"},
        {"level1": "产出指标", "level2": "数量指标", "name": "培训场次", "target": "≥10场", "actual": "9场", "points": "2.5", "score": "2"},
    ]}]})
    scored = {i.name: i.score for i in score_package(package, None, rubric).projects[0].indicators}
    assert scored["培训人次"] == D("2.5") and scored["培训场次"] == D("2")  # 2.25 → 2, and full marks are not 3
    assert "rules.score-not-given" not in {f.code for f in audit(package, None, rubric).findings}


def test_a_rate_of_ten_to_the_twenty_fourth_is_scored_and_audited_not_an_error():
    package = Evaluation.model_validate({
        "unit": {"name": "某局"}, "fiscal_year": 2022,
        "base_data": {"public_funds": {"prior_final": "0.000000000001", "budget": "0.000000000001", "final": "1000000000000"}},
        "scorecard": [{"name": "公用经费控制率", "points": "8", "score": "8"}],
    })
    department, project = find_rubric("hengshan-2022-department"), project_rubrics()
    score_package(package, department, project)
    assert audit(package, department, project).findings  # ran to the end


def test_rounding_is_exact_however_long_the_figure():
    assert rounded(D("1e24") / 3, 2) == D("333333333333333333333333.33")
    assert rounded(D("2.345"), 2) == D("2.35") and rounded(D("-2.345"), D("0.01")) == D("-2.35")
