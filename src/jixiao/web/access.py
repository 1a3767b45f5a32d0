"""Who may see and do what: the one place every page and API endpoint asks.

An evaluation outside the user's reach is a 404 (its existence is not disclosed); one the user
may see but not change in its current state is a 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django_fsm import can_proceed

from .models import UNIT_ROLES, Bureau, Evaluation, Move, Notification, Profile, Role, State, Unit

# "view", "edit", "comment", or a transition of the review loop (a Move value)
Action = Literal["view", "edit", "comment", "assign", "ask_head", "submit", "return_to_filler", "withdraw", "start_review", "send_back", "approve", "reopen"]


def profile_of(user) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def role_of(user) -> str | None:
    me = profile_of(user)
    return me.role if me else None


def units_of(user) -> QuerySet[Unit]:
    me = profile_of(user)
    if me is None:
        return Unit.objects.none()
    if me.role == Role.ADMIN:
        return Unit.objects.all()
    if me.role == Role.REVIEWER:
        return Unit.objects.filter(bureau=me.bureau_id, **_department(me, ""))
    return Unit.objects.filter(pk=me.unit_id)


def bureaus_of(user) -> QuerySet[Bureau]:
    me = profile_of(user)
    if me is None:
        return Bureau.objects.none()
    if me.role == Role.ADMIN:
        return Bureau.objects.all()
    if me.role == Role.REVIEWER:
        return Bureau.objects.filter(pk=me.bureau_id)
    return Bureau.objects.filter(pk=me.unit.bureau_id)


def _department(me: Profile, prefix: str) -> dict:
    """A department's reviewer (a reviewer with a unit) reaches the 二级单位 under it, not the
    department's own package, which its own people prepare; a bureau reviewer, every unit."""
    return {f"{prefix}parent": me.unit_id} if me.unit_id else {}


def visible(user) -> QuerySet[Evaluation]:
    """The evaluations this user may read: a unit's own, a bureau's (or a department's) units',
    or all for an admin."""
    me = profile_of(user)
    qs = Evaluation.objects.select_related("unit", "unit__bureau")
    if me is None:
        return qs.none()
    if me.role == Role.ADMIN:
        return qs
    if me.role == Role.REVIEWER:
        return qs.filter(unit__bureau=me.bureau_id, **_department(me, "unit__"))
    return qs.filter(unit=me.unit_id)


def is_unit_member(user, unit_id: int) -> bool:
    me = profile_of(user)
    return me is not None and me.role in UNIT_ROLES and me.unit_id == unit_id


def is_reviewer_of(user, bureau_id: int) -> bool:
    """A reviewer of the whole bureau (a department's reviewer is not one)."""
    me = profile_of(user)
    return me is not None and me.role == Role.REVIEWER and me.bureau_id == bureau_id and me.unit_id is None


def reviews(me: Profile | None, unit: Unit) -> bool:
    """Whether this person reviews this unit's packages: its bureau's reviewer, or its department's."""
    return (me is not None and me.role == Role.REVIEWER and me.bureau_id == unit.bureau_id
            and me.unit_id in (None, unit.parent_id))


def reviewers_for(unit: Unit) -> QuerySet[Profile]:
    """Who may be assigned this unit's packages: whoever reviews them."""
    scope = Q(unit__isnull=True) | Q(unit=unit.parent_id) if unit.parent_id else Q(unit__isnull=True)
    return Profile.objects.filter(scope, role=Role.REVIEWER, bureau=unit.bureau_id, user__is_active=True).select_related("user")


def require_bureau(user) -> None:
    """The queue and its bulk actions are the bureau's: reviewers and administrators."""
    if role_of(user) not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("审核队列仅供财政局审核人使用")


def may_choose_rubrics(user, bureau_id: int) -> bool:
    me = profile_of(user)
    return me is not None and (me.role == Role.ADMIN or is_reviewer_of(user, bureau_id))


def _is_filler(user, evaluation: Evaluation) -> bool:
    me = profile_of(user)
    return me is not None and me.role == Role.FILLER and me.unit_id == evaluation.unit_id


def _is_head(user, evaluation: Evaluation) -> bool:
    me = profile_of(user)
    return me is not None and me.role == Role.HEAD and me.unit_id == evaluation.unit_id


def _is_member(user, evaluation: Evaluation) -> bool:
    return is_unit_member(user, evaluation.unit_id)


