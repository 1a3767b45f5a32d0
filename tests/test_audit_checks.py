"""Every check: silent on a consistent package, and firing on one planted inconsistency."""

from decimal import Decimal as D

import pytest

from conftest import package
from jixiao.audit import CHECKS
from jixiao.audit.report import audit
from jixiao.audit.registry import Check, run_checks

CONSISTENT = """
unit: {name: 示范局}
fiscal_year: 2023
base_data:
  staffing: {authorized: 50, actual: 48, control_rate_stated: 96}
  basic_expenditure: {prior_final: 900, budget: 950, final: 940}
  public_funds: {prior_final: 120, budget: 110, final: 105}
  public_funds_items: [{name: 办公经费, prior_final: 30, budget: 28, final: 27}]
  three_public:
    total: {prior_final: 12, budget: 10, final: 9.5}
    vehicle: {prior_final: 8, budget: 7, final: 6.5}
    vehicle_purchase: {prior_final: 0, budget: 0, final: 0}
    vehicle_operation: {prior_final: 8, budget: 7, final: 6.5}
    overseas: {prior_final: 0, budget: 0, final: 0}
    reception: {prior_final: 4, budget: 3, final: 3}
  project_expenditure: {prior_final: 180, budget: 200, final: 190}
  projects: [{name: 档案数字化, category: 业务工作专项, prior_final: 180, budget: 200, final: 190}]
  procurement: {budget: 100, final: 100}
  buildings: [{name: 档案库房, approved_area: 1000, actual_area: 980, area_rate_stated: 98, approved_investment: 500, actual_investment: 490, investment_rate_stated: 98}]
department_evaluation:
  name: 示范局
  funds: {total: {initial_budget: 1150, full_year_budget: 1150, executed: 1130}}
  execution: {points: 10, rate_stated: 98.26, score_stated: 9.83}
  basic_budget: 950
  project_budget: 200
  indicators:
    - {level1: 产出指标, level2: 数量指标, name: 办理件数, target: 不少于500件, actual: 520件, points: 50, score: 50}
    - {level1: 效益指标, level2: 社会效益指标, name: 服务效率, target: 明显提升, actual: 明显提升, points: 30, score: 27, deviation: 个别事项办理超时}
    - {level1: 满意度指标, level2: 服务对象满意度指标, name: 群众满意度, target: ≥90%, actual: 95%, points: 10, score: 10}
  total_points: 100
  total_stated: 96.83
projects:
  - name: 档案数字化
    funds:
      total: {initial_budget: 200, full_year_budget: 200, executed: 190}
      fiscal: {initial_budget: 200, full_year_budget: 200, executed: 190}
    execution: {points: 10, rate_stated: 95, score_stated: 9.5}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 数字化档案, target: 不少于10000件, actual: 10500件, points: 20, score: 20}
      - {level1: 产出指标, level2: 质量指标, name: 差错率, target: ≤1%, actual: 0.5%, points: 10, score: 10}
      - {level1: 产出指标, level2: 时效指标, name: 完成时间, target: 12月底前, actual: 12月20日完成, points: 10, score: 10}
      - {level1: 产出指标, level2: 成本指标, name: 每件成本, target: 不高于190元, actual: 180元, points: 10, score: 10}
      - {level1: 效益指标, level2: 社会效益指标, name: 查阅便利, target: 显著提高, actual: 明显改善, points: 30, score: 28, deviation: 部分老档案仍需人工调阅}
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 查档群众满意度, target: ≥90%, actual: 93%, points: 10, score: 10}
    total_points: 100
    total_stated: 97.5
narrative:
  - heading: 一、部门基本情况
    text: 本局核定编制50人，在职人员48人。
  - heading: 二、一般公共预算支出情况
    text: 2023年基本支出决算数为940万元，项目支出决算数为190万元。其中：档案数字化190万元。
  - heading: 三、绩效目标完成情况
    text: "全年完成以下两个目标：\\n目标1：档案数字化10500件；\\n目标2：群众满意度95%。"
"""


def report_of(text, department_rubric, project_rubric):
    return audit(package(text), department_rubric, project_rubric)


def test_a_consistent_package_has_no_finding(department_rubric, project_rubric):
    report = report_of(CONSISTENT, department_rubric, project_rubric)
    assert report.findings == []
    assert report.valid and report.stats == {"error": 0, "warning": 0, "info": 0}
    # qualitative indicators cannot be verified from data: said so, per table, never passed silently
    # so is the department table's 年度资金总额, given without the sources it is made of;
    # and, with no package of last year, the comparison with it
    assert [(n.code, n.location.part if n.location else None) for n in report.not_checked] == [
        ("arithmetic.funds-by-source", "department_evaluation"),
        ("rules.score-not-given", "department_evaluation"),
        ("rules.score-not-given", "project"),
        ("rules.grade", None),
        *((code, None) for code in ("history.prior-final", "history.indicator-dropped", "history.target-lowered", "history.score-change")),
    ]
    assert "服务效率" in report.not_checked[1].reason and "完成时间、查阅便利" in report.not_checked[2].reason


