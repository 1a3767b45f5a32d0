"""Site messages: who hears of each move and comment, the header's unread count, the inbox
(reading marks read; another's message is a 404), e-mail when configured, and the three-day
deadline reminder of `jixiao remind`, sent once and only to units not yet submitted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.web import campaigns, notify, workflow
from jixiao.web.models import Evaluation, Notification, Participation, State

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DEADLINE = date(2023, 3, 31)


def _inbox(org, *who):
    """Each person's messages, oldest first."""
    return {name: list(Notification.objects.filter(recipient=org["users"][name]).order_by("pk").values_list("text", flat=True))
            for name in who}


EVERYONE = ("filler", "head", "city_filler", "reviewer", "far_reviewer", "admin")


def test_a_return_by_the_bureau_tells_the_units_filler_and_head(org, advance):
    town = advance("ask_head", "submit", "start_review", "send_back")
    got = _inbox(org, *EVERYONE)
    expected = "衡山县开云镇人民政府 2022 年度自评材料已被财政局退回修改：原因说明"
    assert got == {"filler": [expected], "head": [expected], "city_filler": [], "reviewer": [], "far_reviewer": [], "admin": []}
    assert Notification.objects.filter(text=expected).first().link == f"/evaluations/{town.pk}/#comments"


def test_an_approval_tells_the_units_filler_and_head(org, advance):
    advance("ask_head", "submit", "start_review", "approve")
    got = _inbox(org, *EVERYONE)
    assert got["filler"] == got["head"] == ["衡山县开云镇人民政府 2022 年度自评材料已审核通过"]
    assert not any(got[k] for k in ("city_filler", "reviewer", "far_reviewer", "admin"))


def test_a_return_by_the_head_tells_the_fillers_only(org, advance):
    advance("ask_head", "return_to_filler")
    got = _inbox(org, *EVERYONE)
    assert got["filler"] == ["衡山县开云镇人民政府 2022 年度自评材料已被单位负责人退回填报人：原因说明"]
    assert not any(got[k] for k in EVERYONE if k != "filler")


def test_other_moves_tell_no_one(org, advance):
    advance("ask_head", "submit", "withdraw", "ask_head", "submit", "start_review")
    assert not Notification.objects.exists()


def test_a_reviewers_comment_goes_to_the_unit(org, login):
    Evaluation.objects.filter(pk=org["town"].pk).update(state=State.IN_REVIEW)
    login(org["users"]["reviewer"]).post(reverse("evaluation-comment", args=[org["town"].pk]), {"text": "请补充  绩效目标\n说明"})
    got = _inbox(org, *EVERYONE)
    assert got["filler"] == got["head"] == ["reviewer对衡山县开云镇人民政府 2022 年度自评材料发表了意见：请补充 绩效目标 说明"]
    assert not any(got[k] for k in ("city_filler", "reviewer", "far_reviewer", "admin"))


def test_a_units_comment_goes_to_the_bureaus_reviewers(org, login):
    login(org["users"]["filler"]).post(reverse("evaluation-comment", args=[org["town"].pk]), {"text": "已按意见修改"})
    got = _inbox(org, *EVERYONE)
    assert got["reviewer"] == ["filler对衡山县开云镇人民政府 2022 年度自评材料发表了意见：已按意见修改"]
    assert not any(got[k] for k in EVERYONE if k != "reviewer")  # not the author, not another bureau's reviewer


def test_a_refused_comment_or_move_tells_no_one(org, login):
    client = login(org["users"]["city_filler"])
    assert client.post(reverse("evaluation-comment", args=[org["town"].pk]), {"text": "意见"}).status_code == 404
    assert login(org["users"]["filler"]).post(reverse("evaluation-comment", args=[org["town"].pk]), {"text": "  "}).status_code == 302
    with pytest.raises(workflow.Refused):
        workflow.move(org["town"], "approve", org["users"]["reviewer"])
    assert not Notification.objects.exists()


def test_the_header_shows_the_unread_count_in_one_query(org, login):
    filler = org["users"]["filler"]
    for text in ("一", "二", "三"):
        notify.send([filler], text)
    Notification.objects.filter(text="一").update(read_at="2023-01-01T00:00:00Z")
    client = login(filler)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("evaluations")).content.decode()
    assert "消息（2）" in page
    assert len([q for q in queries if "web_notification" in q["sql"]]) == 1
    assert "消息（0）" in login(org["users"]["head"]).get(reverse("evaluations")).content.decode()


def test_the_inbox_lists_newest_first_and_pages(org, login):
    filler = org["users"]["filler"]
    for n in range(55):
        notify.send([filler], f"第{n}条消息")
    notify.send([org["users"]["head"]], "负责人的消息")
    client = login(filler)
    first = client.get(reverse("inbox"))
    shown = [n.text for n in first.context["notifications"]]
    assert shown[0] == "第54条消息" and len(shown) == 50 and "负责人的消息" not in first.content.decode()
    assert "第 1 / 2 页" in first.content.decode()
    assert [n.text for n in client.get(reverse("inbox") + "?page=2").context["notifications"]][-1] == "第0条消息"


def test_opening_a_message_marks_it_read_and_follows_its_link(org, login):
    [message] = notify.send([org["users"]["filler"]], "请查看", f"/evaluations/{org['town'].pk}/#comments")
    client = login(org["users"]["filler"])
    response = client.post(reverse("notification-open", args=[message.pk]))
    assert response.status_code == 302 and response["Location"] == f"/evaluations/{org['town'].pk}/#comments"
    message.refresh_from_db()
    assert message.read_at is not None
    assert client.get(reverse("notification-open", args=[message.pk])).status_code == 405  # reading is a POST


