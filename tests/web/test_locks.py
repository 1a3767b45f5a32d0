"""Saves of one package take turns; saves of different packages do not wait for each other."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from jixiao.web.locks import package_lock


def _hold(pk: int, entered: list, hold: float) -> None:
    try:
        with package_lock(pk):
            entered.append((pk, time.monotonic()))
            time.sleep(hold)
    finally:
        connection.close()  # this thread's own connection (PostgreSQL: its advisory lock's session)


@pytest.mark.django_db(transaction=True)
def test_one_package_at_a_time_and_others_free():
    entered: list = []
    with package_lock(7):
        waiting = threading.Thread(target=_hold, args=(7, entered, 0))
        other = threading.Thread(target=_hold, args=(8, entered, 0))
        waiting.start(), other.start()
        other.join(10)
        time.sleep(0.3)
        assert [pk for pk, _ in entered] == [8]  # another package's save went ahead; this one's waits
        released = time.monotonic()
    waiting.join(10)
    assert [pk for pk, _ in entered] == [8, 7] and entered[1][1] >= released
