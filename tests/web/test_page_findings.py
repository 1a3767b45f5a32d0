"""The findings beside the forms: waivers, comments and replies on each finding, and the
link from a finding to its row."""

from __future__ import annotations

from jixiao.web import services
from jixiao.web.models import Evaluation, State
from jixiao.web.sheets import part_of

HX = {"HTTP_HX_REQUEST": "true"}
RATE = "projects.0.execution.rate_stated"


def _edit(client, evaluation, path, value):
    evaluation.refresh_from_db()
    return client.post(f"/evaluations/{evaluation.pk}/edit", {"path": path, "value": value, "version": evaluation.version}, **HX)


def test_waiver_lapses_when_the_figures_change(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    finding = next(f for f in services.analyse(town).open_errors if f.code == "arithmetic.rate-vs-amounts")
    client.post(f"/evaluations/{town.pk}/waive", {"fingerprint": finding.fingerprint, "reason": "按批复口径计算"})
    town.refresh_from_db()
    assert finding.fingerprint not in {f.fingerprint for f in services.analyse(town).open_errors}
    _edit(client, town, RATE, "61")  # still wrong, but a different finding now
    town.refresh_from_db()
    assert any(f.code == "arithmetic.rate-vs-amounts" for f in services.analyse(town).open_errors)


def test_finding_comment_is_shown_beside_the_finding(org, login):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state=State.IN_REVIEW)
    finding = services.analyse(town).open_errors[0]
    reviewer = login(org["users"]["reviewer"])
    reviewer.post(f"/evaluations/{town.pk}/comment", {"fingerprint": finding.fingerprint, "text": "请核对此项"})
    comment = town.comments.get()
    assert comment.fingerprint == finding.fingerprint and finding.message in comment.finding
    assert "请核对此项" in reviewer.get(f"/evaluations/{town.pk}/").content.decode()


def test_unit_replies_to_a_finding_after_return(org, login):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state=State.RETURNED)
    finding = services.analyse(town).open_errors[0]
    client = login(org["users"]["filler"])
    assert "回复审核意见" in client.get(f"/evaluations/{town.pk}/").content.decode()
    client.post(f"/evaluations/{town.pk}/comment", {"fingerprint": finding.fingerprint, "text": "已按批复口径说明"})
    assert town.comments.get().author == org["users"]["filler"]


def test_each_finding_links_to_its_row_here_or_to_its_table_on_another_page(org, login):
    import re

    from jixiao.web.sheets import finding_targets, sheets

    city = org["city"]
    analysis = services.analyse(city)
    page = login(org["users"]["city_filler"]).get(f"/evaluations/{city.pk}/").content.decode()
    targets = finding_targets(analysis, sheets(analysis, 1), 1)
    here = [f for f in analysis.report.findings[:50] if targets.get(f.fingerprint, "").startswith("#row-")]
    assert here
    for f in here:
        row = page[page.index(f'<tr id="{targets[f.fingerprint][1:]}">'):]
        assert f'href="#f-{f.fingerprint}"' in row[:row.index("</tr>")]  # its badge sits on that row
    elsewhere = [f for f in analysis.report.findings if f.location.part == "project"
                 and part_of(next(i for i, t in enumerate(analysis.document.projects) if t.name == f.location.project)) > 1]
    assert elsewhere and all(re.fullmatch(r"\?part=[23]#project-\d+", targets[f.fingerprint]) for f in elsewhere)


def _article(page: str, fingerprint: str) -> str:
    start = page.rindex("<article", 0, page.index(f'id="f-{fingerprint}"'))
    return page[start:page.index("</article>", start)]


def test_a_finding_carries_its_waiver_and_comments_and_its_own_forms(org, login):
    town = org["town"]
    waived, commented = services.analyse(town).open_errors[:2]
    client = login(org["users"]["filler"])
    client.post(f"/evaluations/{town.pk}/waive", {"fingerprint": waived.fingerprint, "reason": "以批复文件为准，不作修改"})
    client.post(f"/evaluations/{town.pk}/comment", {"fingerprint": commented.fingerprint, "text": "已与财政局核对<b>"})
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    card = _article(page, waived.fingerprint)
    assert "finding error waived" in card and "已说明：以批复文件为准，不作修改" in card
    assert f'action="/evaluations/{town.pk}/unwaive"' in card and f'name="fingerprint" value="{waived.fingerprint}"' in card
    assert 'name="csrfmiddlewaretoken" value="' in card and "保存说明" not in card
    other = _article(page, commented.fingerprint)
    assert "已与财政局核对&lt;b&gt;" in other and "已与财政局核对" not in card
    assert f'action="/evaluations/{town.pk}/waive"' in other and "回复审核意见" in other
