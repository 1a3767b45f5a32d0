"""What an adversarial read of the importer found: a unit's own words taken for a form's label,
a block that never ended, a paste that lost its empty cells, and sizes that cost too much."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.ingest import import_file
from variants.writers import DOWN, Grid, add, write

FIGURES = ("年度资金总额", 3), "50", "60", "54", "10", "90%", "9"


def national(indicators=None, goal=("完成改造任务", "已完成改造")) -> Grid:
    g = Grid(10)
    add(g, ("项目支出绩效自评表（2022年度）", 10))
    add(g, "项目名称", ("暖通改造", 9))
    add(g, "主管部门", ("市发改委", 4), "实施单位", ("市食品学校", 4))
    add(g, "项目资金（万元）", ("", 3), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    add(g, DOWN, *FIGURES)
    add(g, DOWN, ("其中：当年财政拨款", 3), "50", "60", "54", ("", 3))
    add(g, "年度总体目标", ("预期目标", 5), ("实际完成情况", 4))
    add(g, DOWN, (goal[0], 5), (goal[1], 4))
    add(g, "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", ("偏差原因分析及改进措施", 2))
    for row in indicators or [("产出指标", "数量指标", "改造面积", "≥5000平方米", "5200平方米", "60", "60", "")]:
        add(g, DOWN, *row[:7], (row[7], 2))
    add(g, ("总分", 6), "70", "69", ("", 2))
    return g


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pipe"])
def test_an_indicator_named_like_a_total_does_not_end_the_grid(tmp_path, fmt):
    rows = [
        ("产出指标", "数量指标", "培训场次", "≥10场", "12场", "30", "30", ""),
        (DOWN, DOWN, "总计完成培训人次", "≥500人次", "520人次", "30", "29", ""),
    ]
    [table] = import_file(write([national(rows)], fmt, tmp_path / f"t.{fmt if fmt != 'pipe' else 'txt'}")).evaluation.projects
    assert [i.name for i in table.indicators] == ["培训场次", "总计完成培训人次"]
    assert (table.total_points, table.total_stated) == (D(70), D(69))


@pytest.mark.parametrize("fmt", ["docx", "pipe"])
def test_a_goal_that_begins_with_a_funds_label_stays_a_goal(tmp_path, fmt):
    grid = national(goal=("全年预算资金60万元，完成办公楼暖通改造", "完成改造，执行54万元"))
    [table] = import_file(write([grid], fmt, tmp_path / f"t.{fmt if fmt != 'pipe' else 'txt'}")).evaluation.projects
    assert [(g.expected, g.actual) for g in table.goals] == [("全年预算资金60万元，完成办公楼暖通改造", "完成改造，执行54万元")]
    assert table.funds.total.executed == D(54)


def test_a_department_goal_that_begins_with_a_budget_word_is_not_a_budget(tmp_path):
    text = (
        "部门整体支出绩效自评表（2023年度）\n"
        "部门名称 | 某某局 | 执行数 | 资金执行率 | 分值 | 得分\n"
        "年度预算申请（万元） | 资金总额：120 | 110 | 91.67% | 10 | 9.17\n"
        " | 按收入性质分： | 按支出性质分：\n"
        " | 其中：一般公共预算收入：120 | 其中：基本支出：100\n"
        "整体绩效目标 | 年度预算执行率达到95%以上，项目支出按计划执行，完成道路维修12公里\n"
    )
    path = tmp_path / "dept.txt"
    path.write_text(text, encoding="utf-8")
    table = import_file(path).evaluation.department_evaluation
    assert (table.funds.total.initial_budget, table.funds.total.executed, table.basic_budget, table.project_budget) == (D(120), D(110), D(100), None)
    assert table.goals[0].expected.startswith("年度预算执行率达到95%以上")


def test_rows_after_the_buildings_block_are_spending_rows_again(tmp_path):
    rows = [
        ["财政供养人员情况", "编制数", "实际在职人数", "控制率"], ["", "40", "42", "105%"],
        ["楼堂馆所控制情况", "批复规模（㎡）", "实际规模（㎡）", "规模控制率", "预算投资（万元）", "实际投资（万元）", "投资概算控制率"],
        ["无", "", "", "", "", "", ""],
        ["经费控制情况", "2022年决算数", "2023年预算数", "2023年决算数"],
        ["三公经费", "12", "10", "9.8"],
        ["项目支出", "2587.42", "3811.64", "3055.46"],
    ]
    path = tmp_path / "base.txt"
    path.write_text("2023年部门整体支出绩效评价基础数据表\n填报单位：某某局\n\n" + "\n".join(" | ".join(r) for r in rows) + "\n", encoding="utf-8")
    base = import_file(path).evaluation.base_data
    assert base.buildings == [] and base.three_public.total.final == D("9.8") and base.project_expenditure.budget == D("3811.64")


def test_a_paste_that_lost_an_empty_cell_keeps_the_rate_in_the_rate_column(tmp_path):
    """大英's web copy: empty cells collapse to the row's end, so 年初预算 blank shifts the rest left."""
    text = (
        "部门预算项目支出绩效自评表(2023年度) | ||||||||||\n项目名称 | 安可替代补助 | |||||||||\n"
        "实施单位 | 大英县司法局 | |||||||\n"
        "预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 | ||\n"
        "总额 | 3.36 | 3.02 | 89.88% | 10 | 8.99 | |||||\n"
    )
    path = tmp_path / "dy.txt"
    path.write_text(text, encoding="utf-8")
    [table] = import_file(path).evaluation.projects
    total = table.funds.total
    assert (total.initial_budget, total.full_year_budget, total.executed) == (None, D("3.36"), D("3.02"))
    assert (table.execution.rate_stated, table.execution.points, table.execution.score_stated) == (D("89.88"), D(10), D("8.99"))


def test_a_scorecard_pasted_with_blank_first_cells_keeps_its_columns(tmp_path):
    text = (
        "2022年部门整体支出绩效评价指标评分表\n"
        "一级指标 | 二级指标 | 三级指标 | 分值 | 评价标准 | 指标说明 | 得分\n"
        "投入 | 预算配置 | 在职人员控制率 | 5 | 以100%为标准 | 在职人数/编制数 | 5\n"
        " |  | 三公经费变动率 | 5 | 变动率≦0计5分 | （本年−上年）/上年 | 4\n"
        " |  | 预算完成率 | 10 | 100%计满分 | 完成数/预算数 | 8\n"
        "合计 |  |  | 20 |  |  | 17\n"
    )
    path = tmp_path / "sc.txt"
    path.write_text(text, encoding="utf-8")
    evaluation = import_file(path).evaluation
    assert [(r.level1, r.name, r.points, r.score) for r in evaluation.scorecard] == [
        ("投入", "在职人员控制率", D(5), D(5)), ("投入", "三公经费变动率", D(5), D(4)), ("投入", "预算完成率", D(10), D(8)),
    ]


def test_sichuans_implementation_summary_is_its_own_field_not_a_goal(tmp_path):
    text = (
        "部门预算项目支出绩效自评表(2023年度)\n项目名称 | 安可替代补助\n实施单位 | 大英县司法局\n"
        "项目基本情况 | 1.项目年度目标完成情况 | 项目年度目标 | 年度目标完成情况\n"
        "购买安可设备并完成资金支付 | 完成\n"
        "2.项目实施内容及过程概述 | 2023年购买13台安可电脑\n"
    )
    path = tmp_path / "sc.txt"
    path.write_text(text, encoding="utf-8")
    [table] = import_file(path).evaluation.projects
    assert [(g.expected, g.actual) for g in table.goals] == [("购买安可设备并完成资金支付", "完成")]
    assert table.implementation == "2023年购买13台安可电脑"


@pytest.mark.parametrize("text", ["|\n|\n", "|\n项目名称 |\n甲 |\n|\n主管部门 |\n乙 |\n"])
def test_lone_pipes_never_crash_the_import(tmp_path, text):
    path = tmp_path / "pipes.txt"
    path.write_text(text, encoding="utf-8")
    result = import_file(path, year=2023)
    assert not any("识别表格时出错" in n.message or "无法解析" in n.message for n in result.notices)


def test_a_pasted_row_far_wider_than_any_form_is_read_in_order_not_aligned(tmp_path):
    """The aligner's cost grows with the cube of a row's width: past any real form's width it
    is not run. A row of 600 cells under a 600-column header is read at once."""
    header = " | ".join(["三级指标", "年度指标值", "实际完成值", "分值", "得分"] + [f"列{i}" for i in range(595)])
    row = " | ".join(["面积", "≥1", "2", "3", "4"] + [str(i) for i in range(590)])
    path = tmp_path / "wide.txt"
    path.write_text(f"项目支出绩效自评表（2023年度）\n项目名称 | 甲\n{header}\n{row}\n", encoding="utf-8")
    [table] = import_file(path).evaluation.projects  # unbounded, this took about 1,000 s
    assert (table.indicators[0].name, table.indicators[0].points, table.indicators[0].score) == ("面积", D(3), D(4))
