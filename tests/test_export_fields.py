"""Export of the fields other provinces' layouts add: each value sits in its own cell, under
its own header, in every format; a package without them exports exactly as before."""

from __future__ import annotations

import html as htmllib
import shutil
from decimal import Decimal as D
from io import BytesIO

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from placed_cells import (
    READERS,
    md_cells,
    pdf_pages,
    pdf_under,
    right_of,
    row_of,
    same,
    under,
)

from jixiao.ingest import import_file
from jixiao.model import Evaluation, FundRow, Signatures
from jixiao.render.cells import BLANK_FOOTER
from jixiao.render.export import export

PROJECT_SIGNED = Signatures(project_lead="赵项目", finance_lead="钱财务", filler="孙填表", phone="0734-8220001", date="2023年3月15日", head="李单位")
UNIT_SIGNED = Signatures(filler="周基础", phone="0734-8220002", date="2023年3月16日", head="吴负责")
DEPARTMENT_SIGNED = Signatures(finance_lead="郑部门财务", filler="王部门", date="2023年3月17日")


def every_field(city: Evaluation) -> Evaluation:
    """The city package with each new field set, to a value that occurs nowhere else."""
    evaluation = city.model_copy(deep=True)
    evaluation.unit.supervisor = "衡阳市人民政府"
    evaluation.signatures = UNIT_SIGNED
    base = evaluation.base_data
    base.basic_expenditure.adjusted_budget = D("1901.23")
    base.public_funds.adjusted_budget = D("211.45")
    base.projects[0].adjusted_budget = D("160.50")

    department = evaluation.department_evaluation
    assert department is not None
    department.funds.special_account = FundRow(initial_budget=D("55.60"), full_year_budget=D("55.60"))
    department.funds.unit_funds = FundRow(initial_budget=D("7.80"), full_year_budget=D("7.80"))
    department.execution.reason = "追加市委市政府重点工作经费"
    department.goals[0].adjusted = "保障大院运转，完成追加的重点任务"
    department.indicators[0].target_adjusted = "≥98%"
    department.indicators[0].coefficient = D(90)
    department.indicators[0].core = True
    department.indicators[1].core = False
    department.total_reviewed = D("91.5")
    department.conclusion = "部门整体绩效良好"
    department.problems = "预算编制不够精细"
    department.measures = "加强预算编制与执行监控"
    department.signatures = DEPARTMENT_SIGNED

    project = evaluation.projects[0]
    project.funds.fiscal.rate_stated = D(100)
    project.funds.special_account = FundRow(initial_budget=D("12.34"), full_year_budget=D("13.45"), executed=D("11.22"), rate_stated=D("83.42"))
    project.funds.unit_funds = FundRow(initial_budget=D("3.21"), full_year_budget=D("4.32"), executed=D("4.32"), rate_stated=D(100))
    project.execution.reason = "辅警人数年中调整"
    project.goals[0].adjusted = "提供安全工作环境（年中调整）"
    project.indicators[0].target_adjusted = "调整后18人"
    project.indicators[0].coefficient = D(95)
    project.indicators[0].core = True
    project.indicators[1].core = False
    project.total_reviewed = D("88.5")
    project.implementation = "年初招录辅警18人，按季度考核"
    project.conclusion = "项目绩效目标基本完成，评价等级为良"
    project.problems = "部分指标设置不够细化"
    project.measures = "细化绩效指标，加强过程监控"
    project.signatures = PROJECT_SIGNED
    project.layout = "hunan-2022"
    return evaluation


# ---- the tests ----


@pytest.fixture(scope="module")
def full(hengyang) -> Evaluation:
    return every_field(hengyang)


@pytest.fixture(scope="module")
def exported(full, department_rubric, project_rubric) -> dict[str, bytes]:
    return {to: export(full, to, department_rubric, project_rubric) for to in ("xlsx", "docx", "html", "md")}


