"""A blank figure is never passed silently: the check compares against what else states the
figure, or lists under 未能检查 what it could not check and why, once per table or row."""

import pytest

from conftest import package
from jixiao.audit.report import audit

COMPLETE = """
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
  projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}]
  buildings: [{name: 档案库房, approved_area: 1000, actual_area: 980, area_rate_stated: 98, approved_investment: 500, actual_investment: 490, investment_rate_stated: 98}]
department_evaluation:
  name: 示范局
  funds:
    total: {initial_budget: 1150, full_year_budget: 1150, executed: 1130}
    fiscal: {initial_budget: 1150, full_year_budget: 1150, executed: 1130}
  execution: {points: 10, rate_stated: 98.26, score_stated: 9.83}
  indicators:
    - {level1: 产出指标, level2: 数量指标, name: 办理件数, target: 不少于500件, actual: 520件, points: 90, score: 90}
  total_points: 100
  total_stated: 99.83
  basic_budget: 950
  project_budget: 200
projects:
  - name: 档案数字化
    funds:
      total: {initial_budget: 200, full_year_budget: 200, executed: 190}
      fiscal: {initial_budget: 200, full_year_budget: 200, executed: 190}
    execution: {points: 10, rate_stated: 95, score_stated: 9.5}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 数字化档案, target: 不少于10000件, actual: 10500件, points: 50, score: 50}
      - {level1: 效益指标, level2: 社会效益指标, name: 查阅人次, target: 不少于1000人次, actual: 1200人次, points: 40, score: 40}
    total_points: 100
    total_stated: 99.5
narrative:
  - heading: 一、基本情况
    text: 本局核定编制50人，在职人员48人。基本支出决算数为940万元，项目支出决算数为190万元，“三公”经费决算数为9.5万元。
"""

SCORECARD = """
scorecard:
  - {level1: 投入, level1_points: 10, level2: 预算配置, level2_points: 10, name: 在职人员控制率, points: 5, score: 5, criteria: 在职人员控制率≦100%，计5分}
  - {level1: 投入, level1_points: 10, level2: 预算配置, level2_points: 10, name: 三公经费变动率, points: 5, score: 5}
  - {level1: 过程, level1_points: 5, level2: 预算执行, level2_points: 5, name: 预算完成率, points: 5, score: 4}
scorecard_total_stated: 14
narrative:
  - heading: 一、总体评价
    text: 自评等级为差。
"""


def skipped(text, department_rubric, project_rubric, code):
    report = audit(package(text), department_rubric, project_rubric)
    return [n.reason for n in report.not_checked if n.code == code]


def codes(text, department_rubric, project_rubric):
    return {f.code for f in audit(package(text), department_rubric, project_rubric).findings}


