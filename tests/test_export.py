"""Export: what goes out comes back in, hostile text survives, and the PDF is a real document."""

import html as htmllib
import re
import shutil
import subprocess
from decimal import Decimal as D

import pytest
from docx import Document as open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.ingest import import_file
from jixiao.model import Evaluation
from jixiao.render.export import ExportError, export


def round_trip(evaluation, to, tmp_path, department_rubric, project_rubric, **options):
    path = tmp_path / f"out.{to}"
    path.write_bytes(export(evaluation, to, department_rubric, project_rubric, **options))
    result = import_file(path)
    assert result.ok, result.notices
    assert not [n for n in result.notices if n.severity != "info"], result.notices
    return result.evaluation


@pytest.mark.parametrize("to", ["xlsx", "docx"])
@pytest.mark.parametrize("sample", ["kaiyun", "hengyang"])
def test_samples_round_trip(request, tmp_path, department_rubric, project_rubric, to, sample):
    evaluation = request.getfixturevalue(sample)
    back = round_trip(evaluation, to, tmp_path, department_rubric, project_rubric, highlight=True)
    if to == "xlsx":  # a workbook has no report
        back = back.model_copy(update={"narrative": evaluation.narrative})
    assert back == evaluation  # and the report's generated sections are not read as the unit's


def test_report_written_from_the_figures_is_marked_and_read_past(kaiyun, tmp_path, department_rubric, project_rubric):
    path = tmp_path / "out.docx"
    path.write_bytes(export(kaiyun, "docx", department_rubric, project_rubric))
    paragraphs = [p.text for p in open_docx(path).paragraphs]
    marked = "（由系统根据所附表格数据生成）"
    headings = [p for p in paragraphs if p.endswith(marked)]
    assert [h[:2] for h in headings] == ["一、", "二、", "六、", "七、", "八、"]  # 三/四/五/九: no figures, left out
    text = "\n".join(paragraphs)
    assert "本单位编制数150人，实际在职人数98人。" in text and "政府采购金额均为0。" in text
    assert "执行率57.94%（表中填报60%，经核算更正），自评得分92分（按评分规则核算为92.79分）" in text
    problems = text[text.index("七、存在的问题"):text.index("八、下一步")]
    assert "1.资金额度紧张，存在滞后性（涉及" in problems and problems.count("资金额度紧张") == 1
    measures = text[text.index("八、下一步"):]
    assert "需合理分配资金" in measures and "资金额度紧张" not in measures.split("核算对照表")[0]
    assert "请单位补充" not in text and "三、政府性基金" not in text
    assert import_file(path).evaluation.narrative == []


HOSTILE = "R&D <b>粗</b> \"引号\" '单引' {{ unit }} {% if %} ]]> &amp;"


def test_hostile_text_survives_the_template(kaiyun, tmp_path, department_rubric, project_rubric):
    evaluation = kaiyun.model_copy(deep=True)
    evaluation.unit.name = "衡山县&开云<镇>"
    evaluation.projects[0].name = HOSTILE
    evaluation.projects[0].indicators[0].deviation = HOSTILE
    evaluation.narrative = [evaluation.narrative[0]] if evaluation.narrative else []
    from jixiao.model import NarrativeSection

    evaluation.narrative = [NarrativeSection(heading="一、部门（单位）基本情况", text=HOSTILE)]
    path = tmp_path / "hostile.docx"
    path.write_bytes(export(evaluation, "docx", department_rubric, project_rubric))
    text = "\n".join(p.text for p in open_docx(path).paragraphs)
    assert "衡山县&开云<镇>" in text and HOSTILE in text
    back = import_file(path).evaluation
    assert back.projects[0].name == HOSTILE and back.projects[0].indicators[0].deviation == HOSTILE


def test_a_bureau_template(kaiyun, tmp_path, department_rubric, project_rubric):
    from docxtpl import DocxTemplate  # noqa: F401  (the template format)

    doc = open_docx()
    doc.add_paragraph("某某市财政局 专用模板：{{ unit }}（{{ year }}）")
    doc.add_paragraph("{%p for section in sections %}")
    doc.add_paragraph("【{{ section.heading }}】")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{p forms }}")
    template = tmp_path / "bureau.docx"
    doc.save(template)
    path = tmp_path / "out.docx"
    path.write_bytes(export(kaiyun, "docx", department_rubric, project_rubric, template=template))
    text = "\n".join(p.text for p in open_docx(path).paragraphs)
    assert "某某市财政局 专用模板：衡山县开云镇人民政府（2022）" in text and "【六、部门整体支出绩效情况（由系统根据所附表格数据生成）】" in text
    with pytest.raises(ExportError):
        export(kaiyun, "docx", department_rubric, project_rubric, template=tmp_path / "missing.docx")


