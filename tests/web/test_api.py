"""The JSON API: who sees what, import, audit/score/export, and the review loop."""

from __future__ import annotations

import base64
import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.model import dump_evaluation
from jixiao.model.blank import blank_evaluation

from .conftest import PASSWORD, TOWN

CJK = re.compile(r"[\u4e00-\u9fff]")
PATHS = ["/api/evaluations", "/api/evaluations/{id}", "/api/evaluations/{id}/import", "/api/evaluations/{id}/audit",
         "/api/evaluations/{id}/score", "/api/evaluations/{id}/export", "/api/evaluations/{id}/transitions/{name}"]


def basic(user, password=PASSWORD) -> dict:
    token = base64.b64encode(f"{user.get_username()}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def as_(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def upload(client, ev, name=TOWN.name, content=None, version=None, **extra):
    data = TOWN.read_bytes() if content is None else content
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(f"/api/evaluations/{ev.pk}/import", {"file": file, "version": ev.version if version is None else version}, **extra)


def move(client, ev, name, comment=None, **extra):
    body = json.dumps({"comment": comment}) if comment is not None else ""
    return client.post(f"/api/evaluations/{ev.pk}/transitions/{name}", body, content_type="application/json", **extra)


def waive_all(ev, author):
    from jixiao.web import services
    from jixiao.web.models import Waiver

    for f in services.analyse(ev).open_errors:
        Waiver.objects.create(evaluation=ev, fingerprint=f.fingerprint, code=f.code, message=f.message, reason="已核实，原表如此", author=author)


def fresh(ev):
    ev.refresh_from_db()
    return ev


# --- schema and docs ---------------------------------------------------------------------------


def test_openapi_lists_every_path_and_both_auth_schemes(org, login):
    r = login(org["users"]["filler"]).get("/api/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert set(PATHS) <= set(spec["paths"])
    assert {s["type"] for s in spec["components"]["securitySchemes"].values()} == {"http", "apiKey"}
    assert "EvaluationDetail" in spec["components"]["schemas"]
    assert "AuditOut" in spec["components"]["schemas"]


def test_docs_page_answers(org, login):
    r = login(org["users"]["filler"]).get("/api/docs")
    assert r.status_code == 200
    if "ninja" in settings.INSTALLED_APPS:  # then swagger-ui is served from the package, not a CDN
        assert b"cdn.jsdelivr.net" not in r.content


# --- authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize("method,path", [("get", "/api/evaluations"), ("get", "/api/evaluations/{id}"),
                                         ("get", "/api/evaluations/{id}/export"), ("post", "/api/evaluations/{id}/transitions/ask_head")])
def test_unauthenticated_is_401(org, client, method, path):
    r = getattr(client, method)(path.format(id=org["town"].pk))
    assert r.status_code == 401
    assert CJK.search(r.json()["detail"])
    assert "WWW-Authenticate" not in r.headers


def test_wrong_basic_password_is_401(org, client):
    assert client.get("/api/evaluations", **basic(org["users"]["filler"], "wrong")).status_code == 401
    assert upload(client, org["town"], **basic(org["users"]["filler"], "wrong")).status_code == 401


def test_basic_auth_needs_no_csrf_token_but_a_session_does(org):
    filler, town = org["users"]["filler"], org["town"]
    script = Client(enforce_csrf_checks=True)
    r = script.get("/api/evaluations", **basic(filler))
    assert r.status_code == 200 and [e["id"] for e in r.json()] == [town.pk]
    assert upload(script, town, **basic(filler)).status_code == 200

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(filler)
    assert browser.get(f"/api/evaluations/{town.pk}").status_code == 200
    r = upload(browser, fresh(town))
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]


def test_basic_auth_changes_are_recorded_under_the_user(org, client):
    town = org["town"]
    assert upload(client, town, **basic(org["users"]["head"])).status_code == 200
    assert town.history.latest().history_user == org["users"]["head"]


# --- who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize("who,expected", [
    ("filler", {"town"}), ("head", {"town"}), ("city_filler", {"city"}), ("reviewer", {"town", "city"}),
    ("far_reviewer", {"far"}), ("admin", {"town", "city", "far"}), ("nobody", set()),
])
def test_list_shows_only_visible(org, as_, who, expected):
    r = as_(org["users"][who]).get("/api/evaluations")
    assert r.status_code == 200
    assert {e["id"] for e in r.json()} == {org[k].pk for k in expected}


def test_list_entry_fields(org, as_):
    [entry] = as_(org["users"]["filler"]).get("/api/evaluations").json()
    town = org["town"]
    assert entry["unit"] == {"id": town.unit_id, "name": "衡山县开云镇人民政府", "bureau": "衡阳市财政局"}
    assert entry["fiscal_year"] == 2022
    assert entry["state"] == {"code": "draft", "label": "填报中"}
    assert entry["version"] == town.version
    assert entry["summary"]["errors"] == 3


READS = ["", "/audit", "/score", "/export?format=xlsx"]


