"""Evidence (佐证材料): upload beside a table, a row or the package; download by whoever may
see the evaluation; removal by the unit while it is filling in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from .. import evidence, workflow
from ..access import evaluation_for
from ..models import Evaluation, Evidence
from ..sheets import part_of
from .forms import version_of

MAX_FILES = 10  # files in one upload
ANCHORS = {"department_evaluation": "department", "scorecard": "scorecard"}


def _item(evaluation: Evaluation, pk: int) -> Evidence:
    found = evaluation.evidence.filter(pk=pk).first()
    if found is None:
        raise Http404("没有这份佐证材料")
    return found


def _back(pk: int, where: str) -> str:
    """The evaluation page at the table the evidence belongs to (on its page of tables)."""
    page = reverse("evaluation", args=[pk])
    bits = where.split(".")
    if bits[0] == "projects" and len(bits) > 1 and bits[1].isdigit():
        return f"{page}?part={part_of(int(bits[1]))}#project-{int(bits[1])}"
    return f"{page}#{ANCHORS.get(bits[0], 'evidence')}"


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, "edit")
    where = request.POST.get("path", "")
    files = request.FILES.getlist("file")
    if not files or len(files) > MAX_FILES:
        messages.error(request, f"请选择要上传的佐证材料（一次最多 {MAX_FILES} 个文件）")
        return redirect(_back(pk, where))
    for file in files:
        try:
            item = evidence.attach(evaluation, file, where, request.user, settings.EVIDENCE_MAX_BYTES, version_of(request.POST))
        except workflow.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已上传佐证材料 {item.name}（{item.get_kind_display()}，附于：{item.row}）")
    return redirect(_back(pk, where))


@login_required
@require_GET
def download(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _item(evaluation_for(request.user, pk), item)
    try:
        copy = evidence.checked_copy(found)
    except workflow.Refused as exc:
        return render(request, "web/error.html", {"title": "无法下载佐证材料", "reason": str(exc)}, status=409)
    return evidence.as_download(found, copy)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _item(evaluation_for(request.user, pk, "edit"), item)
    try:
        evidence.remove(found)
    except workflow.Refused as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"已删除佐证材料 {found.name}；删除记录见修改记录")
    return redirect(_back(pk, found.path))


urlpatterns = [
    path("<int:pk>/evidence", upload, name="evidence-upload"),
    path("<int:pk>/evidence/<int:item>", download, name="evidence-download"),
    path("<int:pk>/evidence/<int:item>/remove", remove, name="evidence-remove"),
]