def test_xlsx_marks_computed_values_and_findings(kaiyun, tmp_path, department_rubric, project_rubric):
    from openpyxl import load_workbook

    path = tmp_path / "marked.xlsx"
    path.write_bytes(export(kaiyun, "xlsx", department_rubric, project_rubric, highlight=True))
    book = load_workbook(path)
    assert book.sheetnames[-1] == "核算对照表"
    comments = {c.comment.text for s in book.worksheets for row in s.iter_rows() for c in row if c.comment}
    assert any("核算得分 5.79" in c for c in comments)
    assert any("错误：“‘三公经费’变动率”得分 8 超过分值 5" in c for c in comments)
    sheet = book["评分表"]
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    base = book["基础数据表"]
    formats = {c.number_format for row in base.iter_rows() for c in row if isinstance(c.value, float)}
    assert "0.00" in formats and "0%" in formats


NAMES = st.text(alphabet="甲乙丙丁戊己庚辛壬癸档案维修培训宣传信息网络设备购置保障", min_size=2, max_size=10).map(lambda s: "经费" + s)
MONEY = st.decimals(min_value=0, max_value=99999, places=2).map(lambda d: d.quantize(D("0.01")))
POINTS = st.integers(min_value=0, max_value=30).map(D)


@st.composite
def packages(draw):
    projects = []
    for number in range(draw(st.integers(min_value=1, max_value=4))):
        budget, executed = draw(MONEY), draw(MONEY)
        indicators = [
            {
                "level1": draw(st.sampled_from(["产出指标", "效益指标", "满意度指标"])),
                "level2": draw(st.sampled_from(["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标"])),
                "name": draw(NAMES) + str(i),
                "target": draw(st.sampled_from(["≥90%", "30次以上", "不高于3800元", "及时", "满意", "12月底前"])),
                "actual": draw(st.sampled_from(["95%", "32次", "3500元", "及时", "满意", "100%"])),
                "deviation": draw(st.sampled_from([None, "资金到位较晚", "资金到位较晚；\n下年提前申请"])),
                "points": draw(POINTS),
                "score": draw(POINTS),
            }
            for i in range(draw(st.integers(min_value=1, max_value=8)))
        ]
        projects.append({
            "name": draw(NAMES) + f"项目{number}",
            "implementer": "办公室",
            "funds": {"total": {"initial_budget": budget, "full_year_budget": budget, "executed": executed}},
            "execution": {"points": D(10), "rate_stated": D("95.5"), "score_stated": D("9.55")},
            "goals": [{"expected": "完成年度任务", "actual": "已完成"}],
            "indicators": indicators,
            "total_points": D(100),
            "total_stated": D("88.5"),
            "layout": "national-2020",  # the export prints the national template, and import says so
        })
    return Evaluation.model_validate({
        "unit": {"name": "示范局"},
        "fiscal_year": draw(st.integers(min_value=2020, max_value=2030)),
        "base_data": {
            "staffing": {"authorized": draw(st.integers(0, 500)), "actual": draw(st.integers(0, 500))},
            "basic_expenditure": {"prior_final": draw(MONEY), "budget": draw(MONEY), "final": draw(MONEY)},
            "basic_expenditure_items": [{"name": "工资福利支出", "budget": draw(MONEY), "final": draw(MONEY)}],
            "three_public": {"total": {"prior_final": draw(MONEY), "budget": draw(MONEY), "final": draw(MONEY)}},
            "projects": [{"name": p["name"], "category": "业务工作专项", "budget": p["funds"]["total"]["full_year_budget"], "final": p["funds"]["total"]["executed"]} for p in projects],
            "procurement": {"budget": draw(MONEY), "final": draw(MONEY)},
        },
        "projects": projects,
    })


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(packages(), st.sampled_from(["xlsx", "docx"]))
def test_generated_packages_round_trip(tmp_path_factory, department_rubric, project_rubric, evaluation, to):
    back = round_trip(evaluation, to, tmp_path_factory.mktemp("rt"), department_rubric, project_rubric)
    assert back.model_copy(update={"narrative": []}) == evaluation