@pytest.mark.parametrize("suffix", READS)
@pytest.mark.parametrize("who,which,status", [
    ("filler", "town", 200), ("head", "town", 200), ("reviewer", "town", 200), ("admin", "far", 200),
    ("filler", "city", 404), ("city_filler", "town", 404), ("far_reviewer", "town", 404), ("nobody", "town", 404),
])
def test_reads_follow_access(org, as_, suffix, who, which, status):
    r = as_(org["users"][who]).get(f"/api/evaluations/{org[which].pk}{suffix}")
    assert r.status_code == status
    if status == 404:
        assert r.json() == {"detail": "没有这份自评材料，或您无权查看"}


def test_missing_evaluation_is_404(org, as_):
    r = as_(org["users"]["admin"]).get("/api/evaluations/999999/score")
    assert r.status_code == 404 and CJK.search(r.json()["detail"])


# --- reading -----------------------------------------------------------------------------------


def test_detail_is_the_interchange_document(org, as_):
    town = org["town"]
    body = as_(org["users"]["filler"]).get(f"/api/evaluations/{town.pk}").json()
    assert body["document"] == json.loads(town.document)
    assert body["source"] == TOWN.name
    assert len(body["notices"]) == len(town.notices)
    # Amounts stay the interchange format's strings: no float rounding on the way through JSON.
    assert body["document"]["base_data"]["public_funds"]["final"] == "155.13"


def test_audit_and_score_are_the_services_results(org, as_):
    from jixiao.web import services

    town, filler = org["town"], org["users"]["filler"]
    client = as_(filler)
    analysis = services.analyse(town)
    audit = client.get(f"/api/evaluations/{town.pk}/audit").json()
    assert audit.pop("waived") == []
    assert audit == analysis.report.model_dump(mode="json")
    assert audit["stats"]["error"] == 3
    assert client.get(f"/api/evaluations/{town.pk}/score").json() == analysis.score.model_dump(mode="json")

    waive_all(town, filler)
    waived = client.get(f"/api/evaluations/{town.pk}/audit").json()["waived"]
    assert sorted(waived) == sorted(f.fingerprint for f in analysis.open_errors)


@pytest.mark.parametrize("fmt,magic", [("xlsx", b"PK"), ("docx", b"PK")])
def test_export(org, as_, fmt, magic):
    r = as_(org["users"]["reviewer"]).get(f"/api/evaluations/{org['town'].pk}/export?format={fmt}")
    assert r.status_code == 200
    assert r.content.startswith(magic)
    assert r["Content-Disposition"].startswith("attachment; filename*=UTF-8''") and r["Content-Disposition"].endswith(f".{fmt}")


def test_export_pdf_or_a_chinese_reason(org, as_):
    r = as_(org["users"]["filler"]).get(f"/api/evaluations/{org['town'].pk}/export?format=pdf")
    # Without WeasyPrint's system libraries the export is refused with instructions, not a 500.
    assert (r.status_code, r.content[:4]) == (200, b"%PDF") or (r.status_code == 422 and CJK.search(r.json()["detail"]))


def test_export_unknown_format_is_422(org, as_):
    r = as_(org["users"]["filler"]).get(f"/api/evaluations/{org['town'].pk}/export?format=html")
    assert r.status_code == 422 and CJK.search(r.json()["detail"])


# --- import ------------------------------------------------------------------------------------


@pytest.fixture
def blank_town(org):
    """The town evaluation with its figures cleared (version 2), so an import visibly replaces them."""
    from jixiao.web import services

    town = org["town"]
    services.store(town, blank_evaluation(town.unit.name, town.fiscal_year, []), town.version, "清空")
    return fresh(town)


def test_import_replaces_the_document_and_bumps_the_version(org, as_, blank_town, town_doc):
    r = upload(as_(org["users"]["filler"]), blank_town)
    assert r.status_code == 200
    body = r.json()
    town = fresh(blank_town)
    assert body["version"] == town.version == 3
    assert body["source"] == town.source == TOWN.name
    assert CJK.search(body["found"])
    assert town.document == dump_evaluation(town_doc.evaluation)
    assert town.summary["errors"] == 3


def test_import_with_a_stale_version_is_409(org, as_, blank_town):
    before = blank_town.document
    r = upload(as_(org["users"]["filler"]), blank_town, version=1)
    assert r.status_code == 409
    assert "已被他人修改" in r.json()["detail"]
    town = fresh(blank_town)
    assert (town.version, town.document) == (2, before)


@pytest.mark.parametrize("name,content", [
    ("报告.pdf", b"%PDF-1.4 not an evaluation"),
    ("表格.xlsx", b"this is not a zip file at all"),
    ("材料.docx", b"\x00\x01garbage"),
])
def test_import_of_unusable_files_is_422_and_saves_nothing(org, as_, blank_town, name, content):
    before = (blank_town.version, blank_town.document, blank_town.source)
    r = upload(as_(org["users"]["filler"]), blank_town, name=name, content=content)
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] == "导入未完成，原有数据未改动"
    assert body["notices"] and all(n["severity"] == "error" and CJK.search(n["message"]) for n in body["notices"])
    town = fresh(blank_town)
    assert (town.version, town.document, town.source) == before


