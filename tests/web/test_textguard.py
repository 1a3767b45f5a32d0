"""Text the database accepts: NUL, other control characters and bidi overrides never reach a
table, whichever field carries them, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web import services
from jixiao.web.models import Comment, Evaluation, Unit
from jixiao.web.textguard import clean, clean_json_text

from .conftest import TOWN

BAD = "\x00\x07\u202e\x1b"


def test_clean_keeps_tabs_newlines_and_escaped_backslashes():
    assert clean(f"开{BAD}云\t镇\r\n") == "开云\t镇\n"
    assert clean({"a\x00": [f"x{BAD}"]}) == {"a": ["x"]}
    text = json.dumps({"s": "a\x00b", "t": "c\\u0000d"}, ensure_ascii=False)
    assert json.loads(clean_json_text(text)) == {"s": "ab", "t": "c\\u0000d"}  # the typed backslash stays
    plain = json.dumps({"s": "正常"}, ensure_ascii=False)
    assert clean_json_text(plain) is plain  # nothing to clean: not parsed again


def test_an_upload_with_nul_is_stored_cleaned(org, login):
    town = org["town"]
    client = login(org["users"]["filler"])
    Evaluation.objects.filter(pk=town.pk).update(version=1)
    text = TOWN.read_text(encoding="utf-8").replace("衡山县开云镇人民政府", "衡山县开云镇人民政府\x00", 1)
    upload = SimpleUploadedFile("开\x00云.txt", text.encode("utf-8"))
    response = client.post(f"/evaluations/{town.pk}/import", {"version": 1, "file": upload})
    assert response.status_code == 302
    town.refresh_from_db()
    stored = town.document + json.dumps(town.notices, ensure_ascii=False) + (town.source or "")
    assert "\x00" not in stored and "\\u0000" not in stored
    assert "\x00" not in town.history.latest().history_change_reason


def test_names_comments_and_reasons_are_cleaned(org, login):
    unit = Unit.objects.get(pk=org["units"]["town"].pk)
    unit.name = f"开云镇{BAD}"
    unit.save()
    unit.refresh_from_db()
    assert unit.name == "开云镇"
    town = org["town"]
    client = login(org["users"]["filler"])
    client.post(f"/evaluations/{town.pk}/comment", {"text": f"请核对{BAD}人数"})
    assert Comment.objects.filter(evaluation=town).latest("created").text == "请核对人数"
    town.refresh_from_db()
    services.store(town, services.document(town), town.version, f"修改{BAD}")
    assert town.history.latest().history_change_reason == "修改"
