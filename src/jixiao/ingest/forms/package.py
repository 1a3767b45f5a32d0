"""Recognising a whole package: which rows belong to which form, then each form's reader."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ...model import DepartmentEvaluation, Evaluation, ProjectTable, Signatures
from ...render.layout import ANNEX_TITLE
from ..document import Block, Document, Paragraph, Table
from ..notices import Notice
from ..numbers import clean
from ..vocabulary import Vocabulary
from .base_data import is_anchor, read_base_data
from .common import Ctx, Row, first_filled, label
from .coverage import Coverage, coverage
from .grid import is_grid_header
from .identity import fiscal_year_of, supervisor_of, unit_of
from .narrative import read_narrative
from .project import read_project
from .scorecard import is_header, read_scorecard
from .signatures import parse_signatures, read_signatures



@dataclass
class Found:
    """What the recognisers found, for the import summary."""

    scorecard: int = 0
    base_data: bool = False
    department_evaluation: bool = False
    projects: int = 0
    narrative_sections: int = 0
    coverage: Coverage = field(default_factory=Coverage)

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
    tables: list[int] = field(default_factory=list)  # id() of the tables its rows came from
    signatures: dict[str, str | None] = field(default_factory=dict)  # signature rows inside it
    open_grid: bool = False  # its last indicator grid has not reached its 总分 row yet


def _first(row: Row) -> str:
    """The label a row starts with: forms put their labels first, free text comes later."""
    return next((label(c) for c in row if clean(c.text)), "")


def _names(ctx: Ctx, row: Row, key: str) -> bool:
    """A label that names the form (项目名称 | X, or 项目名称：X), not a column header
    (项目名称 | 2021年决算数 | …)."""
    if any(ctx.key("base.columns", c, prefix=False) in ("budget", "final") for c in row if clean(c.text)):
        return False
    first = _first(row)
    head = re.split("[:：]", first, maxsplit=1)[0] if re.search("[:：]", first) else first
    return ctx.key("form.names", head, prefix=False) == key


def _anchor(ctx: Ctx, row: Row) -> str | None:
    if is_header(ctx, row):
        return "scorecard"
    if is_anchor(ctx, _first(row)):
        return "base_data"
    if _names(ctx, row, "department"):
        return "department"
    if _names(ctx, row, "project"):
        return "project"
    return None


def _segments(tables: list[Table], ctx: Ctx) -> list[Segment]:
    """Rows grouped by form. A table with no anchor of its own continues the form before it
    (a table split across pages); rows before a table's first anchor are its title lines."""
    segments: list[Segment] = []
    for table in tables:
        source = id(table)  # the document's table, which the rows below are filtered from
        if _is_annex(table):
            for row in table.rows:  # Jixiao's own 核算对照表: computed values, not the unit's figures
                for cell in row:
                    ctx.use(cell)
            continue
        rows = []
        for row in _parted(ctx, table):
            texts = [clean(c.text) for c in row if clean(c.text)]
            if texts and all(_structural(t, None) for t in texts):  # a title or signature row of a sheet
                for cell in row:
                    ctx.use(cell)
            else:
                rows.append(row)
        table = Table(rows, table.where)
        anchors = [_anchor(ctx, row) for row in table.rows]
        if not any(anchors):
            if segments:
                grid = segments[-1].kind in ("project", "department") and segments[-1].open_grid
                for row in table.rows:
                    grid = (grid and not _total(ctx, row)) or is_grid_header(ctx, row)
                    _append(ctx, segments[-1], row, grid)
                segments[-1].tables.append(source)
            continue
        in_grid = bool(segments) and segments[-1].kind in ("project", "department") and segments[-1].open_grid
        started = in_grid  # a grid split across pages goes on in this table
        for row, kind in zip(table.rows, anchors, strict=True):
            if in_grid and kind not in ("project", "department"):
                # inside an indicator grid a cell's words are the unit's, not a new form; only
                # the next table's 项目名称 row ends a grid that has no 总分 row
                kind = None
                in_grid = not _total(ctx, row)
            elif kind in ("project", "department") or (segments and segments[-1].kind in ("project", "department") and started):
                in_grid = is_grid_header(ctx, row)
            new_form = kind in ("project", "department") or (kind and (not segments or segments[-1].kind != kind))
            if kind and (new_form or not started):
                if new_form:
                    segments.append(Segment(kind))
                started = True
            if started:
                _append(ctx, segments[-1], row, in_grid)
                if source not in segments[-1].tables:
                    segments[-1].tables.append(source)
            elif segments and (signed := read_signatures(ctx, row)):
                segments[-1].signatures.update(signed)  # the line under the form before this table
            else:
                _title(row, ctx)
    return segments