def test_import_without_a_file_is_422(org, as_):
    town = org["town"]
    r = as_(org["users"]["filler"]).post(f"/api/evaluations/{town.pk}/import", {"version": town.version})
    assert r.status_code == 422 and CJK.search(r.json()["detail"])


@pytest.mark.parametrize("who,status", [("reviewer", 403), ("admin", 403), ("city_filler", 404), ("far_reviewer", 404)])
def test_import_is_for_the_unit_only(org, as_, who, status):
    town = org["town"]
    r = upload(as_(org["users"][who]), town)
    assert r.status_code == status and CJK.search(r.json()["detail"])
    assert fresh(town).version == 1


# --- the review loop ---------------------------------------------------------------------------


def test_asking_the_head_is_refused_while_errors_are_open(org, as_):
    town = org["town"]
    r = move(as_(org["users"]["filler"]), town, "ask_head")
    assert r.status_code == 409
    assert "还有 3 项未处理，不能提交" in r.json()["detail"]
    assert fresh(town).state == "draft"


def test_filler_asks_and_head_submits_after_every_error_is_waived(org, as_):
    town, filler = org["town"], org["users"]["filler"]
    waive_all(town, filler)
    r = move(as_(filler), town, "ask_head")
    assert r.status_code == 200 and r.json()["state"] == {"code": "awaiting_head", "label": "待单位负责人确认"}
    r = move(as_(org["users"]["head"]), town, "submit")
    assert r.status_code == 200
    assert r.json()["state"] == {"code": "submitted", "label": "待审核"}
    town = fresh(town)
    assert (town.state, town.version) == ("submitted", 3)
    assert r.json()["version"] == 3


def test_the_transitions_offered_are_the_state_machines(org, login):
    from jixiao.web.models import Move

    spec = login(org["users"]["filler"]).get("/api/openapi.json").json()
    [name] = [p for p in spec["paths"]["/api/evaluations/{id}/transitions/{name}"]["post"]["parameters"] if p["name"] == "name"]
    assert name["schema"]["enum"] == Move.values


@pytest.fixture
def submitted(org):
    from jixiao.web import workflow

    town, filler = org["town"], org["users"]["filler"]
    waive_all(town, filler)
    workflow.move(town, "ask_head", filler)
    workflow.move(town, "submit", org["users"]["head"])
    return fresh(town)


@pytest.fixture
def in_review(org, submitted):
    from jixiao.web import workflow

    return workflow.move(submitted, "start_review", org["users"]["reviewer"])


@pytest.mark.parametrize("who,name,status", [
    ("reviewer", "submit", 403), ("filler", "start_review", 403), ("head", "start_review", 403), ("admin", "start_review", 403),
    ("reviewer", "withdraw", 403), ("head", "reopen", 403),
    ("far_reviewer", "start_review", 404), ("city_filler", "withdraw", 404), ("nobody", "start_review", 404),
])
def test_transitions_follow_access(org, as_, submitted, who, name, status):
    r = move(as_(org["users"][who]), submitted, name, "意见")
    assert r.status_code == status and CJK.search(r.json()["detail"])
    assert fresh(submitted).state == "submitted"


def test_unknown_transition_is_422(org, as_, submitted):
    assert move(as_(org["users"]["reviewer"]), submitted, "delete").status_code == 422


def test_send_back_requires_a_comment(org, as_, in_review):
    from jixiao.web.models import Comment

    client = as_(org["users"]["reviewer"])
    for body in (None, "", "   "):
        r = move(client, in_review, "send_back", body)
        assert r.status_code == 422 and "退回意见" in r.json()["detail"]
    assert fresh(in_review).state == "in_review"

    r = move(client, in_review, "send_back", "请补充项目绩效目标")
    assert r.status_code == 200 and r.json()["state"]["code"] == "returned"
    [comment] = Comment.objects.filter(evaluation=in_review)
    assert (comment.text, comment.author) == ("请补充项目绩效目标", org["users"]["reviewer"])


def test_a_returned_evaluation_can_be_imported_again(org, as_, in_review):
    move(as_(org["users"]["reviewer"]), in_review, "send_back", "请修改")
    assert upload(as_(org["users"]["filler"]), fresh(in_review)).status_code == 200


def test_approve_makes_it_read_only(org, as_, in_review):
    from jixiao.web.models import Comment

    r = move(as_(org["users"]["reviewer"]), in_review, "approve", "同意")
    assert r.status_code == 200 and r.json()["state"] == {"code": "approved", "label": "已通过"}
    assert Comment.objects.get(evaluation=in_review).text == "同意"

    town = fresh(in_review)
    r = upload(as_(org["users"]["filler"]), town)
    assert r.status_code == 403
    assert "已通过" in r.json()["detail"]
    assert fresh(town).version == town.version
    # Approving twice is refused too: it is no longer under review.
    assert move(as_(org["users"]["reviewer"]), town, "approve").status_code == 403


def test_approve_without_a_comment_leaves_none(org, as_, in_review):
    from jixiao.web.models import Comment

    assert move(as_(org["users"]["reviewer"]), in_review, "approve").status_code == 200
    assert not Comment.objects.filter(evaluation=in_review).exists()
