"""The bureau's side: the queue of evaluations waiting for review, with their audit summary.
Reviewing happens on the evaluation page itself (views/unit.py), where findings sit beside figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import campaigns
from ..access import role_of, units_of, visible
from ..models import Role, State
from .forms import page_of

# The reviewer's work first, then what is still with the units.
FILTERS = {
    **{s: State(s).label for s in (State.SUBMITTED, State.IN_REVIEW, State.RETURNED, State.APPROVED, State.AWAITING_HEAD, State.DRAFT)},
    "all": "全部",
}


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("审核队列仅供财政局审核人使用")
    wanted = request.GET.get("state", State.SUBMITTED)
    if wanted not in FILTERS:
        wanted = State.SUBMITTED
    today = campaigns.today()
    evaluations = campaigns.flag_overdue(visible(request.user), today).order_by("-updated")
    if wanted != "all":
        evaluations = evaluations.filter(state=wanted)
    counts = {key: 0 for key in FILTERS if key != "all"}
    counts.update(visible(request.user).order_by().values_list("state").annotate(n=Count("pk")))
    page = page_of(request, evaluations)
    overdue = campaigns.overdue(today).filter(unit__in=units_of(request.user)).count()
    return render(request, "web/queue.html", {"evaluations": page, "page": page, "wanted": wanted, "filters": FILTERS, "counts": counts, "overdue": overdue})


urlpatterns = [
    path("", queue, name="queue"),
]
