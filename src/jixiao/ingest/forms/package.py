"""Recognising a whole package: which rows belong to which form, then each form's reader."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ...model import DepartmentEvaluation, Evaluation, ProjectTable
from ...render.layout import ANNEX_TITLE
from ..document import Document, Paragraph, Table
from ..notices import Notice
from ..numbers import clean
from .base_data import ANCHORS, read_base_data
from .common import Ctx, Row, label
from .narrative import read_narrative
from .project import DEPARTMENT_LABELS, NAME_LABELS, TOTAL_LABELS, read_project
from .scorecard import is_header, read_scorecard

_UNIT = re.compile(r"填报单位[：:]\s*([^\t（(]+?)\s*(\t|单位[：:]|$)")
_YEAR = re.compile(r"(20\d\d)\s*年")
_ORGANISATION = ("政府", "办公室", "局", "委员会", "委", "中心", "院", "所", "站", "队", "学校", "医院", "协会", "镇", "乡", "街道办事处")


@dataclass
class Found:
    """What the recognisers found, for the import summary."""

    scorecard: int = 0
    base_data: bool = False
    department_evaluation: bool = False
    projects: int = 0
    narrative_sections: int = 0

    def describe(self) -> str:
        parts = []
        if self.base_data:
            parts.append("基础数据表")
        if self.department_evaluation:
            parts.append("部门整体支出绩效自评表")
        if self.scorecard:
            parts.append(f"评分表（{self.scorecard} 行）")
        if self.projects:
            parts.append(f"项目支出绩效自评表 {self.projects} 张")
        if self.narrative_sections:
            parts.append(f"自评报告 {self.narrative_sections} 节")
        return "、".join(parts) or "未识别出任何表格"


@dataclass
class Segment:
    kind: str
    rows: list[Row] = field(default_factory=list)


def _first(row: Row) -> str:
    """The label a row starts with: forms put their labels first, free text comes later."""
    return next((label(c) for c in row if clean(c.text)), "")


def _names(row: Row, labels: tuple[str, ...]) -> bool:
    """A label that names the form (项目名称 | X, or 项目名称：X), not a column header
    (项目名称 | 2021年决算数 | …)."""
    if any(re.search("决算|预算数", c.text) for c in row):
        return False
    first = _first(row)
    return first in {label(n) for n in labels} or first.startswith(tuple(f"{label(n)}:" for n in labels))


def _anchor(row: Row) -> str | None:
    if is_header(row):
        return "scorecard"
    if _first(row) in ANCHORS:
        return "base_data"
    if _names(row, DEPARTMENT_LABELS):
        return "department"
    if _names(row, NAME_LABELS):
        return "project"
    return None


def _segments(tables: list[Table], ctx: Ctx) -> list[Segment]:
    """Rows grouped by form. A table with no anchor of its own continues the form before it
    (a table split across pages); rows before a table's first anchor are its title lines."""
    segments: list[Segment] = []
    for table in tables:
        if any(label(c).startswith(ANNEX_TITLE) for row in table.rows[:4] for c in row):
            for row in table.rows:  # Jixiao's own 核算对照表: computed values, not the unit's figures
                for cell in row:
                    ctx.use(cell)
            continue
        rows = []
        for row in table.rows:
            texts = [clean(c.text) for c in row if clean(c.text)]
            if texts and all(_structural(t, None) for t in texts):  # a title or signature row of a sheet
                for cell in row:
                    ctx.use(cell)
            else:
                rows.append(row)
        table = Table(rows, table.where)
        anchors = [_anchor(row) for row in table.rows]
        if not any(anchors):
            if segments:
                segments[-1].rows.extend(table.rows)
            continue
        in_grid = bool(segments) and segments[-1].kind in ("project", "department") and _open_grid(segments[-1].rows)
        started = in_grid  # a grid split across pages goes on in this table
        for row, kind in zip(table.rows, anchors, strict=True):
            if in_grid:  # inside an indicator grid a cell's words are the unit's, not a new form
                kind = None
                in_grid = _first(row) not in TOTAL_LABELS
            elif kind in ("project", "department") or (segments and segments[-1].kind in ("project", "department") and started):
                in_grid = any(label(c) == "三级指标" for c in row)
            new_form = kind in ("project", "department") or (kind and (not segments or segments[-1].kind != kind))
            if kind and (new_form or not started):
                if new_form:
                    segments.append(Segment(kind))
                started = True
            if started:
                segments[-1].rows.append(row)
            else:
                _title(row, ctx)
    return segments


def _open_grid(rows: list[Row]) -> bool:
    """Whether the last indicator grid in ``rows`` has not reached its 总分 row yet."""
    state = False
    for row in rows:
        if any(label(c) == "三级指标" for c in row):
            state = True
        elif _first(row) in TOTAL_LABELS:
            state = False
    return state


def _title(row: Row, ctx: Ctx) -> None:
    """Title lines above a form (项目支出绩效自评表, 填报单位：…（2022年度）) hold no figures."""
    for cell in row:
        text = label(cell)
        if text.endswith("表") or text.startswith("填报单位"):
            ctx.use(cell)


def _texts(document: Document) -> list[str]:
    titles = [p.text for p in document.paragraphs]
    for table in document.tables:
        titles += [c.text for row in table.rows[:3] for c in row]
    return titles


