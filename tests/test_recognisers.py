"""Form recognisers on layouts other places use: found by label, never by position."""

from decimal import Decimal as D

from jixiao.ingest.forms.package import recognise
from jixiao.ingest.text import read_text


def form(*blocks):
    """Text in the samples' layout: a block is a paragraph (str) or a table (list of rows)."""
    out = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block + "\n")
        else:
            out.append("\n".join("".join(f"\t{cell}\n" for cell in row) for row in block) + "\n")
    return "".join(out)


def run(*blocks, **options):
    return recognise(read_text(form(*blocks), "t.txt"), **options)


BASE_HEAD = [["财政供养人员情况", "编制数", "实际在职人数", "控制率"], ["", "40", "42", "105%"], ["经费控制情况", "2022年决算数", "2023年预算数", "2023年决算数"]]


def test_base_data_with_execution_block_buildings_and_extra_rows():
    table = BASE_HEAD + [
        ["一、部门基本支出", "900", "950", "948.5"],
        ["其中：工资福利支出", "600", "620", "619"],
        ["三公经费", "12", "10", "9.8"],
        ["结转结余资金", "30", "", "12"],
        ["上年结转", "年初预算", "本年追加", "年末结余"],
        ["20", "1000", "150", "80"],
        ["楼堂馆所控制情况", "批复规模（㎡）", "实际规模（㎡）", "规模控制率", "预算投资（万元）", "实际投资（万元）", "投资概算控制率"],
        ["档案馆", "1200", "1260", "105%", "800", "790", "98.75%"],
    ]
    evaluation, notices, found = run("2023年部门整体支出绩效评价基础数据表", "填报单位：某某局\t\t单位：万元", table)
    base = evaluation.base_data
    assert (evaluation.unit.name, evaluation.fiscal_year) == ("某某局", 2023)
    assert (base.staffing.authorized, base.staffing.actual, base.staffing.control_rate_stated) == (40, 42, D(105))
    assert base.basic_expenditure.final == D("948.5") and base.basic_expenditure.prior_final == 900
    assert base.three_public.total.budget == 10
    assert [(r.name, r.prior_final, r.budget, r.final) for r in base.basic_expenditure_items] == [("工资福利支出", D(600), D(620), D(619))]
    assert [(r.name, r.prior_final, r.budget, r.final) for r in base.other_rows] == [("结转结余资金", D(30), None, D(12))]
    assert base.execution.model_dump() == {"carried_over": D(20), "initial_budget": D(1000), "supplementary": D(150), "year_end_balance": D(80)}
    [building] = base.buildings
    assert (building.name, building.actual_area, building.area_rate_stated, building.actual_investment) == ("档案馆", D(1260), D(105), D(790))
    assert not [n for n in notices if n.severity != "info"]


