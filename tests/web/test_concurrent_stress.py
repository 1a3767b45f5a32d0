"""Many officers on one package: saves of distinct cells interleaved round-robin, each from a page
that a colleague's save has made stale, all land; on one shared cell exactly one save of each
round lands and the others are refused with the value it was changed to. (bench/concurrent_edits.py
is the same with real concurrency against `jixiao serve`; this is the quick, sequential form.)"""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from jixiao.web import services
from jixiao.web.models import Evaluation, Profile, Role

HX = {"HTTP_HX_REQUEST": "true"}
CLIENTS, ROUNDS = 12, 5
VERSION = re.compile(r'id="version" name="version" value="(\d+)"')


class Page:
    """One officer's open page: its own session, the version and the cell value it last saw."""

    def __init__(self, user, evaluation: Evaluation, path: str, base: str) -> None:
        self.client = Client()
        self.client.force_login(user)
        self.pk, self.path, self.base, self.version = evaluation.pk, path, base, evaluation.version

    def save(self, value: str):
        response = self.client.post(f"/evaluations/{self.pk}/edit", {"path": self.path, "value": value, "version": self.version, "base": self.base}, **HX)
        text = response.content.decode()
        if response.status_code == 200 and "已保存" in text:
            self.version, self.base = int(VERSION.search(text)[1]), value
        return response


def _value(doc, path: str):
    node = doc
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


def _officers(org, n: int = CLIENTS):
    from django.contrib.auth import get_user_model

    city = org["units"]["city"]
    users = []
    for i in range(n):
        user = get_user_model().objects.create_user(f"officer{i}", password="s3cret-pass")
        Profile.objects.create(user=user, role=Role.FILLER, unit=city)
        users.append(user)
    return users


def _stored_at(evaluation: Evaluation, version: int):
    record = evaluation.history.get(version=version)
    return services.document(record.instance)


def test_distinct_cells_interleaved_all_land(org):
    city = org["city"]
    doc = services.document(city)
    paths = [f"projects.{i}.indicators.0.score" for i in range(CLIENTS)]
    pages = [Page(u, city, p, str(_value(doc, p))) for u, p in zip(_officers(org), paths)]
    accepted = []
    for r in range(ROUNDS):
        for page in pages:
            value = f"{r}.5"  # never the cell's value: every save is a real change
            if accepted:  # a colleague saved since this page last did: it is stale
                assert page.version < 1 + len(accepted)
            response = page.save(value)
            text = response.content.decode()
            assert response.status_code == 200 and "已保存" in text and "未保存" not in text, text[:300]
            accepted.append((page.path, value, page.version))
    assert len(accepted) == CLIENTS * ROUNDS
    city.refresh_from_db()
    assert city.version == 1 + CLIENTS * ROUNDS
    assert sorted(v for _, _, v in accepted) == list(range(2, 2 + CLIENTS * ROUNDS))
    final = services.document(city)
    for path in paths:
        assert _value(final, path) == Decimal(f"{ROUNDS - 1}.5")
    for path, value, version in accepted:  # each save stored as the version it was acknowledged as
        assert _value(_stored_at(city, version), path) == Decimal(value)


def test_shared_cell_one_save_per_round_lands(org):
    city = org["city"]
    path = "base_data.staffing.actual"
    start = str(services.document(city).base_data.staffing.actual)
    pages = [Page(u, city, path, start) for u in _officers(org)]
    winners = []
    for r in range(ROUNDS):
        order = pages[r:] + pages[:r]  # a different officer first each round
        values = {id(p): str(200 + r * CLIENTS + i) for i, p in enumerate(order)}
        outcomes = [(p, p.save(values[id(p)])) for p in order]
        landed = [p for p, response in outcomes if response.status_code == 200]
        assert landed == [order[0]]
        winner = values[id(order[0])]
        winners.append(winner)
        for p, response in outcomes[1:]:
            assert response.status_code == 409
            assert response.content.decode() == f"此格已被他人改为“{winner}”，您输入的“{values[id(p)]}”未保存；请核对后重新输入"
            p.base = winner  # the officer reads the message: the cell now holds the winner's value
    city.refresh_from_db()
    assert city.version == 1 + ROUNDS
    assert str(services.document(city).base_data.staffing.actual) == winners[-1]


def test_scores_of_one_table_each_move_its_followed_total(org):
    """Distinct cells of one table share its 合计 when the total follows the scores: each save
    recomputes it from the package as stored, so none of them is refused for the other's total."""
    city = org["city"]
    clear = Page(org["users"]["city_filler"], city, "projects.0.total_stated", "100")
    assert clear.save("").status_code == 200  # a blank total follows its scores from now on
    scores = services.document(city).projects[0].indicators
    pages = [Page(u, city, f"projects.0.indicators.{i}.score", str(scores[i].score)) for i, u in enumerate(_officers(org, 4))]
    for r in range(ROUNDS):
        for page in pages:
            response = page.save(f"{r}.5")
            assert response.status_code == 200 and "未保存" not in response.content.decode()
    city.refresh_from_db()
    table = services.document(city).projects[0]
    assert [i.score for i in table.indicators[:4]] == [Decimal(f"{ROUNDS - 1}.5")] * 4
    assert table.total_stated == table.execution.score_stated + sum(i.score for i in table.indicators)
    assert city.version == 2 + 4 * ROUNDS and city.auto_totals == ["projects.0.total_stated"]


@pytest.mark.django_db(transaction=True)
def test_a_save_landing_meanwhile_does_not_refuse_another_cell(org, monkeypatch):
    """A colleague's save of another cell arriving while this save is between reading the
    package and storing it: both land, the colleague's waiting for this one's lock."""
    if connection.vendor != "postgresql":
        pytest.skip("two sessions writing at once need PostgreSQL; SQLite's test database is in memory")
    from jixiao.web.views import unit

    city = org["city"]
    first, second = _officers(org, 2)
    slow = Page(first, city, "projects.0.indicators.0.score", "15")
    quick = Page(second, city, "projects.1.indicators.0.score", "15")
    has_read, done = threading.Event(), threading.Event()
    real = unit.set_value

    def set_value(doc, path, raw):
        if path == slow.path and not has_read.is_set():
            has_read.set()
            done.wait(1.0)  # the other save goes on meanwhile, unless it waits for this one
        return real(doc, path, raw)

    monkeypatch.setattr(unit, "set_value", set_value)
    results = {}

    def run(name, page, value):
        try:
            results[name] = page.save(value).status_code
        finally:
            if name == "quick":
                done.set()
            connection.close()  # this thread's own connection, before the test database goes

    a = threading.Thread(target=run, args=("slow", slow, "7"))
    a.start()
    assert has_read.wait(10)
    b = threading.Thread(target=run, args=("quick", quick, "8"))
    b.start()
    a.join(20)
    b.join(20)
    assert results == {"slow": 200, "quick": 200}
    city.refresh_from_db()
    doc = services.document(city)
    assert (doc.projects[0].indicators[0].score, doc.projects[1].indicators[0].score, city.version) == (7, 8, 3)
