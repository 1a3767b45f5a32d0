"""Layouts other provinces publish, read by grid position and header (docs/layouts.md)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from jixiao.audit.report import audit
from jixiao.ingest import import_file
from jixiao.ingest.align import under
from jixiao.ingest.document import Cell, Where
from variants.writers import DOWN, Grid, Para, add
from variants.writers import write_docx as write_docx_blocks

# A row is a list of cells; a cell is its text, or (text, span), or None for the continuation
# of a vertical merge from the row above.
SICHUAN = [
    ["项目名称", ("乡村道路养护", 8)],
    ["主管部门", ("某县交通运输局", 3), "实施单位", ("某县公路养护中心", 4)],
    ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
    [None, "总额", "100.00", "120.00", "114.00", "95.00%", "10", "9.5", "雨季停工"],
    [None, "其中:财政资金", "100.00", "120.00", "114.00", "95.00%", "/", "/", None],
    [None, "财政专户管理资金", "0.00", "0.00", "0.00", "0.00%", "/", "/", None],
    [None, "单位资金", "", "", "", "", "/", "/", None],
    [None, "其他资金", "", "", "", "", "/", "/", None],
    ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
    [None, "产出指标", "数量指标", "养护里程", "≥", "500", "公里", "460", "30", "27.6", "部分路段改建"],
    [None, None, "质量指标", "验收合格率", "=", "100", "%", "100", "30", "30", ""],
    [None, "效益指标", "社会效益指标", "群众出行", "定性", "明显改善", "", "明显改善", "20", "20", ""],
    [None, None, None, "指标2:", "", "", "", "", "", "", ""],
    [None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%", "95", "10", "10", ""],
    ["合计", ("90", 8), "87.6", ""],
    ["评价结论", ("结合自评情况,对项目绩效目标完成情况进行评价(200字以内)", 10)],
    ["存在问题", ("部分路段改建推迟", 10)],
    ["改进措施", ("加强计划管理", 10)],
    [("项目负责人：王五", 5), ("财务负责人：赵六", 6)],
]


def write_docx(rows: list[list], path: Path, title: str = "项目支出绩效自评表（2023年度）") -> Path:
    """A .docx with real merges (gridSpan across, vMerge down), by the corpus's writer."""
    grid = Grid(max(sum(c[1] if isinstance(c, tuple) else 1 for c in row) for row in rows))
    for row in rows:
        add(grid, *(DOWN if c is None else c for c in row))
    return write_docx_blocks([Para(title), grid], path)


def test_sichuan_table_from_word_reads_every_block(tmp_path, department_rubric, project_rubric):
    result = import_file(write_docx(SICHUAN, tmp_path / "sichuan.docx"))
    assert result.ok, result.notices
    evaluation = result.evaluation
    assert (evaluation.unit.name, evaluation.unit.supervisor, evaluation.fiscal_year) == ("某县公路养护中心", "某县交通运输局", 2023)
    [table] = evaluation.projects
    assert table.layout == "sichuan-2023"
    funds = table.funds
    assert (funds.total.initial_budget, funds.total.full_year_budget, funds.total.executed) == (D("100.00"), D("120.00"), D("114.00"))
    assert (funds.fiscal.executed, funds.fiscal.rate_stated) == (D("114.00"), D("95.00"))
    assert (funds.special_account.executed, funds.special_account.rate_stated) == (D("0.00"), D("0.00"))
    assert funds.unit_funds.executed is None and funds.other.executed is None
    assert (table.execution.points, table.execution.rate_stated, table.execution.score_stated, table.execution.reason) == (D(10), D("95.00"), D("9.5"), "雨季停工")
    first, second, third, fourth = table.indicators  # the 指标2: template row is skipped
    assert (first.level1, first.level2, first.name, first.target, first.actual, first.points, first.score) == (
        "产出指标", "数量指标", "养护里程", "≥500公里", "460公里", D(30), D("27.6"),
    )
    assert (second.level2, second.target, second.actual) == ("质量指标", "=100%", "100%")
    assert (third.kind, third.target, third.actual) == ("qualitative", "明显改善", "明显改善")
    assert (fourth.level1, fourth.target, fourth.actual) == ("满意度指标", "≥90%", "95%")
    assert (table.total_points, table.total_stated) == (D(90), D("87.6"))
    assert (table.problems, table.measures) == ("部分路段改建推迟", "加强计划管理")
    assert (table.signatures.project_lead, table.signatures.finance_lead) == ("王五", "赵六")
    assert any(n.code == "template-row" and "指标2:" in n.message for n in result.notices)
    assert result.found.coverage.placed == result.found.coverage.seen
    # the template's instruction is kept as written, and the audit says it is one
    assert table.conclusion.startswith("结合自评情况")
    report = audit(evaluation, department_rubric, project_rubric, result.notices, "sichuan.docx")
    [finding] = [f for f in report.findings if f.code == "hygiene.template-text"]
    assert finding.severity == "warning" and finding.location.row == "评价结论"


