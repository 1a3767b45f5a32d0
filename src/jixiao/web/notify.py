"""Site messages (站内消息): who is told what when the review loop moves, a comment is posted or a
deadline nears, each message also e-mailed to recipients with an address.

The messages are written in the caller's transaction, so a move that rolls back tells no one;
the e-mails leave after the commit, so a slow or broken mail server neither holds the
evaluation's row lock nor undoes a move that has happened."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from .access import role_of
from .models import UNIT_ROLES, Campaign, Comment, Evaluation, Move, Notification, Role, Unit

log = logging.getLogger(__name__)
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SHOWN_NOTE = 200  # of a reason or comment quoted in a message; the rest is on the page


def unit_members(unit_id: int, roles: Iterable[str] = UNIT_ROLES) -> QuerySet:
    return get_user_model().objects.filter(is_active=True, profile__unit=unit_id, profile__role__in=list(roles))


def reviewers_of(bureau_id: int) -> QuerySet:
    return get_user_model().objects.filter(is_active=True, profile__bureau=bureau_id, profile__role=Role.REVIEWER)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_NOTE else text[:SHOWN_NOTE] + "…"


def send(recipients: Iterable, text: str, link: str = "") -> list[Notification]:
    """One message to each recipient (each once), e-mailed after the commit."""
    people = list({user.pk: user for user in recipients}.values())
    made = Notification.objects.bulk_create([Notification(recipient=user, text=text, link=link) for user in people])
    addressed = [user.email for user in people if user.email]
    if addressed and mail_configured():
        transaction.on_commit(lambda: _mail(addressed, text, link))
    return made


def mail_configured() -> bool:
    # The console backend is the stand-in when no SMTP server is set (settings.py): printing
    # every message into the server's log would bury it, so only password resets use it.
    return settings.EMAIL_BACKEND != CONSOLE


def _mail(addresses: list[str], text: str, link: str) -> None:
    where = f"{settings.SITE_URL}{link}" if settings.SITE_URL and link else "请登录绩效自评系统查看。"
    subject = "【绩效自评】" + (text if len(text) <= 40 else text[:40] + "…")
    try:
        # One message per address: recipients of different units never see each other's address.
        for address in addresses:
            send_mail(subject, f"{text}\n\n{where}\n", None, [address])
    except OSError:  # smtplib's errors are OSErrors; the message is in the inbox all the same
        log.warning("站内消息的邮件未能发出：%s", subject, exc_info=True)


def _page(evaluation: Evaluation, anchor: str = "") -> str:
    return reverse("evaluation", args=[evaluation.pk]) + (f"#{anchor}" if anchor else "")


# Who hears of each move, and what they are told; other moves tell no one (the one who acts
# next sees it on the queue or the evaluation list).
MOVES = {
    Move.SEND_BACK: (UNIT_ROLES, "{evaluation}自评材料已被财政局退回修改{note}"),
    Move.APPROVE: (UNIT_ROLES, "{evaluation}自评材料已审核通过{note}"),
    Move.RETURN_TO_FILLER: ((Role.FILLER,), "{evaluation}自评材料已被单位负责人退回填报人{note}"),
}


def moved(evaluation: Evaluation, name: str, note: str = "") -> None:
    """After a transition: tell the unit's people it concerns (workflow.move calls this)."""
    if name not in MOVES:
        return
    roles, template = MOVES[name]
    text = template.format(evaluation=evaluation, note=f"：{_quoted(note)}" if note else "")
    send(unit_members(evaluation.unit_id, roles), text, _page(evaluation, "comments" if note else ""))


def commented(comment: Comment) -> None:
    """A new comment goes to the other side: the unit when a reviewer writes, the bureau's
    reviewers when someone of the unit does."""
    evaluation, author = comment.evaluation, comment.author
    if role_of(author) in UNIT_ROLES:
        people = reviewers_of(evaluation.unit.bureau_id)
    else:
        people = unit_members(evaluation.unit_id)
    name = author.get_full_name() or author.get_username()
    anchor = f"f-{comment.fingerprint}" if comment.fingerprint else "comments"
    send(people.exclude(pk=author.pk), f"{name}对{evaluation}自评材料发表了意见：{_quoted(comment.text)}", _page(evaluation, anchor))


def deadline_near(unit: Unit, campaign: Campaign, days: int, evaluation: Evaluation | None) -> None:
    """The reminder before a round's deadline (campaigns.remind decides who and once)."""
    when = "就是今天" if days == 0 else f"还有 {days} 天"
    deadline = campaign.deadline
    text = (f"{campaign.bureau.name} {campaign.fiscal_year} 年度自评工作将于 {deadline.year}年{deadline.month}月{deadline.day}日截止（{when}），"
            f"{unit.name}的自评材料尚未报送财政局，请抓紧完成。")
    send(unit_members(unit.pk), text, _page(evaluation) if evaluation else reverse("evaluations"))
