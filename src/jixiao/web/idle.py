"""An idle timeout for sessions that does not make every page a database write.

The session's expiry moves on while it is used, at most once a minute. Saving it on every
request (SESSION_SAVE_EVERY_REQUEST) wrote the session row for each page and each keystroke's
save; on SQLite, with one writer at a time, every reader then queued behind the saves."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse

TOUCH_SECONDS = 60
KEY = "_touched"


def now() -> int:
    return int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None and now() - session.get(KEY, 0) >= TOUCH_SECONDS:
            session[KEY] = now()  # modified: saved with a fresh expiry, the cookie sent again
        return self.get_response(request)