def test_a_merged_cell_on_the_right_never_shifts_the_figures(tmp_path):
    """其中 rows whose 分值/执行率/得分 are one merged cell, and a 原因 column merged down."""
    rows = [
        ["项目名称", ("档案数字化", 7)],
        ["主管部门", ("某局", 2), "实施单位", ("档案馆", 4)],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", "50", "60", "54", "10", "90%", "9"],
        [None, "其中：当年财政拨款", "50", "60", "54", ("", 3)],
        [None, "上年结转资金", "", "", "", ("", 3)],
        [None, "其他资金", "", "", "", ("—", 3)],
        ["", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标", "数量指标", "扫描页数", "≥20万页", "21万页", "90", "90", ""],
        ["总分", ("100", 6), "99", ""],
    ]
    result = import_file(write_docx(rows, tmp_path / "p.docx"))
    [table] = result.evaluation.projects
    assert (table.funds.fiscal.initial_budget, table.funds.fiscal.full_year_budget, table.funds.fiscal.executed) == (D(50), D(60), D(54))
    assert table.execution.rate_stated == D(90)
    [indicator] = table.indicators  # an empty first header cell in place of 绩效指标
    assert (indicator.level1, indicator.name, indicator.points, indicator.score) == ("产出指标", "扫描页数", D(90), D(90))
    assert not [n for n in result.notices if n.severity == "error"]


def test_an_unknown_column_is_reported_by_its_label_and_never_shifts_the_rest(tmp_path):
    rows = [
        ["项目名称", ("档案数字化", 8)],
        ["实施单位", ("档案馆", 8)],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
        [None, "年度资金总额", "50", "60", "54", "10", "90%", "9", ""],
        ["", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "备注", "分值", "得分"],
        [None, "产出指标", "数量指标", "扫描页数", "≥20万页", "21万页", "外包", "90", "88"],
        ["总分", ("100", 6), "97"],
    ]
    result = import_file(write_docx(rows, tmp_path / "p.docx"))
    [table] = result.evaluation.projects
    [indicator] = table.indicators
    assert (indicator.points, indicator.score) == (D(90), D(88))
    [notice] = [n for n in result.notices if n.code == "unknown-column"]
    assert notice.severity == "warning" and "备注" in notice.message


def test_text_rows_are_aligned_to_their_header_by_what_they_hold():
    def cells(*texts):
        return [Cell(t, Where("t")) for t in texts]

    header = cells("项目资金", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    kinds = ["block", "label", "number", "number", "number", "number", "number", "number"]
    # a browser's copy drops the cell merged down from above; a Word copy keeps it empty
    for row in (cells("其中：当年财政拨款", "50", "60", "54"), cells("", "其中：当年财政拨款", "50", "60", "54", "")):
        placed = under(row, header, kinds)
        assert [c.text if c else None for c in placed[1:5]] == ["其中：当年财政拨款", "50", "60", "54"]
    grid = cells("绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "原因")
    kinds = ["block", "label", "label", "label", "mark", "value", "mark", "value", "number", "number", "text"]
    placed = under(cells("任务完成时间", "定性", "12月底前", "", "12月底前", "10", "10", ""), grid, kinds)
    assert [c.text if c else None for c in placed[3:10]] == ["任务完成时间", "定性", "12月底前", "", "12月底前", "10", "10"]


def test_the_year_comes_from_the_title_the_columns_or_the_file_name(tmp_path):
    rows = [["项目名称", "甲"], ["实施单位", "某局"], ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数"], ["年度资金总额", "1", "1", "1"]]
    titled = import_file(write_docx(rows, tmp_path / "a.docx", title="项目支出绩效自评表（2021年度）"))
    assert titled.evaluation.fiscal_year == 2021
    named = import_file(write_docx(rows, tmp_path / "某局2020年项目自评.docx", title="项目支出绩效自评表"))
    assert named.evaluation.fiscal_year == 2020
    unknown = import_file(write_docx(rows, tmp_path / "b.docx", title="项目支出绩效自评表"))
    assert unknown.evaluation is None and "--year" in unknown.errors[0].message
    given = import_file(tmp_path / "b.docx", year=2019)
    assert given.evaluation.fiscal_year == 2019
