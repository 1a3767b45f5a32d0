"""Self-evaluation rounds: the bureau opens one (validated like the rubric choice, which it sets);
units of the round see the days left and start the year's evaluation from there; a unit not
submitted after the deadline is flagged in the queue and on the dashboard. "Today" is fixed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from jixiao.web import campaigns
from jixiao.web.models import Campaign, Evaluation, RubricChoice, State

TODAY = date(2023, 3, 20)
DEPARTMENT = "hengshan-2022-department"


@pytest.fixture
def clock(monkeypatch):
    """Sets the day every view and helper takes as today."""
    def set_to(day: date) -> None:
        monkeypatch.setattr(campaigns, "today", lambda: day)

    set_to(TODAY)
    return set_to


def _open(client, bureau, year=2023, deadline=TODAY + timedelta(days=10), units=(), department=DEPARTMENT, project="auto"):
    return client.post(reverse("campaign-open"), {
        "bureau": bureau.pk, "fiscal_year": year, "deadline": deadline.isoformat(),
        "department_rubric": department, "project_rubric": project, "units": [u.pk for u in units],
    })


def _round(org, year=2022, deadline=TODAY - timedelta(days=1), units=("town", "city")):
    """A round straight in the database: one whose deadline has passed cannot be opened by the form."""
    return campaigns.open_round(org["bureaus"][0], year, deadline, [org["units"][u] for u in units], org["users"]["reviewer"])


def _state(evaluation, state):
    Evaluation.objects.filter(pk=evaluation.pk).update(state=state)


def test_reviewer_opens_a_round_for_all_units_and_sets_the_rubrics(org, login, clock):
    response = _open(login(org["users"]["reviewer"]), org["bureaus"][0], year=2022, project="mof-2020-project")
    assert response.status_code == 302 and response["Location"] == reverse("campaigns")
    campaign = Campaign.objects.get()
    assert (campaign.bureau, campaign.fiscal_year, campaign.deadline) == (org["bureaus"][0], 2022, TODAY + timedelta(days=10))
    assert set(campaign.units.all()) == {org["units"]["town"], org["units"]["city"]}  # every unit of the bureau, none of another
    choice = RubricChoice.objects.get(bureau=org["bureaus"][0], fiscal_year=2022)
    assert (choice.department_rubric, choice.project_rubric) == (DEPARTMENT, "mof-2020-project")
    page = login(org["users"]["reviewer"]).get(reverse("campaigns")).content.decode()
    assert "已安排衡阳市财政局 2022 年度自评工作：2 个单位参加" in page and "距截止还有 10 天" in page


def test_a_round_may_take_a_subset_of_the_units(org, login, clock):
    _open(login(org["users"]["reviewer"]), org["bureaus"][0], units=[org["units"]["town"]])
    assert list(Campaign.objects.get().units.all()) == [org["units"]["town"]]


@pytest.mark.parametrize("change, field, message", [
    ({"deadline": TODAY - timedelta(days=1)}, "deadline", "截止日期不能早于今天"),
    ({"department": "mof-2020-project"}, "department_rubric", "是项目支出评分规则，不能用作部门整体评分规则"),
    ({"project": "no-such-rubric"}, "project_rubric", "没有可用的评分规则"),
    ({"year": 1999}, "fiscal_year", "2000"),
    ({"units": "far"}, "units", "所选单位须都是衡阳市财政局所辖的单位"),
])
def test_a_round_is_validated_and_nothing_saved(org, login, clock, change, field, message):
    if change.get("units") == "far":
        change["units"] = [org["units"]["town"], org["units"]["far"]]
    response = _open(login(org["users"]["reviewer"]), org["bureaus"][0], **change)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field]) and message in response.content.decode()
    assert not Campaign.objects.exists() and not RubricChoice.objects.exists()
    # the re-shown form offers only the reviewer's bureau and its units
    assert "长沙市某局" not in response.content.decode()


def test_one_round_per_bureau_and_year(org, login, clock):
    client = login(org["users"]["reviewer"])
    _open(client, org["bureaus"][0])
    response = _open(client, org["bureaus"][0], deadline=TODAY + timedelta(days=30))
    assert response.status_code == 400 and "衡阳市财政局 2023 年度的自评工作已经安排" in response.content.decode()
    assert Campaign.objects.get().deadline == TODAY + timedelta(days=10)


@pytest.mark.parametrize("who", ["filler", "head", "nobody"])
def test_units_neither_see_nor_open_rounds(org, login, clock, who):
    client = login(org["users"][who])
    assert client.get(reverse("campaigns")).status_code == 403
    assert _open(client, org["bureaus"][0]).status_code == 403
    assert not Campaign.objects.exists()


def test_a_reviewer_cannot_open_a_round_for_another_bureau(org, login, clock):
    response = _open(login(org["users"]["far_reviewer"]), org["bureaus"][0])
    assert response.status_code == 403 and "您不能为衡阳市财政局安排自评工作" in response.context["reason"]
    assert not Campaign.objects.exists() and not RubricChoice.objects.exists()


def test_the_admin_opens_for_any_bureau_and_sees_every_round(org, login, clock):
    client = login(org["users"]["admin"])
    assert _open(client, org["bureaus"][1]).status_code == 302
    assert list(Campaign.objects.get().units.all()) == [org["units"]["far"]]
    _round(org)
    page = client.get(reverse("campaigns")).content.decode()
    assert "长沙市财政局" in page and "衡阳市财政局" in page


def test_a_reviewer_lists_only_the_own_bureaus_rounds_with_progress(org, login, clock):
    _round(org)
    campaigns.open_round(org["bureaus"][1], 2022, TODAY, [org["units"]["far"]], org["users"]["far_reviewer"])
    _state(org["city"], State.SUBMITTED)
    response = login(org["users"]["reviewer"]).get(reverse("campaigns"))
    [(campaign, left, progress)] = response.context["rounds"]
    assert campaign.bureau == org["bureaus"][0] and left == "已逾期 1 天"
    assert progress == {"units": 2, "pending": 1, "overdue": 1}
    assert "长沙市财政局" not in response.content.decode()


@pytest.mark.parametrize("days, shown", [(5, "距截止还有 5 天"), (0, "今天截止"), (-3, "已逾期 3 天")])
def test_units_of_the_round_see_the_days_left(org, login, clock, days, shown):
    _round(org, deadline=TODAY + timedelta(days=days), units=("town",))
    assert shown in login(org["users"]["filler"]).get(reverse("evaluations")).content.decode()
    assert shown in login(org["users"]["head"]).get(reverse("evaluations")).content.decode()
    for outsider in ("city_filler", "far_reviewer", "reviewer"):  # another unit, another bureau, the bureau's list
        assert shown not in login(org["users"][outsider]).get(reverse("evaluations")).content.decode(), outsider


def test_a_unit_starts_the_years_evaluation_from_its_round(org, login, clock):
    client = login(org["users"]["reviewer"])
    _open(client, org["bureaus"][0], year=2023, units=[org["units"]["town"]])
    filler = login(org["users"]["filler"])
    page = filler.get(reverse("evaluations")).content.decode()
    assert "开始 2023 年度自评" in page
    response = filler.post(reverse("evaluation-create"), {"fiscal_year": 2023})
    created = Evaluation.objects.get(unit=org["units"]["town"], fiscal_year=2023)
    assert response["Location"] == reverse("evaluation", args=[created.pk])
    page = filler.get(reverse("evaluations")).content.decode()
    assert "开始 2023 年度自评" not in page and f'href="{reverse("evaluation", args=[created.pk])}">2023 年度自评' in page


def test_a_submitted_unit_has_done_its_round(org, login, clock):
    _round(org, deadline=TODAY + timedelta(days=5))
    _state(org["town"], State.SUBMITTED)
    assert "距截止还有" not in login(org["users"]["filler"]).get(reverse("evaluations")).content.decode()
    _state(org["town"], State.AWAITING_HEAD)  # with its head, not yet with the bureau
    assert "距截止还有 5 天" in login(org["users"]["filler"]).get(reverse("evaluations")).content.decode()


def test_overdue_is_not_submitted_after_the_deadline(org, clock):
    _round(org, deadline=TODAY)
    _round(org, year=2023, deadline=TODAY - timedelta(days=1), units=("city",))
    assert not campaigns.overdue(TODAY).filter(campaign__fiscal_year=2022).exists()  # the deadline day itself is not late
    assert {p.unit.name for p in campaigns.overdue(TODAY + timedelta(days=1))} == {"衡山县开云镇人民政府", "衡阳市人民政府办公室"}
    for state, late in ((State.RETURNED, True), (State.AWAITING_HEAD, True), (State.IN_REVIEW, False), (State.APPROVED, False)):
        _state(org["town"], state)
        flagged = campaigns.flag_overdue(Evaluation.objects.filter(pk=org["town"].pk), TODAY + timedelta(days=1))
        assert flagged.get().overdue is late, state
        assert flagged.filter(overdue=True).exists() is late
    # city has no 2023 evaluation at all: overdue for 2023, and its 2022 evaluation is not flagged for it
    assert campaigns.overdue(TODAY).filter(campaign__fiscal_year=2023, unit=org["units"]["city"]).exists()
    assert not campaigns.flag_overdue(Evaluation.objects.filter(pk=org["city"].pk), TODAY).get().overdue


def test_overdue_units_are_flagged_in_the_queue(org, login, clock):
    _round(org)  # 2022, deadline yesterday: town (draft) is late, city submitted in time
    _round(org, year=2023, units=("city",))  # city has not started its 2023 evaluation
    _state(org["city"], State.SUBMITTED)
    response = login(org["users"]["reviewer"]).get(reverse("queue") + "?state=all")
    rows = {e.unit.name: e.overdue for e in response.context["evaluations"]}
    assert rows == {"衡山县开云镇人民政府": True, "衡阳市人民政府办公室": False}
    assert response.context["overdue"] == 2
    page = response.content.decode()
    assert "已逾期未报送：2 个单位" in page and page.count('class="state overdue"') == 1
    far = login(org["users"]["far_reviewer"]).get(reverse("queue") + "?state=all")
    assert far.context["overdue"] == 0 and 'class="state overdue"' not in far.content.decode()
    late = login(org["users"]["reviewer"]).get(reverse("queue") + "?state=all&overdue=1")
    assert [e.unit.name for e in late.context["evaluations"]] == ["衡山县开云镇人民政府"]  # the 已逾期 filter


def test_nothing_is_overdue_before_the_deadline(org, login, clock):
    _round(org, deadline=TODAY)
    response = login(org["users"]["reviewer"]).get(reverse("queue") + "?state=all")
    page = response.content.decode()
    assert response.context["overdue"] == 0 and 'class="state overdue"' not in page and "已逾期未报送" not in page


def test_overdue_units_are_flagged_on_the_dashboard(org, login, clock):
    _round(org)
    Evaluation.objects.filter(pk=org["city"].pk).delete()  # city never started its 2022 evaluation
    response = login(org["users"]["reviewer"]).get(reverse("dashboard") + "?year=2022")
    assert [r.evaluation.overdue for r in response.context["rows"]] == [True]
    overview = response.context["overview"]
    assert overview["overdue"] == 2 and overview["not_started"] == ["衡阳市人民政府办公室"]
    page = response.content.decode()
    assert "<th>逾期</th>" in page and 'class="state overdue"' in page
    assert "逾期且尚未新建 2022 年度自评的单位：衡阳市人民政府办公室" in page
    far = login(org["users"]["far_reviewer"]).get(reverse("dashboard") + "?year=2022")
    assert far.context["overview"]["overdue"] == 0