def _is_annex(table: Table) -> bool:
    """Jixiao's own 核算对照表, which names itself in its first row."""
    return any(label(c).startswith(ANNEX_TITLE) for row in table.rows[:4] for c in row)


def _annex_paragraphs(document: Document, ctx: Ctx) -> None:
    """The note above Jixiao's 核算对照表 (back to its title) and the colour legend that a Word
    export puts directly under it are the exporter's words about its own marks, not the unit's:
    they are placed, so that importing an export raises no notice for them."""
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if not (isinstance(block, Table) and _is_annex(block)):
            continue
        above: list[Block] = []
        before = index - 1  # walked back by index: each run of paragraphs ends at a table, so linear
        while before >= 0 and isinstance(earlier := blocks[before], Paragraph):
            above.append(earlier)
            if clean(earlier.text).startswith(ANNEX_TITLE):  # only up to the annex's own title
                ctx.placed.update(id(p) for p in above)
                break
            before -= 1
        if index + 1 < len(blocks) and isinstance(blocks[index + 1], Paragraph):
            ctx.placed.add(id(blocks[index + 1]))


def _parted(ctx: Ctx, table: Table) -> list[Row]:
    """Text rows, with a closing row that a copy ran into the next table's 项目名称 row parted
    again there (改进措施 | … | 项目名称 | X): a file's own grid never needs it."""
    if table.grid:
        return table.rows
    out: list[Row] = []
    for row in table.rows:
        first = next((c for c in row if clean(c.text)), None)
        cut = next(
            (i for i, c in enumerate(row) if i and i + 1 < len(row) and ctx.key("form.names", c, prefix=False)),
            None,
        ) if first is not None and ctx.key("form.closing", first, prefix=False) else None
        out += [row[:cut], row[cut:]] if cut else [row]
    return out


def _append(ctx: Ctx, segment: Segment, row: Row, in_grid: bool) -> None:
    """A row of the form, or, outside its indicator grid, a signature line under it."""
    signed = {} if in_grid else read_signatures(ctx, row)
    if signed:
        segment.signatures.update({k: v for k, v in signed.items() if v or k not in segment.signatures})
    else:
        segment.rows.append(row)
        # kept as rows come, so that asking after every table costs nothing (it once rescanned
        # the segment: 900 headless tables took 18 s)
        if is_grid_header(ctx, row):
            segment.open_grid = True
        elif _total(ctx, row):
            segment.open_grid = False


def _total(ctx: Ctx, row: Row) -> bool:
    first = first_filled(row)
    return first is not None and ctx.key("grid.totals", row[first], prefix=False) is not None


def _title(row: Row, ctx: Ctx) -> None:
    """Title lines above a form (项目支出绩效自评表, 填报单位：…（2022年度）) hold no figures."""
    for cell in row:
        text = label(cell)
        if text.endswith("表") or text.startswith("填报单位"):
            ctx.use(cell)


PART_OF = {"scorecard": "scorecard", "base_data": "base_data", "department": "department_evaluation", "project": "project"}


def _tag(ctx: Ctx, start: int, kind: str, project: str | None) -> None:
    """Name the form on the notices its reading raised."""
    part = PART_OF.get(kind)
    ctx.notices[start:] = [n.model_copy(update={"part": part, "project": project}) for n in ctx.notices[start:]]


