"""Edits that don't collide don't conflict: a save carries the value its cell was read with and
is refused only when that same cell changed since, the other value shown."""

from __future__ import annotations

import pytest

from jixiao.web import analysed, services

HX = {"HTTP_HX_REQUEST": "true"}


def _save(client, evaluation, path, value, version, base):
    return client.post(f"/evaluations/{evaluation.pk}/edit", {"path": path, "value": value, "version": version, "base": base}, **HX)


def test_colleagues_editing_different_cells_both_land(org, login):
    town = org["town"]
    alice = login(org["users"]["filler"])
    assert _save(alice, town, "base_data.staffing.actual", "99", 1, "98").status_code == 200
    bob = login(org["users"]["head"])
    # Bob's page was read at version 1; his cell still holds what he saw
    response = _save(bob, town, "base_data.staffing.authorized", "151", 1, "150")
    assert response.status_code == 200 and "已保存（第 3 版）" in response.content.decode()
    town.refresh_from_db()
    staffing = services.document(town).base_data.staffing
    assert (staffing.actual, staffing.authorized, town.version) == (99, 151, 3)


def test_the_same_cell_changed_since_is_refused_with_the_other_value(org, login):
    town = org["town"]
    alice = login(org["users"]["filler"])
    _save(alice, town, "base_data.staffing.actual", "99", 1, "98")
    bob = login(org["users"]["head"])
    response = _save(bob, town, "base_data.staffing.actual", "97", 1, "98")
    assert response.status_code == 409
    assert response.content.decode() == "此格已被他人改为“99”，您输入的“97”未保存；请核对后重新输入"
    town.refresh_from_db()
    assert services.document(town).base_data.staffing.actual == 99 and town.version == 2


def test_a_state_change_refuses_every_stale_save(org, login):
    town = org["town"]
    town.state = "submitted"
    town.save()
    response = _save(login(org["users"]["filler"]), town, "base_data.staffing.actual", "97", 1, "98")
    assert response.status_code == 403


def test_a_base_typed_with_separators_is_the_stored_value(org, login):
    town = org["town"]
    alice = login(org["users"]["filler"])
    assert _save(alice, town, "base_data.procurement.final", "1,000", 1, "").status_code == 200
    _save(login(org["users"]["head"]), town, "base_data.staffing.actual", "99", 2, "98")
    # alice's page still says version 2 and remembers her cell as she typed it
    response = _save(login(org["users"]["filler"]), town, "base_data.procurement.final", "1,200", 2, "1,000")
    assert response.status_code == 200
    town.refresh_from_db()
    assert str(services.document(town).base_data.procurement.final) == "1200"


def _racing(monkeypatch, town, path, value):
    """services.store with a colleague's save of ``path`` landing just before the first call."""
    real = services.store
    raced = []

    def store(evaluation, *args, **kwargs):
        if not raced:
            raced.append(True)
            current = type(evaluation).objects.get(pk=evaluation.pk)
            doc = services.document(current)
            section, field = path.split(".")[1:]
            setattr(getattr(doc.base_data, section), field, value)
            real(current, doc, current.version, "同事的修改")
        return real(evaluation, *args, **kwargs)

    monkeypatch.setattr(services, "store", store)
    return raced


def test_a_colleagues_save_landing_while_this_one_is_scored_is_kept_and_this_one_goes_on_top(org, login, monkeypatch):
    town = org["town"]
    raced = _racing(monkeypatch, town, "base_data.staffing.authorized", 151)
    response = _save(login(org["users"]["filler"]), town, "base_data.staffing.actual", "99", 1, "98")
    assert raced and response.status_code == 200 and "已保存（第 3 版）" in response.content.decode()
    town.refresh_from_db()
    staffing = services.document(town).base_data.staffing
    assert (staffing.actual, staffing.authorized, town.version) == (99, 151, 3)


def test_a_colleagues_save_of_the_same_cell_landing_meanwhile_is_refused_with_their_value(org, login, monkeypatch):
    town = org["town"]
    _racing(monkeypatch, town, "base_data.staffing.actual", 95)
    response = _save(login(org["users"]["filler"]), town, "base_data.staffing.actual", "99", 1, "98")
    assert response.status_code == 409 and "此格已被他人改为“95”" in response.content.decode()
    town.refresh_from_db()
    assert services.document(town).base_data.staffing.actual == 95 and town.version == 2


@pytest.mark.django_db(transaction=True)
def test_a_save_is_scored_and_audited_before_the_write_lock_is_taken(org, login, monkeypatch):
    from django.db import connection

    analysed.forget_local()
    held = []
    real = services._analyse

    def analyse(*args):
        held.append(connection.in_atomic_block)
        return real(*args)

    monkeypatch.setattr(services, "_analyse", analyse)
    assert _save(login(org["users"]["filler"]), org["town"], "base_data.staffing.actual", "99", 1, "98").status_code == 200
    assert held == [False]  # scored once, outside any transaction (SQLite: the whole database's lock)
