"""Sign-off: the filler asks the unit head to confirm (提交单位负责人确认), the head submits to
the bureau (确认并提交) or returns it to the filler with a reason (退回填报人)."""

from __future__ import annotations

import pytest

from jixiao.web import services
from jixiao.web.models import State

from . import moves

HX = {"HTTP_HX_REQUEST": "true"}


def test_the_filler_asks_and_the_head_submits(org, login, advance):
    town = advance()  # every error explained, still in draft
    filler = login(org["users"]["filler"])
    page = moves.page(filler, town)
    assert "提交单位负责人确认</button>" in page and "确认并提交</button>" not in page
    response = moves.move(filler, town, "ask_head")
    assert response.status_code == 302
    town = moves.fresh(town)
    assert (town.state, town.version, town.rubrics) == (State.AWAITING_HEAD, 2, [])
    assert town.history.latest().history_change_reason == "提交单位负责人确认"
    page = moves.page(filler, town)
    assert "待单位负责人确认" in page and "data-path=" not in page and "提交单位负责人确认</button>" not in page
    assert "等待单位负责人确认并提交" in page  # who acts next

    head = login(org["users"]["head"])
    page = moves.page(head, town)
    assert "确认并提交</button>" in page and "退回填报人</button>" in page and "data-path=" not in page
    assert moves.move(head, town, "submit").status_code == 302
    town = moves.fresh(town)
    assert (town.state, town.version, town.rubrics) == (State.SUBMITTED, 3, list(services.DEFAULT_RUBRICS))
    record = town.history.latest()
    assert (record.history_change_reason, record.history_user) == ("确认并提交", org["users"]["head"])


def test_while_with_the_head_nobody_in_the_unit_edits(org, login, advance):
    town = advance("ask_head")
    for who in ("filler", "head"):
        response = login(org["users"][who]).post(
            f"/evaluations/{town.pk}/edit", {"path": "base_data.staffing.actual", "value": "97", "version": town.version}, **HX)
        assert response.status_code == 403 and "请单位负责人退回填报人" in response.content.decode()
    assert moves.fresh(town).version == 2


def test_the_head_returns_to_the_filler_with_a_reason(org, login, advance):
    town = advance("ask_head")
    head = login(org["users"]["head"])
    response = head.post(f"/evaluations/{town.pk}/transition/return_to_filler", {"comment": "  "}, follow=True)
    assert "退回填报人时请写明退回原因" in response.content.decode()
    assert (moves.fresh(town).state, town.version) == (State.AWAITING_HEAD, 2)

    moves.move(head, town, "return_to_filler", "第二个项目的偏差原因请写具体")
    town = moves.fresh(town)
    assert (town.state, town.version) == (State.DRAFT, 3)
    assert town.history.latest().history_change_reason == "退回填报人：第二个项目的偏差原因请写具体"
    assert town.comments.get().author == org["users"]["head"]
    filler = login(org["users"]["filler"])
    assert "第二个项目的偏差原因请写具体" in moves.page(filler, town)
    history = filler.get(f"/evaluations/{town.pk}/history").content.decode()
    assert "退回填报人：第二个项目的偏差原因请写具体" in history
    # a form opened before the round trip cannot save over it unseen
    response = filler.post(f"/evaluations/{town.pk}/edit", {"path": "base_data.staffing.actual", "value": "97", "version": 1}, **HX)
    assert response.status_code == 409
    response = filler.post(f"/evaluations/{town.pk}/edit", {"path": "base_data.staffing.actual", "value": "97", "version": 3}, **HX)
    assert response.status_code == 200


def test_a_package_the_bureau_returned_goes_back_to_the_filler_as_returned(org, login, advance):
    town = advance("ask_head", "submit", "start_review", "send_back", "ask_head", "return_to_filler")
    assert town.state == State.RETURNED
    # the return still shown in the history is the bureau's, not the head's
    page = login(org["users"]["reviewer"]).get(f"/evaluations/{town.pk}/history").content.decode()
    assert "退回以来的修改" in page


def test_the_gate_applies_again_at_the_heads_confirmation(org, login, advance):
    town = advance("ask_head")
    bureau = town.unit.bureau
    bureau.required_coverage = 100  # raised by the bureau after the filler asked
    bureau.save()
    head = login(org["users"]["head"])
    assert "不能提交的原因" in moves.page(head, town)
    response = moves.move(head, town, "submit")
    assert response.status_code == 302
    assert (moves.fresh(town).state, town.version) == (State.AWAITING_HEAD, 2)
    bureau.required_coverage = None
    bureau.save()
    moves.move(head, town, "submit")
    assert moves.fresh(town).state == State.SUBMITTED


@pytest.mark.parametrize("who,name,state,status,reason", [
    ("filler", "submit", State.AWAITING_HEAD, 403, "只有本单位的单位负责人可以确认并提交"),
    ("filler", "return_to_filler", State.AWAITING_HEAD, 403, "只有本单位的单位负责人可以退回填报人"),
    ("head", "ask_head", State.DRAFT, 403, "只有本单位的填报人可以提交单位负责人确认"),
    ("reviewer", "submit", State.AWAITING_HEAD, 403, "只有本单位的单位负责人"),
    ("admin", "submit", State.AWAITING_HEAD, 403, "只有本单位的单位负责人"),
    ("head", "submit", State.DRAFT, 403, "该自评材料填报中，现在不能确认并提交"),
    ("filler", "ask_head", State.AWAITING_HEAD, 403, "现在不能提交单位负责人确认"),
    ("city_filler", "ask_head", State.DRAFT, 404, None),
    ("far_reviewer", "submit", State.AWAITING_HEAD, 404, None),
    ("nobody", "submit", State.AWAITING_HEAD, 404, None),
])
def test_who_may_sign_off(org, login, who, name, state, status, reason):
    moves.check_refusal(login(org["users"][who]), org["town"], name, state, status, reason)


def test_anonymous_is_sent_to_sign_in(org, client):
    town = org["town"]
    response = moves.move(client, town, "ask_head")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert moves.fresh(town).state == State.DRAFT
