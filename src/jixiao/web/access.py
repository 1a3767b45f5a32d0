"""Who may see and do what: the one place every page and API endpoint asks.

An evaluation outside the user's reach is a 404 (its existence is not disclosed); one the user
may see but not change in its current state is a 403 with the reason.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import UNIT_ROLES, Bureau, Evaluation, Profile, Role, State, Unit

Action = Literal["view", "edit", "submit", "review"]


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
        return Unit.objects.filter(bureau=me.bureau_id)
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


def visible(user) -> QuerySet[Evaluation]:
    """The evaluations this user may read: a unit's own, a bureau's units', or all for an admin."""
    me = profile_of(user)
    qs = Evaluation.objects.select_related("unit", "unit__bureau")
    if me is None:
        return qs.none()
    if me.role == Role.ADMIN:
        return qs
    if me.role == Role.REVIEWER:
        return qs.filter(unit__bureau=me.bureau_id)
    return qs.filter(unit=me.unit_id)


def is_unit_member(user, unit_id: int) -> bool:
    me = profile_of(user)
    return me is not None and me.role in UNIT_ROLES and me.unit_id == unit_id


def is_reviewer_of(user, bureau_id: int) -> bool:
    me = profile_of(user)
    return me is not None and me.role == Role.REVIEWER and me.bureau_id == bureau_id


def may_choose_rubrics(user, bureau_id: int) -> bool:
    me = profile_of(user)
    return me is not None and (me.role == Role.ADMIN or is_reviewer_of(user, bureau_id))


def refusal(user, evaluation: Evaluation, action: Action) -> str | None:
    """Why this user may not do this to a visible evaluation, or None when they may."""
    if action == "view":
        return None
    if action in ("edit", "submit"):
        if not is_unit_member(user, evaluation.unit_id):
            return "只有本单位的填报人或单位负责人可以修改、提交自评材料"
        if not evaluation.editable:
            return f"该自评材料{evaluation.get_state_display()}，只读；如需修改请联系审核人退回"
        return None
    if not is_reviewer_of(user, evaluation.unit.bureau_id):
        return "只有本财政局的审核人可以审核"
    if evaluation.state != State.SUBMITTED:
        return f"该自评材料{evaluation.get_state_display()}，不在待审核状态"
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
    """Template context: the signed-in person's role, for menus."""
    me = profile_of(request.user)
    return {"me": me, "role": me.role if me else None}
