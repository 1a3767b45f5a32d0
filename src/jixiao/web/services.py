"""The web side's use of the library: load, score, audit, store with optimistic locking
(imports are importing.py's, the review loop workflow.py's). Views call these and only render results."""

from __future__ import annotations

from copy import copy
from decimal import Decimal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from django.db import transaction
from django.db.models import F
from django.http import HttpResponse

from ..audit.finding import Finding
from ..audit.report import AuditReport, audit
from ..ingest import ImportResult, Notice
from ..model import DocumentError, dump_evaluation, parse_evaluation
from ..render.export import export
from ..model import Evaluation as Document
from ..rubric.choose import AUTO, DEFAULT_PROJECT_RUBRIC, ProjectRubrics, project_rubrics
from ..model.blank import blank_evaluation, from_previous
from ..rubric.loader import CompiledRubric, RubricError, find_rubric, load_rubric, rubric_files
from ..rubric.results import PackageScore
from ..rubric.score import score_package
from . import analysed, lastyear, memo
from .models import Evaluation, RubricChoice, Waiver

DEFAULT_RUBRICS = ("hengshan-2022-department", AUTO)
# The formats offered for download, with their media types (html/md stay CLI-only).
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class Conflict(Exception):
    """Someone else saved the evaluation since this page was loaded."""

    def __init__(self, message: str = "这份材料已被他人修改（您看到的是旧版本），您的修改未保存。请刷新页面后重新填写。") -> None:
        super().__init__(message)


@lru_cache(maxsize=32)
def compiled(rubric_id: str) -> CompiledRubric:
    return find_rubric(rubric_id)


def project_compiled(rubric_id: str) -> ProjectRubrics:
    # Cached like compiled(): ``auto`` reads every rubric file, six YAML parses (~90 ms) that
    # each save and each page's analysis paid again. Keyed by the files there are, so a
    # rubric folder added ($JIXIAO_RUBRICS) is seen.
    return _project_compiled(rubric_id, tuple(rubric_files()))


@lru_cache(maxsize=32)
def _project_compiled(rubric_id: str, files: tuple[Path, ...]) -> ProjectRubrics:
    return project_rubrics(rubric_id)


def rubric_title(rubric_id: str) -> str:
    if rubric_id == AUTO:
        return f"按表样选用项目表评分规则（未识别表样时用 {DEFAULT_PROJECT_RUBRIC}）"
    return compiled(rubric_id).rubric.title


def rubric_ids(evaluation: Evaluation) -> tuple[str, str]:
    if len(evaluation.rubrics) == 2:
        return tuple(evaluation.rubrics)  # type: ignore[return-value]
    return year_rubrics(evaluation.unit.bureau_id, evaluation.fiscal_year)


def year_rubrics(bureau_id: int, fiscal_year: int) -> tuple[str, str]:
    """The rubrics a bureau scores a year's evaluations by (the defaults where it chose none)."""
    choice = RubricChoice.objects.filter(bureau=bureau_id, fiscal_year=fiscal_year).first()
    return (choice.department_rubric, choice.project_rubric) if choice else DEFAULT_RUBRICS


def document(evaluation: Evaluation) -> Document:
    """The stored version's document, the caller's own to change."""
    return parse_evaluation(evaluation.document, f"{evaluation}")


def shared_document(evaluation: Evaluation) -> Document:
    """The same, parsed once per process for every caller: never to be changed in place (an
    edit makes a new document from it)."""
    return memo.document(evaluation.document, f"{evaluation}")