def _is_reviewer(user, evaluation: Evaluation) -> bool:
    return reviews(profile_of(user), evaluation.unit)


def _is_bureau(user, evaluation: Evaluation) -> bool:
    return role_of(user) == Role.ADMIN or _is_reviewer(user, evaluation)


# Who may run each transition, and what anyone else is told; from which states is the state
# machine's to say (models.Evaluation). The filler prepares and the head signs off, so neither
# alone sends a package to the bureau.
MOVERS: dict[str, tuple[Callable[[object, Evaluation], bool], str]] = {
    Move.ASK_HEAD: (_is_filler, "只有本单位的填报人可以提交单位负责人确认"),
    Move.SUBMIT: (_is_head, "只有本单位的单位负责人可以确认并提交"),
    Move.RETURN_TO_FILLER: (_is_head, "只有本单位的单位负责人可以退回填报人"),
    Move.WITHDRAW: (_is_member, "只有本单位的填报人或单位负责人可以撤回"),
    Move.START_REVIEW: (_is_reviewer, "只有本财政局的审核人可以开始审核"),
    Move.SEND_BACK: (_is_reviewer, "只有本财政局的审核人可以退回修改"),
    Move.APPROVE: (_is_reviewer, "只有本财政局的审核人可以审核通过"),
    Move.REOPEN: (_is_bureau, "只有本财政局的审核人或管理员可以重新打开"),
}

# Why a package is read-only for its unit, and what to do about it.
READ_ONLY = {
    State.AWAITING_HEAD: "该自评材料待单位负责人确认，只读；如需修改请单位负责人退回填报人",
    State.SUBMITTED: "该自评材料待审核，只读；财政局开始审核前可以撤回后修改",
    State.IN_REVIEW: "该自评材料审核中，只读；如需修改请联系审核人退回",
    State.APPROVED: "该自评材料已通过，只读；如需修改请联系财政局重新打开",
}
TOO_LATE = {
    (Move.WITHDRAW, State.IN_REVIEW): "财政局已开始审核，不能撤回；如需修改请联系审核人退回",
    (Move.WITHDRAW, State.APPROVED): "该自评材料已通过，不能撤回；如需修改请联系财政局重新打开",
}


def refusal(user, evaluation: Evaluation, action: Action) -> str | None:
    """Why this user may not do this to a visible evaluation, or None when they may."""
    if action == "view":
        return None
    if action == "edit":
        if not _is_member(user, evaluation):
            return "只有本单位的填报人或单位负责人可以修改自评材料"
        return None if evaluation.editable else READ_ONLY[evaluation.state]
    if action == "comment":
        # each side while the package is in its hands: the unit filling in, the head signing off, the reviewer reviewing
        if ((evaluation.editable and _is_member(user, evaluation))
                or (evaluation.state == State.AWAITING_HEAD and _is_head(user, evaluation))
                or (evaluation.state == State.IN_REVIEW and _is_reviewer(user, evaluation))):
            return None
        return "现在不能发表意见：单位在填报中或退回后、单位负责人在确认时、审核人在审核中发表意见"
    if action == "assign":
        return None if _is_bureau(user, evaluation) else "只有本财政局的审核人或管理员可以分配审核人"
    allowed, who = MOVERS[action]
    if not allowed(user, evaluation):
        return who
    if not can_proceed(getattr(evaluation, action)):
        return TOO_LATE.get((action, evaluation.state), f"该自评材料{evaluation.get_state_display()}，现在不能{Move(action).label}")
    return None


def evaluation_for(user, pk: int, action: Action = "view", for_update: bool = False) -> Evaluation:
    qs = visible(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    evaluation = qs.filter(pk=pk).first()
    if evaluation is None:
        raise Http404("没有这份自评材料，或您无权查看")
    if reason := refusal(user, evaluation, action):
        raise PermissionDenied(reason)
    return evaluation


def may(user, evaluation: Evaluation, action: Action) -> bool:
    return refusal(user, evaluation, action) is None


def context(request) -> dict:
    """Template context: the signed-in person's role, for menus, and their unread messages
    (one query on every page, on the recipient/read_at index)."""
    me = profile_of(request.user)
    unread = Notification.objects.filter(recipient=request.user, read_at=None).count() if request.user.is_authenticated else 0
    return {"me": me, "role": me.role if me else None, "unread": unread}