# (header, row label, shown value): every new figure under its header, in every format
UNDER = [
    ("2022年调整预算数", "一、部门基本支出", "1901.23"),
    ("2022年调整预算数", "其中：公用经费", "211.45"),
    ("2022年调整预算数", "县市区长会议经费及电视电话会议", "160.50"),
    ("2022年预算数", "一、部门基本支出", "1839.57"),  # the columns beside it did not move
    ("2022年决算数", "一、部门基本支出", "3443.65"),
    ("年初预算数", "财政专户管理资金", "12.34"),
    ("全年预算数", "财政专户管理资金", "13.45"),
    ("全年执行数", "财政专户管理资金", "11.22"),
    ("执行率", "财政专户管理资金", "83.42%"),
    ("年初预算数", "单位资金", "3.21"),
    ("全年执行数", "单位资金", "4.32"),
    ("执行率", "其中：当年财政拨款", "100%"),
    ("全年（调整）目标", "提供正常安全工作环境", "提供安全工作环境（年中调整）"),
    ("实际完成情况", "提供正常安全工作环境", "圆满完成"),
    ("是否核心指标", "预计转辅警人", "是"),
    ("是否核心指标", "人员阶段考核合格率", "否"),
    ("调整指标值", "预计转辅警人", "调整后18人"),
    ("年度指标值", "预计转辅警人", "30人"),
    ("实际完成值", "预计转辅警人", "30人"),
    ("得分系数", "预计转辅警人", "95%"),
    ("分值", "预计转辅警人", "15"),
    ("得分", "预计转辅警人", "15"),
    ("全年（调整）目标", "保障政府机关大院正常运转及各项工作任务完成", "保障大院运转，完成追加的重点任务"),
    ("调整指标值", "督查督办次数", "≥98%"),
    ("得分系数", "督查督办次数", "90%"),
    ("是否核心指标", "督查督办次数", "是"),
    ("原因", "年度预算申请（万元）", "追加市委市政府重点工作经费"),  # the department's, right of 得分
    ("原因", "年度资金总额", "辅警人数年中调整"),  # the project's
]
RIGHT = [
    ("评价结论", "部门整体绩效良好"),
    ("存在问题", "预算编制不够精细"),
    ("改进措施", "加强预算编制与执行监控"),
    ("财政审核评分", "91.5"),
]
PROJECT_RIGHT = [
    ("财政审核评分", "88.5"),
    ("项目实施内容及过程概述", "年初招录辅警18人，按季度考核"),
    ("评价结论", "项目绩效目标基本完成，评价等级为良"),
    ("存在问题", "部分指标设置不够细化"),
    ("改进措施", "细化绩效指标，加强过程监控"),
]


@pytest.mark.parametrize("to", ["xlsx", "docx", "html", "md"])
def test_each_new_value_is_under_its_header(exported, to):
    cells = READERS[to](exported[to])
    for header, label, shown in UNDER:
        value = under(cells, header, label)
        assert same(value, shown), f"{to}: “{label}” under “{header}” is {value!r}, not {shown}"
    # the department form comes first: the project's rows are found after its 项目支出名称
    assert same(under(cells, "得分", "财政审核评分"), "91.5")
    project = row_of(cells, "项目支出名称")
    assert same(under(cells, "得分", "财政审核评分", after=project), "88.5")
    for label, shown in RIGHT:
        assert same(right_of(cells, label, spans=to != "md"), shown), to
    for label, shown in PROJECT_RIGHT:
        assert same(right_of(cells, label, after=project, spans=to != "md"), shown), to
    texts = {c.value for c in cells}
    assert "财政专户管理资金：55.60" in texts and "单位资金：7.80" in texts


