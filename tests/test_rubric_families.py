"""Each shipped rubric family scores a hand-made table to points computed by hand, and each
table is scored by the family of its layout unless a rubric is named."""

import json
from decimal import Decimal as D

import pytest
from typer.testing import CliRunner

from conftest import package
from jixiao.cli import app
from jixiao.model import dump_evaluation
from jixiao.rubric.choose import project_rubrics
from jixiao.rubric.loader import find_rubric
from jixiao.rubric.score import score_package, score_project

# 财预〔2020〕10号: 执行率 10, 产出 50, 效益 30, 满意度 10
NATIONAL = """
name: 国标项目
layout: national-2020
funds: {total: {full_year_budget: 100, executed: 90}}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 培训人数, target: '≥100个', actual: '90个', points: 30, score: 30}
  - {level1: 产出指标, level2: 时效指标, name: 办结时限, target: '≤5个工作日', actual: '4个工作日', points: 20, score: 20}
  - {level1: 效益指标, level2: 社会效益指标, name: 覆盖率, target: '≥95%', actual: '97%', points: 30, score: 30}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, target: '≥90%', actual: '85%', points: 10, score: 10}
"""

# 四川: 预算执行 10 + 绩效指标 90 by the unit's own weights
SICHUAN = """
name: 四川项目
layout: sichuan-2023
funds: {total: {full_year_budget: 200, executed: 170}}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 抽检批次, target: '≥500批次', actual: '460批次', points: 60, score: 60}
  - {level1: 效益指标, level2: 生态效益指标, name: 治理面积, target: '≥2万亩', actual: '1.5万亩', points: 30, score: 30}
"""

# 决策/过程/产出/效益 by the table's 参考分值; 预算执行率 is a row of 项目管理
DECISION = """
name: 四级框架项目
layout: decision-process
indicators:
  - {level1: 项目决策, level2: 绩效目标, name: 目标完整性, target: '完整', actual: '完整', points: 4, score: 4}
  - {level1: 项目管理, level2: 资金管理, name: 预算执行率, target: '100%', actual: '95%', points: 10, score: 10}
  - {level1: 项目管理, level2: 资金管理, name: 资金到位率, target: '100%', actual: '100%', points: 6, score: 6}
  - {level1: 项目产出, level2: 产出数量, name: 服务人次, target: '≥1000人次', actual: '1200人次', points: 30, score: 30}
  - {level1: 项目效益, level2: 满意度, name: 服务对象满意度, target: '≥90%', actual: '80%', points: 50, score: 50}
"""

# 重庆 flat department table: 执行率 × 10 and 得分系数 × 指标权重 (the published copy's own rows)
FLAT = """
name: 部门整体
layout: flat-department
funds: {total: {full_year_budget: 100, executed: 76}}
indicators:
  - {name: 预算完成率, target: '≥70%', actual: '76%', points: 2, coefficient: 100, score: 2}
  - {name: 政府采购执行率, target: '100%', actual: '72.74%', points: 2, coefficient: 100, score: 2}
  - {name: 播发稿件数量, target: '2200篇', actual: '2859篇', points: 10, coefficient: 100, score: 10}
  - {name: 服务覆盖人数, target: '≥5万人', actual: '6万人', points: 73, coefficient: 100, score: 73}
  - {name: 管理制度健全性, target: '高', actual: '高', points: 3, coefficient: 100, score: 3}
"""


def table(text: str):
    indented = "\n".join("    " + line for line in text.strip().splitlines())
    return package(f"projects:\n  - {indented.strip()}\n").projects[0]


def scores(result) -> list:
    return [(i.name, i.status, i.score) for i in result.indicators]


def test_national_framework():
    result = score_project(table(NATIONAL), find_rubric("mof-2020-project"))
    assert scores(result) == [
        ("预算执行率", "computed", D("9.00")),  # 10 × 90 / 100
        ("培训人数", "computed", D("27.00")),  # 30 × 90 / 100
        ("办结时限", "computed", D("20.00")),  # 4 of at most 5 working days
        ("覆盖率", "computed", D("30.00")),
        ("满意度", "computed", D("9.44")),  # 10 × 85 / 90
    ]
    assert (result.total, result.grade, result.notes) == (D("95.44"), "优", [])
    assert [(lv.name, lv.points, lv.stated_points) for lv in result.levels] == [("产出指标", 50, 50), ("效益指标", 30, 30), ("满意度指标", 10, 10)]


def test_unit_weights_within_ninety():
    result = score_project(table(SICHUAN), find_rubric("sichuan-2023-project"))
    assert scores(result) == [
        ("预算执行率", "computed", D("8.50")),  # 10 × 170 / 200
        ("抽检批次", "computed", D("55.20")),  # 60 × 460 / 500
        ("治理面积", "computed", D("22.50")),  # 30 × 1.5 / 2
    ]
    assert (result.total, result.grade, result.notes) == (D("86.20"), "良", [])
    assert all(lv.points is None for lv in result.levels)  # no fixed level weights in this family