def project(name, executed="9", rows=None):
    head = [
        ["项目支\n出名称", name],
        ["主管部门", "某某局", "实施单位", "办公室"],
        ["项目资金\n（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", "10", "10", executed, "10", "90%", "9"],
        ["", "年度\n总体目标", "预期目标", "实际完成情况"],
        ["", "", "完成任务", "已完成"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    grid = rows or [
        ["", "产出指标\n（50分）", "数量指标", "检查次数", "≥10次", "12次", "50", "50", ""],
        ["", "效益指标\n（40分）", "社会效益指标", "群众受益", "显著", "显著", "40", "38", "宣传不足"],
    ]
    return head, grid, [["总  分", "100", "97", ""]]


def test_a_project_table_split_across_pages_is_one_project():
    head, grid, total = project("档案整理")
    evaluation, notices, found = run("2023年度项目支出绩效自评表", head + grid[:1], "（续表）", grid[1:] + total)
    assert found.projects == 1
    [table] = evaluation.projects
    assert [i.name for i in table.indicators] == ["检查次数", "群众受益"]
    assert (table.total_points, table.total_stated, table.department, table.implementer) == (D(100), D(97), "某某局", "办公室")
    assert table.execution.rate_stated == 90 and table.goals[0].actual == "已完成"
    assert table.indicators[1].deviation == "宣传不足" and table.indicators[1].level1 == "效益指标"


def test_two_projects_in_one_table_are_two_projects():
    first = sum(project("甲项目"), [])
    second = sum(project("乙项目", executed="10"), [])
    evaluation, _, found = run("2023年度项目支出绩效自评表", first + second)
    assert found.projects == 2
    assert [(p.name, p.funds.total.executed) for p in evaluation.projects] == [("甲项目", D(9)), ("乙项目", D(10))]
    # the 实施单位 fills the tables in; the 主管部门 is kept as its own field, never taken for the unit
    assert (evaluation.unit.name, evaluation.unit.supervisor) == ("办公室", "某某局")


def test_missing_year_is_an_error_unless_given():
    head, grid, total = project("甲")
    text_blocks = ("项目支出绩效自评表", head + grid + total)
    evaluation, notices, _ = run(*text_blocks)
    assert evaluation is None and [n.code for n in notices if n.severity == "error"] == ["year-not-found"]
    evaluation, notices, _ = run(*text_blocks, year=2023, unit="指定单位")
    assert (evaluation.fiscal_year, evaluation.unit.name) == (2023, "指定单位")


def test_missing_unit_falls_back_to_the_file_name_with_a_warning():
    table = BASE_HEAD + [["三公经费", "1", "1", "1"]]
    evaluation, notices, _ = run("2023年基础数据表", table)
    assert evaluation.unit.name == "t"
    assert [n.code for n in notices if n.severity == "warning"] == ["unit-not-found"]


def test_unreadable_figure_is_reported_with_its_position():
    table = BASE_HEAD + [["三公经费", "1", "约十万", "1"]]
    evaluation, notices, _ = run("2023年基础数据表", "填报单位：某局", table)
    assert evaluation.base_data.three_public.total.budget is None
    [notice] = [n for n in notices if n.code == "not-a-number"]
    assert notice.text == "约十万" and "第 4 行，第 3 格" in notice.where


def test_base_data_with_an_adjusted_budget_column_and_numbered_project_lines():
    """A base data table laid out elsewhere: 调整预算数 beside 预算数, the year only in the
    headcount's header, projects as “1、…” lines under 项目支出:."""
    table = [
        ["财政供养人员情况", "编制数", "2023年实际在职人数", "控制率"],
        ["", "40", "42", "105%"],
        ["经费控制情况", "2022年决算数", "2023年预算数", "2023年调整预算数", "2023年决算数"],
        ["三公经费", "12", "10", "11", "9.8"],
        ["项目支出:", "", "", "", ""],
        ["1、业务工作专项", "938.8", "320", "700", "689.16"],
        ["2、信息化运维", "12", "15", "", "14.5"],
    ]
    evaluation, notices, _ = run("部门整体支出绩效评价基础数据表", "填报单位：某某局", table)
    base = evaluation.base_data
    assert evaluation.fiscal_year == 2023
    assert (base.three_public.total.budget, base.three_public.total.adjusted_budget, base.three_public.total.final) == (D(10), D(11), D("9.8"))
    assert [(p.name, p.prior_final, p.budget, p.adjusted_budget, p.final) for p in base.projects] == [
        ("业务工作专项", D("938.8"), D(320), D(700), D("689.16")),
        ("信息化运维", D(12), D(15), None, D("14.5")),
    ]
    assert not [n for n in notices if n.severity != "info"]


def test_a_closing_row_run_into_the_next_tables_name_row_is_parted_again():
    """Word's copy runs a short last row into the next table's first (blank lines inside a
    cell and between rows look alike): 改进措施 | … | 项目名称 | 乙项目 is two rows."""
    first_head, grid, total = project("甲项目")
    second_head, second_grid, second_total = project("乙项目", executed="10")
    closing = [["评价结论", "基本完成"], ["改进措施", "加强管理", *second_head[0]]]
    evaluation, notices, found = run("2023年度项目支出绩效自评表", first_head + grid + total + closing + second_head[1:] + second_grid + second_total)
    assert found.projects == 2
    first, second = evaluation.projects
    assert (first.name, first.conclusion, first.measures) == ("甲项目", "基本完成", "加强管理")
    assert (second.name, second.funds.total.executed, second.implementer) == ("乙项目", D(10), "办公室")