def test_rows_and_columns_only_where_the_form_holds_them(exported):
    cells = md_cells(exported["md"])
    first = row_of(cells, "项目支出名称").table
    rows = ("原因", "年度资金总额", "其中：当年财政拨款", "上年结转资金", "财政专户管理资金", "单位资金", "其他资金", "评价结论", "存在问题", "改进措施")
    assert [c.value for c in cells if c.table == first and c.value in rows] == list(rows)
    second = [c.value for c in cells if c.table == first + 1]  # the next project holds none of them
    assert [label for label in rows if label in second] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert [c.first for c in cells if c.table == first and c.value == "原因"] == [12]  # right of 得分, three columns added
    assert not {"调整指标值", "得分系数", "是否核心指标", "财政审核评分", "全年（调整）目标"} & set(second)
    assert [c.table for c in cells if c.value == "调整指标值"] == [first - 1, first]  # the department form and the first project


@pytest.mark.parametrize("to", ["xlsx", "docx", "html", "md"])
def test_signature_lines_and_the_supervisor(exported, to):
    data = exported[to]
    if to == "xlsx":
        book = load_workbook(BytesIO(data))
        text = "\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value is not None)
    elif to == "docx":
        text = "\n".join(p.text for p in open_docx(BytesIO(data)).paragraphs)
    else:
        text = htmllib.unescape(data.decode("utf-8"))
    assert "项目负责人：赵项目　财务负责人：钱财务　填表人：孙填表　联系电话：0734-8220001　填报日期：2023年3月15日　单位负责人签字：李单位" in text
    assert "填表人：周基础　联系电话：0734-8220002　填报日期：2023年3月16日　单位负责人签字：吴负责" in text
    # slots the department left blank stay on its line, to be signed by hand
    assert "财务负责人：郑部门财务　填表人：王部门　联系电话：　　　　填报日期：2023年3月17日　单位负责人签字：" in text
    assert text.count(BLANK_FOOTER) == 11  # the other eleven projects signed nothing
    assert "填报单位：衡阳市人民政府办公室　　　　主管部门：衡阳市人民政府　　　　单位：万元" in text
    assert "主管部门：衡阳市人民政府　　　　（2022年度）" in text
    assert "hunan-2022" not in text  # the recognised layout is the importer's note, not the form's


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed (make test installs it)")


@needs_poppler
def test_pdf_values_are_under_their_headers(full, tmp_path, department_rubric, project_rubric):
    pages = pdf_pages(export(full, "pdf", department_rubric, project_rubric), tmp_path)
    for header, label, shown in [
        ("2022年调整预算数", "一、部门基本支出", "1901.23"),
        ("2022年决算数", "一、部门基本支出", "3443.65"),
        ("年初预算数", "财政专户管理资金", "12.34"),
        ("全年执行数", "单位资金", "4.32"),
        ("执行率", "财政专户管理资金", "83.42%"),
        ("调整指标值", "预计转辅警人", "调整后18人"),
        ("年度指标值", "预计转辅警人", "30人"),
        ("分值", "预计转辅警人", "15"),
        ("调整指标值", "督查督办次数", "≥98%"),
        ("全年（调整）目标", "提供正常安全工作环境", "提供安全工作环境（年中调整）"),
    ]:
        pdf_under(pages, header, label, shown)
    words = [w for page in pages for w in page]
    # (项目实施内容及过程概述 wraps inside its label cell, so it is no single word of the PDF)
    for label, shown in [r for r in PROJECT_RIGHT if len(r[0]) <= 6] + [("评价结论", "部门整体绩效良好")]:
        names = [w for w in words if w[4] == label]
        assert any(w[4] == shown and w[0] > name[2] and abs(w[1] - name[1]) < 3 for w in words for name in names), label
    reviewed = [w for w in words if w[4] == "财政审核评分"]
    assert len(reviewed) == 2 and any(w[4] == "88.5" for w in words) and any(w[4] == "91.5" for w in words)


