"""The reviewer's queue: the bureau's evaluations by state, with counts per state."""

from __future__ import annotations

from jixiao.web.models import Evaluation, State


def test_queue_lists_and_counts_by_state(org, login):
    Evaluation.objects.filter(pk=org["town"].pk).update(state=State.SUBMITTED)
    client = login(org["users"]["reviewer"])
    page = client.get("/review/").content.decode()
    assert "衡山县开云镇人民政府" in page and "衡阳市人民政府办公室" not in page  # only the submitted one
    assert "待审核（1）" in page and "填报中（1）" in page and "已通过（0）" in page
    assert "长沙市某局" not in client.get("/review/?state=all").content.decode()  # another bureau's


def test_units_have_no_queue(org, login):
    assert login(org["users"]["filler"]).get("/review/").status_code == 403
