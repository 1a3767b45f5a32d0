"""Pages bounded whatever the package holds: a 2,000-project package's evaluation page stays
under 1 MB, every table still reachable, findings and notices summarised with the full list a
click away."""

from __future__ import annotations

from jixiao.model import dump_evaluation
from jixiao.web import services
from jixiao.web.models import Evaluation
from jixiao.web.sheets import part_of

PROJECTS = 2000


def _big(town) -> Evaluation:
    doc = services.document(town)
    table = doc.projects[0]
    line = doc.base_data.projects[0]
    doc = doc.model_copy(update={
        "projects": [table.model_copy(update={"name": f"项目{i:04d}"}) for i in range(PROJECTS)],
        "base_data": doc.base_data.model_copy(update={"projects": [line.model_copy(update={"name": f"项目{i:04d}"}) for i in range(PROJECTS)]}),
    })
    Evaluation.objects.filter(pk=town.pk).update(document=dump_evaluation(doc), notices=[
        {"code": "unplaced-row", "severity": "warning", "where": f"第 {i} 行", "message": f"第 {i} 行未能归入任何表"} for i in range(3000)
    ])
    town.refresh_from_db()
    return town


def test_a_two_thousand_project_page_is_bounded_and_complete(org, login):
    town = _big(org["town"])
    client = login(org["users"]["filler"])
    first = client.get(f"/evaluations/{town.pk}/")
    size = len(first.content)
    page = first.content.decode()
    assert size < 1_000_000, f"{size} bytes"
    assert "项目0000" in page and 'data-path="projects.0.indicators.0.target"' in page
    assert 'data-path="projects.1999.indicators.0.target"' not in page  # not rendered on page 1 ...
    assert "项目1999" in page  # ... but listed, with a link to its page
    last = client.get(f"/evaluations/{town.pk}/?part={part_of(1999)}").content.decode()
    assert 'data-path="projects.1999.indicators.0.target"' in last
    assert "另有" in page and "条导入提示" in page  # notices summarised
    full = client.get(f"/evaluations/{town.pk}/notices").content.decode()
    assert "第 2999 行未能归入任何表" in full


def test_a_live_edit_on_a_later_page_answers_for_that_page(org, login):
    town = _big(org["town"])
    client = login(org["users"]["filler"])
    response = client.post(f"/evaluations/{town.pk}/edit", {
        "path": "projects.1999.indicators.0.score", "value": "1", "version": town.version, "base": "", "part": str(part_of(1999)),
    }, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and len(body) < 1_000_000
    assert "side-project-1999-" in body and "side-project-0-" not in body
