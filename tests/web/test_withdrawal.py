"""Withdrawal (撤回) and the start of review (开始审核): the unit may take back a submission
until a reviewer starts on it, and not after."""

from __future__ import annotations

import pytest

from jixiao.web import services
from jixiao.web.models import Evaluation, State

from . import moves


@pytest.mark.parametrize("who", ["filler", "head"])
def test_the_unit_withdraws_a_submission_not_yet_under_review(org, login, advance, who):
    town = advance("ask_head", "submit")
    assert town.rubrics == list(services.DEFAULT_RUBRICS)
    client = login(org["users"][who])
    assert "撤回</button>" in moves.page(client, town)
    assert moves.move(client, town, "withdraw", "第二个项目的得分还要核对").status_code == 302
    town = moves.fresh(town)
    assert (town.state, town.version, town.rubrics) == (State.DRAFT, 4, [])
    record = town.history.latest()
    assert (record.history_change_reason, record.history_user) == ("撤回：第二个项目的得分还要核对", org["users"][who])
    assert [r.state for r in town.history.order_by("history_date")] == ["draft", "awaiting_head", "submitted", "draft"]
    # back to the start: the unit edits, and the head signs off again before it reaches the bureau
    assert "data-path=" in moves.page(client, town)
    assert moves.move(login(org["users"]["head"]), town, "submit").status_code == 403


def test_once_the_reviewer_starts_the_unit_cannot_withdraw(org, login, advance):
    town = advance("ask_head", "submit")
    reviewer = login(org["users"]["reviewer"])
    page = moves.page(reviewer, town)
    assert "开始审核</button>" in page and "审核通过</button>" not in page
    assert moves.move(reviewer, town, "approve").status_code == 403  # decided only once taken up
    assert moves.move(reviewer, town, "start_review").status_code == 302
    town = moves.fresh(town)
    assert (town.state, town.version) == (State.IN_REVIEW, 4)
    assert town.history.latest().history_user == org["users"]["reviewer"]
    assert "审核通过</button>" in moves.page(reviewer, town)

    filler = login(org["users"]["filler"])
    assert "撤回</button>" not in moves.page(filler, town)
    response = moves.move(filler, town, "withdraw")
    assert response.status_code == 403 and "财政局已开始审核，不能撤回" in response.content.decode()
    assert (moves.fresh(town).state, town.version) == (State.IN_REVIEW, 4)


def test_review_comments_are_the_reviewers_once_review_starts(org, login, advance):
    town = advance("ask_head", "submit")
    reviewer = login(org["users"]["reviewer"])
    assert reviewer.post(f"/evaluations/{town.pk}/comment", {"text": "请说明"}).status_code == 403
    moves.move(reviewer, town, "start_review")
    assert reviewer.post(f"/evaluations/{town.pk}/comment", {"text": "请说明"}).status_code == 302
    assert moves.fresh(town).comments.get().text == "请说明"


@pytest.mark.parametrize("who,name,status,reason", [
    ("reviewer", "withdraw", 403, "只有本单位的填报人或单位负责人可以撤回"),
    ("admin", "withdraw", 403, "只有本单位的填报人或单位负责人可以撤回"),
    ("filler", "start_review", 403, "只有本财政局的审核人可以开始审核"),
    ("admin", "start_review", 403, "只有本财政局的审核人可以开始审核"),
    ("city_filler", "withdraw", 404, None),
    ("far_reviewer", "start_review", 404, None),
    ("nobody", "withdraw", 404, None),
])
def test_who_may_withdraw_or_start_review(org, login, who, name, status, reason):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state=State.SUBMITTED)
    response = moves.move(login(org["users"][who]), town, name)
    assert response.status_code == status
    if reason:
        assert reason in response.content.decode()
    assert (moves.fresh(town).state, town.version) == (State.SUBMITTED, 1)


@pytest.mark.parametrize("state", [State.DRAFT, State.AWAITING_HEAD, State.RETURNED, State.APPROVED])
def test_nothing_else_is_withdrawn(org, login, state):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state=state)
    response = moves.move(login(org["users"]["filler"]), town, "withdraw")
    assert response.status_code == 403 and "不能撤回" in response.content.decode()
    assert moves.fresh(town).state == state


def test_anonymous_is_sent_to_sign_in(org, client):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state=State.SUBMITTED)
    response = moves.move(client, town, "withdraw")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert moves.fresh(town).state == State.SUBMITTED
