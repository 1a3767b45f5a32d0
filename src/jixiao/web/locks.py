"""One save of a package at a time, without holding the database.

Colleagues saving cells of one package at once would otherwise each score and audit it, find
the other's version stored first, and do it again (at 36 editors on one package, five times per
save). Saves of one package therefore take turns on this lock; saves of different packages do
not wait for each other, and the database is locked only for the short write at the end.
PostgreSQL: a session advisory lock. SQLite (one host by nature): a lock file per package in the
data folder. Anything that writes without it is still caught by the version check."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

NAMESPACE = 0x4A58  # "JX": keeps our advisory locks apart from anyone else's on the server


@contextmanager
def package_lock(pk: int) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [NAMESPACE, pk])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [NAMESPACE, pk])
        return
    folder = settings.DATA / "locks"
    folder.mkdir(mode=0o700, exist_ok=True)
    with open(folder / f"evaluation-{pk}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
