"""Every role × every page and API endpoint × own unit / other unit: who may read and write.

Outsiders get 404 (the evaluation's existence is not disclosed), insiders without the right
get 403, and no refused request changes anything."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web import campaigns, evidence, notify
from jixiao.web.models import Campaign, Evaluation, Move, Notification, Participation, Profile, RubricChoice, State

from .conftest import TOWN
from .evidence_files import pdf

PDF = pdf()

# (method, url pattern, action the access helper requires, body)
PAGES = [
    ("get", "/evaluations/{pk}/", "view", {}),
    ("get", "/evaluations/{pk}/history", "view", {}),
    ("get", "/evaluations/{pk}/export/xlsx", "view", {}),
    ("post", "/evaluations/{pk}/edit", "edit", {"path": "base_data.procurement.final", "value": "9", "version": "{version}"}),
    ("post", "/evaluations/{pk}/rows/add", "edit", {"path": "base_data.projects", "name": "新项目", "version": "{version}"}),
    ("post", "/evaluations/{pk}/import", "edit", {"version": "{version}", "file": "town"}),
    ("post", "/evaluations/{pk}/waive", "edit", {"fingerprint": "x", "reason": "理由充分的说明"}),
    ("post", "/evaluations/{pk}/unwaive", "edit", {"fingerprint": "x"}),
    ("post", "/evaluations/{pk}/rows/remove", "edit", {"path": "base_data.projects.0", "version": "{version}"}),
    ("post", "/evaluations/{pk}/comment", "comment", {"text": "意见"}),
    *[("post", f"/evaluations/{{pk}}/transition/{name}", name, {"comment": "原因说明"}) for name in Move.values],
    ("post", "/evaluations/{pk}/project-tables", "edit", {"version": "{version}"}),
    ("post", "/evaluations/{pk}/import/cancel", "edit", {}),
    ("get", "/evaluations/{pk}/history/{record}/restore", "edit", {}),
    ("post", "/evaluations/{pk}/history/{record}/restore", "edit", {"version": "{version}"}),
    # the queue's actions on a selection: here, a selection of this one evaluation
    ("post", "/review/assign", "assign", {"ids": "{pk}", "reviewer": "{reviewer}"}),
    ("post", "/review/approve", "bureau", {"ids": "{pk}"}),
    ("post", "/review/approve", "bureau", {"ids": "{pk}", "confirm": "1"}),
    ("post", "/review/export/xlsx", "bureau", {"ids": "{pk}"}),
    ("post", "/evaluations/{pk}/evidence", "edit", {"path": "projects.0", "file": "pdf", "version": "{version}"}),
    ("get", "/evaluations/{pk}/evidence/{evidence}", "view", {}),
    ("post", "/evaluations/{pk}/evidence/{evidence}/remove", "edit", {}),  # last: it takes {evidence} away
]
API = [
    ("get", "/api/evaluations/{pk}", "view", {}),
    ("get", "/api/evaluations/{pk}/audit", "view", {}),
    ("get", "/api/evaluations/{pk}/score", "view", {}),
    ("get", "/api/evaluations/{pk}/export?format=xlsx", "view", {}),
    ("post", "/api/evaluations/{pk}/import", "edit", {"version": "{version}", "file": "town"}),
    *[("post", f"/api/evaluations/{{pk}}/transitions/{name}", name, {"comment": "原因说明"}) for name in Move.values],
    ("get", "/api/evaluations/{pk}/evidence", "view", {}),
]
ROLES = ["filler", "head", "city_filler", "reviewer", "far_reviewer", "admin", "nobody"]
# Who reaches the town evaluation (unit town, bureau A) at all, and who may change or review it.
SEES_TOWN = {"filler", "head", "reviewer", "admin"}
UNIT_OF_TOWN = {"filler", "head"}
BUREAU = {"reviewer", "admin"}
EDITABLE = {State.DRAFT, State.RETURNED}
# The review loop as the issue states it: each transition, who may run it and from where.
MOVES = {
    Move.ASK_HEAD: ({"filler"}, EDITABLE),
    Move.SUBMIT: ({"head"}, {State.AWAITING_HEAD}),
    Move.RETURN_TO_FILLER: ({"head"}, {State.AWAITING_HEAD}),
    Move.WITHDRAW: (UNIT_OF_TOWN, {State.SUBMITTED}),
    Move.START_REVIEW: ({"reviewer"}, {State.SUBMITTED}),
    Move.SEND_BACK: ({"reviewer"}, {State.IN_REVIEW}),
    Move.APPROVE: ({"reviewer"}, {State.IN_REVIEW}),
    Move.REOPEN: ({"reviewer", "admin"}, {State.APPROVED}),
}
# Who may comment in which state: whoever has the package in hand.
COMMENTS = {(r, s) for r in UNIT_OF_TOWN for s in EDITABLE} | {("head", State.AWAITING_HEAD), ("reviewer", State.IN_REVIEW)}
CJK = re.compile(r"[\u4e00-\u9fff]")


def expected(role: str, action: str, state: str) -> int | None:
    """404, 403, or None for "allowed" (any status the view chooses, never 403/404)."""
    if role not in SEES_TOWN:
        return 404
    if action == "view":
        return None
    if action in ("assign", "bureau"):  # the bureau's, in any state (a bulk approval skips what it may not approve)
        return None if role in BUREAU else 403
    if action == "edit":
        return None if role in UNIT_OF_TOWN and state in EDITABLE else 403
    if action == "comment":
        return None if (role, state) in COMMENTS else 403
    who, sources = MOVES[action]
    return None if role in who and state in sources else 403


def _call(client, method, url, body, evaluation, api):
    first = evaluation.history.order_by("history_date").first()
    attached = evaluation.evidence.first()
    url = url.format(pk=evaluation.pk, record=first.history_id if first else 0, evidence=attached.pk if attached else 0)
    reviewer = Profile.objects.get(user__username="reviewer").pk  # whom an assignment names
    data = {k: v.format(version=evaluation.version, pk=evaluation.pk, reviewer=reviewer) for k, v in body.items()}
    if method == "get":
        return client.get(url)
    if "file" in data:
        data["file"] = SimpleUploadedFile("佐证.pdf", PDF) if data["file"] == "pdf" else SimpleUploadedFile("town.txt", TOWN.read_bytes())
        return client.post(url, data)
    if api:
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def _snapshot(evaluation):
    evaluation.refresh_from_db()
    return (
        evaluation.document, evaluation.version, evaluation.state, evaluation.waivers.count(), evaluation.comments.count(),
        list(evaluation.evidence.values_list("pk", flat=True)), evaluation.assigned_to_id, Notification.objects.count(),
    )


def _attach(evaluation, user) -> None:
    """One piece of evidence on the evaluation, for the download and removal rows."""
    evidence.attach(evaluation, SimpleUploadedFile("佐证.pdf", PDF), "", user, 2**20)


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_matrix(org, client, role, state, api):
    town: Evaluation = org["town"]
    _attach(town, org["users"]["filler"])
    _attach(org["far"], org["users"]["admin"])
    Evaluation.objects.filter(pk=town.pk).update(state=state)
    town.refresh_from_db()
    client.force_login(org["users"][role])
    for method, url, action, body in API if api else PAGES:
        want = expected(role, action, state)
        before = _snapshot(town)
        response = _call(client, method, url, body, town, api)
        where = f"{role} {method.upper()} {url} ({state})"
        if want is None:
            assert response.status_code not in (403, 404), where
        else:
            assert response.status_code == want, f"{where}: {response.status_code}"
            assert _snapshot(town) == before, f"{where} changed the evaluation"
            if want == 403:  # the reason, in Chinese, not a bare refusal
                reason = response.json()["detail"] if api else response.context["reason"]
                assert CJK.search(reason) and reason not in ("您没有执行此操作的权限", "您无权执行此操作"), f"{where}: {reason}"
        # Bureau B's evaluation is out of reach for everyone in bureau A (and the profileless).
        if role not in ("admin", "far_reviewer"):
            far = org["far"]
            before_far = _snapshot(far)
            assert _call(client, method, url, body, far, api).status_code == 404, f"{where} reached the other bureau"
            assert _snapshot(far) == before_far
        Evaluation.objects.filter(pk=town.pk).update(state=state)  # an allowed transition moved it
        town.refresh_from_db()


@pytest.mark.parametrize("url", ["/evaluations/{pk}/", "/api/evaluations/{pk}", "/evaluations/{pk}/evidence/{evidence}", "/api/evaluations/{pk}/evidence"])
def test_anonymous_is_sent_to_login_or_refused(org, client, url):
    _attach(org["town"], org["users"]["filler"])
    response = client.get(url.format(pk=org["town"].pk, evidence=org["town"].evidence.get().pk))
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url, body", [
    ("/evaluations/{pk}/evidence", {"path": "", "file": "pdf"}),
    ("/evaluations/{pk}/evidence/{evidence}/remove", {}),
])
def test_anonymous_changes_no_evidence(org, client, url, body):
    town = org["town"]
    _attach(town, org["users"]["filler"])
    before = _snapshot(town)
    response = _call(client, "post", url, body, town, api=False)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert _snapshot(town) == before


def test_lists_show_only_reachable_evaluations(org, login):
    expectations = {
        "filler": {"town"}, "city_filler": {"city"}, "reviewer": {"town", "city"},
        "far_reviewer": {"far"}, "admin": {"town", "city", "far"}, "nobody": set(),
    }
    for role, keys in expectations.items():
        client = login(org["users"][role])
        page = client.get("/evaluations/").content.decode()
        for key in ("town", "city", "far"):
            link = f'href="/evaluations/{org[key].pk}/"'
            assert (link in page) == (key in keys), f"{role} / {key}"


# The bureau's rounds (views/campaigns.py): its reviewers and the administrators open them; the
# other bureau's reviewer is refused, with the reason, like the rubric choice the round sets.
BUREAU_SIDE = {"reviewer", "far_reviewer", "admin"}
OPENS_FOR_TOWN = {"reviewer", "admin"}


def _round_for(bureau):
    return {"bureau": bureau.pk, "fiscal_year": 2023, "deadline": (date.today() + timedelta(days=30)).isoformat(),
            "department_rubric": "hengshan-2022-department", "project_rubric": "auto"}


def _rounds_snapshot():
    return (list(Campaign.objects.values_list("bureau", "fiscal_year", "deadline")),
            list(Participation.objects.values_list("campaign", "unit")),
            list(RubricChoice.objects.values_list("bureau", "fiscal_year", "department_rubric", "project_rubric")))


@pytest.mark.parametrize("role", ROLES)
def test_rounds_matrix(org, client, role):
    campaigns.open_round(org["bureaus"][1], 2022, date.today(), [org["units"]["far"]], org["users"]["far_reviewer"])
    client.force_login(org["users"][role])
    listed = client.get("/campaigns/")
    assert listed.status_code == (200 if role in BUREAU_SIDE else 403), role
    if role in BUREAU_SIDE:
        assert ("长沙市财政局" in listed.content.decode()) == (role in ("far_reviewer", "admin")), role
    before = _rounds_snapshot()
    response = client.post("/campaigns/open", _round_for(org["bureaus"][0]))
    if role in OPENS_FOR_TOWN:
        assert response.status_code == 302 and Campaign.objects.filter(bureau=org["bureaus"][0], fiscal_year=2023).exists()
    else:
        assert response.status_code == 403, role
        assert CJK.search(response.context["reason"])
        assert _rounds_snapshot() == before, f"{role} changed the rounds"


# Everyone's inbox (views/inbox.py): one's own messages only; another's is a 404.
@pytest.mark.parametrize("role", ROLES)
def test_inbox_matrix(org, client, role):
    other = org["users"]["head" if role == "filler" else "filler"]
    [mine] = notify.send([org["users"][role]], "本人的消息")
    [theirs] = notify.send([other], "他人的消息")
    client.force_login(org["users"][role])
    page = client.get("/inbox/").content.decode()
    assert "本人的消息" in page and "他人的消息" not in page
    assert client.post(f"/inbox/{theirs.pk}/open").status_code == 404
    assert client.post(f"/inbox/{mine.pk}/open").status_code == 302
    assert client.post("/inbox/read-all").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None, role


@pytest.mark.parametrize("method, url", [
    ("get", "/campaigns/"), ("post", "/campaigns/open"), ("get", "/inbox/"), ("post", "/inbox/{pk}/open"), ("post", "/inbox/read-all"),
])
def test_anonymous_reaches_no_round_or_message(org, client, method, url):
    [message] = notify.send([org["users"]["filler"]], "填报人的消息")
    before = _rounds_snapshot()
    body = _round_for(org["bureaus"][0]) if url == "/campaigns/open" else {}
    response = getattr(client, method)(url.format(pk=message.pk), body)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    message.refresh_from_db()
    assert message.read_at is None and _rounds_snapshot() == before
