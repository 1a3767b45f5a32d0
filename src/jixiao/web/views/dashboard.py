"""The bureau's dashboard (ECharts from our own static files) and the overview export.

Everything here reads the summary stored on each evaluation, never re-scores: the dashboard
must stay fast with hundreds of units, and the summary is refreshed whenever figures or the
bureau's rubric choice change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, DecimalException
from io import BytesIO
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from ...audit import CHECKS
from ...rubric.results import UNDETERMINED
from .. import campaigns
from ..access import role_of, units_of, visible
from ..batch_charts import batch_charts
from ..models import Evaluation, Role

GRADES = ("优", "良", "中", "差")
TITLES = {check.code: check.title for check in CHECKS}
# Execution-rate bands in percent, each up to (not including) its bound; exactly 100% and
# over-execution are kept apart because over-execution is itself an audit finding.
RATE_BANDS = ((Decimal(60), "60% 以下"), (Decimal(80), "60%—80%"), (Decimal(90), "80%—90%"), (Decimal(100), "90%—100%"))
FULL, OVER = "100%", "超过 100%"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (("单位", 32), ("年度", 8), ("状态", 10), ("填报总分", 11), ("核算总分", 11), ("填报等级", 10),
           ("核算等级", 10), ("错误", 8), ("警告", 8), ("提示", 8), ("已说明", 8), ("项目数", 8),
           ("上年核算总分", 13), ("较上年", 10))
BUREAU_COLUMN = ("财政局", 24)  # for an administrator, who sees every bureau's units


def _decimal(value) -> Decimal | None:
    """A summary number, or None: blank (not computed) must never turn into 0."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (DecimalException, ValueError):
        return None
    return number if number.is_finite() else None


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _float(value: Decimal | None, places: str = "0.01") -> float | None:
    return None if value is None else float(value.quantize(Decimal(places)))


@dataclass
class Row:
    """One evaluation as the dashboard and the export read it."""

    evaluation: Evaluation
    stated: Decimal | None
    total: Decimal | None
    stated_grade: str | None
    grade: str | None
    errors: int | None
    warnings: int | None
    infos: int | None
    waived: int | None
    projects: int | None
    rates: list[Decimal]
    undetermined: str | None = None
    last_total: Decimal | None = None  # the unit's rescored total of the year before

    @property
    def change(self) -> Decimal | None:
        return None if self.total is None or self.last_total is None else self.total - self.last_total

    @classmethod
    def of(cls, evaluation: Evaluation) -> Row:
        s = evaluation.summary if isinstance(evaluation.summary, dict) else {}
        rates = [r for item in s.get("execution_rates") or [] if isinstance(item, dict)
                 if (r := _decimal(item.get("rate"))) is not None]
        return cls(evaluation, _decimal(s.get("stated_total")), _decimal(s.get("total")), s.get("stated_grade") or None,
                   s.get("grade") or None, _count(s.get("errors")), _count(s.get("warnings")), _count(s.get("infos")),
                   _count(s.get("waived")), _count(s.get("projects")), rates,
                   s.get("undetermined") or None)

    @property
    def mean_rate(self) -> Decimal | None:
        return _mean(self.rates)

    @property
    def name(self) -> str:
        return self.evaluation.unit.name


def _allowed(request: HttpRequest) -> None:
    if role_of(request.user) not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("统计分析仅供财政局审核人和管理员使用")


