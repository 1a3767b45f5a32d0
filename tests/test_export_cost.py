"""What an export costs grows with the package only as the package does: counted, not timed.

Three costs made the exports slow, each counted here on packages of 4 and 16 projects and on
project tables made longer:

- python-docx finds a table cell by listing every cell of the table (``Table.cell`` builds a
  ``_Cell`` for each), so that filling a form cell by cell cost the square of its size;
- python-docx puts each paragraph and table before the document's closing sectPr by looking
  for it among all the body's children, and reads the page width through every section, so
  that each form cost as much as the forms before it;
- openpyxl finds each Font, Border or Alignment assigned to a cell by hashing it field by
  field, for every cell and again along every merged range's edges.

The faster paths must write what the slow ones wrote: the last tests build the same tables
both ways and compare them.
"""

from __future__ import annotations

from collections import Counter

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import _Cell
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.indexed_list import IndexedList

import jixiao.render.docx as docx_render
from jixiao.audit.report import audit
from jixiao.render import xlsx as xlsx_render
from jixiao.render.export import export
from jixiao.render.layout import forms
from jixiao.render.marks import marks_for
from jixiao.rubric.score import score_package

GROWTH = 4.5  # four times the projects may cost at most this many times as much
BODY = qn("w:body")


def package(evaluation, projects: int, indicators: int = 1):
    """The sample's project tables repeated to ``projects``, each renamed, and each with its
    indicators repeated ``indicators`` times."""
    tables = []
    for index in range(projects):
        table = evaluation.projects[index % len(evaluation.projects)]
        own = [i if n == 0 else i.model_copy(update={"name": f"{i.name}（{n + 1}）"}) for n in range(indicators) for i in table.indicators]
        tables.append(table.model_copy(update={"name": f"第{index}片区{table.name}", "indicators": own}))
    return evaluation.model_copy(update={"projects": tables})


