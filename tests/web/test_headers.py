"""Deployable behind HTTPS: the headers every page carries, and settings read from the environment."""

from __future__ import annotations

import importlib
import logging

from jixiao.web.headers import OneLineFor4xx

from .conftest import PASSWORD


def test_pages_carry_a_strict_policy_and_private_ones_are_not_cached(org, login):
    client = login(org["users"]["filler"])
    page = client.get(f"/evaluations/{org['town'].pk}/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    assert page["Cache-Control"] == "no-store"
    assert "<script>" not in page.content.decode()  # nothing inline the policy would have to allow
    export = client.get(f"/evaluations/{org['town'].pk}/export/xlsx")
    assert export["Cache-Control"] == "no-store"


def test_api_docs_need_a_sign_in(org, client, login):
    assert client.get("/api/docs").status_code == 302
    assert login(org["users"]["filler"]).get("/api/docs").status_code == 200


def test_https_settings_come_from_the_environment(monkeypatch):
    import jixiao.web.settings as settings

    monkeypatch.setenv("JIXIAO_HTTPS", "1")
    monkeypatch.setenv("JIXIAO_TRUSTED_ORIGINS", "https://jx.example.gov.cn")
    monkeypatch.setenv("JIXIAO_PROXY_COUNT", "1")
    try:
        fresh = importlib.reload(settings)
        assert fresh.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        assert fresh.SESSION_COOKIE_SECURE and fresh.CSRF_COOKIE_SECURE and fresh.SECURE_HSTS_SECONDS == 31536000
        assert fresh.CSRF_TRUSTED_ORIGINS == ["https://jx.example.gov.cn"]
        assert fresh.AXES_IPWARE_META_PRECEDENCE_ORDER[0] == "HTTP_X_FORWARDED_FOR"
    finally:
        monkeypatch.undo()
        importlib.reload(settings)


def test_a_refused_request_is_one_line():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: /x", None, (ValueError, ValueError("x"), None))
    record.status_code = 403
    assert OneLineFor4xx().filter(record) and record.exc_info is None
    error = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, (ValueError, ValueError("x"), None))
    error.status_code = 500
    OneLineFor4xx().filter(error)
    assert error.exc_info is not None


def test_a_sign_in_behind_a_tls_terminating_proxy_is_accepted(org, settings):
    from django.test import Client

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = ["https://jx.example.gov.cn"]
    settings.ALLOWED_HOSTS = ["jx.example.gov.cn"]
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="jx.example.gov.cn", HTTP_X_FORWARDED_PROTO="https")
    form = browser.get("/login/", secure=False)
    token = form.cookies["csrftoken"].value
    response = browser.post("/login/", {"username": "filler", "password": PASSWORD, "csrfmiddlewaretoken": token},
                            HTTP_ORIGIN="https://jx.example.gov.cn", HTTP_REFERER="https://jx.example.gov.cn/login/")
    assert response.status_code == 302 and response["Location"] == "/"
    foreign = browser.post("/login/", {"username": "filler", "password": PASSWORD, "csrfmiddlewaretoken": token},
                           HTTP_ORIGIN="https://evil.example.com")
    assert foreign.status_code == 403
