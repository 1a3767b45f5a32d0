"""Acting on several evaluations at once from the queue: assign a reviewer, approve the clean
ones, export them as one zip.

A selection is the list of ids the queue posts. Every id goes through the access helper, and
one out of reach (404) or one the person may not act on (403) refuses the whole request before
anything changes. Approval runs each package through workflow.move, so every rule and the
history apply as when approving one by one.

Exports are made in the request, capped (EXPORT_LIMITS) so that the largest stays well inside
the server's 120 s timeout: a PDF takes under a second. A job table polled by a status page
would need a worker process this deployment does not have (gunicorn serves requests only),
and a thread inside a request worker dies with the worker. The zip is written to a temporary
file, one package at a time, and streamed from there, so memory holds one export at most; the
page's script (static/web/queue.js) shows that it is being made and when the download starts."""

from __future__ import annotations

import re
import tempfile
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from ...model import DocumentError
from ...render.export import ExportError
from .. import queue as q
from .. import services, workflow
from ..access import Action, refusal, require_bureau, reviews, visible
from ..models import Evaluation, Move, Profile, Role

MAX_SELECTED = 200
EXPORT_LIMITS = {"pdf": 50, "xlsx": 200}
TOKEN = re.compile(r"[A-Za-z0-9]{1,32}")


def _back(request: HttpRequest) -> str:
    """The queue as the reviewer left it: its query re-read, never a URL taken from the form."""
    query = q.Criteria.of(QueryDict(request.POST.get("back", ""))).query()
    return f"{reverse('queue')}?{query}" if query else reverse("queue")


def _selected(request: HttpRequest, action: Action, full: bool = False) -> list[Evaluation]:
    """The posted evaluations, in unit order; documents are loaded only when ``full``. As for
    one evaluation: out of reach is a 404 before anything else is said about it."""
    raw = request.POST.getlist("ids")
    ids = {int(x) for x in raw if x.isdigit() and len(x) < 10}
    if len(ids) != len(raw) or len(ids) > MAX_SELECTED:
        raise PermissionDenied(f"所选材料有误：一次最多选择 {MAX_SELECTED} 份")
    qs = visible(request.user).filter(pk__in=ids).order_by("unit__name", "-fiscal_year")
    found = list(qs if full else qs.defer("document", "notices"))
    if len(found) != len(ids):
        raise Http404("所选材料中有不存在或您无权查看的")
    require_bureau(request.user)
    for evaluation in found:
        if reason := refusal(request.user, evaluation, action):
            raise PermissionDenied(f"{evaluation}：{reason}")
    return found


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


@login_required
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    """Assign the selection to one reviewer who reviews every package in it, or unassign it."""
    chosen = _selected(request, "assign")
    raw = request.POST.get("reviewer", "")
    reviewer = Profile.objects.filter(pk=raw, role=Role.REVIEWER).select_related("user").first() if raw.isdigit() else None
    if raw and reviewer is None:
        raise Http404("没有这位审核人")
    if reviewer is not None and (outside := [e for e in chosen if not reviews(reviewer, e.unit)]):
        raise PermissionDenied(f"{_who(reviewer.user)}不审核{outside[0].unit.name}的材料，未作分配")
    user = reviewer.user if reviewer else None
    with transaction.atomic():
        for evaluation in chosen:
            evaluation.assigned_to = user
            evaluation._change_reason = f"分配审核人：{_who(user)}" if user else "取消分配审核人"
            # not the update time: an assignment changes nothing the unit or a review depends on
            evaluation.save(update_fields=["assigned_to"])
    messages.success(request, f"已将 {len(chosen)} 份材料分配给{_who(user)}" if user else f"已取消 {len(chosen)} 份材料的审核人")
    if len(chosen) == 1 and request.POST.get("from") == "evaluation":
        return redirect("evaluation", pk=chosen[0].pk)
    return redirect(_back(request))