def _year(document: Document) -> int | None:
    """The year the titles name; failing that, the year of the 本年预算数 column."""
    titles: Counter[int] = Counter()
    budgets: Counter[int] = Counter()
    for text in _texts(document):
        if any(word in text for word in ("绩效", "自评", "年度", "填报单位")):
            titles.update(int(y) for y in _YEAR.findall(text))
        elif "预算数" in text:
            budgets.update(int(y) for y in _YEAR.findall(text))
    votes = titles or budgets
    return votes.most_common(1)[0][0] if votes else None


def _unit(document: Document, evaluation_parts: dict) -> str | None:
    department = evaluation_parts.get("department_evaluation")
    if department is not None and department.name:
        return department.name
    for text in _texts(document):
        match = _UNIT.search(text)
        if match and clean(match.group(1)) and "盖章" not in match.group(1):
            return clean(match.group(1))
    owners = Counter(p.department for p in evaluation_parts.get("projects", []) if p.department)
    if owners:
        return owners.most_common(1)[0][0]
    for paragraph in document.paragraphs[:5]:
        text = clean(paragraph.text)
        if text.endswith(_ORGANISATION) and len(text) <= 30:
            return text
    return None


PART_OF = {"scorecard": "scorecard", "base_data": "base_data", "department": "department_evaluation", "project": "project"}


def _tag(ctx: Ctx, start: int, kind: str, project: str | None) -> None:
    """Name the form on the notices its reading raised."""
    part = PART_OF.get(kind)
    ctx.notices[start:] = [n.model_copy(update={"part": part, "project": project}) for n in ctx.notices[start:]]


def recognise(document: Document, year: int | None = None, unit: str | None = None) -> tuple[Evaluation | None, list[Notice], Found]:
    ctx = Ctx()
    found = Found()
    fiscal_year = year or _year(document)
    parts: dict = {"projects": []}
    for segment in _segments(document.tables, ctx):
        start = len(ctx.notices)
        if segment.kind == "scorecard":
            rows, total = read_scorecard(segment.rows, ctx)
            parts.setdefault("scorecard", []).extend(rows)
            parts["scorecard_total_stated"] = total if total is not None else parts.get("scorecard_total_stated")
            found.scorecard += len(rows)
        elif segment.kind == "base_data":
            parts["base_data"] = read_base_data(segment.rows, ctx, fiscal_year)
            found.base_data = True
        elif segment.kind == "department":
            table = read_project(segment.rows, ctx, department=True)
            assert isinstance(table, DepartmentEvaluation)
            parts["department_evaluation"] = table
            found.department_evaluation = True
        else:
            project = read_project(segment.rows, ctx)
            assert isinstance(project, ProjectTable)
            parts["projects"].append(project)
            found.projects += 1
        _tag(ctx, start, segment.kind, parts["projects"][-1].name if segment.kind == "project" else None)
    parts["narrative"] = read_narrative(document.paragraphs, ctx)
    found.narrative_sections = len(parts["narrative"])
    name = unit or _unit(document, parts)
    _report_unplaced(document, ctx, name)
    source = Path(document.source).name
    if name is None:
        name = Path(document.source).stem
        ctx.notices.append(Notice.at("unit-not-found", "warning", source, f"未找到单位名称，暂以文件名“{name}”代替，请核对"))
    if fiscal_year is None:
        ctx.notices.append(Notice.at("year-not-found", "error", source, "未找到评价年度（如“2022年度”），请指定年度后重新导入"))
        return None, ctx.notices, found
    if not (found.base_data or found.scorecard or found.projects or found.department_evaluation):
        ctx.notices.append(Notice.at("form-not-found", "error", source, "未识别出任何绩效表格（基础数据表、自评表、评分表）"))
        return None, ctx.notices, found
    try:
        evaluation = Evaluation.model_validate({"unit": {"name": name}, "fiscal_year": fiscal_year, **parts})
    except ValidationError as exc:
        ctx.notices.append(Notice.at("invalid-evaluation", "error", source, f"识别结果不符合数据格式：{exc.errors()[0]['msg']}"))
        return None, ctx.notices, found
    return evaluation, ctx.notices, found


_FORM_WORDS = re.compile(r"填表人|填报日期|联系电话|单位负责人签字|主要负责人签字|单位名称|填报单位|（盖章）|\(盖章\)|单位[：:]万元|[（(]\d{4}年度?[）)]|[：:\s\u3000]")
_STRUCTURAL = re.compile(
    r"^(附件\s*\d*[：:]?|[（(]\d{4}年度?[）)]|说明[：:].*|.{0,30}(自评表|评分表|基础数据表|自评报告|评价报告|核算对照表))$"
)


def _structural(text: str, unit: str | None) -> bool:
    """Form furniture: titles, 附件 marks, the form's own notes, signature lines left blank."""
    return bool(_STRUCTURAL.match(text)) or not _FORM_WORDS.sub("", text.replace(unit or "\0", ""))


def _report_unplaced(document: Document, ctx: Ctx, unit: str | None) -> None:
    """Whatever text no recogniser placed is listed, so that nothing disappears unseen; text
    holding a figure is a warning (it may be data), other text a hint."""
    for block in document.blocks:
        items = [(block, "段落未归入任何表格或报告章节")] if isinstance(block, Paragraph) else [
            (cell, "单元格内容未归入任何字段") for row in block.rows for cell in row
        ]
        for item, what in items:
            text = clean(item.text)
            if text and id(item) not in ctx.placed and not _structural(text, unit):
                severity = "warning" if re.search(r"\d", text) else "info"
                ctx.notices.append(Notice.at("unplaced-text", severity, item.where, f"{what}：“{text[:60]}”", text))
