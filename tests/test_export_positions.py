"""Forms a bureau can stamp: in the PDF every body cell lies between the rules of its
header's column and a continuation page repeats the header of the rows it continues; in the
workbook every cell sits in its header's merged columns and the print titles are the
table's column header; in Word the forms are on landscape pages.

The PDF is read back as it prints: words from ``pdftotext -bbox``, the table rules from the
page drawn by ``pdftoppm`` (tests/pdf_grid.py), so a cell's column is the ruled box its
words are in, not where the exporter meant to put it.
"""

from __future__ import annotations

import shutil
from io import BytesIO

import pytest
from docx import Document as open_docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from form_headers import (
    GRID,
    column_headers,
    expected_repeat,
    forty_projects,
    header_texts,
    is_repeat_header,
    norm,
    placed,
    shown,
)
from pdf_grid import Cell, Page, read_pdf
from jixiao.render.export import export
from jixiao.render.layout import forms
from jixiao.render.marks import marks_for
from jixiao.rubric.choose import project_rubrics
from jixiao.rubric.loader import find_rubric
from jixiao.rubric.score import score_package

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils is not installed (make test installs it)")
SLACK = 1.5  # points: a rule drawn 0.75 pt wide, placed to the nearest point


@pytest.fixture(scope="module")
def rubrics():
    return find_rubric("hengshan-2022-department"), project_rubrics()


@pytest.fixture(scope="module")
def packages(kaiyun, hengyang):
    return {"kaiyun": kaiyun, "hengyang": hengyang, "forty": forty_projects(hengyang)}


def every_form(evaluation, rubrics):
    """The forms as the export prints them, the 核算对照表 annex last when there is one."""
    department, project = rubrics
    marks = marks_for(score_package(evaluation, department, project), None, "scorecard" if evaluation.scorecard else "department_evaluation")
    return forms(evaluation) + ([marks.annex] if marks.annex is not None else [])


def grid_columns(table) -> set[str]:
    """The indicator grid's columns the table fills: each must be checked in its form."""
    fields = ("level1", "level2", "name", "target", "actual", "points", "score", "deviation")
    return {h for h, f in zip(GRID, fields, strict=True) if any(getattr(i, f) not in (None, "") for i in table.indicators)}


# ---------------------------------------------------------------- the layout itself


def test_each_value_is_laid_out_under_the_header_that_names_it(packages):
    """What the header says is what the column holds, from the evaluation's own fields —
    the PDF and workbook tests below then check each format against these pairs."""
    for evaluation in packages.values():
        year = evaluation.fiscal_year
        laid = forms(evaluation)
        pairs = {form.title + form.sheet: {(h.cell.text, b.cell.text) for b, h in column_headers(form)} for form in laid}
        for form, table in zip(laid[-len(evaluation.projects):], evaluation.projects, strict=True):
            found = pairs[form.title + form.sheet]
            for indicator in table.indicators:
                fields = zip(GRID, [indicator.level1, indicator.level2, indicator.name, indicator.target, indicator.actual,
                                    _num(indicator.points), _num(indicator.score), indicator.deviation], strict=True)
                for header, value in fields:
                    if value and value.strip():
                        assert (header, value) in found, f"{table.name}: “{value}” is not under {header}"
        base = next(f for f in laid if f.sheet == "基础数据表")
        found = pairs[base.title + base.sheet]
        for row in [evaluation.base_data.basic_expenditure, *evaluation.base_data.projects]:
            for header, value in ((f"{year - 1}年决算数", row.prior_final), (f"{year}年预算数", row.budget), (f"{year}年决算数", row.final)):
                if value is not None:
                    assert (header, f"{value:.2f}") in found or (header, str(value)) in found, f"{value} is not under {header}"
        if evaluation.scorecard:
            scored = pairs[laid[0].title + laid[0].sheet]
            for row in evaluation.scorecard:
                for header, value in (("三级指标", row.name), ("分值", _num(row.points)), ("得分", _num(row.score)), ("评价标准", row.criteria)):
                    if value and value.strip():
                        assert (header, value) in scored, f"评分表: “{value}” is not under {header}"
        if evaluation.base_data.staffing.authorized is not None:
            assert ("编制数", str(evaluation.base_data.staffing.authorized)) in found
        for form in laid:
            assert is_repeat_header(header_texts(form, form.repeat), form, year), f"{form.title}: repeats {header_texts(form, form.repeat)}"


def _num(value) -> str | None:
    return None if value is None else format(value, "f")


# ---------------------------------------------------------------- PDF


def _matches(cell: Cell, text: str) -> bool:
    """The PDF cell shows the form cell's text; a computed value may be printed under it."""
    got, want = cell.text, norm(text)
    return got == want or (got.startswith(want) and got[len(want):].startswith("核算"))