def _year(request: HttpRequest, years: list[int]) -> int | None:
    raw = (request.GET.get("year") or "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return years[0] if years else None


def _selection(request: HttpRequest) -> tuple[list[int], int | None, QuerySet[Evaluation]]:
    _allowed(request)
    everything = visible(request.user)
    years = sorted(set(everything.values_list("fiscal_year", flat=True)), reverse=True)
    year = _year(request, years)
    chosen = everything.filter(fiscal_year=year) if year is not None else everything.none()
    chosen = campaigns.flag_overdue(chosen, campaigns.today())
    # the dashboard reads the stored summaries only: whole documents stay in the database
    return years, year, chosen.defer("document", "notices").order_by("unit__bureau__name", "unit__name")


def _rows(request: HttpRequest, year: int | None, chosen: QuerySet[Evaluation]) -> list[Row]:
    """Each evaluation with its unit's total of the year before (year over year, per unit)."""
    rows = [Row.of(e) for e in chosen]
    if year is not None:
        before = visible(request.user).filter(fiscal_year=year - 1, unit__in=[r.evaluation.unit_id for r in rows])
        last = {e.unit_id: Row.of(e).total for e in before.only("unit_id", "summary")}
        for row in rows:
            row.last_total = last.get(row.evaluation.unit_id)
    return rows


def _rate_band(rate: Decimal) -> str:
    for bound, label in RATE_BANDS:
        if rate < bound:
            return label
    return FULL if rate == 100 else OVER


def _charts(rows: list[Row], show_bureau: bool) -> dict:
    def label(row: Row) -> str:
        return f"{row.name}（{row.evaluation.unit.bureau.name}）" if show_bureau else row.name

    graded = [r.grade or UNDETERMINED for r in rows if r.grade or r.undetermined]
    grade_names = list(GRADES) + sorted({g for g in graded if g not in GRADES and g != UNDETERMINED}) + [UNDETERMINED]
    bands = {label: 0 for label in (*(b[1] for b in RATE_BANDS), FULL, OVER)}
    for row in rows:
        for rate in row.rates:
            bands[_rate_band(rate)] += 1
    codes: dict[str, int] = {}
    for row in rows:
        found = row.evaluation.summary.get("findings_by_code") if isinstance(row.evaluation.summary, dict) else None
        for code, count in (found or {}).items():
            if _count(count):
                codes[code] = codes.get(code, 0) + count
    # Ascending, because ECharts draws horizontal bars bottom-up: the largest ends on top.
    by_count = sorted(codes.items(), key=lambda kv: (kv[1], kv[0]))
    ranked = sorted((r for r in rows if r.total is not None), key=lambda r: r.total)
    return {
        "grades": {"labels": grade_names, "values": [graded.count(g) for g in grade_names]},
        "scores": {"units": [label(r) for r in rows], "stated": [_float(r.stated) for r in rows],
                   "total": [_float(r.total) for r in rows]},
        "rates": {"bands": list(bands), "counts": list(bands.values()),
                  "units": [label(r) for r in rows], "means": [_float(r.mean_rate) for r in rows]},
        "findings": {"labels": [f"{TITLES.get(c, c)}（{c}）" for c, _ in by_count], "values": [n for _, n in by_count]},
        "ranking": {"units": [label(r) for r in ranked], "total": [_float(r.total) for r in ranked]},
    }


def _overdue(request: HttpRequest, year: int | None, rows: list[Row]) -> tuple[int, list[str]]:
    """How many units of the year's rounds are overdue, and those without an evaluation at all
    (the table cannot flag them: they have no row)."""
    late = list(campaigns.overdue(campaigns.today()).filter(campaign__fiscal_year=year, unit__in=units_of(request.user))
                .select_related("unit").order_by("unit__name"))
    started = {r.evaluation.unit_id for r in rows}
    return len(late), [p.unit.name for p in late if p.unit_id not in started]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Above ``JIXIAO_BATCH_THRESHOLD`` evaluations the grade, rate and findings charts come
    from the bureau's batch results (``web/batch_charts.py``)."""
    years, year, chosen = _selection(request)
    rows = _rows(request, year, chosen)
    overdue, not_started = _overdue(request, year, rows)
    show_bureau = role_of(request.user) == Role.ADMIN
    totals = [r.total for r in rows if r.total is not None]
    rates = [rate for r in rows for rate in r.rates]
    charts = _charts(rows, show_bureau)
    batch = batch_charts(request.user, year, len(rows))
    if batch:
        charts.update(grades=batch["grades"], findings=batch["findings"],
                      rates={**charts["rates"], "bands": batch["rate_bands"]["bands"], "counts": batch["rate_bands"]["counts"]})
    return render(request, "web/dashboard.html", {
        "years": years,
        "year": year,
        "rows": rows,
        "show_bureau": show_bureau,
        "charts": charts,
        "batch": batch,
        "overview": {
            "count": len(rows),
            "approved": sum(1 for r in rows if r.evaluation.state == "approved"),
            "mean_total": _mean(totals),
            "scored": len(totals),
            "mean_rate": _mean(rates),
            "errors": sum(r.errors or 0 for r in rows),
            "waived": sum(r.waived or 0 for r in rows),
            "overdue": overdue,
            "not_started": not_started,
        },
    })


def _workbook(rows: list[Row], year: int | None, show_bureau: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year} 年度" if year else "绩效自评"
    columns = (COLUMNS[0], BUREAU_COLUMN, *COLUMNS[1:]) if show_bureau else COLUMNS
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        e = r.evaluation
        shown = r.total if r.total is not None or not r.undetermined else UNDETERMINED
        sheet.append([e.unit.name, *([e.unit.bureau.name] if show_bureau else []), e.fiscal_year, e.get_state_display(), r.stated, shown,
                      r.stated_grade, r.grade or (UNDETERMINED if r.undetermined else None),
                      r.errors, r.warnings, r.infos, r.waived, r.projects, r.last_total, r.change])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a unit named “=HYPERLINK(…)” is text, never a formula
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if columns[cell.column - 1][0] in ("填报总分", "核算总分", "上年核算总分", "较上年"):
                cell.number_format = "0.00"
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@login_required
@require_GET
def export_overview(request: HttpRequest) -> HttpResponse:
    _, year, chosen = _selection(request)
    show_bureau = role_of(request.user) == Role.ADMIN
    response = HttpResponse(_workbook(_rows(request, year, chosen), year, show_bureau), content_type=XLSX)
    filename = f"绩效自评汇总-{year}年度.xlsx" if year else "绩效自评汇总.xlsx"
    # An ASCII fallback first for old clients; modern browsers take the UTF-8 name.
    fallback = f"jixiao-overview-{year}.xlsx" if year else "jixiao-overview.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return response


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("export.xlsx", export_overview, name="dashboard-export"),
]
