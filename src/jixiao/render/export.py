"""Export: the evaluation, scored and audited, to a file format. The audit marks the cells
when asked (``highlight``) and always decides which figures the report may quote as stated;
what the report could not fill is handed back to the caller, never printed as filler."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..audit.report import audit
from ..model import Evaluation
from ..rubric.choose import ProjectRubrics
from ..rubric.loader import CompiledRubric
from ..rubric.score import score_package
from .docx import TemplateError, write_docx
from .html import report_html, report_markdown
from .layout import forms
from .marks import marks_for
from .report import ReportPlan, report_plan
from .xlsx import write_xlsx

FORMATS = ("xlsx", "docx", "pdf", "html", "md")


class ExportError(Exception):
    """An export that cannot be made here; the message says why and what to do."""


def _pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # WeasyPrint needs Pango from the system
        raise ExportError(
            f"无法生成 PDF：缺少 WeasyPrint 或其系统库（{type(exc).__name__}）。"
            "请安装 Debian 软件包 libpango-1.0-0、libharfbuzz-subset0、fonts-noto-cjk（make run / make test 会自动安装），"
            "或改用 --to html 后在浏览器中打印为 PDF"
        ) from None
    with _collector_paused():
        return HTML(string=html).write_pdf()


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while WeasyPrint lays the report out: it builds
    millions of objects for a long report (some 9,000 a project) and the collector walked
    them all again and again as they piled up, a quarter of the render. Most of them stay
    alive until the render returns in any case: the peak memory is about the same (200
    projects: 1.10 GB either way). The switch is process-wide, so other threads' garbage
    cycles wait for the render too; the previous state comes back after, on error too. The
    cost per project did not grow with the report: this is speed, not order."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Exported:
    """The file, and what its report lacks: the sections left out, the unit's empty ones and
    those Jixiao wrote from the forms. A workbook carries no report, so its plan is empty."""

    data: bytes
    report: ReportPlan = field(default_factory=ReportPlan)

    def notes(self) -> list[str]:
        return self.report.notes()


def export_document(
    evaluation: Evaluation,
    to: str,
    department: CompiledRubric | None,
    project: CompiledRubric | ProjectRubrics,
    template: Path | None = None,
    highlight: bool = False,
) -> Exported:
    if to not in FORMATS:
        raise ExportError(f"不支持的导出格式“{to}”，可选：{'、'.join(FORMATS)}")
    score = score_package(evaluation, department, project)
    report = audit(evaluation, department, project) if highlight or to != "xlsx" else None
    marks = marks_for(score, report if highlight else None, "scorecard" if evaluation.scorecard else "department_evaluation")
    layout = forms(evaluation)
    if to == "xlsx":
        return Exported(write_xlsx(layout, marks))
    plan = report_plan(evaluation, report)
    sections = plan.sections
    if to == "docx":
        if template is not None and not template.is_file():
            raise ExportError(f"找不到模板文件 {template}")
        try:
            return Exported(write_docx(evaluation, sections, layout, marks, template), plan)
        except TemplateError as exc:
            raise ExportError(str(exc)) from None
    html = report_html(evaluation, sections, layout, marks)
    if to == "html":
        return Exported(html.encode("utf-8"), plan)
    if to == "md":
        return Exported(report_markdown(evaluation, sections, layout, marks).encode("utf-8"), plan)
    return Exported(_pdf(html), plan)


def export(
    evaluation: Evaluation,
    to: str,
    department: CompiledRubric | None,
    project: CompiledRubric | ProjectRubrics,
    template: Path | None = None,
    highlight: bool = False,
) -> bytes:
    """The file alone, for callers that show no lists (the web download); see ``export_document``."""
    return export_document(evaluation, to, department, project, template, highlight).data