@dataclass
class Analysis:
    """One version of an evaluation, scored and audited, with the unit's waivers applied."""

    document: Document
    score: PackageScore
    report: AuditReport
    rubrics: tuple[str, str]
    notices: list[Notice] = field(default_factory=list)
    waivers: dict[str, Waiver] = field(default_factory=dict)
    auto_totals: frozenset[str] = frozenset()
    key: str = ""  # which stored analysis this is (empty for a preview's draft)
    previous: Document | None = None  # the unit's package of the year before

    @property
    def open_errors(self) -> list[Finding]:
        return [f for f in self.report.findings if f.severity == "error" and f.fingerprint not in self.waivers]

    def gaps(self, required_coverage: int | None = None) -> list[str]:
        """What stands between this version and submission, in the words the page shows: each
        open error where it sits, and a department score the figures decide too little of."""
        gaps = [f"{f.location.describe()}：{f.message}" for f in self.open_errors]
        department = self.score.department
        if required_coverage is not None and department is not None:
            share = department.coverage.share or Decimal(0)
            if share * 100 < required_coverage:
                gaps.append(f"部门整体{department.coverage.describe()}，财政局要求按数据核算的分值不低于 {required_coverage}%")
        return gaps

    @property
    def waived(self) -> list[Finding]:
        """The findings the unit has explained (a waiver whose finding has gone is not one)."""
        return [f for f in self.report.findings if f.fingerprint in self.waivers]

    def finding(self, fingerprint: str) -> Finding | None:
        return next((f for f in self.report.findings if f.fingerprint == fingerprint), None)

    def summary(self) -> dict:
        dept = self.report.rescore.department
        stats = self.report.stats
        return {
            "errors": stats["error"],
            "warnings": stats["warning"],
            "infos": stats["info"],
            "open_errors": len(self.open_errors),
            "waived": len(self.waived),
            "stated_total": str(dept.stated_total) if dept and dept.stated_total is not None else None,
            "total": str(dept.total) if dept and dept.total is not None else None,
            "undetermined": dept.undetermined if dept else None,
            "coverage": dept.coverage.describe() if dept else None,
            "stated_grade": dept.stated_grade if dept else None,
            "grade": dept.grade if dept else None,
            "projects": len(self.document.projects),
            "findings_by_code": dict(Counter(f.code for f in self.report.findings)),
            "execution_rates": [
                {"name": p.name, "rate": str(p.execution_rate * 100) if p.execution_rate is not None else None}
                for p in self.score.projects
            ],
        }


def _analyse(doc: Document, rubrics: tuple[str, str], notices: tuple[Notice, ...], source: str,
             previous: Document | None = None) -> tuple[Document, PackageScore, AuditReport]:
    department, project = compiled(rubrics[0]), project_compiled(rubrics[1])
    score = score_package(doc, department, project, memo.table_score)
    last = score_package(previous, department, project, memo.table_score) if previous is not None else None
    return doc, score, audit(doc, department, project, notices, source, score=score, previous=previous, previous_score=last,
                            remembered=memo.checks)


def analyse(evaluation: Evaluation, draft: Document | None = None) -> Analysis:
    """The stored version scored and audited, or ``draft`` in its place (a preview)."""
    given = _Inputs.of(evaluation)
    if draft is not None:
        notices = given.notices(evaluation)
        state = (*_analyse(draft, given.rubrics, notices, given.source, given.previous), notices, given.auto)
        return _analysis(evaluation, "", given, state)
    key, state, fresh = _computed(evaluation, None, given)
    if fresh:
        analysed.write(evaluation, key, analysed.payload_of(state, evaluation.document))
    return _analysis(evaluation, key, given, state)


@dataclass(frozen=True)
class _Inputs:
    """What an evaluation's analysis is computed from besides its document, read once a request."""

    rubrics: tuple[str, str]
    source: str
    auto: frozenset[str]
    marker: tuple[int, int] | None  # which version of last year's package
    previous: Document | None

    @classmethod
    def of(cls, evaluation: Evaluation) -> _Inputs:
        # Kept on the instance, with the fields they were read from: a save reads them, then its
        # reply's analysis again (two queries); a transition fixing the rubrics reads them anew.
        basis = (evaluation.source or str(evaluation), frozenset(evaluation.auto_totals), tuple(evaluation.rubrics))
        known = getattr(evaluation, "_inputs", None)
        if known is not None and known[0] == basis:
            return known[1]
        marker, previous = lastyear.previous_document(evaluation)
        inputs = cls(rubric_ids(evaluation), basis[0], basis[1], marker, previous)
        evaluation._inputs = (basis, inputs)
        return inputs

    @staticmethod
    def notices(evaluation: Evaluation) -> tuple[Notice, ...]:
        return tuple(Notice.model_validate(n) for n in evaluation.notices)


