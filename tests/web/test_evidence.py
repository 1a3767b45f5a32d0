"""Evidence (佐证材料): each allowed type kept with its SHA-256 and sent back as what its bytes
are; anything else refused by name; removal only before submission; listed beside its row."""

from __future__ import annotations

import hashlib
import importlib
import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import StorageHandler
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web import evidence, services, workflow
from jixiao.web.models import Evaluation, Evidence, Waiver
from jixiao.web.sniff import sniff

from .evidence_files import image, pdf, plain_zip, rezipped, word, workbook

MB = 2**20
FILES = {
    "pdf": ("决算报告.pdf", pdf),
    "png": ("现场照片.png", lambda: image("PNG")),
    "jpeg": ("现场照片.jpg", lambda: image("JPEG")),
    "docx": ("验收报告.docx", word),
    "xlsx": ("资金台账.xlsx", workbook),
}


def upload(client, evaluation, name: str, data: bytes, path: str = "", version: int | None = None):
    """An upload from a page showing ``version`` (the current one by default)."""
    if version is None:
        evaluation.refresh_from_db()
        version = evaluation.version
    # The browser's Content-Type is whatever the uploader's machine says: here always a PDF's.
    file = SimpleUploadedFile(name, data, "application/pdf")
    return client.post(f"/evaluations/{evaluation.pk}/evidence", {"path": path, "file": file, "version": version})


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(item: Evidence, action: str = "") -> str:
    return f"/evaluations/{item.evaluation_id}/evidence/{item.pk}{action}"


def stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("kind", FILES)
def test_each_allowed_type_is_kept_with_its_hash_and_sent_back_as_what_it_is(org, login, evidence_folder, kind):
    name, make = FILES[kind]
    data = make()
    client = login(org["users"]["filler"])
    response = upload(client, org["town"], name, data)
    assert response.status_code == 302 and any(f"已上传佐证材料 {name}" in m for m in said(response))
    item = Evidence.objects.get()
    assert (item.kind, item.name, item.size, item.row) == (kind, name, len(data), "整份材料")
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    suffix = ".jpg" if kind == "jpeg" else f".{kind}"
    assert re.fullmatch(rf"{org['town'].pk}/[0-9a-f]{{32}}{re.escape(suffix)}", item.stored)  # never the user's name
    assert (evidence_folder / item.stored).read_bytes() == data
    download = client.get(url(item))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    assert download["Content-Type"] == evidence.CONTENT_TYPES[kind]
    assert download["X-Content-Type-Options"] == "nosniff" and download["Cache-Control"] == "no-store"
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("data, what", [
    (b"MZ\x90\x00\x03" + bytes(300), "Windows 可执行程序"),
    (plain_zip(), "ZIP 压缩包"),
    (rezipped(word(), (b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")), "Word 模板"),
    (rezipped(word(), (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                       b"application/vnd.ms-word.document.macroEnabled.main+xml")), "启用宏的 Word 文档"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "网页（HTML）"),
    (b"", "空文件"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_by_name(org, login, evidence_folder, data, what):
    response = upload(login(org["users"]["filler"]), org["town"], "决算报告.pdf", data)
    assert any(m.startswith(f"决算报告.pdf：文件内容实际是{what}") and "只接受" in m for m in said(response)), said(response)
    assert not Evidence.objects.exists() and stored_files(evidence_folder) == []


def test_an_xlsx_named_pdf_is_kept_and_sent_as_the_workbook_it_is(org, login):
    client = login(org["users"]["filler"])
    upload(client, org["town"], "资金台账.pdf", workbook())
    item = Evidence.objects.get()
    assert (item.kind, item.name) == ("xlsx", "资金台账.pdf") and item.stored.endswith(".xlsx")
    download = client.get(url(item))
    assert download["Content-Type"] == evidence.CONTENT_TYPES["xlsx"]
    assert unquote(download["Content-Disposition"].split("''", 1)[1]) == "资金台账.xlsx"


def test_a_chinese_name_is_sent_as_rfc_5987_filename(org, login):
    client = login(org["users"]["filler"])
    upload(client, org["town"], "决算报告（2022 年）.pdf", pdf())
    disposition = client.get(url(Evidence.objects.get()))["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "决算报告（2022 年）.pdf"
    assert disposition.isascii()


def test_bidi_and_control_characters_are_stripped_from_names(org, login):
    client = login(org["users"]["filler"])
    upload(client, org["town"], "发票\u202egpj.exe\u202c\u200b.pdf", pdf())
    item = Evidence.objects.get()
    assert item.name == "发票gpj.exe.pdf"
    assert Evidence.history.get().name == "发票gpj.exe.pdf"
    assert evidence.clean_name("C:\\Users\\会计\\\u2067报告\x00\x1b.pdf\u2069") == "报告.pdf"
    assert evidence.clean_name("\u202e") == "佐证材料"
    assert len(evidence.clean_name("长" * 300 + ".docx")) == 200


class Unreadable:
    """An upload whose content must not be touched: only its size is known."""

    name = "全年影像资料.pdf"
    size = 21 * MB

    def read(self, *args):
        raise AssertionError("the content of an oversize file was read")

    chunks = seek = read


def test_an_oversize_file_is_refused_before_it_is_read(org, settings, login, evidence_folder, monkeypatch):
    with pytest.raises(workflow.Refused, match="全年影像资料.pdf：文件 21.0 MB，超过佐证材料 20 MB 的上限"):
        evidence.attach(org["town"], Unreadable(), "", org["users"]["filler"], 20 * MB)
    settings.EVIDENCE_MAX_BYTES = settings.UPLOAD_LIMIT = 1000
    received, attach = [], evidence.attach
    monkeypatch.setattr(evidence, "attach", lambda evaluation, file, *rest: received.append(file) or attach(evaluation, file, *rest))
    data = image("PNG") + bytes(200_000)  # several chunks of the request body
    response = upload(login(org["users"]["filler"]), org["town"], "现场照片.png", data)
    assert any(m.startswith("现场照片.png：文件 ") and "超过佐证材料 1,000 字节 的上限" in m for m in said(response)), said(response)
    assert received[0].size == len(data) and received[0].file is None  # counted as it arrived, never kept
    assert not Evidence.objects.exists() and stored_files(evidence_folder) == []


def test_a_zip_bomb_is_never_inflated(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("[Content_Types].xml", "w") as part:
        for _ in range(8):
            part.write(b" " * MB)  # 8 MB of content types, deflated to a few kB
    bomb = out.getvalue()

    def refuse(*args, **kwargs):
        raise AssertionError("a member of the zip was opened")

    # A directory declaring 300 MB unzipped (the member itself is tiny): refused unread too.
    small = io.BytesIO()
    with zipfile.ZipFile(small, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
    declared = bytearray(small.getvalue())
    header = declared.index(b"PK\x01\x02")
    declared[header + 24:header + 28] = (300 * MB).to_bytes(4, "little")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    assert sniff(io.BytesIO(bomb)).what == "ZIP 压缩包"
    assert "压缩炸弹" in sniff(io.BytesIO(bytes(declared))).what


def test_a_tampered_or_missing_file_is_refused_on_download(org, login, evidence_folder):
    client = login(org["users"]["reviewer"])
    upload(login(org["users"]["filler"]), org["town"], "决算报告.pdf", pdf())
    item = Evidence.objects.get()
    stored = evidence_folder / item.stored
    stored.write_bytes(pdf().replace(b"200 200", b"999 999"))  # same size, other bytes
    response = client.get(url(item))
    body = response.content.decode()
    assert response.status_code == 409 and "决算报告.pdf：文件校验未通过" in body and "SHA-256" in body
    stored.write_bytes(pdf() + b"%appended")
    assert client.get(url(item)).status_code == 409
    stored.unlink()
    missing = client.get(url(item))
    assert missing.status_code == 409 and "存储中找不到这个文件" in missing.content.decode()


def waive_all(evaluation, author) -> None:
    for f in services.analyse(evaluation).open_errors:
        Waiver.objects.create(evaluation=evaluation, fingerprint=f.fingerprint, code=f.code, message=f.message, reason="已核实，原表如此", author=author)


def test_the_unit_removes_evidence_while_filling_in_and_never_once_submitted(org, login, evidence_folder, django_capture_on_commit_callbacks):
    town, filler = org["town"], org["users"]["filler"]
    client = login(filler)
    upload(client, town, "传错的文件.pdf", pdf())
    wrong = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion is committed
        assert client.post(url(wrong, "/remove")).status_code == 302
    assert not Evidence.objects.exists() and stored_files(evidence_folder) == []
    removal = Evidence.history.get(history_type="-")
    assert (removal.name, removal.sha256, removal.history_user) == ("传错的文件.pdf", wrong.sha256, filler)
    assert "删除佐证材料" in client.get(f"/evaluations/{town.pk}/history").content.decode()

    upload(client, town, "决算报告.pdf", pdf())
    kept = Evidence.objects.get()
    waive_all(town, filler)
    workflow.move(town, "ask_head", filler)
    workflow.move(town, "submit", org["users"]["head"])
    assert client.post(url(kept, "/remove")).status_code == 403
    workflow.move(town, "start_review", org["users"]["reviewer"])
    workflow.move(town, "send_back", org["users"]["reviewer"], "退回修改")
    refused = client.post(url(kept, "/remove"))  # returned, editable again: still what was submitted
    assert refused.status_code == 403 and "已随材料提交，不能删除" in refused.content.decode()
    assert Evidence.objects.filter(pk=kept.pk).exists() and (evidence_folder / kept.stored).exists()
    upload(client, town, "补充材料.pdf", pdf())
    added = Evidence.objects.get(name="补充材料.pdf")
    assert client.post(url(added, "/remove")).status_code == 302  # added since the return: not yet submitted


def test_no_upload_once_submitted_and_none_by_reviewers(org, login):
    town = org["town"]
    Evaluation.objects.filter(pk=town.pk).update(state="submitted")
    assert upload(login(org["users"]["filler"]), town, "决算报告.pdf", pdf()).status_code == 403
    Evaluation.objects.filter(pk=town.pk).update(state="draft")
    assert upload(login(org["users"]["reviewer"]), town, "决算报告.pdf", pdf()).status_code == 403
    assert not Evidence.objects.exists()


def between(page: str, start: str, end: str) -> str:
    at = page.index(start)
    return page[at:page.index(end, at)]


def test_evidence_is_listed_beside_its_row_and_in_the_package_list_once_the_row_changes(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    upload(client, town, "行政村名册.pdf", pdf(), "projects.0.indicators.1")
    upload(client, town, "项目总结.docx", word(), "projects.0")
    upload(client, town, "部门决算.xlsx", workbook(), "")
    upload(client, town, "评分依据.pdf", pdf(), "scorecard.0")
    assert Evidence.objects.get(name="行政村名册.pdf").row == "衡山县开云镇人民政府村级运转经费 › 村干部工资发放人数"
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    assert "行政村名册.pdf" in between(page, 'id="side-project-0-3-1"', "</tr>")
    assert page.count(f'href="{url(Evidence.objects.get(name="行政村名册.pdf"))}"') == 1
    assert "项目总结.docx" in between(page, 'id="project-0"', "<table")
    assert "评分依据.pdf" in between(page, 'id="side-scorecard-0-0"', "</tr>")
    package = between(page, 'id="evidence"', "</section>")
    assert "部门决算.xlsx" in package and "行政村名册.pdf" not in package and "原所在行已变动：" not in package
    assert "佐证材料（1）" in page

    town.refresh_from_db()
    shown = town.version
    client.post(f"/evaluations/{town.pk}/rows/remove", {"path": "projects.0.indicators.0", "version": shown})
    stale = upload(client, town, "又一份名册.pdf", pdf(), "projects.0.indicators.1", version=shown)
    assert any("要附上的行已被删除、移动或改名" in m for m in said(stale))  # would land on the next indicator
    assert upload(client, town, "整体说明.pdf", pdf(), "", version=shown).status_code == 302
    assert Evidence.objects.filter(name="整体说明.pdf").exists()  # the package is always there
    page = client.get(f"/evaluations/{town.pk}/").content.decode()
    package = between(page, 'id="evidence"', "</section>")
    assert "行政村名册.pdf" in package and "原所在行已变动：上传时附于“衡山县开云镇人民政府村级运转经费 › 村干部工资发放人数”" in package
    assert "行政村名册.pdf" not in between(page, 'id="project-0"', 'id="evidence"')


def test_an_upload_from_an_older_page_lands_on_the_row_it_showed(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    town.refresh_from_db()
    shown = town.version
    client.post(f"/evaluations/{town.pk}/edit", {"path": "base_data.procurement.final", "value": "9", "version": shown})
    town.refresh_from_db()
    assert town.version > shown  # someone saved elsewhere in the package meanwhile
    upload(client, town, "行政村名册.pdf", pdf(), "projects.0.indicators.1", version=shown)
    assert Evidence.objects.get().row.endswith("› 村干部工资发放人数")


def test_a_path_names_a_table_or_one_of_its_indicator_rows(city_doc):
    doc = city_doc.evaluation
    assert evidence.target(doc, "department_evaluation.indicators.0") == "部门整体支出绩效自评表 › 督查督办次数"
    assert evidence.target(doc, "projects.0") == "大院保安转辅警经费"
    for wrong in ("department_evaluation.0", "scorecard.0", "projects.00", "projects.0.indicators.9999999", "projects.0.goals.0"):
        assert evidence.target(doc, wrong) is None, wrong


def test_an_upload_to_a_row_that_is_not_there_is_refused(org, login):
    client = login(org["users"]["filler"])
    for path in ("projects.99", "projects.0.indicators.999", "projects.01", "base_data.procurement", "projects.0.goals.0"):
        response = upload(client, org["town"], "决算报告.pdf", pdf(), path)
        assert any("要附上的行已被删除、移动或改名" in m for m in said(response)), path
    assert not Evidence.objects.exists()


def test_the_page_offers_uploads_to_the_unit_only(org, login):
    town = org["town"]
    form = f'action="/evaluations/{town.pk}/evidence"'
    page = login(org["users"]["filler"]).get(f"/evaluations/{town.pk}/").content.decode()
    assert page.count(form) == 2 + 1 + 1  # each project table, the scoring table, the package
    assert '<option value="projects.1.indicators.0">' in page and 'enctype="multipart/form-data"' in page
    upload(login(org["users"]["filler"]), town, "决算报告.pdf", pdf())
    seen = login(org["users"]["reviewer"]).get(f"/evaluations/{town.pk}/").content.decode()
    assert form not in seen and "决算报告.pdf" in seen and "/remove" not in between(seen, 'id="evidence"', "</section>")


def test_the_api_lists_metadata_to_those_who_may_see_the_evaluation(org, login):
    town = org["town"]
    upload(login(org["users"]["filler"]), town, "行政村名册.pdf", pdf(), "projects.0.indicators.1")
    listed = login(org["users"]["reviewer"]).get(f"/api/evaluations/{town.pk}/evidence").json()
    item = Evidence.objects.get()
    assert listed == [{
        "id": item.pk, "name": "行政村名册.pdf", "kind": "pdf", "content_type": "application/pdf", "size": len(pdf()),
        "sha256": hashlib.sha256(pdf()).hexdigest(), "path": "projects.0.indicators.1", "row": item.row, "moved": False,
        "submitted": False, "uploader": "filler", "uploaded": listed[0]["uploaded"], "download": url(item),
    }]
    for outsider in ("city_filler", "far_reviewer", "nobody"):
        assert login(org["users"][outsider]).get(f"/api/evaluations/{town.pk}/evidence").status_code == 404


def test_another_evaluations_evidence_is_not_reached_through_ones_own(org, login, evidence_folder):
    far = org["far"]

    class Upload(io.BytesIO):
        name, size = "长沙.pdf", len(pdf())

    theirs = evidence.attach(far, Upload(pdf()), "", org["users"]["admin"], 20 * MB)
    client = login(org["users"]["filler"])
    assert client.get(f"/evaluations/{org['town'].pk}/evidence/{theirs.pk}").status_code == 404
    assert client.post(f"/evaluations/{org['town'].pk}/evidence/{theirs.pk}/remove").status_code == 404
    assert Evidence.objects.filter(pk=theirs.pk).exists() and (evidence_folder / theirs.stored).exists()


def test_evidence_is_kept_in_the_data_folder_or_an_s3_bucket_as_configured(monkeypatch, tmp_path):
    from storages.backends.s3 import S3Storage

    import jixiao.web.settings as settings_module

    monkeypatch.setenv("JIXIAO_DATA", str(tmp_path))
    try:
        local = importlib.reload(settings_module).STORAGES["evidence"]
        for name, value in {
            "BUCKET": "jixiao-evidence", "ENDPOINT": "https://s3.example.gov.cn", "REGION": "cn-south-1",
            "ACCESS_KEY": "AKEXAMPLE", "SECRET_KEY": "secret-example", "PREFIX": "hengyang/evidence", "ADDRESSING": "path",
        }.items():
            monkeypatch.setenv(f"JIXIAO_EVIDENCE_S3_{name}", value)
        remote = importlib.reload(settings_module).STORAGES["evidence"]
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)
    assert local["OPTIONS"]["location"] == str(tmp_path / "evidence") and local["OPTIONS"]["file_permissions_mode"] == 0o600
    storage = StorageHandler({"evidence": remote})["evidence"]  # built, never connected
    assert isinstance(storage, S3Storage)
    assert (storage.bucket_name, storage.endpoint_url, storage.region_name) == ("jixiao-evidence", "https://s3.example.gov.cn", "cn-south-1")
    assert (storage.access_key, storage.secret_key, storage.location) == ("AKEXAMPLE", "secret-example", "hengyang/evidence")
    assert storage.addressing_style == "path" and storage.file_overwrite is False
