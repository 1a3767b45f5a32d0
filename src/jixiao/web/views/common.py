"""Pages every role shares: the front door, health, and the Chinese error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from ..access import role_of
from ..models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) == Role.REVIEWER:
        return redirect("queue")
    if role_of(request.user) == Role.ADMIN:
        return redirect("dashboard")
    return redirect("evaluations")


def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """Five wrong passwords for one username from one address: that pair waits 15 minutes."""
    message = "登录失败次数过多：该账号在本机的登录已暂停 15 分钟，请稍后再试；忘记密码可使用“找回密码”，或联系管理员"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "web/login.html", {"locked": message}, status=429)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else "您无权执行此操作"
    return render(request, "web/error.html", {"title": "无权操作", "reason": reason}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"title": "找不到页面", "reason": "没有这个页面或这份材料，或您无权查看"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context processors here: the failure may be in one of them.
    return HttpResponse(
        "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>系统出错</title>"
        "<h1>系统出错</h1><p>处理您的请求时出错，已记录在服务器日志中。请稍后重试；如反复出现，请联系系统管理员。</p>"
        '<p><a href="/">返回首页</a></p></html>',
        status=500,
    )