def docx_work(monkeypatch, evaluation, department_rubric, project_rubric) -> Counter:
    counts: Counter = Counter()
    cell_init = _Cell.__init__

    def cell(self, *args, **kwargs):
        counts["python-docx cells made"] += 1
        cell_init(self, *args, **kwargs)

    find = BaseOxmlElement.first_child_found_in

    def found_in(self, *tags):
        if self.tag == BODY:
            counts["body children scanned"] += len(self)
        return find(self, *tags)

    block_width = DocumentObject._block_width

    def width(self):
        counts["body children scanned"] += len(self.element.body)  # through sections, an xpath over the body
        return block_width.fget(self)

    sub_element = getattr(docx_render, "SubElement", None)

    def element(*args, **kwargs):
        counts["elements written"] += 1
        return sub_element(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(_Cell, "__init__", cell)
        patch.setattr(BaseOxmlElement, "first_child_found_in", found_in)
        patch.setattr(DocumentObject, "_block_width", property(width))
        if sub_element is not None:
            patch.setattr(docx_render, "SubElement", element)
        export(evaluation, "docx", department_rubric, project_rubric)
    return counts


def xlsx_work(monkeypatch, evaluation, department_rubric, project_rubric) -> Counter:
    counts: Counter = Counter()
    add = IndexedList.add

    def counted(self, value):
        # a cell's whole style array is looked up once per cell as the file is written; the
        # style objects in it are what cost a recursive hash each
        counts["style arrays written" if type(value).__name__ == "StyleArray" else "style objects hashed"] += 1
        return add(self, value)

    with monkeypatch.context() as patch:
        patch.setattr(IndexedList, "add", counted)
        export(evaluation, "xlsx", department_rubric, project_rubric)
    return counts


def assert_linear(small: Counter, big: Counter, growth: float = GROWTH) -> None:
    for name in small | big:
        # a few units of slack: a count may be zero, or a constant, at the smaller size
        assert big[name] <= growth * small[name] + 20, f"{name}: {small[name]} → {big[name]}"


@pytest.mark.parametrize("work", [docx_work, xlsx_work], ids=["docx", "xlsx"])
def test_four_times_the_projects_cost_at_most_four_and_a_half_times(monkeypatch, hengyang, department_rubric, project_rubric, work):
    small = work(monkeypatch, package(hengyang, 4), department_rubric, project_rubric)
    big = work(monkeypatch, package(hengyang, 16), department_rubric, project_rubric)
    assert_linear(small, big)


def form_cells(evaluation) -> int:
    return sum(len(row) for form in forms(evaluation) for row in form.rows)


@pytest.mark.parametrize("work", [docx_work, xlsx_work], ids=["docx", "xlsx"])
def test_longer_tables_cost_the_same_per_cell(monkeypatch, hengyang, department_rubric, project_rubric, work):
    """Four times the indicators make each project table about twice as long (its funds and
    goals stay); a cost quadratic in a table's size grows with the square of that."""
    short, long = package(hengyang, 4), package(hengyang, 4, indicators=4)
    growth = form_cells(long) / form_cells(short)
    assert_linear(work(monkeypatch, short, department_rubric, project_rubric), work(monkeypatch, long, department_rubric, project_rubric), 1.15 * growth)


def test_xlsx_style_lookups_do_not_grow_with_the_projects(monkeypatch, hengyang, department_rubric, project_rubric):
    """Each kind of cell is styled through openpyxl once; the rest copy the result."""
    small = xlsx_work(monkeypatch, package(hengyang, 4), department_rubric, project_rubric)
    big = xlsx_work(monkeypatch, package(hengyang, 16), department_rubric, project_rubric)
    assert big["style objects hashed"] <= small["style objects hashed"] * 1.2 + 20, (small, big)


@pytest.mark.parametrize("sample", ["hengyang", "kaiyun"])
def test_docx_tables_are_what_python_docx_merged(request, department_rubric, project_rubric, sample):
    evaluation = request.getfixturevalue(sample)
    score = score_package(evaluation, department_rubric, project_rubric)
    marks = marks_for(score, audit(evaluation, department_rubric, project_rubric), "scorecard" if evaluation.scorecard else "department_evaluation")
    body = docx_render._Body(Document())
    for form in [*forms(evaluation), marks.annex]:
        grid = docx_render.merged_grid(form)
        assert grid is not None, form.title  # the forms Jixiao lays out are all merged plainly
        written = body.add_table(0, form)
        docx_render.write_rows(written._tbl, form, grid, marks)
        merged = body.add_table(len(form.rows), form)
        docx_render._merge_by_python_docx(merged, form, marks)
        docx_render._pagination(merged, form)
        assert etree.tostring(written._tbl, encoding="unicode") == etree.tostring(merged._tbl, encoding="unicode"), form.title


def test_xlsx_merges_style_the_cells_as_openpyxl_merges_them():
    """``_merge`` against ``Worksheet.merge_cells``: every cell's style and the workbook's style
    lists the same, so that an openpyxl whose merge works otherwise is noticed here."""

    def build(merge) -> Workbook:
        book = Workbook()
        sheet = book.active
        styles = xlsx_render._Styles()
        sheet.cell(1, 1, "标题").font = Font(size=14, bold=True)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        merge(sheet, styles, 1, 1, 1, 4)
        for r1, c1, r2, c2 in ((2, 1, 4, 2), (2, 3, 2, 4), (3, 3, 3, 3), (5, 1, 5, 4)):
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    sheet.cell(r, c).border = xlsx_render.BOX
            if (r1, c1) != (r2, c2):
                merge(sheet, styles, r1, c1, r2, c2)
        return book

    ours = build(xlsx_render._merge)
    theirs = build(lambda sheet, styles, r1, c1, r2, c2: sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2))
    for mine, other in zip(ours.active.iter_rows(), theirs.active.iter_rows(), strict=True):
        assert [(c.coordinate, type(c).__name__, tuple(c._style or ())) for c in mine] == [(c.coordinate, type(c).__name__, tuple(c._style or ())) for c in other]
    for collection in ("_borders", "_protections", "_fonts", "_alignments"):
        assert list(getattr(ours, collection)) == list(getattr(theirs, collection)), collection
    assert sorted(r.coord for r in ours.active.merged_cells) == sorted(r.coord for r in theirs.active.merged_cells)
