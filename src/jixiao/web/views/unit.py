"""The unit's side: its evaluations, the forms with live scores and findings, import,
waivers, export and the review-loop transitions (which heads and reviewers reach from the same page)."""

from __future__ import annotations

from contextlib import nullcontext
from decimal import DecimalException

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ...model import DocumentError
from ...model.blank import lines_without_table, with_project_tables
from ...render.export import FORMATS, ExportError
from .. import campaigns, evidence, live, notify, services, totals, workflow
from ..access import evaluation_for, is_unit_member, may, profile_of, reviewers_for, visible
from ..edits import EditError, add_row, describe, plain, remove_row, set_value
from ..annotate import page_sheets
from ..locks import package_lock
from ..models import Comment, Evaluation, Move, State, Unit, Waiver
from ..sheets import PART, finding_targets, part_of, parts
from .forms import int_field, page_of, version_of
from .versions import history, import_decision, notices, restore, upload

@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    me = profile_of(request.user)
    unit = me.unit if me and me.unit_id else None
    page = page_of(request, visible(request.user).order_by("-fiscal_year", "unit__name"))
    return render(request, "web/evaluation_list.html", {
        "evaluations": page, "page": page,
        "unit": unit,
        "this_year": timezone.localdate().year - 1,
        "rounds": campaigns.rounds_for(unit, campaigns.today()) if unit else [],
    })


@login_required
@require_POST
def evaluation_create(request: HttpRequest) -> HttpResponse:
    me = profile_of(request.user)
    if me is None or not me.unit_id or not is_unit_member(request.user, me.unit_id):
        raise PermissionDenied("只有单位的填报人或单位负责人可以新建自评")
    year = int_field(request.POST, "fiscal_year", 2000, 2100)
    if year is None:
        messages.error(request, "请填写 2000—2100 之间的评价年度")
        return redirect("evaluations")
    unit = Unit.objects.select_related("bureau").get(pk=me.unit_id)
    ref, nearest = services.department_rubric_for(unit.bureau, year)
    chosen = request.POST.get("rubric") or None
    if nearest and chosen not in {c.rubric.id for c in nearest}:
        # No rubric for that year: say so, and let the unit choose one explicitly.
        return render(request, "web/evaluation_list.html", {
            "evaluations": visible(request.user), "unit": unit, "this_year": year,
            "nearest": nearest, "asked_year": year,
        })
    try:
        evaluation = services.create(unit, year, rubric=chosen)
    except IntegrityError:
        messages.error(request, f"{unit.name} {year} 年度的自评已经存在")
        return redirect("evaluations")
    messages.success(request, f"已新建 {year} 年度自评。可以上传已有的 Word / Excel 材料导入，或直接在下面的表格中填写。")
    return redirect("evaluation", pk=evaluation.pk)


SHOWN_FINDINGS, SHOWN_NOTICES = 50, 100  # the rest a click away: a page stays bounded


def _part(request: HttpRequest, analysis: services.Analysis) -> int:
    raw = request.POST.get("part") or request.GET.get("part") or ""
    return min(max(int(raw), 1), parts(analysis)) if raw.isdigit() else 1


