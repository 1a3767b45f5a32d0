"""Django settings. Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: PostgreSQL (``postgres://user@host:5432/db``); SQLite in the data
  directory when unset.
- ``JIXIAO_DATA``: the data directory (SQLite file, generated secret key); ``./.jixiao``.
- ``JIXIAO_SECRET_KEY``, ``JIXIAO_DEBUG``, ``JIXIAO_ALLOWED_HOSTS`` (comma separated).
- Behind an HTTPS proxy (docs/deploy.md): ``JIXIAO_TRUSTED_ORIGINS`` (``https://jx.example.gov.cn``,
  comma separated), ``JIXIAO_HTTPS=1`` (trust the proxy's ``X-Forwarded-Proto``, Secure
  cookies, HSTS), ``JIXIAO_HSTS_SECONDS``, ``JIXIAO_PROXY_COUNT`` (proxies in front, for the
  client address sign-in throttling counts by).
- ``JIXIAO_SESSION_IDLE_MINUTES``: signed out after this long without a request (default 120).
- ``JIXIAO_EMAIL_HOST`` … (SMTP for password reset and site messages); the console backend
  when unset, which prints password-reset mails and sends no site messages by e-mail.
- ``JIXIAO_SITE_URL``: the address users open (``https://jx.example.gov.cn``), for the links in
  e-mailed site messages; without it the e-mail asks them to sign in.
- ``JIXIAO_PUBLIC_API_DOCS=1``: /api/docs without signing in.
- ``JIXIAO_BATCH_DIR``: batch datasets, one per bureau and year under ``<dir>/<bureau id>/<year>``,
  rebuilt by ``jixiao batch refresh``; a bureau reviewer's dashboard draws its grade,
  execution-rate and findings charts from them once the bureau has more than
  ``JIXIAO_BATCH_THRESHOLD`` evaluations (default 300).
- ``JIXIAO_DB_CONN_MAX_AGE``: seconds a worker keeps a PostgreSQL connection (default 60).
- Evidence files (佐证材料): ``JIXIAO_EVIDENCE_MAX_MB`` (per file, default 20); kept under
  ``JIXIAO_DATA/evidence`` unless ``JIXIAO_EVIDENCE_S3_BUCKET`` names an S3-compatible bucket,
  with ``JIXIAO_EVIDENCE_S3_ENDPOINT``, ``…_REGION``, ``…_ACCESS_KEY``, ``…_SECRET_KEY``,
  ``…_PREFIX`` (default ``evidence``) and ``…_ADDRESSING`` (``path`` or ``virtual``).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from collections.abc import Mapping
from pathlib import Path

import dj_database_url

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("JIXIAO_DATA", ".jixiao")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("JIXIAO_SECRET_KEY"):
        return key
    # A generated key kept beside the database, so sessions survive a restart. The folder holds
    # the key and the SQLite database: readable by the service's own user only.
    DATA.mkdir(parents=True, exist_ok=True)
    DATA.chmod(0o700)
    path = DATA / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JIXIAO_DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves swagger-ui for /api/docs from its own static files, not a CDN
    "simple_history",
    "axes",
    "jixiao.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jixiao.web.idle.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "jixiao.web.headers.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.access.context",
            ],
        },
    },
]

# A server database's connections are kept by each worker thread for a minute (checked before
# reuse) rather than opened for every request: on PostgreSQL an opening costs more than a page.
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{DATA / 'jixiao.sqlite3'}",
                                      conn_max_age=int(os.environ.get("JIXIAO_DB_CONN_MAX_AGE", "60")), conn_health_checks=True),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several officers at once: wait for the writer instead of failing with "database is locked".
    # WAL lets every worker read while one writes.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in throttling in the database (shared by every worker, surviving restarts): five
# failures for one username from one address lock that pair for 15 minutes; the same user
# signing in from elsewhere, and everyone else, are not locked out by someone guessing.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jixiao.web.views.common.locked_out"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("JIXIAO_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Served by whitenoise straight from the package (finders): no collectstatic step before
# `jixiao serve`. A deployment that collects to a directory names it here.
STATIC_ROOT = os.environ.get("JIXIAO_STATIC_ROOT") or None


def evidence_storage(env: Mapping[str, str], data: Path) -> dict:
    """Where evidence files are kept: the data folder, readable by the service's user only, or
    an S3-compatible bucket. Either way files are served through Jixiao, which checks access
    and each file's SHA-256, never from the bucket: keep the bucket private."""
    bucket = env.get("JIXIAO_EVIDENCE_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
            "location": str(data / "evidence"), "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700,
        }}
    options = {"bucket_name": bucket, "location": env.get("JIXIAO_EVIDENCE_S3_PREFIX", "evidence"), "file_overwrite": False}
    for option, name in (
        ("endpoint_url", "ENDPOINT"), ("region_name", "REGION"), ("access_key", "ACCESS_KEY"),
        ("secret_key", "SECRET_KEY"), ("addressing_style", "ADDRESSING"),
    ):
        # Unset: boto3's own defaults (AWS_* variables, an instance role, the AWS endpoint).
        if value := env.get(f"JIXIAO_EVIDENCE_S3_{name}", "").strip():
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": evidence_storage(os.environ, DATA),
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Change reasons quote the unit's own text (a comment, a long deviation): no length limit.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Uploads: the importer's own limit is 20 MB per file; refuse larger bodies before reading them.
UPLOAD_LIMIT = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
EVIDENCE_MAX_BYTES = int(os.environ.get("JIXIAO_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "jixiao.web.uploads.CappedUpload",  # nothing of a file past the larger of the two limits is kept
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("JIXIAO_SESSION_IDLE_MINUTES", "120")) * 60
# The age counts from the last use (jixiao.web.idle moves it on once a minute): an idle timeout.

CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("JIXIAO_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if os.environ.get("JIXIAO_HTTPS") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("JIXIAO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # a finance bureau's other hosts are not ours to pin
PUBLIC_API_DOCS = os.environ.get("JIXIAO_PUBLIC_API_DOCS") == "1"
BATCH_DIR = Path(os.environ["JIXIAO_BATCH_DIR"]).resolve() if os.environ.get("JIXIAO_BATCH_DIR") else None
BATCH_THRESHOLD = int(os.environ.get("JIXIAO_BATCH_THRESHOLD", "300"))

if host := os.environ.get("JIXIAO_EMAIL_HOST"):
    EMAIL_HOST = host
    EMAIL_PORT = int(os.environ.get("JIXIAO_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("JIXIAO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("JIXIAO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("JIXIAO_EMAIL_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("JIXIAO_EMAIL_FROM", "jixiao@localhost")
SITE_URL = os.environ.get("JIXIAO_SITE_URL", "").rstrip("/")
CSRF_COOKIE_HTTPONLY = False  # htmx reads it for its headers
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_4xx": {"()": "jixiao.web.headers.OneLineFor4xx"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_4xx"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
