"""The queue's actions on a selection: assigning a reviewer, approving the clean packages under
review (the others skipped with the reason), exporting as one zip."""

from __future__ import annotations

import io
import zipfile

import pytest

from jixiao.web import services
from jixiao.web.models import Evaluation, Profile, Role, State, Waiver

from .conftest import PASSWORD


def _clean(org, evaluation, state=State.IN_REVIEW):
    """Every error explained and the package put in ``state``."""
    for f in services.analyse(evaluation).open_errors:
        Waiver.objects.create(evaluation=evaluation, fingerprint=f.fingerprint, code=f.code, message=f.message,
                              reason="以批复文件为准", author=org["users"]["filler"])
    services.refresh_summary(evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(state=state)


def _state(evaluation) -> str:
    return Evaluation.objects.get(pk=evaluation.pk).state


@pytest.fixture
def second_reviewer(org):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("reviewer2", password=PASSWORD, first_name="王审核")
    return Profile.objects.create(user=user, role=Role.REVIEWER, bureau=org["bureaus"][0])


def test_a_reviewer_assigns_the_selection_and_filters_what_is_theirs(org, login, second_reviewer):
    client = login(org["users"]["reviewer"])
    town, city = org["town"], org["city"]
    response = client.post("/review/assign", {"ids": [town.pk, city.pk], "reviewer": second_reviewer.pk, "back": "state=all&q=县"})
    assert response.status_code == 302 and response["Location"] == "/review/?state=all&q=%E5%8E%BF"
    assert {e.assigned_to for e in Evaluation.objects.filter(pk__in=[town.pk, city.pk])} == {second_reviewer.user}
    assert town.history.first().history_change_reason == "分配审核人：王审核"
    assert Evaluation.objects.get(pk=town.pk).version == town.version  # the document did not change
    assert "分配审核人：王审核" in client.get(f"/evaluations/{town.pk}/history").content.decode()
    mine = login(second_reviewer.user).get("/review/?state=all&mine=1")
    assert {e.pk for e in mine.context["evaluations"]} == {town.pk, city.pk}
    assert "王审核" in mine.content.decode()
    client = login(org["users"]["reviewer"])
    client.post("/review/assign", {"ids": [city.pk], "reviewer": ""})
    assert Evaluation.objects.get(pk=city.pk).assigned_to is None


def test_the_evaluation_page_assigns_its_package(org, login, second_reviewer):
    client = login(org["users"]["reviewer"])
    page = client.get(f"/evaluations/{org['town'].pk}/").content.decode()
    assert 'id="assign"' in page and "王审核" in page
    response = client.post("/review/assign", {"ids": org["town"].pk, "reviewer": second_reviewer.pk, "from": "evaluation"})
    assert response["Location"] == f"/evaluations/{org['town'].pk}/"
    assert 'selected>王审核' in client.get(f"/evaluations/{org['town'].pk}/").content.decode()
    assert 'id="assign"' not in login(org["users"]["filler"]).get(f"/evaluations/{org['town'].pk}/").content.decode()


def test_nobody_is_assigned_what_they_do_not_review(org, login):
    client = login(org["users"]["reviewer"])
    far_reviewer = Profile.objects.get(user=org["users"]["far_reviewer"])
    filler = Profile.objects.get(user=org["users"]["filler"])
    response = client.post("/review/assign", {"ids": [org["town"].pk], "reviewer": far_reviewer.pk})
    assert response.status_code == 403 and "不审核衡山县开云镇人民政府的材料" in response.context["reason"]
    assert client.post("/review/assign", {"ids": [org["town"].pk], "reviewer": filler.pk}).status_code == 404
    # one evaluation out of reach refuses the whole selection
    assert client.post("/review/assign", {"ids": [org["town"].pk, org["far"].pk], "reviewer": ""}).status_code == 404
    Evaluation.objects.filter(pk=org["town"].pk).update(assigned_to=org["users"]["reviewer"])
    assert client.post("/review/assign", {"ids": [org["town"].pk, org["far"].pk], "reviewer": ""}).status_code == 404
    assert Evaluation.objects.get(pk=org["town"].pk).assigned_to == org["users"]["reviewer"]


def test_bulk_approval_lists_the_selection_then_approves_only_the_clean_ones_under_review(org, login):
    town, city, far = org["town"], org["city"], org["far"]
    _clean(org, town)
    _clean(org, city, State.SUBMITTED)
    client = login(org["users"]["reviewer"])
    confirm = client.post("/review/approve", {"ids": [town.pk, city.pk], "back": "state=in_review"})
    rows = confirm.context["rows"]
    assert [(e.pk, why) for e, why in rows] == [(town.pk, None), (city.pk, "该自评材料待审核，现在不能审核通过")]
    assert "确认审核通过 1 份" in confirm.content.decode()
    assert _state(town) == State.IN_REVIEW  # the list changes nothing

    Evaluation.objects.filter(pk=city.pk).update(state=State.IN_REVIEW)
    Waiver.objects.filter(evaluation=city).delete()  # errors open again
    done = client.post("/review/approve", {"ids": [town.pk, city.pk], "confirm": "1", "back": "state=in_review"})
    assert [e.pk for e in done.context["approved"]] == [town.pk]
    [(skipped, why)] = done.context["skipped"]
    assert skipped.pk == city.pk and why.startswith("还有") and "个未修正的错误" in why
    assert _state(town) == State.APPROVED and _state(city) == State.IN_REVIEW and _state(far) == State.DRAFT
    assert town.history.first().history_change_reason == "审核通过"  # through the review loop
    assert 'href="/review/?state=in_review"' in done.content.decode()


def test_bulk_approval_skips_what_the_person_may_not_approve(org, login):
    _clean(org, org["town"])
    done = login(org["users"]["admin"]).post("/review/approve", {"ids": [org["town"].pk], "confirm": "1"})
    assert done.context["approved"] == [] and done.context["skipped"][0][1] == "只有本财政局的审核人可以审核通过"
    assert _state(org["town"]) == State.IN_REVIEW


def test_a_refused_bulk_approval_changes_nothing(org, login):
    _clean(org, org["town"])
    assert login(org["users"]["reviewer"]).post("/review/approve", {"ids": [org["town"].pk, org["far"].pk], "confirm": "1"}).status_code == 404
    assert login(org["users"]["head"]).post("/review/approve", {"ids": [org["town"].pk], "confirm": "1"}).status_code == 403
    assert login(org["users"]["reviewer"]).post("/review/approve", {"ids": ["x"], "confirm": "1"}).status_code == 403
    assert _state(org["town"]) == State.IN_REVIEW


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_selection_exports_as_one_zip(org, login):
    client = login(org["users"]["reviewer"])
    response = client.post("/review/export/xlsx", {"ids": [org["town"].pk, org["city"].pk], "token": "abc123"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.cookies["jixiao-export"].value == "abc123"
    names = _zip(response).namelist()
    assert names == ["衡山县开云镇人民政府-2022年度绩效自评.xlsx", "衡阳市人民政府办公室-2022年度绩效自评.xlsx"]


def test_a_pdf_export_of_the_filtered_list(org, login):
    client = login(org["users"]["reviewer"])
    response = client.get("/review/export/pdf?state=all&q=开云")
    archive = _zip(response)
    assert archive.namelist() == ["衡山县开云镇人民政府-2022年度绩效自评.pdf"]
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")


def test_exports_are_capped_and_never_reach_another_bureau(org, login, monkeypatch):
    from jixiao.web.views import bulk

    client = login(org["users"]["reviewer"])
    monkeypatch.setitem(bulk.EXPORT_LIMITS, "xlsx", 1)
    response = client.get("/review/export/xlsx?state=all", follow=True)
    assert "一次最多导出 1 份" in response.content.decode()
    monkeypatch.setitem(bulk.EXPORT_LIMITS, "xlsx", 200)
    assert len(_zip(client.get("/review/export/xlsx?state=all")).namelist()) == 2  # town and city, not far
    assert client.post("/review/export/xlsx", {"ids": [org["far"].pk]}).status_code == 404
    assert login(org["users"]["filler"]).get("/review/export/xlsx?state=all").status_code == 403
    assert client.get("/review/export/docx?state=all").status_code == 404


def test_a_package_that_cannot_be_exported_is_named_in_the_zip(org, login, monkeypatch):
    from jixiao.render.export import ExportError

    real = services.exported

    def failing(evaluation, fmt, highlight=False):
        if evaluation.pk == org["city"].pk:
            raise ExportError("表格过大")
        return real(evaluation, fmt, highlight)

    monkeypatch.setattr(services, "exported", failing)
    archive = _zip(login(org["users"]["reviewer"]).post("/review/export/xlsx", {"ids": [org["town"].pk, org["city"].pk]}))
    assert "导出失败.txt" in archive.namelist()
    assert "衡阳市人民政府办公室 2022 年度：表格过大" in archive.read("导出失败.txt").decode()


@pytest.mark.parametrize("method,url", [
    ("get", "/review/"), ("post", "/review/assign"), ("post", "/review/approve"),
    ("post", "/review/export/pdf"), ("get", "/review/export/xlsx?state=all"),
])
def test_anonymous_is_sent_to_login(org, client, method, url):
    response = getattr(client, method)(url, {"ids": [org["town"].pk]} if method == "post" else None)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
