"""The report and the forms as a Word document, through a docxtpl template (autoescape on).

The narrative goes through the template; the forms are built with python-docx as real
tables — merged cells as gridSpan and vMerge — and placed where the template says
``{{p forms }}``. Every value reaches Word as text, never as markup.
"""

from __future__ import annotations

import re
from importlib import resources
from io import BytesIO
from pathlib import Path

from zipfile import BadZipFile

from docx.opc.exceptions import PackageNotFoundError
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError

from ..model import Evaluation, NarrativeSection
from .layout import Form
from .marks import Marks

SHADE = {"computed": "DDEBF7", "warning": "FCE8B2", "error": "F8C9C9"}


def default_template() -> Path:
    return Path(str(resources.files(__package__).joinpath("templates/report.docx")))


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _form(document, form: Form, marks: Marks) -> None:
    breaker = document.add_paragraph()
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
    if form.footer:
        footer = document.add_paragraph(form.footer)
        footer.runs[0].font.size = Pt(10)


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
    for form in forms:
        _form(sub, form, marks)
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
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