# (what is left blank, the package, the text replaced, its replacement, the check, a phrase of its reason)
BLANKS = [
    ("funds total", COMPLETE, "total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {initial_budget: 200, full_year_budget: 200}",
     "arithmetic.funds-by-source", "项目“档案数字化”的自评表：年度资金总额未填全年执行数（当年财政拨款为 190）"),
    ("funds sources", COMPLETE, "fiscal: {initial_budget: 200, full_year_budget: 200, executed: 190}", "fiscal: {}",
     "arithmetic.funds-by-source", "年度资金总额已填年初预算数 200、全年预算数 200、全年执行数 190，当年财政拨款、上年结转资金、其他资金均未填"),
    ("funds all", COMPLETE, "      total: {initial_budget: 200, full_year_budget: 200, executed: 190}\n      fiscal: {initial_budget: 200, full_year_budget: 200, executed: 190}\n", "      total: {}\n",
     "arithmetic.funds-by-source", "项目“档案数字化”的自评表未填年度资金总额，也未填各资金来源"),
    ("three public total", COMPLETE, "total: {prior_final: 12, budget: 10, final: 9.5}", "total: {prior_final: 12}",
     "arithmetic.three-public-parts", "三公经费未填本年预算数（公务用车、出国、公务接待之和为 10）、本年决算数（公务用车、出国、公务接待之和为 9.5）"),
    ("vehicle total", COMPLETE, "vehicle: {prior_final: 8, budget: 7, final: 6.5}", "vehicle: {prior_final: 8, budget: 7}",
     "arithmetic.three-public-parts", "公务用车费未填本年决算数（购置、运行维护之和为 6.5）"),
    ("public funds total", COMPLETE, "public_funds: {prior_final: 120, budget: 110, final: 105}", "public_funds: {prior_final: 120, budget: 110}",
     "arithmetic.items-exceed-total", "公用经费未填本年决算数（明细之和为 27）"),
    ("public funds items", COMPLETE, "{name: 办公经费, prior_final: 30, budget: 28, final: 27}", "{name: 办公经费}",
     "arithmetic.items-exceed-total", "公用经费明细“办公经费”未填上年决算数、本年预算数、本年决算数"),
    ("project expenditure column", COMPLETE, "project_expenditure: {prior_final: 180, budget: 200, final: 190}", "project_expenditure: {prior_final: 180, budget: 200}",
     "arithmetic.projects-sum", "“项目支出”合计未填本年决算数（所列项目本年决算数之和为 190）"),
    ("project expenditure row", COMPLETE, "project_expenditure: {prior_final: 180, budget: 200, final: 190}", "project_expenditure: {}",
     "arithmetic.projects-sum", "基础数据表未填“项目支出”合计，所列 1 个项目上年决算数之和为 180、本年预算数之和为 200、本年决算数之和为 190"),
    ("project lines", COMPLETE, "  projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}]\n", "",
     "arithmetic.projects-sum", "基础数据表填了“项目支出”合计，但没有逐项列出项目"),
    ("executed for the rate", COMPLETE, "total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {initial_budget: 200, full_year_budget: 200}",
     "arithmetic.rate-vs-amounts", "项目“档案数字化”的自评表：执行率填报 95%，全年执行数未填"),
    ("authorized staff", COMPLETE, "staffing: {authorized: 50, actual: 48", "staffing: {actual: 48",
     "arithmetic.rate-vs-amounts", "在职人员控制率填报 96%，编制数未填"),
    ("building approvals", COMPLETE, "approved_area: 1000, actual_area: 980", "approved_area: 0, actual_area: 980",
     "arithmetic.rate-vs-amounts", "楼堂馆所“档案库房”：规模控制率填报 98%，批复规模为 0"),
    ("scorecard total", SCORECARD, "scorecard_total_stated: 14\n", "",
     "arithmetic.score-total", "评分表合计未填；各项得分之和为 14"),
    ("total points", COMPLETE, "    total_points: 100\n    total_stated: 99.5", "    total_stated: 99.5",
     "arithmetic.points-total", "项目“档案数字化”的自评表总分值未填；各项分值之和为 100"),
    ("level points", SCORECARD, "{level1: 过程, level1_points: 5,", "{level1: 过程,",
     "arithmetic.points-total", "一级指标“过程”（其下各指标分值之和为 5）未填分值"),
    ("breakdown total", COMPLETE, "text: 本局核定编制50人", "text: 其中：办公经费10万元，差旅费20万元。本局核定编制50人",
     "arithmetic.narrative-breakdown", "报告“一、基本情况”中“其中办公经费、差旅费”之前没有写明合计金额"),
    ("project table budget", COMPLETE, "total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {full_year_budget: 200, executed: 190}",
     "agreement.base-vs-project", "项目“档案数字化”：项目表未填年初预算数（基础数据表“档案数字化”的本年预算数为 200）"),
    ("base row final", COMPLETE, "projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}]", "projects: [{name: 档案数字化, prior_final: 180, budget: 200}]",
     "agreement.base-vs-project", "基础数据表“档案数字化”未填本年决算数（项目表全年执行数为 190）"),
    ("department basic budget", COMPLETE, "  basic_budget: 950\n", "",
     "agreement.department-vs-base", "部门整体支出绩效自评表未填其中基本支出，无法核对"),
    ("base basic budget", COMPLETE, "basic_expenditure: {prior_final: 900, budget: 950, final: 940}", "basic_expenditure: {prior_final: 900, final: 940}",
     "agreement.department-vs-base", "基础数据表未填基本支出本年预算数（部门整体自评表年度预算为 1150、其中基本支出为 950）"),
    ("base basic final", COMPLETE, "basic_expenditure: {prior_final: 900, budget: 950, final: 940}", "basic_expenditure: {prior_final: 900, budget: 950}",
     "agreement.narrative-vs-base", "报告写“基本支出决算数940万元”，基础数据表未填基本支出本年决算数，无法核对"),
    ("staff in post", COMPLETE, "staffing: {authorized: 50, actual: 48, control_rate_stated: 96}", "staffing: {authorized: 50}",
     "agreement.headcount", "报告写“在职人员48人”，基础数据表财政供养人员情况未填实际在职人数"),
    ("indicator points", COMPLETE, "points: 40, score: 40}", "score: 40}",
     "rules.score-above-points", "项目“档案数字化”的自评表“查阅人次”填了得分却未填分值"),
    ("execution score", COMPLETE, "execution: {points: 10, rate_stated: 95, score_stated: 9.5}", "execution: {points: 10, rate_stated: 95}",
     "rules.score-not-given", "项目“档案数字化”的自评表“预算执行率”（按评分规则应得 9.50 分）未填得分"),
    ("full-year budget for the base", COMPLETE, "total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {initial_budget: 200, executed: 190}",
     "rules.rate-base", "执行率填报 95%，全年预算数未填，无法判断是否按年初预算数计算"),
    ("executed for over-execution", COMPLETE, "total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {initial_budget: 200, full_year_budget: 200}",
     "rules.over-execution", "项目“档案数字化”的自评表年度资金总额未填全年执行数"),
    ("criteria points", SCORECARD, "name: 在职人员控制率, points: 5, score: 5,", "name: 在职人员控制率, score: 5,",
     "rules.criteria-points", "评分表“在职人员控制率”的评价标准写了分数，但未填分值"),
    ("grade total", SCORECARD, "scorecard_total_stated: 14\n", "",
     "rules.grade", "报告写明等级为“差”，部门整体没有填报总分（各项填报得分之和为 14）"),
    ("count", COMPLETE, "narrative:\n", "narrative:\n  - heading: 二、绩效目标\n    text: \"全年完成以下二十一个目标：\\n1. 档案数字化；\\n2. 群众满意。\"\n",
     "hygiene.count-mismatch", "“二十一个目标”（其后列出 2 条）的数量无法识别"),
]


