"""Running the web application: Django set-up, migrations, and a real WSGI server (waitress)."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def serve(host: str, port: int, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from .wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="jixiao",
                   max_request_body_size=25 * 1024 * 1024)
