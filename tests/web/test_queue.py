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


def test_the_queue_pages_and_never_loads_documents(org, login):
    from jixiao.web.models import Evaluation

    town = org["town"]
    for year in range(1960, 2020):
        Evaluation.objects.create(unit=town.unit, fiscal_year=year, document=town.document, state="submitted", summary=town.summary)
    client = login(org["users"]["reviewer"])
    first = client.get("/review/?state=submitted")
    page = first.content.decode()
    assert "第 1 / 2 页" in page and "下一页" in page
    assert first.context["evaluations"].object_list[0].get_deferred_fields() >= {"document", "notices"}
    assert "第 2 / 2 页" in client.get("/review/?state=submitted&page=2").content.decode()


def test_the_queue_filters_the_sign_off_and_review_states(org, login):
    Evaluation.objects.filter(pk=org["town"].pk).update(state=State.IN_REVIEW)
    Evaluation.objects.filter(pk=org["city"].pk).update(state=State.AWAITING_HEAD)
    client = login(org["users"]["reviewer"])
    page = client.get("/review/").content.decode()
    assert "审核中（1）" in page and "待单位负责人确认（1）" in page and "待审核（0）" in page
    page = client.get("/review/?state=in_review").content.decode()
    assert "衡山县开云镇人民政府" in page and "衡阳市人民政府办公室" not in page and ">审核</a>" in page
    page = client.get("/review/?state=awaiting_head").content.decode()
    assert "衡阳市人民政府办公室" in page and "衡山县开云镇人民政府" not in page and ">查看</a>" in page