def _context(request: HttpRequest, evaluation, analysis: services.Analysis | None = None) -> dict:
    analysis = analysis or services.analyse(evaluation)
    part, count = _part(request, analysis), parts(analysis)
    user = request.user
    waivable = {f.fingerprint for f in analysis.report.findings}
    moves = workflow.moves_for(user, evaluation)
    comments = list(evaluation.comments.select_related("author"))
    shown = page_sheets(analysis, part)
    return {
        "evaluation": evaluation,
        "edit_url": reverse("evaluation-edit", args=[evaluation.pk]),
        "add_url": reverse("evaluation-rows", args=[evaluation.pk, "add"]),
        "remove_url": reverse("evaluation-rows", args=[evaluation.pk, "remove"]),
        "analysis": analysis,
        "report": analysis.report,
        "sheets": shown,
        "targets": finding_targets(analysis, shown, part),
        "per_part": PART,
        "returned_before": bool({Move.START_REVIEW, Move.APPROVE} & set(moves)) and evaluation.history.filter(state=State.RETURNED).exists(),
        "part": part,
        "parts": count,
        "project_index": [(i, t.name, part_of(i)) for i, t in enumerate(analysis.document.projects)] if count > 1 else [],
        "findings_shown": analysis.report.findings[:SHOWN_FINDINGS],
        "findings_more": max(len(analysis.report.findings) - SHOWN_FINDINGS, 0),
        "notices_shown": evaluation.notices[:SHOWN_NOTICES],
        "notices_more": max(len(evaluation.notices) - SHOWN_NOTICES, 0),
        "summary": analysis.summary(),
        "can_edit": may(user, evaluation, "edit"),
        "can_comment": may(user, evaluation, "comment"),
        "assignees": reviewers_for(evaluation.unit) if may(user, evaluation, "assign") else None,
        "moves": moves,
        "can_review": Move.APPROVE in moves,
        "next_step": workflow.NEXT[evaluation.state],
        "comments": comments,
        "comments_by_finding": _group(comments),
        "stale_waivers": [w for w in analysis.waivers.values() if w.fingerprint not in waivable],
        "formats": [f for f in FORMATS if f in services.EXPORT_TYPES],
        "rubric_titles": [services.rubric_title(r) for r in analysis.rubrics],
        "gaps": analysis.gaps(evaluation.unit.bureau.required_coverage),
        "missing_tables": lines_without_table(analysis.document),
    }


def _group(comments: list[Comment]) -> dict[str, list[Comment]]:
    grouped: dict[str, list[Comment]] = {}
    for c in comments:
        grouped.setdefault(c.fingerprint, []).append(c)
    return grouped


