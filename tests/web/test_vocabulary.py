"""A bureau's own vocabulary: checked when saved, used for its units' uploads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.model import parse_evaluation
from jixiao.model.blank import blank_evaluation

from .conftest import TOWN

# The town's project tables with their total row renamed as some county prints it.
RENAMED = TOWN.read_text(encoding="utf-8").replace("年度资金总额", "本级资金合计").encode("utf-8")


def _upload(client, ev, content):
    file = SimpleUploadedFile(TOWN.name, content, content_type="text/plain")
    return client.post(f"/api/evaluations/{ev.pk}/import", {"file": file, "version": ev.version})


def _cleared(ev):
    from jixiao.web import services

    services.store(ev, blank_evaluation(ev.unit.name, ev.fiscal_year, []), ev.version, "清空")
    ev.refresh_from_db()
    return ev


def test_uploads_are_read_with_the_bureaus_vocabulary(org, login):
    town = _cleared(org["town"])
    client = login(org["users"]["filler"])
    r = _upload(client, town, RENAMED)
    assert r.status_code == 200
    body = r.json()
    assert body["coverage"]["placed"] < body["coverage"]["seen"]  # the renamed rows' figures were not read
    assert parse_evaluation(town.__class__.objects.get(pk=town.pk).document).projects[0].funds.total.executed is None

    bureau = town.unit.bureau
    bureau.vocabulary = "groups:\n  fund.rows:\n    total: [本级资金合计]\n"
    bureau.full_clean()
    bureau.save()
    town.refresh_from_db()
    r = _upload(client, town, RENAMED)
    assert r.status_code == 200
    assert r.json()["coverage"]["placed"] == r.json()["coverage"]["seen"]
    document = parse_evaluation(town.__class__.objects.get(pk=town.pk).document)
    assert str(document.projects[0].funds.total.executed) == "400.11"


@pytest.mark.parametrize(
    "text, message",
    [
        ("groups:\n  fund.rows:\n    total: [年度资金总额]\n    fiscal: [年度资金总额]\n", "已属于字段“total”"),
        ("groups:\n  no.such.group:\n    x: [y]\n", "未知的分组"),
        ("groups: [", "不是合法的 YAML"),
    ],
)
def test_a_bad_vocabulary_is_refused_with_its_line(org, text, message):
    bureau = org["town"].unit.bureau
    bureau.vocabulary = text
    with pytest.raises(ValidationError) as info:
        bureau.full_clean()
    [problem] = info.value.message_dict["vocabulary"][:1]
    assert message in problem and "衡阳市财政局词表:" in problem
