"""Signing in: Chinese messages, and password guessing stopped after five failures."""

from __future__ import annotations

import base64

from .conftest import PASSWORD


def test_wrong_password_then_right(org, client):
    page = client.post("/login/", {"username": "filler", "password": "nope"}).content.decode()
    assert "用户名或密码不正确" in page
    response = client.post("/login/", {"username": "filler", "password": PASSWORD})
    assert response.status_code == 302


def test_five_failures_lock_the_account_for_page_and_api(org, client):
    for _ in range(5):
        client.post("/login/", {"username": "filler", "password": "guess"})
    page = client.post("/login/", {"username": "filler", "password": PASSWORD}).content.decode()
    assert "暂停登录 15 分钟" in page
    token = base64.b64encode(f"filler:{PASSWORD}".encode()).decode()
    assert client.get("/api/evaluations", HTTP_AUTHORIZATION=f"Basic {token}").status_code == 401
    # other people are not affected
    assert client.post("/login/", {"username": "head", "password": PASSWORD}).status_code == 302
