"""The report and the forms as a Word document, through a docxtpl template (autoescape on).

The narrative goes through the template; the forms are real Word tables — merged cells as
gridSpan and vMerge — placed where the template says ``{{p forms }}``. Their XML is written
directly, as python-docx wrote it cell by cell before (see ``write_rows``), in time linear in
the forms' size. Every value reaches Word as text, never as markup.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from importlib import resources
from io import BytesIO
from pathlib import Path

from zipfile import BadZipFile

from docx.opc.exceptions import PackageNotFoundError
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError
from lxml.etree import SubElement

from ..model import Evaluation, NarrativeSection
from .layout import Form, FormCell
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


def _column_widths(form: Form) -> list[int]:
    relative = form.widths or [1] * form.width
    page = PAGE_WIDTH - 2 * MARGIN_SIDE
    return [int(page * w / sum(relative)) for w in relative]


def _widths(table, form: Form) -> None:
    """The form's relative column widths over the landscape page, fixed, so that Word neither
    squeezes the tables into the portrait width of the document they were built in nor
    re-flows the columns by their content."""
    widths = _column_widths(form)
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width  # python-docx adds the widths up as cells are merged


class _Body:
    """Where the forms go: blocks are put before the subdocument's closing sectPr directly.
    python-docx's ``add_paragraph``/``add_table`` look for that sectPr among all the body's
    children on every call, and ``add_table`` reads the page width through every section —
    a cost that grows with the document, so that a long one took quadratic time."""

    def __init__(self, document) -> None:
        self.container = document._body  # what python-docx's own paragraphs hang from
        self.body = document.element.body
        self.anchor = self.body.sectPr
        self.block_width = document._block_width  # the page of the last section, as add_table reads it
        # "Table Grid" resolved on the first table only: each lookup searches styles.xml
        self.styled, self.table_style = False, None

    def put(self, element) -> None:
        if self.anchor is not None:
            self.anchor.addprevious(element)
        else:
            self.body.append(element)

    def add_paragraph(self, text: str = "") -> Paragraph:
        """As ``Document.add_paragraph``: a paragraph, with ``text`` in one run if any."""
        p = OxmlElement("w:p")
        self.put(p)
        paragraph = Paragraph(p, self.container)
        if text:
            paragraph.add_run(text)
        return paragraph

    def add_table(self, rows: int, form: Form) -> Table:
        """As ``Document.add_table`` with the "Table Grid" style, and the form's fixed widths."""
        table = Table(CT_Tbl.new_tbl(rows, form.width, self.block_width), self.container)
        self.put(table._tbl)
        if not self.styled:
            table.style = "Table Grid"
            self.styled, self.table_style = True, table._tbl.tblStyle_val
        else:
            table._tbl.tblStyle_val = self.table_style
        _widths(table, form)
        return table


def _form(body: _Body, form: Form, marks: Marks, first: bool = False) -> None:
    breaker = body.add_paragraph()
    if not first:  # the first form follows the section break, which already starts a page
        breaker.add_run().add_break(WD_BREAK.PAGE)
    breaker.add_run(form.annex).font.size = Pt(10)
    title = body.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(form.title)
    run.bold = True
    run.font.size = Pt(15)
    for line in form.lines:
        body.add_paragraph(line).runs[0].font.size = Pt(10)
    grid = merged_grid(form)
    if grid is not None:
        write_rows(body.add_table(0, form)._tbl, form, grid, marks)
    else:
        table = body.add_table(len(form.rows), form)
        _merge_by_python_docx(table, form, marks)
        _pagination(table, form)
    if form.footer:
        footer = body.add_paragraph(form.footer)
        footer.runs[0].font.size = Pt(10)


def _merge_by_python_docx(table, form: Form, marks: Marks) -> None:
    """A form whose vertical merges are irregular (see ``merged_grid``) is merged the way it
    always was, cell by cell through python-docx, which decides — or refuses — such spans."""
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


def _leading(form: Form) -> bool:
    """Whether the form's rows down to its column header are all headers (see ``_pagination``)."""
    return all(cell.header for row in form.rows[: form.repeat + 1] for cell in row if not cell.merged)


def _pagination(table, form: Form) -> None:
    """Rows kept whole on a page, as the PDF keeps them; the column header repeated on each
    page where Word can: only a table's leading rows repeat, so only a form whose rows down
    to its header are all headers (the scorecard, the annex) gets them. A project table's
    grid header sits under the funds block and is not repeated rather than wrongly."""
    leading = _leading(form)
    for r, tr in enumerate(table._tbl.tr_lst):
        properties = tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if leading and r <= form.repeat:
            properties.append(OxmlElement("w:tblHeader"))


