"""The review loop: the filler asks the unit head to sign off, the head submits to the bureau
(or returns it), the unit may withdraw until a reviewer starts, the reviewer returns or
approves, and the bureau may reopen an approval. Who may do what is access.py's; from which
state is the state machine's (models.Evaluation); this module runs a move and says what
comes next."""

from __future__ import annotations

from django.db import transaction
from django_fsm import has_transition_perm

from . import notify
from .access import refusal
from .models import Comment, Evaluation, Evidence, Move, State
from .services import analyse, rubric_ids


class Refused(Exception):
    """A move the rules do not allow now; the message says why, in Chinese."""


class NeedsReason(Refused):
    """A move that must say why (a return, a reopening) was asked for without a reason."""


REASONS = {
    Move.RETURN_TO_FILLER: "退回填报人时请写明退回原因",
    Move.SEND_BACK: "退回时请写明退回意见",
    Move.REOPEN: "重新打开时请写明原因",
}
# Who acts next in each state, as the evaluation page says it to everyone.
NEXT = {
    State.DRAFT: "填报人填写完毕后提交单位负责人确认，单位负责人确认后报送财政局审核",
    State.AWAITING_HEAD: "等待单位负责人确认并提交，或写明原因退回填报人；确认期间材料只读",
    State.SUBMITTED: "已报送财政局，等待审核人开始审核；开始审核前单位可以撤回",
    State.IN_REVIEW: "财政局审核人正在审核，将退回修改或审核通过；单位已不能撤回",
    State.RETURNED: "财政局已退回：填报人按审核意见修改后，再次提交单位负责人确认",
    State.APPROVED: "已审核通过，材料只读；财政局审核人或管理员可以写明原因重新打开",
}
# Where the package stops being the unit's to change, so the submission gate applies.
GATED = (Move.ASK_HEAD, Move.SUBMIT)


def moves_for(user, evaluation: Evaluation) -> list[str]:
    """The moves this user may make now, in the order the page offers them."""
    return [m for m in Move.values if has_transition_perm(getattr(evaluation, m), user)]


def _gate(evaluation: Evaluation) -> None:
    gaps = analyse(evaluation).gaps(evaluation.unit.bureau.required_coverage)
    if gaps:
        shown = "；".join(gaps[:5]) + (f"；等 {len(gaps)} 项" if len(gaps) > 5 else "")
        raise Refused(f"还有 {len(gaps)} 项未处理，不能提交：{shown}。请修正数据，或在问题旁填写说明理由。")


def _reason_missing(evaluation: Evaluation, name: str, note: str) -> bool:
    if name not in REASONS or note:
        return False
    # A reviewer may return on the comments left on findings during this review alone.
    return name != Move.SEND_BACK or not evaluation.comments.filter(created__gte=evaluation.updated).exists()


def move(evaluation: Evaluation, name: str, user, note: str = "") -> Evaluation:
    """Run one transition on the locked row; ``note`` is the user's reason, kept in the history
    and as a comment. Returns the evaluation as it now stands."""
    with transaction.atomic():
        # Locked and re-read: the page's copy may be stale, and the unit may withdraw just as
        # a reviewer starts.
        current = Evaluation.objects.select_for_update().select_related("unit", "unit__bureau").get(pk=evaluation.pk)
        method = getattr(current, name)
        if not has_transition_perm(method, user):
            raise Refused(refusal(user, current, name))  # the permission is refusal()'s, so it names the reason
        if _reason_missing(current, name, note):
            raise NeedsReason(REASONS[name])
        if name in GATED:
            _gate(current)
        if name == Move.SUBMIT:
            current.rubrics = list(rubric_ids(current))
            # What was submitted stays: a return or a withdrawal reopens the figures, never the evidence sent.
            Evidence.objects.filter(evaluation=current, submitted=False).update(submitted=True)
        elif name in (Move.SEND_BACK, Move.WITHDRAW) and not current.rubrics_chosen:
            current.rubrics = []  # fixed on submission only; the unit's next one is scored by the choice then
        method()
        # A transition moves the version too, so a form opened before it cannot save after it.
        current.version += 1
        current._change_reason = Move(name).label + (f"：{note}" if note else "")
        current.save(update_fields=["state", "version", "rubrics", "updated"])
        if note:
            Comment.objects.create(evaluation=current, text=note, author=user)
        notify.moved(current, name, note)
    return current