def _form_pages(pages: list[Page], laid) -> list[list[Page]]:
    """Each form's pages: a form begins on a page of its own, its 附件 label (or, for the
    annex, its title) the first word there."""
    starts, at = [], 0
    for form in laid:
        label = form.annex or form.title
        at = next(p.number for p in pages[at:] if p.words and p.words[0].text == label)
        starts.append(at)
        at += 1
    return [pages[a:b] for a, b in zip(starts, starts[1:] + [len(pages)], strict=True)]


def check_pdf_form(form, pages: list[Page], year: int) -> dict:
    """Walks the form's cells in order against the PDF cells in reading order; asserts each
    shows its text, each continuation page opens with the right header, and each body cell's
    box lies within its header's column. Returns what was checked."""
    expected = [p for r in range(len(form.rows)) for p in placed(form, r) if shown(p.cell)]
    cells = [c for page in pages for c in page.cells]
    until = len(form.rows) if form.repeat_until is None else form.repeat_until
    found: dict[tuple[int, int], Cell] = {}  # (row, first column) → where it printed
    repeated: dict[tuple[int, int, int], Cell] = {}  # (page, row, column) of a repeated header
    at, page, continuations = 0, pages[0].number, 0
    for item in expected:
        while at < len(cells) and not _matches(cells[at], item.cell.text) and cells[at].text.startswith("核算"):
            at += 1  # the computed value printed in a cell the unit left blank
        assert at < len(cells), f"{form.title}: “{item.cell.text}” (row {item.row}) is missing from the PDF"
        if cells[at].page != page:
            page = cells[at].page
            continuations += 1
            heads = [p for p in placed(form, form.repeat) if shown(p.cell)]
            if form.repeat < item.row < until:  # the page continues the rows the header heads
                got = [c.text for c in cells[at:at + len(heads)]]
                assert got == [norm(h.cell.text) for h in heads], f"{form.title}, page {page + 1} repeats {got}"
                assert is_repeat_header(got, form, year), f"{form.title}, page {page + 1} repeats {got}, not {expected_repeat(form, year)}"
                for h, c in zip(heads, cells[at:at + len(heads)], strict=True):
                    repeated[(page, h.row, h.first)] = c
                at += len(heads)
        cell = cells[at]
        assert _matches(cell, item.cell.text), f"{form.title}, page {cell.page + 1}: “{cell.text}” where “{norm(item.cell.text)}” (row {item.row}) belongs"
        found[(item.row, item.first)] = cell
        at += 1
    assert at == len(cells), f"{form.title}: the PDF prints more than the form: {[c.text for c in cells[at:at + 5]]}"
    headers: set[str] = set()
    pairs = column_headers(form)
    for body, head in pairs:
        box = found[(body.row, body.first)]
        top = repeated.get((box.page, head.row, head.first)) or found[(head.row, head.first)]
        (left, _, right, _), (h_left, _, h_right, _) = box.box, top.box
        assert h_left - SLACK <= left and right <= h_right + SLACK, (
            f"{form.title}, page {box.page + 1}: “{box.text}” spans x {left}–{right}, its header “{top.text}” {h_left}–{h_right}"
        )
        headers.add(head.cell.text)
    overflowing = [w.text for p in pages for w in p.overflowing]
    assert not overflowing, f"{form.title}: text runs across a rule: {overflowing}"
    return {"cells": len(expected), "pairs": len(pairs), "headers": headers, "pages": len(pages), "continuations": continuations}


def check_pdf(evaluation, rubrics, folder) -> dict:
    laid = every_form(evaluation, rubrics)
    pages = read_pdf(export(evaluation, "pdf", *rubrics), folder)
    grids = [*([evaluation.department_evaluation] if evaluation.department_evaluation else []), *evaluation.projects]
    tables = dict(zip((id(f) for f in laid if f.sheet not in ("评分表", "基础数据表") and f.title != "核算对照表"), grids, strict=True))
    totals = {"forms": 0, "cells": 0, "pairs": 0, "pages": 0, "continuations": 0}
    for form, own in zip(laid, _form_pages(pages, laid), strict=True):
        checked = check_pdf_form(form, own, evaluation.fiscal_year)
        if id(form) in tables:  # every filled column of the indicator grid was checked
            missing = grid_columns(tables[id(form)]) - checked["headers"]
            assert not missing, f"{form.title}: unchecked columns {missing}"
        totals["forms"] += 1
        for name in ("cells", "pairs", "pages", "continuations"):
            totals[name] += checked[name]
    return totals


@needs_poppler
@pytest.mark.parametrize("sample", ["kaiyun", "hengyang"])
def test_pdf_body_cells_lie_in_their_headers_columns(packages, rubrics, tmp_path, sample):
    totals = check_pdf(packages[sample], rubrics, tmp_path)
    assert totals["pairs"] > 100 and totals["forms"] == len(every_form(packages[sample], rubrics))
    if sample == "hengyang":
        assert totals["continuations"] >= 2  # the base data and the department grid run onto a second page


