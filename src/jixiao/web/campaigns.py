"""Self-evaluation rounds (年度自评安排): a bureau opens one for a year, with a deadline and the
units taking part. This module says how long each unit has left, which units are overdue (the
one definition the queue, the dashboard and the reminder share), and sends the reminder three
days before the deadline.

"Today" is an argument everywhere below: views and the command pass ``today()``, tests a
fixed date (or patch ``today``), so no result depends on when the suite runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from . import notify
from .models import Bureau, Campaign, Evaluation, Participation, State, Unit

# With the bureau or decided: a unit whose evaluation is in one of these has done its part.
# A package awaiting its head's sign-off has not reached the bureau yet.
SUBMITTED = (State.SUBMITTED, State.IN_REVIEW, State.APPROVED)
REMIND_DAYS = 3


def today() -> date:
    return timezone.localdate()


def days_left(deadline: date, on: date) -> str:
    days = (deadline - on).days
    if days > 0:
        return f"距截止还有 {days} 天"
    return "今天截止" if days == 0 else f"已逾期 {-days} 天"


def unsubmitted() -> QuerySet[Participation]:
    """Every unit in a round whose evaluation of the round's year is missing or still with the unit."""
    submitted = Evaluation.objects.filter(unit=OuterRef("unit"), fiscal_year=OuterRef("campaign__fiscal_year"), state__in=SUBMITTED)
    return Participation.objects.exclude(Exists(submitted))


def overdue(on: date) -> QuerySet[Participation]:
    """The units overdue on that day: in a round whose deadline has passed, not submitted.
    Narrow it with ``.filter(unit__in=access.units_of(user))`` or by ``campaign__fiscal_year``."""
    return unsubmitted().filter(campaign__deadline__lt=on)


def is_overdue(on: date) -> Exists:
    """An evaluation's overdue-ness as an expression: ``.filter(is_overdue(day))``."""
    return Exists(overdue(on).filter(unit=OuterRef("unit"), campaign__fiscal_year=OuterRef("fiscal_year")))


def flag_overdue(evaluations: QuerySet[Evaluation], on: date) -> QuerySet[Evaluation]:
    """The evaluations, each annotated ``overdue``."""
    return evaluations.annotate(overdue=is_overdue(on))


@dataclass
class Round:
    """A round as a unit sees it: its evaluation of the year (None before it starts one) and the time left."""

    campaign: Campaign
    evaluation: Evaluation | None
    left: str
    overdue: bool


def rounds_for(unit: Unit, on: date) -> list[Round]:
    """The unit's rounds it has still to submit for, the nearest deadline first."""
    pending = unsubmitted().filter(unit=unit).select_related("campaign", "campaign__bureau").order_by("campaign__deadline")
    campaigns = [p.campaign for p in pending]
    years = Evaluation.objects.filter(unit=unit, fiscal_year__in=[c.fiscal_year for c in campaigns]).defer("document", "notices")
    started = {e.fiscal_year: e for e in years}
    return [Round(c, started.get(c.fiscal_year), days_left(c.deadline, on), c.deadline < on) for c in campaigns]


def open_round(bureau: Bureau, fiscal_year: int, deadline: date, units: list[Unit], user) -> Campaign:
    """A new round; the caller sets the year's rubrics in the same transaction."""
    campaign = Campaign.objects.create(bureau=bureau, fiscal_year=fiscal_year, deadline=deadline, opened_by=user)
    Participation.objects.bulk_create([Participation(campaign=campaign, unit=unit) for unit in units])
    return campaign


def progress(campaign: Campaign, on: date) -> dict[str, int]:
    """How many units a round has, and how many of them have yet to submit (and are late)."""
    pending = unsubmitted().filter(campaign=campaign)
    return {
        "units": campaign.participations.count(),
        "pending": pending.count(),
        "overdue": pending.filter(campaign__deadline__lt=on).count(),
    }


def remind(on: date) -> int:
    """Remind the people of every unit in a round due within three days that has not submitted;
    once per unit and round however often it runs (``Participation.reminded``). Returns how
    many units were reminded."""
    due = unsubmitted().filter(
        reminded=None, campaign__deadline__gte=on, campaign__deadline__lte=on + timedelta(days=REMIND_DAYS),
    ).select_related("campaign", "campaign__bureau", "unit")
    sent = 0
    for participation in due:
        campaign, unit = participation.campaign, participation.unit
        with transaction.atomic():
            # Claimed by a conditional update: of two runs at once, only one reminds.
            if not Participation.objects.filter(pk=participation.pk, reminded=None).update(reminded=timezone.now()):
                continue
            evaluation = Evaluation.objects.filter(unit=unit, fiscal_year=campaign.fiscal_year).only("pk").first()
            notify.deadline_near(unit, campaign, (campaign.deadline - on).days, evaluation)
        sent += 1
    return sent
