"""Signing in: Chinese messages; guessing stopped per username and address, in the database,
without locking the real user out; password change and reset; an idle session ends."""

from __future__ import annotations

import base64
import re

from axes.models import AccessAttempt
from django.core import mail

from .conftest import PASSWORD


def _login(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_wrong_password_then_right(org, client):
    page = _login(client, "filler", "nope").content.decode()
    assert "用户名或密码不正确" in page
    assert _login(client, "filler", PASSWORD).status_code == 302


def test_five_failures_lock_that_username_from_that_address_only(org, client):
    for _ in range(5):
        _login(client, "filler", "guess")
    locked = _login(client, "filler", PASSWORD)
    assert locked.status_code == 429 and "登录已暂停 15 分钟" in locked.content.decode()
    token = base64.b64encode(f"filler:{PASSWORD}".encode()).decode()
    assert client.get("/api/evaluations", HTTP_AUTHORIZATION=f"Basic {token}", REMOTE_ADDR="10.0.0.1").status_code in (401, 429)
    # the attempts are in the database, where every worker (and a restart) finds them
    assert AccessAttempt.objects.filter(username="filler", ip_address="10.0.0.1", failures_since_start__gte=5).exists()
    # the real user at their own desk, and everyone else, still sign in
    assert _login(client, "filler", PASSWORD, address="10.0.0.2").status_code == 302
    assert _login(client, "head", PASSWORD).status_code == 302


def test_password_change_and_reset_by_email(org, client):
    user = org["users"]["filler"]
    user.email = "filler@example.gov.cn"
    user.save()
    client.force_login(user)
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": "new-secret-2024", "new_password2": "new-secret-2024"})
    assert response.status_code == 302
    client.logout()
    assert _login(client, "filler", "new-secret-2024").status_code == 302
    client.logout()
    client.post("/password/reset/", {"email": "filler@example.gov.cn"})
    [message] = mail.outbox
    assert "重设密码" in message.subject and "filler" in message.body
    link = re.search(r"http://testserver(/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "third-secret-99", "new_password2": "third-secret-99"})
    assert response.status_code == 302
    assert _login(client, "filler", "third-secret-99").status_code == 302


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_session_ends_when_idle_and_a_page_within_the_minute_writes_nothing(org, client, monkeypatch):
    from jixiao.web import idle

    clock = [1_000_000]
    monkeypatch.setattr(idle, "now", lambda: clock[0])
    client.force_login(org["users"]["filler"])
    assert client.get("/evaluations/").status_code == 200
    first = _expiry(client)
    clock[0] += 30
    client.get("/evaluations/")
    assert _expiry(client) == first  # not saved again within the minute
    clock[0] += 31
    client.get("/evaluations/")
    assert _expiry(client) > first  # in use: the expiry moves on
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=client.session.session_key).update(expire_date=first.replace(year=2000))
    response = client.get("/evaluations/")
    assert response.status_code == 302 and "/login" in response["Location"]  # idle too long: signed out