def test_markdown_and_html_hold_the_forms(hengyang, department_rubric, project_rubric):
    md = export(hengyang, "md", department_rubric, project_rubric).decode("utf-8")
    assert "## 附件2　部门整体支出绩效自评表" in md and "| 项目支出名称 | 大院保安转辅警经费 |" in md
    html = export(hengyang, "html", department_rubric, project_rubric).decode("utf-8")
    assert "<script" not in html and "rowspan=" in html and "colspan=" in html and "衡阳市人民政府办公室" in html


needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed (make test installs it)")


@needs_poppler
def test_pdf_pages_are_not_blank_and_carry_the_figures(kaiyun, tmp_path, department_rubric, project_rubric):
    from PIL import Image, ImageStat

    pdf = tmp_path / "town.pdf"
    pdf.write_bytes(export(kaiyun, "pdf", department_rubric, project_rubric))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "衡山县开云镇人民政府" in text and "部门整体支出绩效自评得分93分" in text
    assert re.search(r"总\s*分\s+100\s+92", text) and re.search(r"合计\s+93", text)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 5
    for page in pages:
        assert ImageStat.Stat(Image.open(page).convert("L")).stddev[0] > 5, f"{page.name} is blank"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and " yes " in fonts  # Chinese fonts, embedded


def test_unknown_format(kaiyun, department_rubric, project_rubric):
    with pytest.raises(ExportError) as info:
        export(kaiyun, "odt", department_rubric, project_rubric)
    assert "可选" in str(info.value)


@pytest.mark.parametrize(
    "paragraphs, message",
    [
        (["{{ unit }}"], "没有 {{p forms }}"),
        (["{{ forms }}"], "没有 {{p forms }}"),
        (["{{ bureau.name }}", "{{p forms }}"], "未提供的内容"),
        (["{{ unit }", "{{p forms }}"], "未闭合"),
    ],
)
def test_template_mistakes_are_messages(kaiyun, tmp_path, department_rubric, project_rubric, paragraphs, message):
    doc = open_docx()
    for text in paragraphs:
        doc.add_paragraph(text)
    template = tmp_path / "t.docx"
    doc.save(template)
    with pytest.raises(ExportError) as info:
        export(kaiyun, "docx", department_rubric, project_rubric, template=template)
    assert message in str(info.value)
    not_docx = tmp_path / "t2.docx"
    not_docx.write_text("plain", encoding="utf-8")
    with pytest.raises(ExportError, match="不是有效的 Word"):
        export(kaiyun, "docx", department_rubric, project_rubric, template=not_docx)


def test_control_characters_and_formula_text_are_safe(kaiyun, tmp_path, department_rubric, project_rubric):
    evaluation = kaiyun.model_copy(deep=True)
    evaluation.projects[0].indicators[0].deviation = "=HYPERLINK(\"http://x\")\x0b原因"
    for to in ("xlsx", "docx"):
        back = round_trip(evaluation, to, tmp_path, department_rubric, project_rubric)
        assert back.projects[0].indicators[0].deviation == "=HYPERLINK(\"http://x\")原因"


MARKDOWN_HOSTILE = [
    "[点击领取](http://evil.example/steal)", "![x](http://track.example/p.png)", "<script>alert(1)</script>",
    "<http://auto.example>", "见 http://bare.example/a 与 www.bare.example", "报送 a@mail.example",
    "**粗体** _斜_ `代码` ~~删~~", "# 标题", "| 断 | 表 |", "1. 列表", "- 列表", "> 引用", "&lt;已转义&gt;",
]


def test_markdown_shows_a_units_text_letter_for_letter_and_never_as_a_link_or_image(hengyang, department_rubric, project_rubric):
    from markdown_it import MarkdownIt

    evaluation = hengyang.model_copy(deep=True)
    evaluation.unit.name = MARKDOWN_HOSTILE[0]
    evaluation.narrative[0].heading = MARKDOWN_HOSTILE[1]
    evaluation.narrative[0].text = "\n".join(MARKDOWN_HOSTILE[2:])
    evaluation.projects[0].name = "项目 [链接](javascript:alert(1)) www.x.example"
    md = export(evaluation, "md", department_rubric, project_rubric).decode("utf-8")
    html = MarkdownIt("commonmark").enable("table").render(md)
    for tag in ("<a ", "<img", "<script", "<em>", "<strong>", "<code>", "<blockquote>", "<ol", "<ul", "<s>", "<del>"):
        assert tag not in html, tag
    assert not re.search(r"(?i)[a-z]://|www\.|[^\\]@", md)  # nothing a GFM renderer links by itself
    shown = htmllib.unescape(re.sub(r"<[^>]+>", "", html))
    for text in [*MARKDOWN_HOSTILE, evaluation.projects[0].name]:
        assert text in shown, text
