"""The bureau's side: the queue of evaluations with their audit summary — searched, filtered,
sorted and paged (web/queue.py builds the query) — from which reviewers select packages to
assign, approve or export together (views/bulk.py). Reviewing one package happens on the
evaluation page itself (views/unit.py), where findings sit beside figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import campaigns
from .. import queue as q
from ..access import bureaus_of, profile_of, require_bureau, units_of
from ..models import Profile, Role
from . import bulk
from .forms import page_of


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    require_bureau(request.user)
    criteria = q.Criteria.of(request.GET)
    page = page_of(request, q.evaluations(request.user, criteria))
    me = profile_of(request.user)
    return render(request, "web/queue.html", {
        "evaluations": page, "page": page, "criteria": criteria, "query": criteria.query(),
        "filters": q.STATES, "counts": q.counts(request.user, criteria),
        "tabs": [(key, label, criteria.query(state=key)) for key, label in q.STATES.items()],
        "grades": q.GRADES, "errors": q.ERRORS, "sort_links": q.sort_links(criteria),
        "departments": q.departments(request.user),
        # whom the selection may be assigned to: the reviewers of the bureaus this person reviews
        "reviewers": Profile.objects.filter(role=Role.REVIEWER, bureau__in=bureaus_of(request.user), user__is_active=True)
                     .select_related("user", "unit").order_by("unit__name", "user__username"),
        "may_approve": me is not None and me.role == Role.REVIEWER,
        "export_limits": bulk.EXPORT_LIMITS,
        "overdue": campaigns.overdue(campaigns.today()).filter(unit__in=units_of(request.user)).count(),
    })


urlpatterns = [
    path("", queue, name="queue"),
    *bulk.urlpatterns,
]