def test_unit_weights_that_do_not_add_up_are_said_once():
    text = SICHUAN.replace("points: 30, score: 30", "points: 25, score: 25")
    result = score_project(table(text), find_rubric("sichuan-2023-project"))
    assert [n for n in result.notes if "权重" in n] == ["绩效指标权重合计 85，评分规则 sichuan-2023-project 要求 90"]


def test_decision_process_outputs_and_outcomes_by_reference_points():
    result = score_project(table(DECISION), find_rubric("decision-process-project"))
    assert scores(result) == [
        ("目标完整性", "stated", D("4")),  # a judgement the figures do not make
        ("预算执行率", "computed", D("9.50")),
        ("资金到位率", "computed", D("6.00")),
        ("服务人次", "computed", D("30.00")),
        ("服务对象满意度", "computed", D("44.44")),  # 50 × 80 / 90
    ]
    assert result.execution_rate is None  # no funds block in this family
    assert (result.total, result.grade) == (D("93.94"), "优")
    assert (result.coverage.points_computed, result.coverage.points) == (96, 100)
    assert [lv.name for lv in result.levels] == ["项目决策", "项目管理", "项目产出", "项目效益"]


def test_flat_department_coefficient_times_weight():
    result = score_project(table(FLAT), find_rubric("chongqing-2021-department"))
    assert scores(result) == [
        ("预算执行率", "computed", D("7.60")),  # 76% × 10, as the published table prints
        ("预算完成率", "computed", D("2.00")),
        ("政府采购执行率", "computed", D("1.45")),  # 2 × 72.74 / 100: the copy's 100% coefficient is the unit's own
        ("播发稿件数量", "computed", D("10.00")),
        ("服务覆盖人数", "computed", D("73.00")),
        ("管理制度健全性", "stated", D("3")),
    ]
    assert (result.total, result.grade, result.notes) == (D("97.05"), "优", [])


def _package():
    return package(
        "projects:\n"
        + "".join(
            "  - " + "\n".join("    " + line for line in text.strip().splitlines()).strip() + "\n"
            for text in (NATIONAL, SICHUAN, DECISION, FLAT)
        )
        + "  - {name: 未识别表样, funds: {total: {full_year_budget: 10, executed: 10}}}\n"
    )


def test_each_table_is_scored_by_the_family_of_its_layout():
    result = score_package(_package(), None, project_rubrics())
    assert [p.rubric for p in result.projects] == [
        "mof-2020-project", "sichuan-2023-project", "decision-process-project", "chongqing-2021-department", "mof-2020-project",
    ]


def test_a_named_rubric_scores_every_table():
    result = score_package(_package(), None, project_rubrics("mof-2020-project"))
    assert {p.rubric for p in result.projects} == {"mof-2020-project"}
    sichuan = result.projects[1]
    assert [n for n in sichuan.notes if "一级指标" in n] == ["一级指标分值与评分规则 mof-2020-project 不符：产出指标 60（规则 50）、效益指标 30（规则 40）"]  # one note for the table


@pytest.mark.parametrize("named, expected", [([], "sichuan-2023-project"), (["--project-rubric", "mof-2020-project"], "mof-2020-project")])
def test_cli_picks_the_layouts_rubric_unless_one_is_named(tmp_path, named, expected):
    path = tmp_path / "p.json"
    path.write_text(dump_evaluation(_package()), encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(path), "--format", "json", *named])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["projects"][1]["rubric"] == expected


def test_the_audit_reports_wrong_weights_once_per_table(project_rubric):
    from jixiao.audit.report import audit

    evaluation = _package()
    report = audit(evaluation, None, project_rubrics("mof-2020-project"))
    weights = [f for f in report.findings if f.code == "rules.level-weights"]
    # 四川 (60 + 30), 四级框架 and 重庆 tables do not fit 50/30/10: one finding each, none per level
    assert sorted(f.location.project for f in weights) == ["四川项目", "四级框架项目", "部门整体"]
    assert "如该表按其他口径填报，请选用相应的评分规则" in weights[0].message
    assert not [f for f in audit(evaluation, None, project_rubrics()).findings if f.code == "rules.level-weights"]


def test_a_score_that_is_not_coefficient_times_weight():
    from jixiao.audit.report import audit

    text = FLAT.replace("coefficient: 100, score: 10}", "coefficient: 90, score: 10}")
    evaluation = package("projects:\n  - " + "\n".join("    " + line for line in text.strip().splitlines()).strip() + "\n")
    [finding] = [f for f in audit(evaluation, None, project_rubrics()).findings if f.code == "rules.coefficient-times-weight"]
    assert finding.message == "“播发稿件数量”得分系数 90% × 指标权重 10 = 9，填报得分却为 10"
    missed = [f.location.indicator for f in audit(evaluation, None, project_rubrics()).findings if f.code == "rules.full-points-missed-target"]
    assert missed == ["政府采购执行率"]  # 72.74% of a 100% target kept its full 2 points