def recognise(
    document: Document, year: int | None = None, unit: str | None = None, vocabulary: Vocabulary | None = None
) -> tuple[Evaluation | None, list[Notice], Found]:
    ctx = Ctx(vocabulary) if vocabulary is not None else Ctx()
    found = Found()
    fiscal_year = year or fiscal_year_of(document)
    parts: dict = {"projects": []}
    owners: dict[int, ProjectTable | None] = {}  # a table → the project its rows went to (None: the package)
    package: dict[str, str | None] = {}  # the package's own signature line
    for segment in _segments(document.tables, ctx):
        start = len(ctx.notices)
        owner = None
        if segment.kind == "scorecard":
            rows, total = read_scorecard(segment.rows, ctx)
            parts.setdefault("scorecard", []).extend(rows)
            parts["scorecard_total_stated"] = total if total is not None else parts.get("scorecard_total_stated")
            found.scorecard += len(rows)
        elif segment.kind == "base_data":
            parts["base_data"] = read_base_data(segment.rows, ctx, fiscal_year)
            found.base_data = True
        elif segment.kind == "department":
            owner = read_project(segment.rows, ctx, department=True)
            assert isinstance(owner, DepartmentEvaluation)
            parts["department_evaluation"] = owner
            found.department_evaluation = True
        else:
            owner = read_project(segment.rows, ctx)
            parts["projects"].append(owner)
            found.projects += 1
        owners.update(dict.fromkeys(segment.tables, owner))
        signed = {k: v for k, v in segment.signatures.items() if v}
        if owner is not None and signed:
            owner.signatures = owner.signatures.model_copy(update={**signed, **owner.signatures.model_dump(exclude_none=True)})
        elif owner is None:
            package.update(signed)
        _tag(ctx, start, segment.kind, owner.name if segment.kind == "project" and owner is not None else None)
    parts["signatures"] = _signature_lines(document, ctx, owners, package)
    parts["narrative"] = read_narrative(document.paragraphs, ctx)
    found.narrative_sections = len(parts["narrative"])
    name = unit or unit_of(ctx, document, parts)
    supervisor = supervisor_of(ctx, document, parts, name)
    _annex_paragraphs(document, ctx)
    _report_unplaced(document, ctx, name)
    found.coverage = coverage(document, ctx.placed)
    source = Path(document.source).name
    cover = found.coverage
    if cover.seen >= 10 and cover.placed * 2 < cover.seen:
        ctx.notices.append(Notice.at(
            "text-layout", "warning", source,
            f"只读取了 {cover.placed}/{cover.seen} 个数字单元格：表格的行列可能没能还原（如网页复制时空白格丢失、行被打散），"
            "导入结果不完整。请核对，或上传原 .docx/.xlsx 文件",
        ))
    if name is None:
        name = Path(document.source).stem
        ctx.notices.append(Notice.at("unit-not-found", "warning", source, f"未找到单位名称，暂以文件名“{name}”代替，请核对"))
    if fiscal_year is None:
        ctx.notices.append(Notice.at("year-not-found", "error", source, "未找到评价年度（如“2022年度”），请在导入时指定年度（--year）后重新导入"))
        return None, ctx.notices, found
    if not (found.base_data or found.scorecard or found.projects or found.department_evaluation):
        ctx.notices.append(Notice.at("form-not-found", "error", source, "未识别出任何绩效表格（基础数据表、自评表、评分表）"))
        return None, ctx.notices, found
    try:
        evaluation = Evaluation.model_validate({"unit": {"name": name, "supervisor": supervisor}, "fiscal_year": fiscal_year, **parts})
    except ValidationError as exc:
        ctx.notices.append(Notice.at("invalid-evaluation", "error", source, f"识别结果不符合数据格式：{exc.errors()[0]['msg']}"))
        return None, ctx.notices, found
    return evaluation, ctx.notices, found


def _signature_lines(document: Document, ctx: Ctx, owners: dict[int, ProjectTable | None], package: dict[str, str | None]) -> Signatures:
    """Signature lines written as paragraphs belong to the form above them: a project's, or,
    after the base data and scoring tables, the package's."""
    owner: ProjectTable | None = None
    for block in document.blocks:
        if isinstance(block, Table):
            owner = owners.get(id(block), owner)
            continue
        found = parse_signatures(ctx.vocab, block.text)
        if not found:
            continue
        ctx.placed.add(id(block))
        filled = {k: v for k, v in found.items() if v}
        if owner is None:
            package.update(filled)
        elif filled:
            owner.signatures = owner.signatures.model_copy(update=filled)
    return Signatures(**package)


_FORM_WORDS = re.compile(r"填表人|填报日期|联系电话|单位负责人签字|主要负责人签字|单位名称|填报单位|（盖章）|\(盖章\)|单位[：:]万元|[（(]\d{4}年度?[）)]|[：:\s\u3000]")
_STRUCTURAL = re.compile(
    r"^(附件\s*\d*[：:]?|[（(]\d{4}年度?[）)]|说明[：:].*|.{0,30}(自评表|评分表|基础数据表|自评报告|评价报告|核算对照表)(\s*[（(]\d{4}年度?[）)])?)$"
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
