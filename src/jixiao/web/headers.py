"""Response headers for a deployment behind HTTPS: a Content-Security-Policy our pages keep
(no inline script, no eval, nothing from another origin), and no caching of anything that
holds a unit's figures — evaluation pages, exports, the API."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    # ECharts sizes its canvas through style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
PRIVATE = ("/evaluations/", "/review/", "/dashboard/", "/campaigns/", "/inbox/", "/api/", "/admin/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/docs"):  # swagger-ui's page carries its own inline script
            response.headers.setdefault("Content-Security-Policy", CSP)
        if request.path.startswith(PRIVATE):
            response.headers["Cache-Control"] = "no-store"
        return response


class OneLineFor4xx(logging.Filter):
    """A refused request (403, 404) is logged as one line, never with a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
