"""The unit's evaluation page: live edits, optimistic locking, waivers, submit, import, export."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web import services
from jixiao.web.sheets import part_of
from jixiao.web.models import Evaluation, State, Waiver

from .conftest import TOWN

HX = {"HTTP_HX_REQUEST": "true"}
RATE = "projects.0.execution.rate_stated"


def _edit(client, evaluation, path, value, version=None):
    evaluation.refresh_from_db()
    return client.post(f"/evaluations/{evaluation.pk}/edit", {"path": path, "value": value, "version": version or evaluation.version}, **HX)


def _doc(evaluation):
    evaluation.refresh_from_db()
    return services.document(evaluation)


def _codes(evaluation):
    evaluation.refresh_from_db()
    return [f.code for f in services.analyse(evaluation).report.findings if f.severity == "error"]


def test_page_shows_forms_scores_and_findings(org, login):
    page = login(org["users"]["filler"]).get(f"/evaluations/{org['town'].pk}/").content.decode()
    assert "部门整体支出绩效评价基础数据表" in page and "衡山县开云镇人民政府村级运转经费" in page
    assert 'data-path="projects.0.execution.rate_stated"' in page
    assert "执行率填报 60%" in page  # the finding beside the figures
    assert "57.94%" in page  # the computed rate beside the stated one
    assert "按比例计分" in page  # a score's explanation


def test_live_edit_rescores_and_reaudits(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    assert "arithmetic.rate-vs-amounts" in _codes(town)
    response = _edit(client, town, RATE, "57.94")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="version" name="version" value="2"' in body and "已保存" in body
    assert "arithmetic.rate-vs-amounts" not in _codes(town)
    assert _doc(town).projects[0].execution.rate_stated == Decimal("57.94")
    assert town.summary["errors"] == 2
    record = town.history.latest()
    assert record.history_user == org["users"]["filler"] and "60 → 57.94" in record.history_change_reason


def test_preview_computes_without_saving(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    town.refresh_from_db()
    body = client.post(f"/evaluations/{town.pk}/edit", {"path": RATE, "value": "57.94", "version": town.version, "preview": "1"}, **HX).content.decode()
    assert "预览" in body and "执行率填报 60%" not in body
    town.refresh_from_db()
    assert town.version == 1 and "arithmetic.rate-vs-amounts" in _codes(town)


def test_bad_value_is_refused_with_its_field_named(org, login):
    town = org["town"]
    body = _edit(login(org["users"]["filler"]), town, RATE, "六十").content.decode()
    assert "未保存" in body and "执行率（填报，%）" in body and "不是数字" in body
    town.refresh_from_db()
    assert town.version == 1


def test_unknown_path_is_refused(org, login):
    body = _edit(login(org["users"]["filler"]), org["town"], "unit.name", "别的单位").content.decode()
    assert "没有这一项" in body
    assert _doc(org["town"]).unit.name == "衡山县开云镇人民政府"


def test_stale_version_does_not_overwrite(org, login):
    town = org["town"]
    first = login(org["users"]["filler"])
    _edit(first, town, RATE, "57.94", version=1)
    response = _edit(first, town, "projects.0.execution.score_stated", "5.79", version=1)
    assert response.status_code == 409 and "未保存" in response.content.decode()  # no base value: not known to be safe
    doc = _doc(town)
    assert doc.projects[0].execution.rate_stated == Decimal("57.94")
    assert str(doc.projects[0].execution.score_stated) == "6"


def test_asking_the_head_is_refused_until_errors_are_fixed_or_waived(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    response = client.post(f"/evaluations/{town.pk}/transition/ask_head", follow=True)
    assert "不能提交" in response.content.decode()
    town.refresh_from_db()
    assert town.state == State.DRAFT
    errors = services.analyse(town).open_errors
    assert len(errors) == 3
    # too short a reason is refused
    client.post(f"/evaluations/{town.pk}/waive", {"fingerprint": errors[0].fingerprint, "reason": "无"})
    assert not Waiver.objects.exists()
    for finding in errors:
        client.post(f"/evaluations/{town.pk}/waive", {"fingerprint": finding.fingerprint, "reason": "以批复文件为准，不作修改"})
    town.refresh_from_db()
    assert town.summary["open_errors"] == 0 and town.summary["waived"] == 3
    client.post(f"/evaluations/{town.pk}/transition/ask_head")
    town.refresh_from_db()
    assert town.state == State.AWAITING_HEAD
    assert _edit(client, town, RATE, "57.94").status_code == 403


def test_review_loop_return_needs_a_comment_then_approve_freezes(org, login):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state=State.IN_REVIEW)
    reviewer = login(org["users"]["reviewer"])
    page = reviewer.get(f"/evaluations/{town.pk}/").content.decode()
    assert "退回修改" in page and "审核通过" in page and 'data-path="' not in page  # reviewers do not edit
    reviewer.post(f"/evaluations/{town.pk}/transition/send_back", {"comment": ""})
    town.refresh_from_db()
    assert town.state == State.IN_REVIEW
    reviewer.post(f"/evaluations/{town.pk}/transition/send_back", {"comment": "执行率请按全年预算数重算"})
    town.refresh_from_db()
    assert town.state == State.RETURNED
    assert town.comments.get().text == "执行率请按全年预算数重算"
    Evaluation.objects.filter(pk=town.pk).update(state=State.IN_REVIEW)
    reviewer.post(f"/evaluations/{town.pk}/transition/approve")
    town.refresh_from_db()
    assert town.state == State.APPROVED
    filler = login(org["users"]["filler"])
    assert "只读" in filler.get(f"/evaluations/{town.pk}/").content.decode()
    assert _edit(filler, town, RATE, "57.94").status_code == 403


def test_history_is_a_timeline_of_who_did_what(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    _edit(client, town, RATE, "57.94")
    page = client.get(f"/evaluations/{town.pk}/history").content.decode()
    assert "村级运转经费” › 预算执行率 › 执行率（填报，%）：60 → 57.94" in page and "filler" in page


def _upload(client, evaluation, name, content, version=None):
    file = SimpleUploadedFile(name, content)
    return client.post(f"/evaluations/{evaluation.pk}/import", {"file": file, "version": version or evaluation.version}, follow=True)


def test_create_then_import_the_sample(org, login):
    town = org["town"]
    town.delete()
    client = login(org["users"]["filler"])
    client.post("/evaluations/new", {"fiscal_year": "2022"})
    fresh = Evaluation.objects.get(unit=org["units"]["town"], fiscal_year=2022)
    assert _doc(fresh).projects == []
    body = _upload(client, fresh, "开云镇2022.txt", TOWN.read_bytes()).content.decode()
    assert "已导入 开云镇2022.txt" in body and "项目支出绩效自评表 2 张" in body and "数字单元格已读取 245/245" in body
    fresh.refresh_from_db()
    assert len(_doc(fresh).projects) == 2 and fresh.source == "开云镇2022.txt"
    assert fresh.summary["errors"] == 3


def test_import_of_another_year_is_refused(org, login):
    client = login(org["users"]["filler"])
    client.post("/evaluations/new", {"fiscal_year": "2023", "rubric": "hengshan-2022-department"})  # the nearest rubric, chosen
    fresh = Evaluation.objects.get(unit=org["units"]["town"], fiscal_year=2023)
    before = _doc(fresh)  # pre-filled from the town's 2022 package
    body = _upload(client, fresh, "town.txt", TOWN.read_bytes()).content.decode()
    assert "2022 年度的自评材料，不能导入 2023 年度" in body
    fresh.refresh_from_db()
    assert _doc(fresh) == before and fresh.version == 1


def _broken_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<not-xml")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("report.pdf", b"%PDF-1.4 ...", "只能导入"),
    ("report.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "只能导入"),
    ("report.docx", b"this is not a zip", ".docx"),
    ("report.docx", _broken_docx(), ".docx"),
    ("empty.txt", b"", "未识别出任何绩效表格"),
])
def test_bad_uploads_get_a_message_and_change_nothing(org, login, name, content, message):
    town = org["town"]
    before = town.document
    response = _upload(login(org["users"]["filler"]), town, name, content)
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "导入未完成，原有数据未改动" in body
    town.refresh_from_db()
    assert town.document == before and town.version == 1


def test_oversized_upload_is_refused(org, login, settings):
    settings.UPLOAD_LIMIT = 1000
    body = _upload(login(org["users"]["filler"]), org["town"], "big.txt", TOWN.read_bytes()).content.decode()
    assert "超过上传上限" in body


@pytest.mark.parametrize("fmt, magic, mime", [("xlsx", b"PK", "spreadsheetml"), ("docx", b"PK", "wordprocessingml"), ("pdf", b"%PDF", "pdf")])
def test_export(org, login, fmt, magic, mime):
    response = login(org["users"]["reviewer"]).get(f"/evaluations/{org['town'].pk}/export/{fmt}")
    assert response.status_code == 200 and response.content.startswith(magic) and mime in response["Content-Type"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_rows_can_be_added_and_removed(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    client.post(f"/evaluations/{town.pk}/rows/add", {"path": "projects.0.indicators", "name": "新增指标", "version": 1})
    doc = _doc(town)
    assert doc.projects[0].indicators[-1].name == "新增指标"
    last = len(doc.projects[0].indicators) - 1
    client.post(f"/evaluations/{town.pk}/rows/remove", {"path": f"projects.0.indicators.{last}", "version": 2})
    assert all(i.name != "新增指标" for i in _doc(town).projects[0].indicators)


def test_import_notices_sit_on_the_rows_they_concern(org, login):
    city = org["city"]
    project = next(i for i, p in enumerate(services.document(city).projects) if p.name == "政务督查经费")
    page = login(org["users"]["city_filler"]).get(f"/evaluations/{city.pk}/?part={part_of(project)}").content.decode()
    sheet = page[page.index(f'id="project-{project}"'):]
    sheet = sheet[:sheet.index("</section>")]
    assert sheet.count("导入提示：“31..5”不是规范的数字") >= 1
    # and on no other form
    assert page.count("导入提示：“31..5”") == sheet.count("导入提示：“31..5”")


def test_scoring_table_asks_what_each_rule_needs(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    doc = _doc(town)
    efficiency = next(i for i, r in enumerate(doc.scorecard) if r.name == "行政效能")
    disclosure = next(i for i, r in enumerate(doc.scorecard) if r.name == "预决算信息公开性")
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    assert f'data-path="scorecard.{efficiency}.answer.level"' in page and '<option value="一般">' in page
    assert f'data-path="scorecard.{disclosure}.answer.items.4"' in page and "按规定时限公开预决算信息" in page

    def rescored(name):
        town.refresh_from_db()
        return next(i for i in services.analyse(town).score.department.indicators if i.name == name)

    assert rescored("行政效能").status == "stated"
    _edit(client, town, f"scorecard.{efficiency}.answer.level", "一般")
    assert (rescored("行政效能").status, rescored("行政效能").score) == ("computed", Decimal("3"))
    _edit(client, town, f"scorecard.{disclosure}.answer.items.2", "1")
    assert _doc(town).scorecard[disclosure].answer.items == [None, None, True]  # unanswered stays blank
    assert rescored("预决算信息公开性").status == "stated"
    for item in (0, 1, 3, 4):
        _edit(client, town, f"scorecard.{disclosure}.answer.items.{item}", "0" if item == 1 else "1")
    assert _doc(town).scorecard[disclosure].answer.items == [True, False, True, True, True]
    assert rescored("预决算信息公开性").score == Decimal("4")


def test_project_tables_and_goals_can_be_added_and_removed(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    client.post(f"/evaluations/{town.pk}/rows/add", {"path": "projects", "name": "乡村道路养护", "version": 1})
    assert [p.name for p in _doc(town).projects][-1] == "乡村道路养护"
    client.post(f"/evaluations/{town.pk}/rows/add", {"path": "projects.2.goals", "name": "完成道路养护 20 公里", "version": 2})
    assert _doc(town).projects[2].goals[0].expected == "完成道路养护 20 公里"
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    assert 'id="project-2"' in page and 'data-path="projects.2.goals.0.actual"' in page
    client.post(f"/evaluations/{town.pk}/rows/remove", {"path": "projects.2", "version": 3})
    assert [p.name for p in _doc(town).projects] == ["衡山县开云镇人民政府村级运转经费", "衡山县开云镇人民政府居委会经费"]
    assert town.history.latest().history_change_reason == "删除 项目支出绩效自评表：乡村道路养护"


def test_another_units_package_is_refused(org, login):
    from .conftest import CITY

    town = org["town"]
    body = _upload(login(org["users"]["filler"]), town, "city.txt", CITY.read_bytes()).content.decode()
    assert "文件是“衡阳市人民政府办公室”的自评材料，不能导入“衡山县开云镇人民政府”的自评" in body
    assert _doc(town).unit.name == "衡山县开云镇人民政府" and len(_doc(town).projects) == 2


def test_long_and_control_character_text_is_stored(org, login):
    """PostgreSQL refuses NUL bytes and short varchar reasons; neither may become a 500."""
    town = org["town"]
    client = login(org["users"]["filler"])
    text = "资金到位较晚，" * 60 + "\x00\x07结束"
    assert "已保存" in _edit(client, town, "projects.0.indicators.0.deviation", text).content.decode()
    stored = _doc(town).projects[0].indicators[0].deviation
    assert stored.endswith("结束") and "\x00" not in stored and len(stored) == len(text) - 2
    assert town.history.latest().history_change_reason.endswith("结束")
    client.post(f"/evaluations/{town.pk}/waive", {"fingerprint": services.analyse(town).open_errors[0].fingerprint, "reason": "理由\x00充分的说明"})
    assert Waiver.objects.get().reason == "理由充分的说明"


@pytest.mark.parametrize("path, action", [
    ("base_data", "add"), ("department_evaluation", "add"), ("unit", "add"), ("scorecard.0.answer.items", "add"),
    ("scorecard.0.answer.items.0", "remove"), ("unit.name", "remove"), ("projects.-1", "remove"), ("projects.99", "remove"),
    ("__class__", "add"), ("projects.0.indicators.999.score", "remove"),
])
def test_odd_row_paths_get_a_message(org, login, path, action):
    town = org["town"]
    response = login(org["users"]["filler"]).post(f"/evaluations/{town.pk}/rows/{action}", {"path": path, "name": "x", "version": 1}, follow=True)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    town.refresh_from_db()
    assert town.version == 1


@pytest.mark.parametrize("url", ["/evaluations/{pk}/export/exe", "/evaluations/{pk}/transition/delete"])
def test_unknown_formats_and_actions_are_not_found(org, login, url):
    client = login(org["users"]["filler"])
    method = client.get if "export" in url else client.post
    assert method(url.format(pk=org["town"].pk)).status_code == 404


def test_rubrics_are_fixed_on_submission(org, login):
    from jixiao.web.models import RubricChoice

    town = org["town"]
    Waiver.objects.bulk_create([
        Waiver(evaluation=town, fingerprint=f.fingerprint, code=f.code, message=f.message, reason="已说明理由", author=org["users"]["filler"])
        for f in services.analyse(town).open_errors
    ])
    login(org["users"]["filler"]).post(f"/evaluations/{town.pk}/transition/ask_head")
    town.refresh_from_db()
    assert town.rubrics == []  # not yet: the head may still return it
    login(org["users"]["head"]).post(f"/evaluations/{town.pk}/transition/submit")
    town.refresh_from_db()
    assert town.state == State.SUBMITTED and town.rubrics == list(services.DEFAULT_RUBRICS)
    RubricChoice.objects.create(bureau=org["bureaus"][0], fiscal_year=2022, department_rubric="other-dept", project_rubric="other-proj")
    assert services.rubric_ids(town) == services.DEFAULT_RUBRICS
    reviewer = login(org["users"]["reviewer"])
    reviewer.post(f"/evaluations/{town.pk}/transition/start_review")
    reviewer.post(f"/evaluations/{town.pk}/transition/send_back", {"comment": "请补充"})
    town.refresh_from_db()
    assert town.state == State.RETURNED and town.rubrics == [] and services.rubric_ids(town) == ("other-dept", "other-proj")


def test_report_sections_are_edited_with_their_findings_beside_them(org, login):
    city = org["city"]
    client = login(org["users"]["city_filler"])
    page = client.get(f"/evaluations/{city.pk}/").content.decode()
    report = page[page.index('id="report"'):]
    report = report[:report.index("</section>")]
    assert 'data-path="narrative.0.text"' in report
    assert "写“六个绩效目标”，其后列出 7 条" in report  # the count finding sits on its section's row
    section = next(i for i, s in enumerate(_doc(city).narrative) if s.heading.startswith("六"))
    text = _doc(city).narrative[section].text.replace("六个绩效目标", "七个绩效目标")
    _edit(client, city, f"narrative.{section}.text", text)
    city.refresh_from_db()
    assert not any(f.code == "hygiene.count-mismatch" for f in services.analyse(city).report.findings)
    _edit(client, city, f"narrative.{section}.text", "")
    assert _doc(city).narrative[section].text == ""


def test_rows_carry_their_cells_side_cell_and_delete_form(org, login):
    town = org["town"]
    page = login(org["users"]["filler"]).get(f"/evaluations/{town.pk}/").content.decode()
    row = page[page.index('<tr id="row-'):]
    row = row[:row.index("</tr>")]
    assert 'class="side"' in row and 'data-path="' in row
    deletable = next(r for r in page.split("<tr ")[1:] if "删除这一行" in r)
    assert 'name="csrfmiddlewaretoken"' in deletable and 'name="path" value="base_data.' in deletable
    assert "指标：" in page  # the evidence form offers each indicator row
