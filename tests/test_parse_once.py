"""Targets and actuals are parsed once, kept beside the text, and read by every consumer."""

from decimal import Decimal as D

import pytest

import jixiao.model.evaluation as evaluation_module
from conftest import EXAMPLES, package
from jixiao.audit.report import audit
from jixiao.model import Indicator, load_evaluation
from jixiao.rubric.score import score_package, score_project


@pytest.fixture
def counted(monkeypatch):
    calls: list[str | None] = []
    real = evaluation_module.parse_value

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(evaluation_module, "parse_value", counting)
    return calls


def test_each_text_is_parsed_once_across_scoring_and_audit_and_never_on_validation(counted, department_rubric, project_rubric):
    city = load_evaluation(EXAMPLES / "hengyang-2022.json")
    indicators = [i for t in (city.department_evaluation, *city.projects) if t for i in t.indicators]
    assert counted == []  # reading the package parses nothing: an edit re-validates it whole
    score_package(city, department_rubric, project_rubric)
    audit(city, department_rubric, project_rubric)
    first = len(counted)
    assert len(indicators) * 2 <= first <= 3 * len(indicators)  # 年度指标值, 实际完成值 (调整指标值 where read)
    score_package(city, department_rubric, project_rubric)
    audit(city, department_rubric, project_rubric)
    assert len(counted) == first


def test_an_edit_is_parsed_again_and_the_text_kept(counted):
    indicator = Indicator(name="抽检", target="≥500批次", actual="460批次")
    assert (indicator.target_value.op, indicator.target_value.number, indicator.target_value.unit) == (">=", D(500), "批次")
    indicator.actual = "520批次"
    assert indicator.actual_value.number == D(520) and indicator.actual == "520批次"
    assert indicator.model_dump()["target"] == "≥500批次"  # the unit's words, never the parse
    assert "target_value" not in indicator.model_dump()


def test_an_adjusted_target_is_the_one_scored(project_rubric):
    table = package("""
    projects:
      - name: 调整
        funds: {total: {full_year_budget: 10, executed: 10}}
        indicators:
          - {level1: 产出指标, name: 培训, target: '≥100人', target_adjusted: '≥80人', actual: '80人', points: 10, score: 10}
    """).projects[0]
    item = score_project(table, project_rubric).indicators[1]
    assert (item.status, item.score) == ("computed", D("10.00"))
    assert "按调整指标值“≥80人”（年初为“≥100人”）计" in item.explanation


def test_what_has_been_parsed_is_no_part_of_an_indicators_equality():
    read, unread = Indicator(name="抽检", target="≥500批次"), Indicator(name="抽检", target="≥500批次")
    assert read.target_value.number == D(500)
    assert read == unread and read != Indicator(name="抽检", target="≥400批次")
