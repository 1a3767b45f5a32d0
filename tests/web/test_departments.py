"""Units grouped under their 主管部门: a department's reviewer (a reviewer whose profile names the
department) reaches its 二级单位 and nothing else, through the same access helper as everyone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jixiao.web.access import may_choose_rubrics, reviewers_for, visible
from jixiao.web.models import Evaluation, Profile, Role, State, Unit

from .conftest import PASSWORD
from .test_access_matrix import API, PAGES, _attach, _call, _snapshot, expected


@pytest.fixture
def department(org):
    """衡阳市教育局 (bureau A) with the town as its 二级单位, its own package, and its reviewer."""
    from django.contrib.auth import get_user_model

    bureau = org["bureaus"][0]
    unit = Unit.objects.create(bureau=bureau, name="衡阳市教育局")
    Unit.objects.filter(pk=org["units"]["town"].pk).update(parent=unit)
    user = get_user_model().objects.create_user("dept_reviewer", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.REVIEWER, bureau=bureau, unit=unit)
    own = Evaluation.objects.create(unit=unit, fiscal_year=2022, document=org["city"].document, summary=org["city"].summary)
    return {"unit": unit, "user": user, "own": own}


def test_a_department_reviewer_sees_only_its_second_level_units(org, department, login):
    assert set(visible(department["user"])) == {org["town"]}
    client = login(department["user"])
    listed = client.get("/review/?state=all")
    assert [e.pk for e in listed.context["evaluations"]] == [org["town"].pk]
    assert [d.name for d in listed.context["departments"]] == ["衡阳市教育局"]
    for key in ("city", "far"):
        assert f'href="/evaluations/{org[key].pk}/"' not in client.get("/evaluations/").content.decode()
    assert client.get(f"/evaluations/{department['own'].pk}/").status_code == 404  # not its own department's package
    # the bureau's reviewer still sees everything, the department's package included
    assert department["own"] in visible(org["users"]["reviewer"])


@pytest.mark.parametrize("state", [State.SUBMITTED, State.IN_REVIEW, State.APPROVED])
@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_a_department_reviewer_acts_as_a_reviewer_on_its_units_and_an_outsider_elsewhere(org, department, client, state, api):
    client.force_login(department["user"])
    town = org["town"]
    for evaluation in (town, org["city"], org["far"], department["own"]):  # for the evidence rows
        _attach(evaluation, org["users"]["admin"])
    for method, url, action, body in API if api else PAGES:
        Evaluation.objects.filter(pk=town.pk).update(state=state)
        town.refresh_from_db()
        want = expected("reviewer", action, state)
        response = _call(client, method, url, body, town, api)
        if want is None:
            assert response.status_code not in (403, 404), f"{url} ({state})"
        else:
            assert response.status_code == want, f"{url} ({state}): {response.status_code}"
        for outside in (org["city"], org["far"], department["own"]):
            before = _snapshot(outside)
            assert _call(client, method, url, body, outside, api).status_code == 404, f"{url} reached {outside}"
            assert _snapshot(outside) == before


def test_only_the_bureau_wide_reviewer_chooses_the_bureaus_rubrics(org, department):
    bureau = org["bureaus"][0]
    assert may_choose_rubrics(org["users"]["reviewer"], bureau.pk)
    assert not may_choose_rubrics(department["user"], bureau.pk)


def test_assignment_follows_who_reviews_the_unit(org, department, login):
    dept = Profile.objects.get(user=department["user"])
    town = Unit.objects.get(pk=org["units"]["town"].pk)
    assert dept in reviewers_for(town) and dept not in reviewers_for(org["units"]["city"])
    client = login(org["users"]["reviewer"])
    assert client.post("/review/assign", {"ids": [org["town"].pk], "reviewer": dept.pk}).status_code == 302
    assert Evaluation.objects.get(pk=org["town"].pk).assigned_to == department["user"]
    assert client.post("/review/assign", {"ids": [org["city"].pk], "reviewer": dept.pk}).status_code == 403
    assert Evaluation.objects.get(pk=org["city"].pk).assigned_to is None


def test_departments_are_one_level_deep_and_of_the_same_bureau(org, department):
    town, far = org["units"]["town"], org["units"]["far"]
    town.refresh_from_db()
    nested = Unit(bureau=town.bureau, name="某乡镇下属单位", parent=town)
    with pytest.raises(ValidationError, match="一级单位"):
        nested.full_clean()
    other = Unit(bureau=far.bureau, name="长沙市下属单位", parent=department["unit"])
    with pytest.raises(ValidationError, match="同一财政局"):
        other.full_clean()
    department["unit"].parent = org["units"]["city"]
    with pytest.raises(ValidationError, match="已有二级单位"):
        department["unit"].full_clean()


def test_a_department_reviewer_names_a_department_of_its_bureau(org, department):
    bad = Profile(user=org["users"]["nobody"], role=Role.REVIEWER, bureau=org["bureaus"][1], unit=department["unit"])
    with pytest.raises(ValidationError, match="主管部门"):
        bad.clean()
    bad.bureau, bad.unit = org["bureaus"][0], Unit.objects.get(pk=org["units"]["town"].pk)  # a 二级单位, not a department
    with pytest.raises(ValidationError, match="主管部门"):
        bad.clean()
    # unit roles still never carry a bureau
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=org["users"]["nobody"], role=Role.FILLER, unit=org["units"]["city"], bureau=org["bureaus"][0])
