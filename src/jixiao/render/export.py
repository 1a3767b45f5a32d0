"""Export: the evaluation, scored (and audited when marks are asked for), to a file format."""

from __future__ import annotations

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
from .report import report_sections
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
    return HTML(string=html).write_pdf()


def export(
    evaluation: Evaluation,
    to: str,
    department: CompiledRubric | None,
    project: CompiledRubric | ProjectRubrics,
    template: Path | None = None,
    highlight: bool = False,
) -> bytes:
    if to not in FORMATS:
        raise ExportError(f"不支持的导出格式“{to}”，可选：{'、'.join(FORMATS)}")
    score = score_package(evaluation, department, project)
    report = audit(evaluation, department, project) if highlight else None
    marks = marks_for(score, report, "scorecard" if evaluation.scorecard else "department_evaluation")
    layout = forms(evaluation)
    if to == "xlsx":
        return write_xlsx(layout, marks)
    sections = report_sections(evaluation)
    if to == "docx":
        if template is not None and not template.is_file():
            raise ExportError(f"找不到模板文件 {template}")
        try:
            return write_docx(evaluation, sections, layout, marks, template)
        except TemplateError as exc:
            raise ExportError(str(exc)) from None
    html = report_html(evaluation, sections, layout, marks)
    if to == "html":
        return html.encode("utf-8")
    if to == "md":
        return report_markdown(evaluation, sections, layout, marks).encode("utf-8")
    return _pdf(html)
