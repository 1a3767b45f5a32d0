"""A new evaluation in the web: the complete empty package, the nearest rubric chosen
explicitly, project tables from the base data, and no submission while anything is missing."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from jixiao.web import services
from jixiao.web.models import Evaluation



def _new(client, year, **extra):
    return client.post("/evaluations/new", {"fiscal_year": year, **extra})


def test_no_rubric_for_the_year_is_said_and_the_nearest_offered(org, login):
    client = login(org["users"]["filler"])
    response = _new(client, 2024)
    page = response.content.decode()
    assert response.status_code == 200 and "没有 2024 年度的部门整体评分规则" in page
    assert 'value="hengshan-2022-department"' in page
    assert not Evaluation.objects.filter(fiscal_year=2024).exists()  # nothing made before the choice
    response = _new(client, 2024, rubric="hengshan-2022-department")
    evaluation = Evaluation.objects.get(fiscal_year=2024)
    assert response.status_code == 302 and evaluation.rubrics_chosen
    assert services.rubric_ids(evaluation)[0] == "hengshan-2022-department"
    doc = services.document(evaluation)
    assert len(doc.scorecard) == 16 and doc.department_evaluation is not None and len(doc.narrative) == 9


def test_a_rubric_for_the_year_needs_no_question_and_an_unoffered_one_is_not_taken(org, login):
    client = login(org["users"]["filler"])
    Evaluation.objects.filter(unit=org["town"].unit).delete()
    assert _new(client, 2022).status_code == 302  # hengshan-2022-department is for 2022
    assert not Evaluation.objects.get(unit=org["town"].unit, fiscal_year=2022).rubrics_chosen
    _new(client, 2023, rubric="not-a-rubric")
    assert not Evaluation.objects.filter(fiscal_year=2023).exists()


def test_the_page_of_a_new_package_shows_every_form_and_refuses_submission(org, login):
    client = login(org["users"]["filler"])
    _new(client, 2024, rubric="hengshan-2022-department")
    evaluation = Evaluation.objects.get(fiscal_year=2024)
    page = client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    for form in ("部门整体支出绩效评价基础数据表", "部门整体支出绩效评价评分表", "楼堂馆所控制情况", "公用经费明细", "厉行节约保障措施", "一、部门（单位）基本情况"):
        assert form in page, form
    assert "不能提交的原因" in page and "评分表以下指标未填得分" in page and "未能检查" in page
    response = client.post(f"/evaluations/{evaluation.pk}/transition/ask_head")
    evaluation.refresh_from_db()
    assert response.status_code == 302 and evaluation.state == "draft"


def test_project_tables_from_the_base_data_lines(org, login):
    client = login(org["users"]["filler"])
    _new(client, 2024, rubric="hengshan-2022-department")
    evaluation = Evaluation.objects.get(fiscal_year=2024)
    client.post(f"/evaluations/{evaluation.pk}/rows/add", {"path": "base_data.projects", "name": "村级运转经费", "version": evaluation.version})
    evaluation.refresh_from_db()
    page = client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    assert "为基础数据表中的 1 个项目建立自评表" in page
    client.post(f"/evaluations/{evaluation.pk}/project-tables", {"version": evaluation.version})
    evaluation.refresh_from_db()
    assert [t.name for t in services.document(evaluation).projects] == ["村级运转经费"]
    outsider = login(org["users"]["city_filler"])
    assert outsider.post(f"/evaluations/{evaluation.pk}/project-tables", {"version": 9}).status_code == 404


def test_a_bureau_may_require_coverage_before_submission(org, login):
    town = org["town"]
    for waived in services.analyse(town).open_errors:
        town.waivers.create(fingerprint=waived.fingerprint, reason="以批复文件为准", author=org["users"]["filler"])
    bureau = town.unit.bureau
    bureau.required_coverage = 60
    bureau.save()
    client = login(org["users"]["filler"])
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    assert "财政局要求按数据核算的分值不低于 60%" in page
    client.post(f"/evaluations/{town.pk}/transition/ask_head")
    town.refresh_from_db()
    assert town.state == "draft"
    bureau.required_coverage = None
    bureau.save()
    client.post(f"/evaluations/{town.pk}/transition/ask_head")
    town.refresh_from_db()
    assert town.state == "awaiting_head"


def test_buildings_can_be_entered_and_are_scored(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    client.post(f"/evaluations/{town.pk}/rows/add", {"path": "base_data.buildings", "name": "办公楼", "version": 1})
    for version, (path, value) in enumerate((("base_data.buildings.0.approved_area", "1000"), ("base_data.buildings.0.actual_area", "1200")), start=2):
        client.post(f"/evaluations/{town.pk}/edit", {"path": path, "value": value, "version": version}, HTTP_HX_REQUEST="true")
    town.refresh_from_db()
    score = next(i for i in services.analyse(town).score.department.indicators if i.name == "新建楼堂馆所面积控制率")
    assert score.value == "120%" and score.score == 0  # 20 points over 100%: 4 steps of 5% × 2 points


def _post_edit(client, evaluation, path, value):
    evaluation.refresh_from_db()
    return client.post(f"/evaluations/{evaluation.pk}/edit", {"path": path, "value": value, "version": evaluation.version}, HTTP_HX_REQUEST="true")


def test_a_blank_total_follows_the_scores_until_the_unit_types_its_own(org, login):
    client = login(org["users"]["filler"])
    _new(client, 2024, rubric="hengshan-2022-department")
    evaluation = Evaluation.objects.get(fiscal_year=2024)
    _post_edit(client, evaluation, "scorecard.0.score", "5")
    _post_edit(client, evaluation, "scorecard.1.score", "4.5")
    evaluation.refresh_from_db()
    assert services.document(evaluation).scorecard_total_stated == 9.5 and evaluation.auto_totals == ["scorecard_total_stated"]
    assert "评分表合计（填报）随之为 9.5" in evaluation.history.latest().history_change_reason
    _post_edit(client, evaluation, "scorecard_total_stated", "90")  # the unit's own from now on
    _post_edit(client, evaluation, "scorecard.2.score", "3")
    evaluation.refresh_from_db()
    assert services.document(evaluation).scorecard_total_stated == 90 and evaluation.auto_totals == []
    page = client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    assert "改为各项得分之和 12.5" in page  # offered, not imposed


def test_an_imported_total_stays_until_the_unit_takes_the_offer(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    before = services.document(town).projects[0].total_stated
    _post_edit(client, town, "projects.0.indicators.0.score", "1")
    town.refresh_from_db()
    assert services.document(town).projects[0].total_stated == before  # imported: the unit's own
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    offered = services.document(town).projects[0]
    expected = format(sum(s for s in [offered.execution.score_stated, *(i.score for i in offered.indicators)] if s is not None), "f")
    assert f"改为各项得分之和 {expected}" in page
    client.post(f"/evaluations/{town.pk}/edit", {"path": "projects.0.total_stated", "value": expected, "version": town.version})
    town.refresh_from_db()
    assert format(services.document(town).projects[0].total_stated, "f") == expected


def test_signature_lines_are_edited_and_exported(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    assert 'data-path="signatures.filler"' in page and 'data-path="projects.0.signatures.head"' in page
    _post_edit(client, town, "signatures.filler", "周基础")
    _post_edit(client, town, "projects.0.signatures.head", "李单位")
    town.refresh_from_db()
    doc = services.document(town)
    assert (doc.signatures.filler, doc.projects[0].signatures.head) == ("周基础", "李单位")
    book = load_workbook(BytesIO(client.get(f"/evaluations/{town.pk}/export/xlsx").content))
    texts = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any("填表人：周基础" in t for t in texts) and any("单位负责人签字：李单位" in t for t in texts)
