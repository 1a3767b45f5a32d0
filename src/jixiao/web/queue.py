"""The bureau's queue as a query: search, filters and sorting over what is stored beside each
document (the audit summary, the project names), so that a page of hundreds never loads or
re-scores a document. Views parse the request into Criteria and render what this returns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.db.models import Count, F, FloatField, IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import QueryDict

from . import campaigns
from .access import units_of, visible
from .models import Evaluation, State, Unit

# The reviewer's work first, then what is still with the units.
STATES = {
    **{s: State(s).label for s in (State.SUBMITTED, State.IN_REVIEW, State.RETURNED, State.APPROVED, State.AWAITING_HEAD, State.DRAFT)},
    "all": "全部",
}
GRADES = ("优", "良", "中", "差")
ERRORS = {"open": "有未修正的错误", "none": "没有未修正的错误"}
# Each sort key with its direction; the primary key last, so that pages never overlap.
SORTS = {
    "-updated": ("更新时间（新→旧）", (F("updated").desc(), "-pk")),
    "updated": ("更新时间（旧→新）", (F("updated").asc(), "pk")),
    "unit": ("单位名称（升序）", ("unit__name", "pk")),
    "-unit": ("单位名称（降序）", (F("unit__name").desc(), "-pk")),
    "-total": ("核算总分（高→低）", (F("total_value").desc(nulls_last=True), "unit__name", "pk")),
    "total": ("核算总分（低→高）", (F("total_value").asc(nulls_last=True), "unit__name", "pk")),
    "-errors": ("未修正错误（多→少）", (F("open_value").desc(nulls_last=True), "unit__name", "pk")),
    "errors": ("未修正错误（少→多）", (F("open_value").asc(nulls_last=True), "unit__name", "pk")),
}
SEARCH_LENGTH = 100


@dataclass(frozen=True)
class Criteria:
    """What the reviewer asked the queue for; every value checked against what is offered."""

    state: str = State.SUBMITTED
    search: str = ""
    grade: str = ""
    errors: str = ""
    department: int | None = None
    mine: bool = False
    overdue: bool = False
    sort: str = "-updated"

    @classmethod
    def of(cls, data: QueryDict) -> Criteria:
        department = (data.get("department") or "").strip()
        return cls(
            state=data.get("state") if data.get("state") in STATES else State.SUBMITTED,
            search=(data.get("q") or "").strip()[:SEARCH_LENGTH],
            grade=data.get("grade") if data.get("grade") in GRADES else "",
            errors=data.get("errors") if data.get("errors") in ERRORS else "",
            department=int(department) if department.isdigit() and len(department) < 10 else None,
            mine=data.get("mine") == "1",
            overdue=data.get("overdue") == "1",
            sort=data.get("sort") if data.get("sort") in SORTS else "-updated",
        )

    def query(self, **changes) -> str:
        """These criteria as a query string (without the page), with ``changes`` applied."""
        c = replace(self, **changes)
        pairs = {"state": c.state, "q": c.search, "grade": c.grade, "errors": c.errors,
                 "department": c.department or "", "mine": "1" if c.mine else "", "overdue": "1" if c.overdue else "", "sort": c.sort}
        return urlencode({k: v for k, v in pairs.items() if v and not (k == "sort" and v == "-updated")})

    @property
    def narrowed(self) -> bool:
        """Whether anything besides the state tab and the order narrows the list."""
        return bool(self.search or self.grade or self.errors or self.department or self.mine or self.overdue)


# The direction a column's heading sorts by first; clicked again, the other.
FIRST = {"unit": "unit", "errors": "-errors", "total": "-total", "updated": "-updated"}


def sort_links(criteria: Criteria) -> dict[str, str]:
    """Each sortable column's heading link, as a query string."""
    def other(key: str) -> str:
        return key[1:] if key.startswith("-") else f"-{key}"

    return {column: criteria.query(sort=other(first) if criteria.sort == first else first) for column, first in FIRST.items()}


def _filtered(user, criteria: Criteria) -> QuerySet[Evaluation]:
    """The visible evaluations matching everything but the state tab."""
    qs = visible(user)
    if criteria.search:
        qs = qs.filter(Q(unit__name__icontains=criteria.search) | Q(project_names__icontains=criteria.search))
    if criteria.grade:
        qs = qs.filter(summary__grade=criteria.grade)
    if criteria.errors == "open":
        qs = qs.filter(summary__open_errors__gt=0)
    elif criteria.errors == "none":
        qs = qs.filter(summary__open_errors=0)
    if criteria.department:
        qs = qs.filter(Q(unit=criteria.department) | Q(unit__parent=criteria.department))
    if criteria.mine:
        qs = qs.filter(assigned_to=user)
    if criteria.overdue:
        qs = qs.filter(campaigns.is_overdue(campaigns.today()))
    return qs


def evaluations(user, criteria: Criteria) -> QuerySet[Evaluation]:
    """The queue's rows in the order asked for, each with its unit, department and assignee,
    and without the document."""
    qs = _filtered(user, criteria)
    if criteria.state != "all":
        qs = qs.filter(state=criteria.state)
    qs = qs.annotate(
        overdue=campaigns.is_overdue(campaigns.today()),
        total_value=Cast(KT("summary__total"), FloatField()),
        open_value=Cast(KT("summary__open_errors"), IntegerField()),
    )
    return (qs.select_related("unit__parent", "assigned_to").defer("document", "notices")
            .order_by(*SORTS[criteria.sort][1]))


def counts(user, criteria: Criteria) -> dict[str, int]:
    """How many of each state the other filters leave: the tabs' numbers, in one query."""
    found = {key: 0 for key in STATES if key != "all"}
    found.update(_filtered(user, criteria).order_by().values_list("state").annotate(n=Count("pk")))
    return found


def departments(user) -> QuerySet[Unit]:
    """The 主管部门 whose units this user reaches, for the filter."""
    return Unit.objects.filter(children__in=units_of(user)).distinct().order_by("name")