def _why_not(user, evaluation: Evaluation) -> str | None:
    """Why the bulk approval passes over this package, or None when it approves it: only those
    under review without an open error (one by one a reviewer may approve over explained doubts;
    in bulk nobody has looked at them)."""
    if reason := refusal(user, evaluation, Move.APPROVE):
        return reason
    try:
        open_errors = len(services.analyse(evaluation).open_errors)
    except DocumentError:
        return "材料无法读取，请逐份审核"
    return f"还有 {open_errors} 个未修正的错误，请逐份审核" if open_errors else None


@login_required
@require_POST
def approve(request: HttpRequest) -> HttpResponse:
    """First the list of exactly the selection with what will happen to each; approved only on
    the confirmation posted from that list."""
    chosen = _selected(request, "view", full=True)
    if not chosen:
        messages.error(request, "请先勾选要审核通过的材料")
        return redirect(_back(request))
    context = {"back": _back(request), "query": request.POST.get("back", "")}
    if request.POST.get("confirm") != "1":
        rows = [(e, _why_not(request.user, e)) for e in chosen]
        return render(request, "web/bulk_approve.html", {**context, "rows": rows, "ready": sum(1 for _, why in rows if why is None)})
    approved, skipped = [], []
    for evaluation in chosen:
        reason = _why_not(request.user, evaluation)
        if reason is None:
            try:
                approved.append(workflow.move(evaluation, Move.APPROVE, request.user))
                continue
            except workflow.Refused as exc:  # moved by someone else since the check
                reason = str(exc)
        skipped.append((evaluation, reason))
    return render(request, "web/bulk_approve.html", {**context, "done": True, "approved": approved, "skipped": skipped})


def _to_export(request: HttpRequest, limit: int) -> list[int] | str:
    """The ids to export — the selection posted, or the queue's filtered list — or why not."""
    if request.method == "POST":
        ids = [e.pk for e in _selected(request, "view")]
    else:
        require_bureau(request.user)
        ids = list(q.evaluations(request.user, q.Criteria.of(request.GET)).values_list("pk", flat=True)[:limit + 1])
    if not ids:
        return "没有要导出的材料：请勾选材料，或调整筛选条件"
    if len(ids) > limit:
        return f"一次最多导出 {limit} 份，请缩小筛选范围或分批勾选"
    return ids


def _zip_name(evaluation: Evaluation, fmt: str, taken: set[str]) -> str:
    name = re.sub(r'[\x00-\x1f/\\:*?"<>|]', "_", services.export_name(evaluation, fmt))
    if name in taken:  # an administrator's selection may hold same-named units of two bureaus
        name = f"{evaluation.unit.bureau.name}-{name}"
    taken.add(name)
    return name


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_LIMITS:
        raise Http404("不支持的导出格式")
    ids = _to_export(request, EXPORT_LIMITS[fmt])
    if isinstance(ids, str):
        messages.error(request, ids)
        return redirect(_back(request) if request.method == "POST" else f"{reverse('queue')}?{q.Criteria.of(request.GET).query()}")
    archive = tempfile.TemporaryFile(prefix="jixiao-export-")
    failed, taken = [], set()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:  # PDF and xlsx are compressed already
        for pk in ids:
            evaluation = visible(request.user).filter(pk=pk).first()  # one document in memory at a time
            if evaluation is None:  # deleted since it was listed
                continue
            try:
                zipped.writestr(_zip_name(evaluation, fmt, taken), services.exported(evaluation, fmt))
            except (ExportError, DocumentError) as exc:
                failed.append(f"{evaluation}：{exc}")
        if failed:
            zipped.writestr("导出失败.txt", "以下材料未能导出：\n" + "\n".join(failed) + "\n")
    archive.seek(0)
    response = FileResponse(archive, as_attachment=True, filename=f"绩效自评-{len(ids)}份-{fmt}.zip", content_type="application/zip")
    # the queue's script waits for this cookie to say the download has begun
    if TOKEN.fullmatch(token := request.POST.get("token") or request.GET.get("token") or ""):
        response.set_cookie("jixiao-export", token, max_age=120, samesite="Strict")
    return response


urlpatterns = [
    path("assign", assign, name="queue-assign"),
    path("approve", approve, name="queue-approve"),
    path("export/<str:fmt>", export, name="queue-export"),
]