@needs_poppler
def test_pdf_of_forty_projects(packages, rubrics, tmp_path):
    """One long package: the base data over three pages, forty project tables, the annex."""
    totals = check_pdf(packages["forty"], rubrics, tmp_path)
    assert totals["forms"] >= 42 and totals["continuations"] >= 3


# ---------------------------------------------------------------- workbook


def _sheet_cells(sheet, row: int) -> list[tuple[int, int, object]]:
    """The row's cells that hold a value, as (first column, last column, value), 1-based."""
    ends = {(m.min_row, m.min_col): m.max_col for m in sheet.merged_cells.ranges}
    covered = {(r, c) for m in sheet.merged_cells.ranges for r, c in m.cells} - set(ends)
    return [(c.column, ends.get((row, c.column), c.column), c.value) for c in sheet[row] if c.value not in (None, "") and (row, c.column) not in covered]


def _value(cell) -> object:
    if cell.number is not None:
        return pytest.approx(float(cell.number / 100 if cell.percent else cell.number))
    return cell.text


@pytest.mark.parametrize("name", ["kaiyun", "hengyang", "forty"])
def test_xlsx_cells_lie_in_their_headers_columns_and_print_titles_are_the_header(packages, rubrics, name):
    evaluation = packages[name]
    laid = every_form(evaluation, rubrics)
    book = load_workbook(BytesIO(export(evaluation, "xlsx", *rubrics)))
    assert len(book.worksheets) == len(laid)
    for form, sheet in zip(laid, book.worksheets, strict=True):
        first = 3 + len(form.lines)  # under the 附件 label, the title and the unit lines
        for r in range(len(form.rows)):
            want = [(p.first + 1, p.last + 1, _value(p.cell)) for p in placed(form, r) if shown(p.cell) or (p.cell.number is not None and not p.cell.merged)]
            assert _sheet_cells(sheet, first + r) == want, f"{sheet.title}, row {first + r}"
            for p in placed(form, r):
                if shown(p.cell):
                    assert bool(sheet.cell(first + r, p.first + 1).font.bold) == p.cell.header, f"{sheet.title}: {p.cell.text}"
        spans = {(m.min_row, m.min_col): (m.min_col, m.max_col) for m in sheet.merged_cells.ranges}
        for body, head in column_headers(form):
            b = spans.get((first + body.row, body.first + 1), (body.first + 1,) * 2)
            h = spans.get((first + head.row, head.first + 1), (head.first + 1,) * 2)
            assert h[0] <= b[0] and b[1] <= h[1], f"{sheet.title}: “{body.cell.text}” in columns {b}, its header “{head.cell.text}” {h}"
        title = sheet.print_title_rows
        assert title == f"${first + form.repeat}:${first + form.repeat}", f"{sheet.title}: print titles {title}"
        texts = [v for _, _, v in _sheet_cells(sheet, first + form.repeat)]
        assert is_repeat_header(texts, form, evaluation.fiscal_year), f"{sheet.title}: print titles {texts}, not {expected_repeat(form, evaluation.fiscal_year)}"


# ---------------------------------------------------------------- Word


def test_docx_forms_are_on_landscape_pages(packages, rubrics):
    """Each form's table on an A4 landscape page, filling its width; rows kept whole; where
    Word can repeat the column header (the table's leading rows), it is the right one."""
    laid = every_form(packages["kaiyun"], rubrics)
    document = open_docx(BytesIO(export(packages["kaiyun"], "docx", *rubrics)))
    sections = document.sections
    body = document.element.body
    # a paragraph carrying section properties ends a section: count them to place each table
    section_of_table, section = [], 0
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            section_of_table.append(section)
        elif child.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
            section += 1
    assert len(section_of_table) == len(every_form(packages["kaiyun"], rubrics))
    for index in set(section_of_table):
        page = sections[index]
        assert page.orientation == WD_ORIENT.LANDSCAPE and page.page_width > page.page_height, f"section {index + 1} is not landscape"
        room = page.page_width - page.left_margin - page.right_margin
        for table, where in zip(document.tables, section_of_table, strict=True):
            if where == index:
                width = sum(column.w for column in table._tbl.tblGrid.gridCol_lst)
                assert room * 0.97 <= width <= room * 1.001, f"a table {width} wide on a page {room} wide"
    repeating = 0
    for table, form in zip(document.tables, laid, strict=True):
        rows = table._tbl.tr_lst
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)
        marked = [r for r, tr in enumerate(rows) if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
        if marked:
            repeating += 1
            assert marked == list(range(len(marked))) and marked[-1] == form.repeat, f"{form.title}: header rows {marked}"
            assert is_repeat_header(header_texts(form, marked[-1]), form, packages["kaiyun"].fiscal_year)
    assert repeating == 2  # the scorecard and the annex
    report = sections[0]
    assert 0 not in section_of_table and report.page_height > report.page_width  # the report keeps the template's portrait page