def _one_field_each(city: Evaluation):
    """Each new column or row alone, so that every combination of widened blocks is laid out."""
    full = every_field(city)
    table, project = full.department_evaluation, full.projects[0]
    yield "reason", {"projects": [city.projects[0].model_copy(update={"execution": project.execution})]}
    yield "coefficient", {"projects": [city.projects[0].model_copy(update={"indicators": [i.model_copy(update={"coefficient": D(80)}) for i in city.projects[0].indicators]})]}
    yield "department", {"department_evaluation": table, "projects": []}
    yield "funds", {"projects": [city.projects[0].model_copy(update={"funds": project.funds})]}


def test_every_row_fills_the_form_width(hengyang):
    from jixiao.render.layout import forms

    for name, update in [("all", {}), *_one_field_each(hengyang)]:
        evaluation = every_field(hengyang) if name == "all" else hengyang.model_copy(update=update)
        for form in forms(evaluation):
            assert len(form.widths) == form.width, (name, form.title)
            for number, row in enumerate(form.rows):
                assert sum(c.span for c in row) == form.width, (name, form.title, number)


def test_the_unit_signs_the_scorecard_and_the_base_data(kaiyun, department_rubric, project_rubric):
    evaluation = kaiyun.model_copy(update={"signatures": UNIT_SIGNED})
    book = load_workbook(BytesIO(export(evaluation, "xlsx", department_rubric, project_rubric)))
    line = "填表人：周基础　联系电话：0734-8220002　填报日期：2023年3月16日　单位负责人签字：吴负责"
    for title in ("评分表", "基础数据表"):
        sheet = book[title]
        assert sheet.cell(sheet.max_row, 1).value == line


# ---- a package without the new fields ----

NEW_LABELS = ("财政专户管理资金", "单位资金", "调整预算数", "全年（调整）目标", "调整指标值", "得分系数", "是否核心指标", "财政审核评分", "评价结论", "存在问题", "主管部门：", "项目负责人", "财务负责人")


@pytest.mark.parametrize("sample", ["kaiyun", "hengyang"])
def test_a_package_without_them_prints_none_of_them(request, sample, department_rubric, project_rubric):
    evaluation = request.getfixturevalue(sample)
    data = export(evaluation, "xlsx", department_rubric, project_rubric)
    book = load_workbook(BytesIO(data))
    texts = [str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value is not None]
    assert not [t for t in texts if any(label in t for label in NEW_LABELS)]
    assert "原因" not in texts and "改进措施" not in texts
    signed = [t for t in (evaluation, *evaluation.projects) if t.signatures != Signatures()]
    forms = [s for s in book.worksheets if s.title != "核算对照表"]  # Jixiao's own annex is not signed
    assert texts.count(BLANK_FOOTER) == len(forms) - len(signed)  # the sample's own signatures aside
    for sheet in book.worksheets:
        if sheet.title not in ("基础数据表", "评分表", "核算对照表"):  # self-evaluation forms keep the template's nine columns
            assert sheet.max_column == 9, sheet.title
    md = export(evaluation, "md", department_rubric, project_rubric).decode("utf-8")
    assert not [label for label in NEW_LABELS if label in md]
    assert "| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |" in md or sample == "hengyang" and "| 部门整体支出年度绩效指标 | 一级指标 |" in md


# ---- import(export(e)) == e ----


@pytest.mark.parametrize("to", ["xlsx", "docx"])
def test_every_new_field_round_trips(full, tmp_path, department_rubric, project_rubric, to):
    path = tmp_path / f"full.{to}"
    path.write_bytes(export(full, to, department_rubric, project_rubric))
    result = import_file(path)
    assert result.ok, result.notices
    assert not [n for n in result.notices if n.severity != "info"], result.notices
    back = result.evaluation
    if to == "xlsx":  # a workbook has no report
        back = back.model_copy(update={"narrative": full.narrative})
    # the layout is what the importer recognised in the file it read, not a printed field
    for table, original in zip(back.projects, full.projects):
        table.layout = original.layout
    if back.department_evaluation is not None and full.department_evaluation is not None:
        back.department_evaluation.layout = full.department_evaluation.layout
    assert back == full
