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


def _summarise(evaluation, **summary):
    Evaluation.objects.filter(pk=evaluation.pk).update(summary={**evaluation.summary, **summary})


def _names(response) -> list[str]:
    return [e.unit.name for e in response.context["evaluations"]]


def test_the_queue_searches_unit_and_project_names_stored_beside_the_document(org, login):
    assert "村级运转经费" in org["town"].project_names and "村级运行经费" in org["town"].project_names
    client = login(org["users"]["reviewer"])
    assert _names(client.get("/review/?state=all&q=村级运转")) == ["衡山县开云镇人民政府"]  # a project table
    assert _names(client.get("/review/?state=all&q=机要工作")) == ["衡阳市人民政府办公室"]
    assert _names(client.get("/review/?state=all&q=开云镇")) == ["衡山县开云镇人民政府"]  # the unit
    page = client.get("/review/?state=all&q=没有这个项目")
    assert _names(page) == [] and "没有符合条件的全部材料" in page.content.decode()
    # the other bureau's unit holds the same projects: its reviewer finds only that one
    assert _names(login(org["users"]["far_reviewer"]).get("/review/?state=all&q=机要工作")) == ["长沙市某局"]


def test_a_saved_edit_keeps_the_project_names_searchable(org):
    from jixiao.web import services

    town = org["town"]
    doc = services.document(town)
    doc = doc.model_copy(update={"projects": [doc.projects[0].model_copy(update={"name": "乡村振兴衔接资金"}), *doc.projects[1:]]})
    services.store(town, doc, town.version, "改项目名称")
    assert "乡村振兴衔接资金" in Evaluation.objects.get(pk=town.pk).project_names


def test_the_queue_filters_by_grade_open_errors_and_assignment(org, login):
    town, city = org["town"], org["city"]
    _summarise(town, grade="优", open_errors=0, total="92.5")
    _summarise(city, grade="良", open_errors=2, total="80")
    client = login(org["users"]["reviewer"])
    assert _names(client.get("/review/?state=all&grade=优")) == ["衡山县开云镇人民政府"]
    assert _names(client.get("/review/?state=all&errors=open")) == ["衡阳市人民政府办公室"]
    assert _names(client.get("/review/?state=all&errors=none")) == ["衡山县开云镇人民政府"]
    assert len(_names(client.get("/review/?state=all&grade=不是等级"))) == 2  # not offered: ignored
    assert _names(client.get("/review/?state=all&mine=1")) == []
    Evaluation.objects.filter(pk=city.pk).update(assigned_to=org["users"]["reviewer"])
    page = client.get("/review/?state=all&mine=1")
    assert _names(page) == ["衡阳市人民政府办公室"] and "分配给我" in page.content.decode()
    # the tabs count what the other filters leave
    assert "填报中（1）" in page.content.decode()


def test_the_queue_sorts_by_unit_total_errors_and_update(org, login):
    town, city = org["town"], org["city"]
    _summarise(town, open_errors=0, total="92.5")
    _summarise(city, open_errors=2, total="80")
    client = login(org["users"]["reviewer"])
    town_first, city_first = ["衡山县开云镇人民政府", "衡阳市人民政府办公室"], ["衡阳市人民政府办公室", "衡山县开云镇人民政府"]
    assert _names(client.get("/review/?state=all&sort=-total")) == town_first
    assert _names(client.get("/review/?state=all&sort=total")) == city_first
    assert _names(client.get("/review/?state=all&sort=-errors")) == city_first
    assert _names(client.get("/review/?state=all&sort=errors")) == town_first
    by_unit = _names(client.get("/review/?state=all&sort=unit"))
    assert by_unit == sorted(by_unit) and _names(client.get("/review/?state=all&sort=-unit")) == by_unit[::-1]
    Evaluation.objects.filter(pk=town.pk).update(summary={})  # no total yet: last either way
    assert _names(client.get("/review/?state=all&sort=total"))[-1] == "衡山县开云镇人民政府"
    # a heading links to its sort, and the filters travel with it and with the pages
    page = client.get("/review/?state=all&q=县&sort=-total").content.decode()
    assert 'href="?state=all&amp;q=%E5%8E%BF&amp;sort=total"' in page


def _many(org, n: int) -> None:
    """``n`` more submitted evaluations, each of its own unit, half under a department."""
    from jixiao.web.models import Unit

    town, bureau = org["town"], org["bureaus"][0]
    department = Unit.objects.get_or_create(bureau=bureau, name="某主管部门")[0]
    start = Unit.objects.count()
    units = Unit.objects.bulk_create(
        Unit(bureau=bureau, name=f"单位{start + i:04d}", parent=department if i % 2 else None) for i in range(n))
    Evaluation.objects.bulk_create(
        Evaluation(unit=u, fiscal_year=2022, document=town.document, state="submitted", project_names=f"项目{u.name}",
                   summary={**town.summary, "total": str(60 + i % 40), "open_errors": i % 3}) for i, u in enumerate(units))


def test_a_queue_of_hundreds_renders_in_bounded_queries_and_time(org, login):
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(org["users"]["reviewer"])
    url = "/review/?state=submitted&sort=-total&errors=open&q=单位"

    def render():
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response, len(queries), time.monotonic() - started

    _many(org, 5)
    render()  # the first request of a session reads what later ones find cached
    _, few, _ = render()
    _many(org, 495)
    response, many, seconds = render()
    assert many == few, "the queue's queries grow with its rows"
    assert len(response.context["evaluations"]) == 50 and response.context["page"].paginator.count > 300
    assert seconds < 5
    totals = [float(e.summary["total"]) for e in response.context["evaluations"]]
    assert totals == sorted(totals, reverse=True)
    assert "某主管部门" in response.content.decode()  # the 二级单位 show their department


def test_the_queue_filters_by_department(org, login):
    from jixiao.web.models import Unit

    department = Unit.objects.create(bureau=org["bureaus"][0], name="衡阳市教育局")
    Unit.objects.filter(pk=org["units"]["town"].pk).update(parent=department)
    client = login(org["users"]["reviewer"])
    page = client.get(f"/review/?state=all&department={department.pk}")
    assert _names(page) == ["衡山县开云镇人民政府"]
    assert '<option value="%d" selected>衡阳市教育局</option>' % department.pk in page.content.decode()
    assert "衡阳市教育局" not in login(org["users"]["far_reviewer"]).get("/review/?state=all").content.decode()


def test_existing_documents_get_their_project_names(org):
    import importlib

    from django.apps import apps

    Evaluation.objects.update(project_names="")
    importlib.import_module("jixiao.web.migrations.0008_queue").fill_project_names(apps, None)
    assert "机要工作经费" in Evaluation.objects.get(pk=org["city"].pk).project_names