# The table XML is written directly: python-docx finds a cell by listing every cell of the
# table (``Table.cell`` → ``Table._cells``) and a merge by walking the rows, which made each
# form quadratic in its own size and the forms take seconds apiece. What is written here is
# what python-docx wrote for the same calls, element for element.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class _Tc:
    """A cell of a row as Word holds it: from grid column ``column`` over ``span`` columns."""

    item: FormCell | None  # None: an empty cell (a vertical merge's continuation, or padding)
    column: int
    span: int
    merge: str | None = None  # vMerge: "restart" on the top cell, "continue" below it
    bottom: int = 0  # the last row a vertical merge from this cell reaches


def merged_grid(form: Form) -> list[list[_Tc]] | None:
    """The form's rows with their merges resolved, as python-docx resolves them: a cell marked
    ``merged`` continues the cell last started in its grid column. None when a merge is not
    that plain — the started cell spans other columns, or rows between belong to other cells,
    or a row is wider than the table — which python-docx is left to merge or refuse."""
    starts: dict[int, _Tc] = {}
    grid = []
    for r, row in enumerate(form.rows):
        cells, column = [], 0
        for item in row:
            if item.span < 1 or column + item.span > form.width:
                return None
            tc = _Tc(None if item.merged else item, column, item.span, bottom=r)
            if not item.merged:
                starts[column] = tc
            elif (top := starts.get(column)) is not None:
                if top.span != item.span or top.bottom != r - 1:
                    return None
                top.merge, tc.merge, top.bottom = "restart", "continue", r
            cells.append(tc)
            column += item.span
        cells += [_Tc(None, c, 1) for c in range(column, form.width)]  # cells no item covers stay empty
        grid.append(cells)
    return grid


def _text(run, line: str) -> None:
    """``Run.text = line`` as python-docx writes it: a tab as <w:tab/>, a line break as
    <w:br/>, the rest in <w:t>, space-preserving where it begins or ends with whitespace."""
    for part in re.split(r"([\t\r\n])", line):
        if part == "\t":
            SubElement(run, W + "tab")
        elif part in ("\r", "\n"):
            SubElement(run, W + "br")
        elif part:
            t = SubElement(run, W + "t")
            t.text = part
            if len(part.strip()) < len(part):
                t.set(XML_SPACE, "preserve")


def _content(tc, item: FormCell) -> None:
    """One paragraph a line, in 9-point type, bold in a header, centred for headers and figures."""
    center = item.number is not None or item.header
    for line in item.text.split("\n"):
        p = SubElement(tc, W + "p")
        if center:
            SubElement(SubElement(p, W + "pPr"), W + "jc").set(W + "val", "center")
        run = SubElement(p, W + "r")
        properties = SubElement(run, W + "rPr")
        bold = SubElement(properties, W + "b")
        if not item.header:
            bold.set(W + "val", "0")
        SubElement(properties, W + "sz").set(W + "val", "18")
        if line:
            _text(run, line)


def write_rows(tbl, form: Form, grid: list[list[_Tc]], marks: Marks) -> None:
    """The rows of ``grid`` appended to ``tbl``: rows kept whole on a page, the leading header
    rows repeated (see ``_pagination``), each cell as wide as the columns it spans."""
    twips = [Emu(w).twips for w in _column_widths(form)]
    leading = _leading(form)
    for r, cells in enumerate(grid):
        tr = SubElement(tbl, W + "tr")
        properties = SubElement(tr, W + "trPr")
        SubElement(properties, W + "cantSplit")
        if leading and r <= form.repeat:
            SubElement(properties, W + "tblHeader")
        for cell in cells:
            tc = SubElement(tr, W + "tc")
            tcPr = SubElement(tc, W + "tcPr")
            width = twips[cell.column]
            for extra in twips[cell.column + 1 : cell.column + cell.span]:
                width = width + extra if width and extra else width  # python-docx skips a zero width
            tcW = SubElement(tcPr, W + "tcW")
            tcW.set(W + "type", "dxa")
            tcW.set(W + "w", str(width))
            if cell.span > 1:
                SubElement(tcPr, W + "gridSpan").set(W + "val", str(cell.span))
            if cell.merge is not None:
                merge = SubElement(tcPr, W + "vMerge")
                if cell.merge == "restart":
                    merge.set(W + "val", "restart")
            if cell.item is None:
                SubElement(tc, W + "p")
                continue
            mark = marks.get(cell.item.key)
            if mark is not None:
                shading = SubElement(tcPr, W + "shd")
                shading.set(W + "val", "clear")
                shading.set(W + "fill", SHADE[mark.level])
            _content(tc, cell.item)


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
    body = _Body(sub.subdocx)
    for number, form in enumerate(forms):
        _form(body, form, marks, first=number == 0)
    if marks.annex is not None:
        _form(body, marks.annex, Marks())
        note = body.add_paragraph("蓝色：按评分规则核算与填报不一致；黄色/红色：审核发现的警告/错误。")
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