# (what is planted, the text replaced, its replacement, the check that must fire)
PLANTED = [
    ("funds by source", "fiscal: {initial_budget: 200, full_year_budget: 200, executed: 190}", "fiscal: {initial_budget: 200, full_year_budget: 200, executed: 180}", "arithmetic.funds-by-source"),
    # whole numbers may each be half a unit off (GUIDE §4.3): plant a gap of 2, not 1
    ("three public", "reception: {prior_final: 4, budget: 3, final: 3}", "reception: {prior_final: 4, budget: 3, final: 1}", "arithmetic.three-public-parts"),
    ("items over total", "{name: 办公经费, prior_final: 30, budget: 28, final: 27}", "{name: 办公经费, prior_final: 30, budget: 28, final: 127}", "arithmetic.items-exceed-total"),
    ("projects sum", "project_expenditure: {prior_final: 180, budget: 200, final: 190}", "project_expenditure: {prior_final: 180, budget: 260, final: 190}", "arithmetic.projects-sum"),
    ("control rate", "control_rate_stated: 96", "control_rate_stated: 86", "arithmetic.rate-vs-amounts"),
    ("score total", "total_stated: 97.5", "total_stated: 98.5", "arithmetic.score-total"),
    ("points total", "total_points: 100\n    total_stated: 97.5", "total_points: 90\n    total_stated: 97.5", "arithmetic.points-total"),
    ("narrative breakdown", "其中：档案数字化190万元。", "其中：档案数字化150万元，信息化30万元。", "arithmetic.narrative-breakdown"),
    ("base vs project", "projects: [{name: 档案数字化, category: 业务工作专项, prior_final: 180, budget: 200, final: 190}]", "projects: [{name: 档案数字化, category: 业务工作专项, prior_final: 180, budget: 200, final: 185.5}]", "agreement.base-vs-project"),
    ("dept vs base", "basic_budget: 950", "basic_budget: 905", "agreement.department-vs-base"),
    ("narrative vs base", "基本支出决算数为940万元", "基本支出决算数为949万元", "agreement.narrative-vs-base"),
    ("headcount", "在职人员48人", "在职人员46人", "agreement.headcount"),
    ("above points", "{level1: 满意度指标, level2: 服务对象满意度指标, name: 查档群众满意度, target: ≥90%, actual: 93%, points: 10, score: 10}", "{level1: 满意度指标, level2: 服务对象满意度指标, name: 查档群众满意度, target: 显著, actual: 显著, points: 10, score: 12}", "rules.score-above-points"),
    ("missed target", "actual: 93%, points: 10, score: 10}", "actual: 81%, points: 10, score: 10}", "rules.full-points-missed-target"),
    ("score not given", "rate_stated: 95, score_stated: 9.5}", "rate_stated: 95, score_stated: 9}", "rules.score-not-given"),
    ("rate base", "total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {initial_budget: 200, full_year_budget: 210, executed: 190}", "rules.rate-base"),
    ("grade", "在职人员48人。", "在职人员48人。自评等级为良。", "rules.grade"),
    ("quantity text", "target: 不少于10000件, actual: 10500件", "target: 良好以上, actual: 10500件", "quality.quantity-without-number"),
    ("type mismatch", "target: 12月底前", "target: 良好以上", "quality.type-mismatch"),
    ("not comparable", "actual: 10500件", "actual: 100%", "quality.actual-not-comparable"),
    ("missing deviation", "deviation: 部分老档案仍需人工调阅", "deviation: ''", "quality.missing-deviation"),
    ("copied text", "name: 查阅便利, target: 显著提高, actual: 明显改善", "name: 查阅便利, target: 查阅便利, actual: 查阅便利", "quality.copied-text"),
    ("target too low", "actual: 10500件", "actual: 21000件", "quality.target-too-low"),
    ("placeholder", "deviation: 部分老档案仍需人工调阅", "deviation: 原因XX待定", "hygiene.placeholder"),
    ("template text", "deviation: 部分老档案仍需人工调阅", "deviation: 对照年度目标，说明偏差原因（100字以内）", "hygiene.template-text"),
    ("doubled", "本局核定编制", "本局本局核定编制", "hygiene.doubled-word"),
    ("wrong year", "2023年基本支出", "2021年基本支出", "hygiene.wrong-year"),
    ("count", "以下两个目标", "以下三个目标", "hygiene.count-mismatch"),
]


