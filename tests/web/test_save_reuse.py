"""A save analyses its new version again, but what the edit did not touch is reused: the other
project tables' scores, the texts already audited, the side cells of the page it came from.
Reused or not, the analysis must equal one computed from scratch."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from jixiao.audit import hygiene
from jixiao.audit.report import audit
from jixiao.rubric import score as scoring
from jixiao.rubric.score import score_package
from jixiao.web import analysed, lastyear, live, memo, services
from jixiao.web.edits import EditError, set_value
from jixiao.web.models import Analysed, Evaluation


@pytest.fixture
def tables_scored(monkeypatch):
    """The names of the tables score_project was asked to score."""
    names: list[str] = []
    real = memo.score_project

    def counting(table, *args):
        names.append(table.name)
        return real(table, *args)

    monkeypatch.setattr(memo, "score_project", counting)
    memo.forget()
    return names


def _edit(evaluation: Evaluation, change) -> Evaluation:
    doc = services.document(evaluation)
    change(doc)
    return services.store(evaluation, doc, evaluation.version, "测试")


def _fresh(evaluation: Evaluation):
    """The same version analysed without any memory."""
    doc = services.document(evaluation)
    department, project = services.compiled(services.rubric_ids(evaluation)[0]), services.project_compiled(services.rubric_ids(evaluation)[1])
    score = score_package(doc, department, project, scoring.score_project)
    return score, audit(doc, department, project, services._Inputs.notices(evaluation), evaluation.source or str(evaluation), score=score)


def test_a_save_rescores_only_the_table_it_changed(org, tables_scored):
    def first(doc):
        doc.base_data.staffing.actual = 40

    city = _edit(org["city"], first)  # a fresh worker: every table scored
    doc = services.document(city)
    assert len(tables_scored) == len(doc.projects) + (doc.department_evaluation is not None) >= 3
    tables_scored.clear()

    def change(doc):
        doc.projects[1].indicators[0].actual = "1"

    city = _edit(city, change)
    assert tables_scored == [services.document(city).projects[1].name]
    analysis = services.analyse(Evaluation.objects.get(pk=city.pk))
    score, report = _fresh(city)
    assert analysis.score == score
    assert analysis.report.findings == report.findings and analysis.report.rescore == report.rescore


def test_an_edited_text_is_audited_again_and_an_unchanged_one_answered_from_memory(org):
    city = org["city"]
    hygiene._placeholders.cache_clear()

    def change(doc):
        doc.projects[0].problems = "问题XX待定"

    city = _edit(city, change)
    placeholders = [f for f in services.analyse(city).report.findings if f.code == "hygiene.placeholder"]
    assert {f.evidence["text"] for f in placeholders if f.location.project == services.document(city).projects[0].name} == {"XX", "待定"}

    def undo(doc):
        doc.projects[0].problems = "无"

    city = _edit(city, undo)
    assert not [f for f in services.analyse(city).report.findings if f.code == "hygiene.placeholder" and f.evidence["text"] == "待定"]
    _, report = _fresh(city)
    assert services.analyse(city).report.findings == report.findings


def test_a_live_reply_reads_the_side_cells_of_the_page_it_came_from_without_building_them(org, login, monkeypatch):
    city = org["city"]
    client = login(org["users"]["city_filler"])
    page = client.get(f"/evaluations/{city.pk}/")
    shown = services.analyse(city).key
    assert f'value="{shown}"' in page.content.decode()
    built = []
    real = live.page_sheets
    monkeypatch.setattr(live, "page_sheets", lambda *a: built.append(a) or real(*a))
    path = "projects.0.indicators.0.actual"
    reply = client.post(f"/evaluations/{city.pk}/edit", {"path": path, "value": "7", "version": city.version, "shown": shown, "dirty": ""},
                        HTTP_HX_REQUEST="true")
    assert reply.status_code == 200 and "已保存" in reply.content.decode()
    assert built == []  # the page's own side cells, remembered when it was rendered
    live._pages.clear()  # another worker rendered the page: built once, and the reply is the same
    city = Evaluation.objects.get(pk=city.pk)
    again = client.post(f"/evaluations/{city.pk}/edit", {"path": path, "value": "8", "version": city.version, "shown": shown, "dirty": ""},
                        HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and len(built) == 1


def test_each_input_is_named_by_its_row_and_the_column_over_it(org, login):
    city = org["city"]
    page = login(org["users"]["city_filler"]).get(f"/evaluations/{city.pk}/").content.decode()
    assert 'aria-label="部门基本支出 本年决算数" data-path="base_data.basic_expenditure.final"' in page
    assert 'aria-label="人数 编制数" data-path="base_data.staffing.authorized"' in page


@pytest.mark.parametrize("path,raw", [
    ("projects.1.indicators.2.actual", "95%"),
    ("projects.0.funds.total.executed", "12.5"),
    ("base_data.projects.3.final", "1,024.50"),
    ("base_data.staffing.actual", "31"),
    ("projects.2.problems", "资金拨付\r\n滞后"),
    ("department_evaluation.indicators.0.score", ""),
])
def test_an_edit_copies_only_its_way_and_equals_the_whole_package_validated(org, path, raw):
    doc = services.document(org["city"])
    before = doc.model_dump()
    changed, _, shown = set_value(doc, path, raw)
    data = doc.model_dump()
    *way, leaf = path.split(".")
    node = data
    for step in way:
        node = node[int(step)] if step.isdigit() else node[step]
    node[leaf] = _typed(changed, path)
    assert changed == type(doc).model_validate(data)
    assert doc.model_dump() == before  # the document edited from is never changed
    untouched = 3 if path.startswith("projects.") else 0
    assert changed.projects[untouched] is doc.projects[untouched]  # shared, not copied
    assert shown == ("" if raw == "" else str(_typed(changed, path)))


def _typed(doc, path: str):
    node = doc
    for step in path.split("."):
        node = node[int(step)] if step.isdigit() else getattr(node, step)
    return node


def test_an_edit_the_model_refuses_says_why_in_chinese(org):
    doc = services.document(org["city"])
    with pytest.raises(EditError, match="得分.*不大于"):
        set_value(doc, "projects.0.indicators.0.score", "99999999")
    with pytest.raises(EditError, match="这一行已不存在"):
        set_value(doc, f"projects.{len(doc.projects)}.indicators.0.score", "1")


def test_a_shared_document_is_read_once_and_an_owned_one_is_the_callers(org):
    city = org["city"]
    memo.forget()
    shared = services.shared_document(city)
    assert services.shared_document(Evaluation.objects.get(pk=city.pk)) is shared
    owned = services.document(city)
    owned.base_data.staffing.actual = 999  # a caller changing its own copy
    assert services.shared_document(city).base_data.staffing.actual != 999


def test_a_save_and_its_reply_look_up_last_years_package_once(org, login, monkeypatch):
    city = org["city"]
    client = login(org["users"]["city_filler"])
    looked = []
    real = lastyear.previous_of
    monkeypatch.setattr(lastyear, "previous_of", lambda *a: looked.append(a) or real(*a))
    reply = client.post(f"/evaluations/{city.pk}/edit", {"path": "base_data.staffing.actual", "value": "41", "version": city.version},
                        HTTP_HX_REQUEST="true")
    assert reply.status_code == 200 and "已保存" in reply.content.decode()
    assert len(looked) == 1


def test_a_saves_analysis_is_stored_for_the_other_workers_after_its_turn(org, login, monkeypatch):
    from contextlib import contextmanager

    from jixiao.web.views import unit

    city = org["city"]
    client = login(org["users"]["city_filler"])
    turn, during = [], []
    real_lock, real_write = unit.package_lock, analysed.write_after

    @contextmanager
    def watched(pk):
        with real_lock(pk):
            turn.append(pk)
            try:
                yield
            finally:
                turn.remove(pk)

    monkeypatch.setattr(unit, "package_lock", watched)
    monkeypatch.setattr(analysed, "write_after", lambda *a: during.append(list(turn)) or real_write(*a))
    reply = client.post(f"/evaluations/{city.pk}/edit", {"path": "base_data.staffing.actual", "value": "42", "version": city.version},
                        HTTP_HX_REQUEST="true")
    assert reply.status_code == 200 and "已保存" in reply.content.decode()
    assert during == [[]]  # written once, with no package's turn held: colleagues did not wait for it
    saved = Evaluation.objects.get(pk=city.pk)
    assert Analysed.objects.filter(evaluation=saved, version=saved.version).count() == 1


def test_a_save_whose_analysis_cannot_be_stored_is_still_saved_and_says_so(org, login, monkeypatch):
    city = org["city"]
    client = login(org["users"]["city_filler"])

    def failing(*args):
        raise DatabaseError("disk full")

    monkeypatch.setattr(analysed, "write", failing)
    reply = client.post(f"/evaluations/{city.pk}/edit", {"path": "base_data.staffing.actual", "value": "43", "version": city.version},
                        HTTP_HX_REQUEST="true")
    assert reply.status_code == 200 and "已保存" in reply.content.decode()
    saved = Evaluation.objects.get(pk=city.pk)
    assert saved.version == city.version + 1 and services.document(saved).base_data.staffing.actual == 43


def test_rubrics_fixed_on_an_evaluation_are_read_anew(org):
    city = org["city"]
    assert services.analyse(city).rubrics == services.rubric_ids(city)
    city.rubrics = ["hengshan-2022-department", "mof-2020-project"]  # as a submission fixes them
    assert services.analyse(city).rubrics == ("hengshan-2022-department", "mof-2020-project")