@pytest.mark.parametrize("what, text, old, new, code, phrase", BLANKS, ids=[b[0] for b in BLANKS])
def test_a_blank_figure_is_listed_once_with_its_reason(department_rubric, project_rubric, what, text, old, new, code, phrase):
    assert old in text, what
    reasons = skipped(text.replace(old, new, 1), department_rubric, project_rubric, code)
    assert [r for r in reasons if phrase in r], reasons
    assert len(reasons) == 1, reasons  # one per table or row, never one per cell


@pytest.mark.parametrize("code", sorted({b[4] for b in BLANKS}))
def test_nothing_is_listed_when_the_figures_are_there(department_rubric, project_rubric, code):
    # COMPLETE states no grade, which rules.grade rightly lists; its scorecard case is in SCORECARD
    texts = [t for t, used in ((COMPLETE, code != "rules.grade"), (SCORECARD, any(b[1] is SCORECARD and b[4] == code for b in BLANKS))) if used]
    for text in texts:
        assert skipped(text, department_rubric, project_rubric, code) == []


def test_a_blank_score_is_left_to_the_sum_and_no_scores_at_all_is_listed(department_rubric, project_rubric):
    # one blank score: the others still add up against the total, a finding not a skip
    one = COMPLETE.replace("points: 50, score: 50}", "points: 50}")
    assert skipped(one, department_rubric, project_rubric, "arithmetic.score-total") == []
    assert "arithmetic.score-total" in codes(one, department_rubric, project_rubric)
    none = one.replace("execution: {points: 10, rate_stated: 95, score_stated: 9.5}", "execution: {points: 10, rate_stated: 95}").replace("points: 40, score: 40}", "points: 40}")
    [reason] = skipped(none, department_rubric, project_rubric, "arithmetic.score-total")
    assert "总分填报 99.5，各项得分均未填" in reason


def test_blank_columns_of_one_row_make_one_skip(department_rubric, project_rubric):
    text = COMPLETE.replace("total: {prior_final: 12, budget: 10, final: 9.5}", "total: {}")
    [reason] = skipped(text, department_rubric, project_rubric, "arithmetic.three-public-parts")
    assert all(column in reason for column in ("上年决算数", "本年预算数", "本年决算数"))
    bare = COMPLETE.split("  three_public:")[0] + "  project_expenditure:" + COMPLETE.split("  project_expenditure:")[1]
    assert skipped(bare, department_rubric, project_rubric, "arithmetic.three-public-parts") == ["基础数据表“三公经费”各行均未填，无法核对"]


def test_no_public_fund_items_is_nothing_to_check(department_rubric, project_rubric):
    text = COMPLETE.replace("  public_funds_items: [{name: 办公经费, prior_final: 30, budget: 28, final: 27}]\n", "")
    assert skipped(text, department_rubric, project_rubric, "arithmetic.items-exceed-total") == []


def test_a_scorecard_without_level_points_is_nothing_to_check(department_rubric, project_rubric):
    text = SCORECARD.replace("level1_points: 10, ", "").replace("level1_points: 5, ", "")
    assert [r for r in skipped(text, department_rubric, project_rubric, "arithmetic.points-total") if "一级指标" in r] == []