@pytest.mark.parametrize("what, old, new, code", [p for p in PLANTED if p[3]], ids=[p[0] for p in PLANTED if p[3]])
def test_each_check_fires_on_its_planted_inconsistency(department_rubric, project_rubric, what, old, new, code):
    assert old in CONSISTENT, what
    report = report_of(CONSISTENT.replace(old, new, 1), department_rubric, project_rubric)
    assert code in {f.code for f in report.findings}, report.flatten()


def test_planted_inconsistencies_cover_every_check():
    # the rest are planted in the tests below or fire on the samples (test_audit_samples)
    planted = {p[3] for p in PLANTED} | {"hygiene.import", "rules.over-execution", "rules.level-weights", "rules.criteria-points", "quality.all-actuals-100", "quality.zero-points",
                                        "rules.coefficient-times-weight",  # test_rubric_families
                                        "completeness.forms", "completeness.figures", "completeness.report", "completeness.coverage",  # test_completeness
                                        "history.prior-final", "history.indicator-dropped", "history.target-lowered", "history.score-change"}  # test_audit_history
    assert {c.code for c in CHECKS} <= planted


def test_rounding_within_tolerance_is_not_an_error(department_rubric, project_rubric):
    # 199.96 ÷ 200 = 99.98%, shown as 100% (whole percent): agrees; 95% for 94.5% does not
    text = CONSISTENT.replace("executed: 190}\n      fiscal", "executed: 199.96}\n      fiscal").replace("rate_stated: 95", "rate_stated: 100")
    codes = {f.code for f in report_of(text, department_rubric, project_rubric).findings}
    assert "arithmetic.rate-vs-amounts" not in codes


def test_wrong_base_is_reported_once_not_twice(department_rubric, project_rubric):
    text = CONSISTENT.replace("total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {initial_budget: 180, full_year_budget: 200, executed: 190}").replace("rate_stated: 95", "rate_stated: 105.56")
    codes = [f.code for f in report_of(text, department_rubric, project_rubric).findings]
    assert codes.count("rules.rate-base") == 1 and "arithmetic.rate-vs-amounts" not in codes


def test_over_execution_level_weights_zero_points_and_all_100(department_rubric, project_rubric):
    text = CONSISTENT.replace("full_year_budget: 200, executed: 190}\n      fiscal", "full_year_budget: 200, executed: 210}\n      fiscal")
    text = text.replace("points: 30, score: 28", "points: 20, score: 18").replace("name: 数字化档案, target: 不少于10000件, actual: 10500件, points: 20, score: 20", "name: 数字化档案, target: 不少于10000件, actual: 10500件, points: 0, score: 0")
    codes = {f.code for f in report_of(text, department_rubric, project_rubric).findings}
    assert {"rules.over-execution", "rules.level-weights", "quality.zero-points"} <= codes
    hundred = CONSISTENT
    for actual in ("10500件", "0.5%", "12月20日完成", "180元", "明显改善", "93%"):
        hundred = hundred.replace(f"actual: {actual}", "actual: 100%", 1)
    assert "quality.all-actuals-100" in {f.code for f in report_of(hundred, department_rubric, project_rubric).findings}


def test_a_crashing_check_becomes_a_finding_and_the_others_still_run(department_rubric, project_rubric):
    def broken(self, ctx):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    crash = Check("test.broken", "test", "error", "坏检查", "", "", broken)
    from jixiao.audit.registry import Context
    from jixiao.rubric.score import score_package

    evaluation = package(CONSISTENT.replace("control_rate_stated: 96", "control_rate_stated: 86"))
    findings, _ = run_checks((crash, *CHECKS), Context(evaluation, score_package(evaluation, department_rubric, project_rubric)))
    codes = [f.code for f in findings]
    assert codes[0] == "audit.check-failed" and "test.broken" in findings[0].message
    assert "arithmetic.rate-vs-amounts" in codes


def test_fingerprint_is_stable_and_follows_the_figures(department_rubric, project_rubric):
    planted = CONSISTENT.replace("control_rate_stated: 96", "control_rate_stated: 86")
    first = report_of(planted, department_rubric, project_rubric).findings[0]
    again = report_of(planted, department_rubric, project_rubric).findings[0]
    assert first.fingerprint == again.fingerprint and len(first.fingerprint) == 16
    moved = report_of(planted.replace("control_rate_stated: 86", "control_rate_stated: 85"), department_rubric, project_rubric).findings[0]
    assert moved.code == first.code and moved.fingerprint != first.fingerprint
    assert first.expected == D("96.00")
