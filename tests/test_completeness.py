"""A new evaluation is a complete, empty package; an empty or half-filled one says what it lacks."""

from decimal import Decimal as D

from conftest import package
from jixiao.audit.report import audit
from jixiao.model.blank import STANDARD, blank_evaluation, with_project_tables


def _codes(report, prefix="completeness."):
    return {(f.code, f.location.part, f.location.project): f for f in report.findings if f.code.startswith(prefix)}


def test_a_new_package_has_every_form_and_row(department_rubric):
    new = blank_evaluation("某单位", 2024, department_rubric.rubric.scorecard(), supervisor="某局")
    assert [r.name for r in new.scorecard] == [ind.name for _, _, ind in department_rubric.rubric.all_indicators()]
    assert all(r.score is None and r.points is not None for r in new.scorecard)
    assert new.scorecard[0].criteria  # the rubric's own wording, to fill in against
    assert new.department_evaluation.name == "某单位" and new.unit.supervisor == "某局"
    assert [s.heading for s in new.narrative] == [h for h, _ in STANDARD]
    assert new.base_data.basic_expenditure.budget is None  # blank, never zero


def test_an_empty_package_cannot_pass_for_a_clean_one(department_rubric, project_rubric):
    new = blank_evaluation("某单位", 2024, department_rubric.rubric.scorecard())
    report = audit(new, department_rubric, project_rubric)
    found = _codes(report)
    assert ("completeness.forms", "base_data", None) in found and ("completeness.forms", "package", None) in found
    unscored = found[("completeness.figures", "scorecard", None)]
    assert unscored.severity == "error" and "等 16 处" in unscored.message
    assert "只有标题、没有内容" in found[("completeness.report", "narrative", None)].message
    assert not report.valid


def test_blank_figures_are_listed_once_per_table(department_rubric, project_rubric):
    evaluation = package("""
    projects:
      - name: 甲项目
        funds: {total: {full_year_budget: 10}}
        indicators:
          - {level1: 产出指标, name: 培训人数, target: '≥100人', points: 50}
          - {level1: 效益指标, name: 覆盖率, target: '≥90%', actual: '95%', points: 40, score: 40}
      - name: 乙项目
        funds: {total: {full_year_budget: 10, executed: 10}}
    """)
    found = _codes(audit(evaluation, department_rubric, project_rubric))
    first = found[("completeness.figures", "project", "甲项目")].message
    assert first == "以下必填项空白：全年执行数、“培训人数”的实际完成值、得分（2 处）"
    assert found[("completeness.figures", "project", "乙项目")].message == "以下必填项空白：绩效指标（一个也没有）（1 处）"


def test_the_samples_lack_no_required_figure(department_rubric, project_rubric, kaiyun, hengyang):
    for sample in (kaiyun, hengyang):
        report = audit(sample, department_rubric, project_rubric)
        assert not [f for f in report.findings if f.code in ("completeness.forms", "completeness.figures")]
    town = _codes(audit(kaiyun, department_rubric, project_rubric))
    assert town[("completeness.report", "narrative", None)].message == "材料中没有自评报告"
    assert "41/100 分" in town[("completeness.coverage", "scorecard", None)].message


def test_project_tables_from_the_base_data_lines():
    evaluation = package("""
    base_data:
      projects:
        - {name: 村级运转经费, budget: 100, adjusted_budget: 120, final: 110}
        - {name: 居委会经费, budget: 50, final: 45}
    projects:
      - {name: 居委会经费}
    """)
    filled, added = with_project_tables(evaluation)
    assert added == ["村级运转经费"] and [t.name for t in filled.projects] == ["居委会经费", "村级运转经费"]
    funds = filled.projects[1].funds.total
    assert (funds.initial_budget, funds.full_year_budget, funds.executed) == (D(100), D(120), D(110))
    assert with_project_tables(filled)[1] == []  # asking again adds nothing