@login_required
@require_GET
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk)
    context = _context(request, evaluation)
    if context["can_edit"]:  # only an editor's page is followed by a live edit
        live.remember(context["analysis"], context["part"], context["sheets"], SHOWN_FINDINGS)
    context["package_evidence"] = evidence.place(evaluation, context["analysis"].document, context["sheets"])
    context["evidence_accept"] = evidence.ACCEPT
    context["evidence_limit"] = settings.EVIDENCE_MAX_BYTES
    return render(request, "web/evaluation.html", context)


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One field changed (htmx): save, rescore, re-audit, return the side cells. While the
    officer is still typing (``preview``) the same is computed for what is typed, unsaved."""
    evaluation = evaluation_for(request.user, pk, "edit")
    field_path = request.POST.get("path", "")
    preview = request.POST.get("preview") == "1"
    error = None
    draft = None
    version, base = version_of(request.POST), request.POST.get("base")
    try:
        if preview:
            doc, _, _ = set_value(services.shared_document(evaluation), field_path, request.POST.get("value", ""))
            draft = services.analyse(evaluation, _follow(doc, field_path, set(evaluation.auto_totals))[0])
        else:
            evaluation = _save_cell(request, evaluation, field_path, request.POST.get("value", ""), version, base)
    except services.Conflict as exc:
        if request.htmx:
            return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
        error = str(exc)
    except EditError as exc:
        error = str(exc)
    except DecimalException:
        error = "数值超出可计算的范围"
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("evaluation", pk=pk)
    context = _context(request, evaluation, draft)
    shown = live.shown_page(request.POST.get("shown", ""), context["part"], SHOWN_FINDINGS, lambda key: services.analysis_by_key(evaluation, key))
    changes = live.reply(context["analysis"], context["sheets"], shown, request.POST.get("dirty", ""), SHOWN_FINDINGS)
    live.remember(context["analysis"], context["part"], context["sheets"], SHOWN_FINDINGS)
    return render(request, "web/_live.html", {**context, "error": error, "preview": draft is not None, "live": changes})


SAVE_ATTEMPTS = 3  # tries without the database lock, should a writer not taking turns intervene


def _save_cell(request: HttpRequest, evaluation, path: str, typed: str, version: int, base: str | None):
    """Store one cell's new value on the package as it now stands: read and rescored while this
    package's saves take turns (never holding the database: on SQLite its lock is everyone's),
    stored only if no one saved meanwhile; if someone did, this cell goes on top of their
    version — unless it was their cell too. ``evaluation`` is as the request first read it.
    Its analysis is kept for the other workers after its turn."""
    later: list = []
    try:
        return _save_in_turn(request, evaluation, path, typed, version, base, later)
    finally:
        for step in later:
            step()


def _save_in_turn(request: HttpRequest, evaluation, path: str, typed: str, version: int, base: str | None, later: list):
    pk = evaluation.pk
    with package_lock(pk):
        attempts = 0
        while True:
            attempts += 1
            locked = attempts > SAVE_ATTEMPTS  # this try cannot lose the race, so a save always ends
            with transaction.atomic() if locked else nullcontext():
                if attempts > 1 or _moved(evaluation):  # someone saved since we read it: read theirs
                    evaluation = evaluation_for(request.user, pk, "edit", for_update=locked)
                doc, old, new = set_value(services.shared_document(evaluation), path, typed)
                if old == new:
                    return evaluation
                if version != evaluation.version and (base is None or _as_stored(doc, path, base) != old):
                    raise services.Conflict(f"此格已被他人改为“{old or '（空）'}”，您输入的“{new or '（空）'}”未保存；请核对后重新输入")
                auto = set(evaluation.auto_totals)
                doc, followed = _follow(doc, path, auto)
                reason = f"修改 {describe(doc, path)}：{old or '（空）'} → {new or '（空）'}{followed}"
                try:
                    return services.store(evaluation, doc, evaluation.version, reason, auto_totals=sorted(auto), later=later)
                except services.Conflict:
                    if locked:
                        raise


def _moved(evaluation) -> bool:
    """Whether the package has a newer version than ``evaluation`` (one small query)."""
    return not Evaluation.objects.filter(pk=evaluation.pk, version=evaluation.version).exists()


def _as_stored(doc, path: str, typed: str) -> str | None:
    """The value a cell showed, as the model stores it ("1,000" was saved as 1000)."""
    try:
        return set_value(doc, path, typed)[2]
    except EditError:
        return None


def _follow(doc, path: str, auto: set[str]):
    """The edit's effect on the total it adds into: a followed total becomes the new sum; a
    total the unit types itself stops following."""
    if totals.is_total(path):
        auto.discard(path)
        return doc, ""
    total = totals.total_of(path)
    if total is None or not totals.follows(doc, total, auto):
        return doc, ""
    value = totals.parts(doc, total)
    doc, _, shown = set_value(doc, total, "" if value is None else format(value, "f"))
    auto.add(total)
    return doc, f"；{describe(doc, total)}随之为 {shown or '（空）'}"


@login_required
@require_POST
def rows(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("add", "remove"):
        raise Http404("没有这个操作")
    evaluation = evaluation_for(request.user, pk, "edit")
    where = request.POST.get("path", "")
    try:
        doc = services.document(evaluation)
        if action == "add":
            doc = add_row(doc, where, request.POST.get("name", ""))
            reason = f"添加 {describe(doc, where)}：{request.POST.get('name', '').strip()}"
        else:
            place = describe(doc, where.rsplit(".", 1)[0])
            doc, name = remove_row(doc, where)
            reason = f"删除 {place}：{name}"
            total = totals.total_of(f"{where}.score")
            if total and total in evaluation.auto_totals:
                value = totals.parts(doc, total)
                doc = set_value(doc, total, "" if value is None else format(value, "f"))[0]
        services.store(evaluation, doc, version_of(request.POST), reason, auto_totals=totals.after_removal(where, list(evaluation.auto_totals)))
    except (EditError, services.Conflict) as exc:
        messages.error(request, str(exc))
    return redirect(f"/evaluations/{pk}/#{request.POST.get('anchor', '')}")


@login_required
@require_POST
def project_tables(request: HttpRequest, pk: int) -> HttpResponse:
    """A project self-evaluation table for each base-data project line that has none."""
    evaluation = evaluation_for(request.user, pk, "edit")
    doc, added = with_project_tables(services.document(evaluation))
    if not added:
        messages.info(request, "基础数据表中的项目都已有自评表")
        return redirect("evaluation", pk=pk)
    try:
        services.store(evaluation, doc, version_of(request.POST), f"按基础数据表建立项目自评表：{'、'.join(added)}")
    except services.Conflict as exc:
        messages.error(request, str(exc))
        return redirect("evaluation", pk=pk)
    messages.success(request, f"已建立 {len(added)} 张项目支出绩效自评表：{'、'.join(added)}")
    return redirect("evaluation", pk=pk)


@login_required
@require_POST
def waive(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, "edit")
    fingerprint = request.POST.get("fingerprint", "")
    reason = plain(request.POST.get("reason", "")).strip()
    finding = services.analyse(evaluation).finding(fingerprint)
    if finding is None:
        messages.error(request, "这个问题已不存在（数据已修改），无需说明")
    elif len(reason) < 4:
        messages.error(request, "请写明不修改的理由（至少 4 个字）")
    else:
        Waiver.objects.update_or_create(
            evaluation=evaluation, fingerprint=fingerprint,
            defaults={"code": finding.code, "message": finding.message, "reason": reason[:2000], "author": request.user},
        )
        services.refresh_summary(evaluation)
        messages.success(request, "已记录说明")
    return redirect(f"/evaluations/{pk}/#f-{fingerprint}")


@login_required
@require_POST
def unwaive(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, "edit")
    Waiver.objects.filter(evaluation=evaluation, fingerprint=request.POST.get("fingerprint", "")).delete()
    services.refresh_summary(evaluation)
    return redirect("evaluation", pk=pk)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, "comment")
    text = plain(request.POST.get("text", "")).strip()
    fingerprint = request.POST.get("fingerprint", "")
    finding = services.analyse(evaluation).finding(fingerprint) if fingerprint else None
    if not text:
        messages.error(request, "意见不能为空")
    else:
        with transaction.atomic():  # the comment and the other side's messages about it, together
            notify.commented(Comment.objects.create(
                evaluation=evaluation, fingerprint=fingerprint if finding else "", text=text[:4000], author=request.user,
                finding=f"{finding.location.describe()}：{finding.message}" if finding else "",
            ))
    return redirect(f"/evaluations/{pk}/#{'f-' + fingerprint if finding else 'comments'}")


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in Move.values:
        raise Http404("没有这个操作")
    evaluation = evaluation_for(request.user, pk, name)
    try:
        evaluation = workflow.move(evaluation, name, request.user, plain(request.POST.get("comment", "")).strip()[:4000])
    except workflow.Refused as exc:
        messages.error(request, str(exc))
        return redirect("evaluation", pk=pk)
    messages.success(request, f"{evaluation}：已{Move(name).label}")
    # a decided review is off the reviewer's desk: back to the queue for the next one
    return redirect("queue") if name in (Move.SEND_BACK, Move.APPROVE) else redirect("evaluation", pk=pk)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk)
    if fmt not in services.EXPORT_TYPES:
        raise Http404("不支持的导出格式")
    try:
        return services.download(evaluation, fmt, request.GET.get("highlight") == "1")
    except (ExportError, DocumentError) as exc:
        messages.error(request, str(exc))
        return redirect("evaluation", pk=pk)


urlpatterns = [
    path("", evaluation_list, name="evaluations"),
    path("new", evaluation_create, name="evaluation-create"),
    path("<int:pk>/", evaluation_page, name="evaluation"),
    path("<int:pk>/edit", edit, name="evaluation-edit"),
    path("<int:pk>/rows/<str:action>", rows, name="evaluation-rows"),
    path("<int:pk>/import", upload, name="evaluation-import"),
    path("<int:pk>/import/<str:decision>", import_decision, name="evaluation-import-decision"),
    path("<int:pk>/project-tables", project_tables, name="evaluation-project-tables"),
    path("<int:pk>/waive", waive, name="evaluation-waive"),
    path("<int:pk>/unwaive", unwaive, name="evaluation-unwaive"),
    path("<int:pk>/comment", comment, name="evaluation-comment"),
    path("<int:pk>/transition/<str:name>", transition, name="evaluation-transition"),
    path("<int:pk>/export/<str:fmt>", download, name="evaluation-export"),
    path("<int:pk>/history", history, name="evaluation-history"),
    path("<int:pk>/notices", notices, name="evaluation-notices"),
    path("<int:pk>/history/<int:record>/restore", restore, name="evaluation-restore"),
]
