"""Importing over a package someone has worked on shows the changes and asks; any earlier
version can be restored; the reviewer sees what changed since a return."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web import services
from jixiao.web.models import Evaluation

from .conftest import TOWN


def _edit(client, evaluation, path, value):
    evaluation.refresh_from_db()
    return client.post(f"/evaluations/{evaluation.pk}/edit", {"path": path, "value": value, "version": evaluation.version}, HTTP_HX_REQUEST="true")


def _upload(client, evaluation):
    evaluation.refresh_from_db()
    return client.post(f"/evaluations/{evaluation.pk}/import", {"version": evaluation.version, "file": SimpleUploadedFile("town.txt", TOWN.read_bytes())})


def test_import_over_edits_shows_the_changes_and_waits(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    _edit(client, town, "base_data.staffing.actual", "99")
    town.refresh_from_db()
    version = town.version
    page = _upload(client, town).content.decode()
    assert "确认导入" in page and "实际在职人数：99 → 98" in page and "修改 1 处" in page
    town.refresh_from_db()
    assert town.version == version and services.document(town).base_data.staffing.actual == 99  # nothing yet
    client.post(f"/evaluations/{town.pk}/import/confirm")
    town.refresh_from_db()
    assert town.version == version + 1 and services.document(town).base_data.staffing.actual == 98
    assert client.post(f"/evaluations/{town.pk}/import/confirm").status_code == 302  # nothing pending: a message


def test_an_import_can_be_cancelled(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    _edit(client, town, "base_data.staffing.actual", "99")
    _upload(client, town)
    client.post(f"/evaluations/{town.pk}/import/cancel")
    town.refresh_from_db()
    assert services.document(town).base_data.staffing.actual == 99


def test_any_version_can_be_restored_after_seeing_the_difference(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    first = town.history.order_by("history_date").first()
    _edit(client, town, "base_data.staffing.actual", "99")
    _edit(client, town, "base_data.staffing.authorized", "151")
    page = client.get(f"/evaluations/{town.pk}/history").content.decode()
    assert "恢复此版本" in page
    preview = client.get(f"/evaluations/{town.pk}/history/{first.history_id}/restore").content.decode()
    assert "编制数：151 → 150" in preview and "实际在职人数：99 → 98" in preview
    town.refresh_from_db()
    client.post(f"/evaluations/{town.pk}/history/{first.history_id}/restore", {"version": town.version})
    town.refresh_from_db()
    staffing = services.document(town).base_data.staffing
    assert (staffing.authorized, staffing.actual) == (150, 98) and town.version == 4
    assert "恢复到第 1 版" in town.history.latest().history_change_reason
    assert client.get(f"/evaluations/{town.pk}/history/999999/restore").status_code == 404


def test_the_reviewer_sees_what_changed_since_the_return(org, login):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state="in_review")
    town.refresh_from_db()
    response = login(org["users"]["reviewer"]).post(f"/evaluations/{town.pk}/transition/send_back", {"comment": "请核对人数"})
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.state == "returned"
    _edit(login(org["users"]["filler"]), town, "base_data.staffing.actual", "97")
    page = login(org["users"]["reviewer"]).get(f"/evaluations/{town.pk}/history").content.decode()
    assert "退回以来的修改：新增 0 处、删除 0 处、修改 1 处" in page and "实际在职人数：98 → 97" in page
    assert "恢复此版本" not in page  # the reviewer may not edit
