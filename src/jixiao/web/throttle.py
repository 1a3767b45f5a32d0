"""Password guessing: after five failed sign-ins a username is refused for fifteen minutes,
on the login page and on the API's Basic auth alike (both go through this backend)."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

LIMIT = 5
WINDOW = 15 * 60


def _key(username: str) -> str:
    return "login-failures:" + hashlib.sha256(username.strip().lower().encode()).hexdigest()


def locked(username: str) -> bool:
    return cache.get(_key(username), 0) >= LIMIT


@receiver(user_login_failed)
def _count_failure(sender, credentials: dict, **kwargs) -> None:
    key = _key(str(credentials.get("username", "")))
    cache.add(key, 0, WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)


class ThrottledBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and locked(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username and locked(username):
            raise forms.ValidationError("登录失败次数过多，该账号已暂停登录 15 分钟，请稍后再试或联系管理员", code="locked")
        return super().clean()
