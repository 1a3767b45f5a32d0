"""A person's site messages (站内消息): newest first, paged; opening one marks it read and
follows its link. Everyone reaches only their own: another's message is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ..models import Notification
from .forms import PAGE_SIZE


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(recipient=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/inbox.html", {"notifications": page, "page": page})


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        raise Http404("没有这条消息")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    # The links are ours, but a stored one is followed only within this site.
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.filter(recipient=request.user, read_at=None).update(read_at=timezone.now())
    messages.success(request, f"已将 {count} 条消息标为已读" if count else "没有未读消息")
    return redirect("inbox")


urlpatterns = [
    path("", inbox, name="inbox"),
    path("<int:pk>/open", open_notification, name="notification-open"),
    path("read-all", read_all, name="notifications-read"),
]
