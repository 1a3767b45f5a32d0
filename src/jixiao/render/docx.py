"""The report and the forms as a Word document, through a docxtpl template (autoescape on).

The narrative goes through the template; the forms are built with python-docx as real
tables — merged cells as gridSpan and vMerge — and placed where the template says
``{{p forms }}``. Every value reaches Word as text, never as markup.
"""

from __future__ import annotations

import re
from copy import deepcopy
from importlib import resources
from io import BytesIO
from pathlib import Path

from zipfile import BadZipFile

from docx.opc.exceptions import PackageNotFoundError
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError

from ..model import Evaluation, NarrativeSection
from .layout import Form
from .marks import Marks

SHADE = {"computed": "DDEBF7", "warning": "FCE8B2", "error": "F8C9C9"}
# The forms' page, as the PDF prints them: A4 landscape with narrow margins, so that the
# nine to thirteen columns of a project table fit with their headers on one line or two.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN_SIDE, MARGIN_TOP = Mm(297), Mm(210), Mm(10), Mm(12)


def default_template() -> Path:
    return Path(str(resources.files(__package__).joinpath("templates/report.docx")))


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _widths(table, form: Form) -> None:
    """The form's relative column widths over the landscape page, fixed, so that Word neither
    squeezes the tables into the portrait width of the document they were built in nor
    re-flows the columns by their content."""
    relative = form.widths or [1] * form.width
    page = PAGE_WIDTH - 2 * MARGIN_SIDE
    widths = [int(page * w / sum(relative)) for w in relative]
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width  # python-docx adds the widths up as cells are merged


def _form(document, form: Form, marks: Marks, first: bool = False) -> None:
    breaker = document.add_paragraph()
    if not first:  # the first form follows the section break, which already starts a page
        breaker.add_run().add_break(WD_BREAK.PAGE)
    breaker.add_run(form.annex).font.size = Pt(10)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(form.title)
    run.bold = True
    run.font.size = Pt(15)
    for line in form.lines:
        document.add_paragraph(line).runs[0].font.size = Pt(10)
    table = document.add_table(rows=len(form.rows), cols=form.width)
    table.style = "Table Grid"
    _widths(table, form)
    starts: dict[int, object] = {}
    for r, row in enumerate(form.rows):
        column = 0
        for item in row:
            cell = table.cell(r, column)
            if item.span > 1:
                cell = cell.merge(table.cell(r, column + item.span - 1))
            if item.merged:
                top = starts.get(column)
                if top is not None:
                    starts[column] = top.merge(cell)
            else:
                starts[column] = cell
                lines = item.text.split("\n")
                paragraph = cell.paragraphs[0]
                for i, line in enumerate(lines):
                    target = paragraph if i == 0 else cell.add_paragraph()
                    text_run = target.add_run(line)
                    text_run.font.size = Pt(9)
                    text_run.bold = item.header
                    if item.number is not None or item.header:
                        target.alignment = WD_ALIGN_PARAGRAPH.CENTER
                mark = marks.get(item.key)
                if mark is not None:
                    _shade(cell, SHADE[mark.level])
            column += item.span
    _pagination(table, form)
    if form.footer:
        footer = document.add_paragraph(form.footer)
        footer.runs[0].font.size = Pt(10)


def _pagination(table, form: Form) -> None:
    """Rows kept whole on a page, as the PDF keeps them; the column header repeated on each
    page where Word can: only a table's leading rows repeat, so only a form whose rows down
    to its header are all headers (the scorecard, the annex) gets them. A project table's
    grid header sits under the funds block and is not repeated rather than wrongly."""
    leading = all(cell.header for row in form.rows[: form.repeat + 1] for cell in row if not cell.merged)
    for r, tr in enumerate(table._tbl.tr_lst):
        properties = tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if leading and r <= form.repeat:
            properties.append(OxmlElement("w:tblHeader"))


def _landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin = section.bottom_margin = MARGIN_TOP


class TemplateError(ValueError):
    """A Word template that cannot produce the report; the message says what is wrong."""


def _open(template: Path) -> DocxTemplate:
    try:
        document = DocxTemplate(str(template))
        document.init_docx()
        source = document.get_xml()
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError):
        raise TemplateError(f"模板 {template.name} 不是有效的 Word（.docx）文件") from None
    text = re.sub(r"<[^>]+>", "", source)
    for opening, closing in (("{{", "}}"), ("{%", "%}")):
        if text.count(opening) != text.count(closing):
            raise TemplateError(f"模板 {template.name} 中的标签有误：“{opening}”与“{closing}”数量不一致，有标签未闭合")
    if not re.search(r"\{\{p\s+forms\s*\}\}", text):
        raise TemplateError(f"模板 {template.name} 中没有 {{{{p forms }}}}（须单独成段），表格将无处放置")
    return document


def write_docx(evaluation: Evaluation, sections: list[NarrativeSection], forms: list[Form], marks: Marks, template: Path | None = None) -> bytes:
    document = _open(template or default_template())
    sub = document.new_subdoc()
    # The report keeps the template's page: a paragraph carrying a copy of its section
    # properties ends that section where the forms begin; the last section, the forms', is
    # turned landscape once the template is rendered.
    report_page = sub.add_paragraph()
    report_page._p.get_or_add_pPr().append(deepcopy(document.docx.sections[-1]._sectPr))
    for number, form in enumerate(forms):
        _form(sub, form, marks, first=number == 0)
    if marks.annex is not None:
        _form(sub, marks.annex, Marks())
        note = sub.add_paragraph("蓝色：按评分规则核算与填报不一致；黄色/红色：审核发现的警告/错误。")
        note.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    context = {
        "unit": evaluation.unit.name,
        "year": evaluation.fiscal_year,
        "sections": [{"heading": s.heading, "lines": [line for line in s.text.split("\n") if line.strip()]} for s in sections],
        "forms": sub,
    }
    try:
        document.render(context, autoescape=True, jinja_env=Environment(undefined=StrictUndefined, autoescape=True))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"模板第 {exc.lineno} 处标签有误：{exc.message}") from None
    except UndefinedError as exc:
        raise TemplateError(f"模板用到了未提供的内容：{exc.message}。可用：unit、year、sections（heading、lines）、forms") from None
    _landscape(document.docx.sections[-1])
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
