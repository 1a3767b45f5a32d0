"""Last year's package in the web: a new year is pre-filled from it, this year is audited against
it (and again when last year's package changes), and its figures stand beside this year's rows."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.model import dump_evaluation
from jixiao.web import services
from jixiao.web.models import Evaluation


def _new_year(client, year: int) -> Evaluation:
    response = client.post("/evaluations/new", {"fiscal_year": year, "rubric": "hengshan-2022-department"})
    assert response.status_code == 302
    return Evaluation.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_a_new_year_starts_from_last_years_package(org, login):
    town = org["town"]
    last = services.document(town)
    new = _new_year(login(org["users"]["filler"]), town.fiscal_year + 1)
    doc = services.document(new)
    line, before = doc.base_data.projects[0], last.base_data.projects[0]
    assert (line.name, line.prior_final, line.final) == (before.name, before.final, None) and before.final is not None
    assert [t.name for t in doc.projects] == [t.name for t in last.projects]
    assert "预填" in new.history.first().history_change_reason


def test_this_year_is_audited_against_last_years_package_and_again_when_that_changes(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    new = _new_year(client, town.fiscal_year + 1)
    codes = lambda ev: {f.code for f in services.analyse(Evaluation.objects.get(pk=ev.pk)).report.findings}  # noqa: E731
    assert "history.prior-final" not in codes(new)
    last = services.document(town)
    last.base_data.projects[0].final += D(1)
    town = services.store(town, last, town.version, "更正上年决算数")
    assert "history.prior-final" in codes(new)  # last year's change is a new comparison
    page = client.get(f"/evaluations/{new.pk}/").content.decode()
    assert f"上年材料本年决算数 {last.base_data.projects[0].final}" in page
    indicator = next(i for t in last.projects for i in t.indicators if i.target)
    assert f"上年：目标 {indicator.target}" in page


def test_a_package_without_last_year_says_the_comparison_was_not_made(org, login):
    page = login(org["users"]["filler"]).get(f"/evaluations/{org['town'].pk}/").content.decode()
    assert "未关联该单位上年的自评材料" in page and "上年材料本年决算数" not in page
