"""A live edit's reply carries only what differs from what the page shows, and the page it leaves
is the page a reload would show: simulated here as a browser applying each reply in turn."""

from __future__ import annotations

import re

from jixiao.web import analysed, services

SIDE = re.compile(r'<div id="(side-[^"]+)" class="side"[^>]*>(.*?)</div>\n', re.S)
FINDINGS = re.compile(r'<aside id="findings"[^>]*>(.*?)</aside>', re.S)
HIDDEN = re.compile(r'<input type="hidden" id="(shown|dirty|version)" name="\1" value="([^"]*)"')
# What legitimately differs between two renderings of one state: tokens and the version forms post
VOLATILE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|name="version" value="\d+"')


class Page:
    """What the browser holds of an evaluation page: side cells, findings, hidden fields."""

    def __init__(self, client, evaluation, part: int = 1) -> None:
        self.client, self.pk, self.part = client, evaluation.pk, part
        html = client.get(f"/evaluations/{self.pk}/?part={part}").content.decode()
        self.sides, self.findings, self.fields = self.read(html)

    @staticmethod
    def read(html: str) -> tuple[dict[str, str], str | None, dict[str, str]]:
        sides = {k: VOLATILE.sub("", v) for k, v in SIDE.findall(html)}
        found = FINDINGS.search(html)
        return sides, found and VOLATILE.sub("", found.group(1)), dict(HIDDEN.findall(html))

    def edit(self, path: str, value: str, base: str, preview: bool = False, version: str | None = None) -> str:
        response = self.client.post(f"/evaluations/{self.pk}/edit", {
            "path": path, "value": value, "base": base, "preview": "1" if preview else "", "part": self.part,
            "version": version or self.fields["version"], "shown": self.fields["shown"], "dirty": self.fields["dirty"],
        }, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        body = response.content.decode()
        sides, findings, fields = self.read(body)
        assert set(sides) <= set(self.sides)
        self.sides.update(sides)
        if findings is not None:
            self.findings = findings
        self.fields.update(fields)
        return body

    def fresh(self) -> "Page":
        return Page(self.client, type("E", (), {"pk": self.pk}), self.part)


def _indicator(org):
    doc = services.document(org["town"])
    table = next(i for i, t in enumerate(doc.projects) if any(ind.actual for ind in t.indicators))
    row = next(i for i, ind in enumerate(doc.projects[table].indicators) if ind.actual)
    return f"projects.{table}.indicators.{row}.actual", doc.projects[table].indicators[row].actual


def test_a_save_sends_only_the_cells_it_changed_and_leaves_the_page_a_reload_shows(org, login):
    client = login(org["users"]["filler"])
    page = Page(client, org["town"])
    path, before = _indicator(org)
    first = page.edit(path, "0", before)
    assert 0 < first.count('class="side"') < len(page.sides) / 3
    assert page.fields["shown"] and page.fields["dirty"] == ""
    fresh = page.fresh()
    assert page.sides == fresh.sides and page.findings == fresh.findings
    # saving the same value again changes nothing on the page: nothing is sent
    again = page.edit(path, "0", "0")
    assert again.count('class="side"') == 0 and '<aside id="findings"' not in again


def test_a_preview_then_a_save_back_to_the_old_value_restores_every_row_the_preview_touched(org, login):
    client = login(org["users"]["filler"])
    page = Page(client, org["town"])
    path, before = _indicator(org)
    page.edit(path, "0", before, preview=True)
    assert page.fields["dirty"]  # the rows the preview changed, which the page no longer shows as stored
    changed = dict(page.sides)
    assert changed != Page(client, org["town"]).sides
    page.edit(path, before, before)  # the officer types the old value back: nothing is stored
    fresh = page.fresh()
    assert page.sides == fresh.sides and page.findings == fresh.findings and page.fields["dirty"] == ""


def test_a_colleagues_save_since_the_page_was_read_is_brought_in_too(org, login):
    client = login(org["users"]["filler"])
    page = Page(client, org["town"])
    colleague = Page(client, org["town"])
    path, before = _indicator(org)
    colleague.edit(path, "0", before)
    doc = services.document(org["town"])
    i, line = next((i, line) for i, line in enumerate(doc.base_data.projects) if line.final is not None)
    page.edit(f"base_data.projects.{i}.final", "1", str(line.final))  # its cell untouched by the colleague: accepted
    fresh = page.fresh()
    assert page.sides == fresh.sides and page.findings == fresh.findings


def test_a_page_whose_analysis_is_no_longer_kept_gets_every_cell(org, login):
    client = login(org["users"]["filler"])
    page = Page(client, org["town"])
    page.fields["shown"] = "0" * 32  # evicted, or from another release
    path, before = _indicator(org)
    body = page.edit(path, "0", before)
    assert body.count('class="side"') == len(page.sides)
