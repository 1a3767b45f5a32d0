"""A package's versions: importing over it (shown first, then confirmed), the timeline, any
earlier version restored, and the full lists of notices and findings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...ingest.notices import Notice
from ...model import dump_evaluation, parse_evaluation
from ...model.diff import changes, summary
from .. import importing, services
from ..access import evaluation_for, may
from ..models import Evidence, State, Waiver
from .forms import version_of


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, "edit")
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, "请选择要导入的文件")
        return redirect("evaluation", pk=pk)
    version = version_of(request.POST)
    result = importing.read_for(evaluation, file, settings.UPLOAD_LIMIT)
    if not result.ok:
        for notice in result.errors or result.notices:
            # most messages already begin with the file's name
            messages.error(request, notice.message if notice.message.startswith(result.source) else f"{notice.where}：{notice.message}")
        messages.error(request, "导入未完成，原有数据未改动")
        return redirect("evaluation", pk=pk)
    done = f"已导入 {result.source}：{result.found.describe()}；{result.found.coverage.describe()}；导入提示 {len(result.notices)} 条，见下方各表"
    if evaluation.version > 1:
        # Someone has worked on this package: show what the file would change, and ask.
        request.session[_PENDING.format(pk)] = {
            "document": dump_evaluation(result.evaluation), "notices": [n.model_dump(mode="json") for n in result.notices],
            "source": result.source, "version": version, "done": done,
        }
        found = changes(services.document(evaluation), result.evaluation)
        return render(request, "web/import_confirm.html", {
            "evaluation": evaluation, "source": result.source, "changes": found[:300], "more": max(len(found) - 300, 0),
            "summary": summary(found),
        })
    return _apply(request, evaluation, result.evaluation, result.notices, result.source, version, done)


_PENDING = "jixiao-import-{}"


def _apply(request, evaluation, doc, notices, source: str, version: int, done: str) -> HttpResponse:
    try:
        importing.apply_import(evaluation, doc, notices, source, version)
    except services.Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("evaluation", pk=evaluation.pk)


@login_required
@require_POST
def import_decision(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """The unit's answer to an import preview: replace the package with the file's, or keep it."""
    evaluation = evaluation_for(request.user, pk, "edit")
    pending = request.session.pop(_PENDING.format(pk), None)
    if decision not in ("confirm", "cancel"):
        raise Http404("没有这个操作")
    if pending is None:
        messages.error(request, "没有待确认的导入（可能已确认或已取消），请重新上传")
        return redirect("evaluation", pk=pk)
    if decision == "cancel":
        messages.info(request, f"已取消导入 {pending['source']}，原有数据未改动")
        return redirect("evaluation", pk=pk)
    notices = [Notice.model_validate(n) for n in pending["notices"]]
    return _apply(request, evaluation, parse_evaluation(pending["document"]), notices, pending["source"], pending["version"], pending["done"])


@login_required
@require_GET
def notices(request: HttpRequest, pk: int) -> HttpResponse:
    """Every import notice and every finding of the package, however many."""
    evaluation = evaluation_for(request.user, pk)
    return render(request, "web/notices.html", {"evaluation": evaluation, "report": services.analyse(evaluation).report})


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk)
    records = evaluation.history.select_related("history_user").order_by("-history_date")[:500]
    events = sorted(
        [("record", r.history_date, r) for r in records]
        + [("comment", c.created, c) for c in evaluation.comments.select_related("author")]
        + [("waiver", w.history_date, w) for w in Waiver.history.filter(evaluation_id=evaluation.pk).select_related("history_user")]
        + [("evidence", e.history_date, e) for e in Evidence.history.filter(evaluation_id=evaluation.pk).select_related("history_user")],
        key=lambda e: e[1], reverse=True,
    )
    # the version the bureau's return produced: the last record in 已退回 whose predecessor was
    # neither 已退回 nor with the head (the head's return to the filler restores 已退回, no news)
    states = list(evaluation.history.order_by("-history_date").values_list("state", "history_id")[:500])
    returned_id = next((hid for (state, hid), (before, _) in zip(states, states[1:])
                        if state == State.RETURNED and before not in (State.RETURNED, State.AWAITING_HEAD)), None)
    returned = evaluation.history.filter(history_id=returned_id).first() if returned_id else None
    since = None
    if returned is not None:
        found = changes(parse_evaluation(returned.document), services.document(evaluation))
        since = {"when": returned.history_date, "changes": found[:300], "summary": summary(found)}
    return render(request, "web/history.html", {
        "evaluation": evaluation, "events": events, "since_return": since, "can_edit": may(request.user, evaluation, "edit"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def restore(request: HttpRequest, pk: int, record: int) -> HttpResponse:
    """Any earlier version back as the current one, after seeing what that would change."""
    evaluation = evaluation_for(request.user, pk, "edit")
    old = evaluation.history.filter(history_id=record).first()
    if old is None:
        raise Http404("没有这个版本")
    doc = parse_evaluation(old.document)
    if request.method != "POST":
        found = changes(services.document(evaluation), doc)
        return render(request, "web/restore.html", {
            "evaluation": evaluation, "record": old, "changes": found[:300], "more": max(len(found) - 300, 0), "summary": summary(found),
        })
    try:
        services.store(evaluation, doc, version_of(request.POST), f"恢复到第 {old.version} 版（{old.history_date:%Y-%m-%d %H:%M}）", auto_totals=[])
    except services.Conflict as exc:
        messages.error(request, str(exc))
        return redirect("evaluation-history", pk=pk)
    messages.success(request, f"已恢复到第 {old.version} 版")
    return redirect("evaluation", pk=pk)
