"""Reopening (重新打开): the bureau takes an approval back under review, saying why."""

from __future__ import annotations

import pytest

from jixiao.web.models import Evaluation, State

from . import moves


@pytest.mark.parametrize("who", ["reviewer", "admin"])
def test_the_bureau_reopens_an_approval_with_a_reason(org, login, advance, who):
    town = advance("ask_head", "submit", "start_review", "approve")
    version = town.version
    client = login(org["users"][who])
    assert "重新打开</button>" in moves.page(client, town)
    response = client.post(f"/evaluations/{town.pk}/transition/reopen", {"comment": ""}, follow=True)
    assert "重新打开时请写明原因" in response.content.decode()
    assert (moves.fresh(town).state, town.version) == (State.APPROVED, version)

    moves.move(client, town, "reopen", "抽查发现公用经费决算数与决算报表不一致")
    town = moves.fresh(town)
    assert (town.state, town.version) == (State.IN_REVIEW, version + 1)
    record = town.history.latest()
    assert (record.history_change_reason, record.history_user) == ("重新打开：抽查发现公用经费决算数与决算报表不一致", org["users"][who])
    assert town.comments.get().text == "抽查发现公用经费决算数与决算报表不一致"
    history = login(org["users"]["filler"]).get(f"/evaluations/{town.pk}/history").content.decode()
    assert "重新打开：抽查发现公用经费决算数与决算报表不一致" in history and "审核通过" in history
    # back with the reviewer, who returns it to the unit or approves again
    assert moves.move(login(org["users"]["reviewer"]), town, "send_back", "请按决算报表更正").status_code == 302
    assert moves.fresh(town).state == State.RETURNED


def test_the_unit_sees_no_reopen_button(org, login, advance):
    town = advance("ask_head", "submit", "start_review", "approve")
    for who in ("filler", "head"):
        page = moves.page(login(org["users"][who]), town)
        assert "重新打开</button>" not in page and "只读" in page


@pytest.mark.parametrize("who,state,status,reason", [
    ("filler", State.APPROVED, 403, "只有本财政局的审核人或管理员可以重新打开"),
    ("head", State.APPROVED, 403, "只有本财政局的审核人或管理员可以重新打开"),
    ("reviewer", State.IN_REVIEW, 403, "该自评材料审核中，现在不能重新打开"),
    ("admin", State.SUBMITTED, 403, "该自评材料待审核，现在不能重新打开"),
    ("city_filler", State.APPROVED, 404, None),
    ("far_reviewer", State.APPROVED, 404, None),
    ("nobody", State.APPROVED, 404, None),
])
def test_who_may_reopen(org, login, who, state, status, reason):
    moves.check_refusal(login(org["users"][who]), org["town"], "reopen", state, status, reason)


def test_anonymous_is_sent_to_sign_in(org, client):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state=State.APPROVED)
    response = moves.move(client, town, "reopen", "原因")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert moves.fresh(town).state == State.APPROVED