def test_narrative_three_public_is_compared_with_its_parts_when_the_total_is_blank(department_rubric, project_rubric):
    text = COMPLETE.replace("total: {prior_final: 12, budget: 10, final: 9.5}", "total: {prior_final: 12, budget: 10}")
    assert "agreement.narrative-vs-base" not in codes(text, department_rubric, project_rubric)
    assert skipped(text, department_rubric, project_rubric, "agreement.narrative-vs-base") == []
    wrong = text.replace("“三公”经费决算数为9.5万元", "“三公”经费决算数为19.5万元")
    report = audit(package(wrong), department_rubric, project_rubric)
    [finding] = [f for f in report.findings if f.code == "agreement.narrative-vs-base"]
    assert "三公经费合计未填，公务用车、出国、公务接待本年决算数之和为 9.5" in finding.message
    partial = text.replace("reception: {prior_final: 4, budget: 3, final: 3}", "reception: {prior_final: 4, budget: 3}")
    [reason] = skipped(partial, department_rubric, project_rubric, "agreement.narrative-vs-base")
    assert "未填三公经费本年决算数，其公务接待费也未填" in reason


def test_narrative_project_total_falls_back_to_the_lines(department_rubric, project_rubric):
    two = COMPLETE.replace("project_expenditure: {prior_final: 180, budget: 200, final: 190}", "project_expenditure: {}").replace(
        "projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}]", "projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}, {name: 应急经费}]"
    )
    # the blank line is taken as nothing spent: 190 agrees, so there is nothing to list
    assert skipped(two, department_rubric, project_rubric, "agreement.narrative-vs-base") == []
    wrong = two.replace("项目支出决算数为190万元", "项目支出决算数为250万元")
    [reason] = skipped(wrong, department_rubric, project_rubric, "agreement.narrative-vs-base")
    assert "基础数据表“应急经费”未填本年决算数，其余各项目本年决算数之和为 190，与之不符" in reason
    assert "agreement.narrative-vs-base" not in codes(wrong, department_rubric, project_rubric)
    once = wrong.replace("“三公”经费决算数为9.5万元。", "“三公”经费决算数为9.5万元。项目支出决算数为250万元。")
    assert once.count("项目支出决算数为250万元") == 2
    assert len(skipped(once, department_rubric, project_rubric, "agreement.narrative-vs-base")) == 1


def test_department_project_budget_with_a_blank_line(department_rubric, project_rubric):
    text = COMPLETE.replace("projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}]", "projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}, {name: 应急经费, final: 0}]")
    assert skipped(text, department_rubric, project_rubric, "agreement.department-vs-base") == []
    off = text.replace("project_budget: 200", "project_budget: 260")
    [reason] = skipped(off, department_rubric, project_rubric, "agreement.department-vs-base")
    assert "基础数据表“应急经费”未填本年预算数，其余各项目之和为 200（部门整体自评表其中项目支出为 260）" in reason
    assert "agreement.department-vs-base" not in codes(off, department_rubric, project_rubric)


def test_department_is_compared_with_the_project_row_when_no_lines_are_listed(department_rubric, project_rubric):
    text = COMPLETE.replace("  projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}]\n", "")
    assert skipped(text, department_rubric, project_rubric, "agreement.department-vs-base") == []
    off = text.replace("project_budget: 200", "project_budget: 260")
    assert "agreement.department-vs-base" in codes(off, department_rubric, project_rubric)
    bare = text.replace("project_expenditure: {prior_final: 180, budget: 200, final: 190}", "project_expenditure: {}")
    [reason] = skipped(bare, department_rubric, project_rubric, "agreement.department-vs-base")
    assert "基础数据表既未逐项列出项目，也未填“项目支出”本年预算数" in reason


def test_combined_base_rows_with_one_blank(department_rubric, project_rubric):
    text = COMPLETE.replace("projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}]", "projects: [{name: 档案数字化, prior_final: 180, budget: 200, final: 190}, {name: 档案数字化二期, final: 0}]")
    assert skipped(text, department_rubric, project_rubric, "agreement.base-vs-project") == []
    off = text.replace("total: {initial_budget: 200, full_year_budget: 200, executed: 190}", "total: {initial_budget: 230, full_year_budget: 200, executed: 190}")
    [reason] = skipped(off, department_rubric, project_rubric, "agreement.base-vs-project")
    assert "基础数据表“档案数字化二期”未填本年预算数，已填各行之和 200 与项目表年初预算数 230 不符" in reason


def test_no_project_tables_says_which_is_missing(department_rubric, project_rubric):
    text = COMPLETE.split("projects:\n  - name: 档案数字化")[0] + "narrative:" + COMPLETE.split("narrative:")[1]
    assert skipped(text, department_rubric, project_rubric, "agreement.base-vs-project") == ["材料中没有项目支出绩效自评表，无法核对"]