def _computed(evaluation: Evaluation, stored: Document | None, given: _Inputs) -> tuple[str, tuple, bool]:
    def compute() -> tuple:
        doc = stored if stored is not None else memo.document(evaluation.document, given.source)
        notices = given.notices(evaluation)
        return (*_analyse(doc, given.rubrics, notices, given.source, given.previous), notices, given.auto)

    return analysed.computed(evaluation, (given.rubrics, given.source, sorted(given.auto), given.marker), compute)


def _analysis(evaluation: Evaluation, key: str, given: _Inputs, state: tuple) -> Analysis:
    doc, score, report, notices, auto = state
    waivers = {w.fingerprint: w for w in evaluation.waivers.select_related("author")}
    return Analysis(doc, score, report, given.rubrics, list(notices), waivers, auto, key, given.previous)


def analysis_by_key(evaluation: Evaluation, key: str) -> Analysis | None:
    """An earlier analysis of this evaluation (the one a page was rendered from), if still kept."""
    state = analysed.by_key(evaluation, key) if key else None
    return None if state is None else _analysis(evaluation, key, _Inputs.of(evaluation), state)


def project_names(doc: Document) -> str:
    """The project names the queue searches: the project tables' and the base data's lines."""
    names = dict.fromkeys(n.strip() for n in [*(t.name for t in doc.projects), *(r.name for r in doc.base_data.projects)] if n and n.strip())
    return "\n".join(names)


def refresh_summary(evaluation: Evaluation) -> dict:
    """Store what the queue and the dashboard read (empty for a document that cannot be read)."""
    try:
        analysis = analyse(evaluation)
        summary, names = analysis.summary(), project_names(analysis.document)
    except DocumentError:
        summary, names = {}, ""
    Evaluation.objects.filter(pk=evaluation.pk).update(summary=summary, project_names=names)
    evaluation.summary, evaluation.project_names = summary, names
    return summary


def store(
    evaluation: Evaluation, doc: Document, version: int, reason: str, notices: list[Notice] | None = None,
    source: str | None = None, auto_totals: list[str] | None = None, later: list[Callable[[], None]] | None = None,
) -> Evaluation:
    """Save a new version of the document, unless someone saved since ``version`` was read.
    ``doc`` is handed over: this process keeps it for the requests after, unchanged.

    The new version is scored, audited and pickled before the write: SQLite has one writer at
    a time, and every other save and sign-in would wait out those ~40 ms. Given ``later``, the
    analysis is stored for the other workers by a step added to it, which the caller runs once
    it no longer makes colleagues saving the same package wait."""
    new = copy(evaluation)
    new.version, new.document = version + 1, dump_evaluation(doc)
    if notices is not None:
        new.notices = [n.model_dump(mode="json") for n in notices]
    if source is not None:
        new.source = source
    if auto_totals is not None:
        new.auto_totals = auto_totals
    given = _Inputs.of(new)
    key, state, _ = _computed(new, doc, given)
    summary = _analysis(new, key, given, state).summary()
    payload = analysed.payload_of(state, new.document) if later is None else None
    with transaction.atomic():
        # The conditional UPDATE takes the row lock: of two officers saving at once, the second
        # finds the version moved and is told so instead of overwriting the first.
        if not Evaluation.objects.filter(pk=evaluation.pk, version=version).update(version=F("version") + 1):
            raise Conflict()
        for name in ("version", "document", "notices", "source", "auto_totals"):
            setattr(evaluation, name, getattr(new, name))
        evaluation.summary, evaluation.project_names = summary, project_names(doc)
        evaluation._change_reason, evaluation._inputs = reason, new._inputs
        evaluation.save()
        if later is None:
            analysed.write(evaluation, key, payload)
    if later is not None:
        stored = copy(evaluation)  # as saved now, whatever the caller does with it meanwhile
        later.append(lambda: analysed.write_after(stored, key, state, new.document))
    memo.known(new.document, doc)  # the text as written: a cleaned one (textguard) is read again
    return evaluation