def test_a_link_elsewhere_is_not_followed(org, login):
    [message] = notify.send([org["users"]["filler"]], "外部链接", "//example.com/x")
    response = login(org["users"]["filler"]).post(reverse("notification-open", args=[message.pk]))
    assert response["Location"] == reverse("inbox")


@pytest.mark.parametrize("who", ["head", "reviewer", "admin", "nobody"])
def test_another_persons_message_is_404_and_stays_unread(org, login, who):
    [message] = notify.send([org["users"]["filler"]], "填报人的消息")
    assert login(org["users"][who]).post(reverse("notification-open", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_all_read_touches_only_ones_own(org, login):
    notify.send([org["users"]["filler"]], "一")
    notify.send([org["users"]["filler"]], "二")
    [other] = notify.send([org["users"]["head"]], "三")
    response = login(org["users"]["filler"]).post(reverse("notifications-read"), follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode() and "消息（0）" in response.content.decode()
    other.refresh_from_db()
    assert other.read_at is None


def test_messages_are_emailed_to_those_with_an_address(org, advance, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = LOCMEM
    settings.SITE_URL = "https://jx.example.gov.cn"
    org["users"]["filler"].email = "filler@example.gov.cn"
    org["users"]["filler"].save()
    with django_capture_on_commit_callbacks(execute=True):
        town = advance("ask_head", "submit", "start_review", "send_back")
    [sent] = mail.outbox  # the head has no address
    assert sent.to == ["filler@example.gov.cn"]
    assert sent.subject.startswith("【绩效自评】衡山县开云镇人民政府 2022 年度自评材料已被财政局退回修改")
    assert f"https://jx.example.gov.cn/evaluations/{town.pk}/#comments" in sent.body


def test_without_a_mail_server_nothing_is_emailed_or_printed(org, advance, settings, capsys, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = notify.CONSOLE  # the default when JIXIAO_EMAIL_HOST is unset
    org["users"]["filler"].email = "filler@example.gov.cn"
    org["users"]["filler"].save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        advance("ask_head", "submit", "start_review", "approve")
    assert not callbacks and not mail.outbox and "审核通过" not in capsys.readouterr().out
    assert Notification.objects.filter(recipient=org["users"]["filler"]).count() == 1  # in the inbox all the same


def test_a_failing_mail_server_does_not_undo_the_move(org, advance, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = LOCMEM
    org["users"]["filler"].email = "filler@example.gov.cn"
    org["users"]["filler"].save()

    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notify, "send_mail", down)
    with django_capture_on_commit_callbacks(execute=True):
        town = advance("ask_head", "submit", "start_review", "approve")
    assert town.state == State.APPROVED and Notification.objects.filter(recipient=org["users"]["filler"]).exists()


@pytest.fixture
def rounds(org):
    """Bureau A's 2022 round (town and city) and bureau B's (far), both due on DEADLINE."""
    a, b = org["bureaus"]
    return (campaigns.open_round(a, 2022, DEADLINE, [org["units"]["town"], org["units"]["city"]], org["users"]["reviewer"]),
            campaigns.open_round(b, 2022, DEADLINE, [org["units"]["far"]], org["users"]["far_reviewer"]))


def _remind(day: date) -> str:
    result = CliRunner().invoke(app, ["remind", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_remind_three_days_before_once_and_only_the_unsubmitted(org, rounds, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = LOCMEM
    org["users"]["head"].email = "head@example.gov.cn"
    org["users"]["head"].save()
    Evaluation.objects.filter(pk=org["city"].pk).update(state=State.SUBMITTED)
    Evaluation.objects.filter(pk=org["far"].pk).update(state=State.AWAITING_HEAD)
    assert "没有需要提醒的单位" in _remind(DEADLINE - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert "已提醒 2 个单位" in _remind(DEADLINE - timedelta(days=3))  # town and far; city has submitted
    text = "衡阳市财政局 2022 年度自评工作将于 2023年3月31日截止（还有 3 天），衡山县开云镇人民政府的自评材料尚未报送财政局，请抓紧完成。"
    got = _inbox(org, *EVERYONE)
    assert got["filler"] == got["head"] == [text]
    assert not any(got[k] for k in ("city_filler", "reviewer", "far_reviewer", "admin"))
    assert Notification.objects.get(recipient=org["users"]["filler"]).link == f"/evaluations/{org['town'].pk}/"
    assert [m.to for m in mail.outbox] == [["head@example.gov.cn"]]
    # daily runs after that, and a second run the same day, remind no one again
    for day in (DEADLINE - timedelta(days=3), DEADLINE - timedelta(days=2), DEADLINE):
        assert "没有需要提醒的单位" in _remind(day)
    # far has no people in the fixtures: its reminder is recorded, with no one to tell
    assert Notification.objects.count() == 2 and not Participation.objects.filter(reminded=None).exclude(unit=org["units"]["city"]).exists()


def test_a_missed_day_is_caught_up_and_a_unit_without_an_evaluation_is_reminded(org, rounds):
    Evaluation.objects.filter(pk=org["town"].pk).delete()
    assert campaigns.remind(DEADLINE - timedelta(days=1)) == 3
    [message] = Notification.objects.filter(recipient=org["users"]["filler"])
    assert "截止（还有 1 天）" in message.text and message.link == reverse("evaluations")
    assert campaigns.remind(DEADLINE + timedelta(days=1)) == 0  # past the deadline: the queue flags it instead


def test_remind_rejects_a_malformed_day():
    result = CliRunner().invoke(app, ["remind", "--today", "31/03/2023"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