def exported(evaluation: Evaluation, fmt: str, highlight: bool = False) -> bytes:
    """The evaluation as an Excel, Word or PDF file; raises ExportError / DocumentError."""
    analysis = analyse(evaluation)
    department, project = compiled(analysis.rubrics[0]), project_compiled(analysis.rubrics[1])
    return export(analysis.document, fmt, department, project, None, highlight)


def export_name(evaluation: Evaluation, fmt: str) -> str:
    return f"{evaluation.unit.name}-{evaluation.fiscal_year}年度绩效自评.{fmt}"


def download(evaluation: Evaluation, fmt: str, highlight: bool = False) -> HttpResponse:
    """The evaluation exported as an attachment; raises ExportError / DocumentError."""
    response = HttpResponse(exported(evaluation, fmt, highlight), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export_name(evaluation, fmt))}"
    return response


def department_rubric_for(bureau, fiscal_year: int) -> tuple[str, list[CompiledRubric]]:
    """The department rubric a new evaluation of that year is scored by, and — when neither the
    bureau's choice nor the rubric itself is for that year — the department rubrics nearest
    that year, for the unit to choose from explicitly (empty when no choice is needed)."""
    choice = RubricChoice.objects.filter(bureau=bureau, fiscal_year=fiscal_year).first()
    ref = choice.department_rubric if choice else DEFAULT_RUBRICS[0]
    if choice is not None or compiled(ref).rubric.year in (None, fiscal_year):
        return ref, []
    candidates = []
    for path in rubric_files():
        try:
            rubric = load_rubric(path)
        except RubricError:
            continue
        if rubric.rubric.kind == "department":
            candidates.append(rubric)
    exact = [c for c in candidates if c.rubric.year == fiscal_year]
    if exact:
        return exact[0].rubric.id, []
    return ref, sorted(candidates, key=lambda c: (abs((c.rubric.year or fiscal_year) - fiscal_year), c.rubric.id))


def create(unit, fiscal_year: int, imported: ImportResult | None = None, reason: str = "创建", rubric: str | None = None) -> Evaluation:
    """A new evaluation: holding an imported package (with its notices), or the complete empty
    package of the department rubric it will be scored by (``rubric`` when the unit chose one),
    pre-filled from the unit's package of the year before when there is one."""
    if imported and imported.evaluation:
        doc = imported.evaluation
    else:
        ref = rubric or department_rubric_for(unit.bureau, fiscal_year)[0]
        doc = blank_evaluation(unit.name, fiscal_year, compiled(ref).rubric.scorecard())
        last = lastyear.previous_document(Evaluation(unit=unit, fiscal_year=fiscal_year))[1]
        if last is not None:
            doc = from_previous(doc, last)
            reason = f"{reason}（按 {fiscal_year - 1} 年度材料预填）"
    evaluation = Evaluation(unit=unit, fiscal_year=fiscal_year, document=dump_evaluation(doc))
    if rubric is not None:
        evaluation.rubrics, evaluation.rubrics_chosen = [rubric, DEFAULT_RUBRICS[1]], True
    if imported is not None:
        evaluation.source = imported.source
        evaluation.notices = [n.model_dump(mode="json") for n in imported.notices]
    evaluation._change_reason = reason
    evaluation.save()
    refresh_summary(evaluation)
    return evaluation
