"""Rubrics in the UI: list, show one as its scoring table, choose one per bureau and year."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ...rubric.choose import AUTO
from ...rubric.loader import CompiledRubric, RubricError, load_rubric, rubric_files
from ...rubric.methods import num
from ...render.rubric_table import rubric_facts, scoring_table
from .. import services
from ..access import bureaus_of, may_choose_rubrics, role_of, visible
from ..models import Bureau, Evaluation, Role, RubricChoice

KINDS = {"department": "部门整体", "project": "项目支出"}


@dataclass
class Entry:
    """One rubric file: loaded, or the first reason it cannot be used."""

    id: str
    file: str
    compiled: CompiledRubric | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def rubric(self):
        return self.compiled.rubric if self.compiled else None

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.rubric.kind, self.rubric.kind) if self.rubric else ""


def _problem(text: str, path: Path) -> str:
    # Officers need the file name and line, not where the server keeps its files.
    return text.replace(str(path), path.name)


def catalogue() -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    for file in rubric_files():
        entry = Entry(file.stem, file.name)
        if file.stem in seen:
            # find_rubric takes the first file of an id; say so instead of listing two of them.
            entry.problems = [f"{file.name}：与前面的同名评分规则重复，此文件不会被使用"]
        else:
            try:
                entry.compiled = load_rubric(file)
            except RubricError as exc:
                entry.problems = [_problem(p, file) for p in exc.problems] or ["无法读取"]
        seen.add(file.stem)
        entries.append(entry)
    return entries


def usable(entries: list[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries if e.compiled is not None}


class ChoiceForm(forms.Form):
    bureau = forms.ModelChoiceField(Bureau.objects.all(), label="财政局", empty_label=None,
                                    error_messages={"invalid_choice": "没有这个财政局"})
    fiscal_year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    department_rubric = forms.CharField(label="部门整体评分规则", max_length=100, widget=forms.Select)
    project_rubric = forms.CharField(label="项目支出评分规则", max_length=100, widget=forms.Select)

    def __init__(self, *args, bureaus, rubrics: dict[str, Entry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rubrics = rubrics
        self.fields["bureau"].queryset = bureaus
        for name, kind in (("department_rubric", "department"), ("project_rubric", "project")):
            self.fields[name].widget.choices = [(e.id, f"{e.rubric.title}（{e.id}）") for e in rubrics.values() if e.rubric.kind == kind]
        self.fields["project_rubric"].widget.choices.insert(0, (AUTO, services.rubric_title(AUTO)))

    def _rubric(self, name: str, kind: str) -> str:
        ref = self.cleaned_data[name].strip()
        if ref == AUTO and kind == "project":
            return ref
        entry = self.rubrics.get(ref)
        if entry is None:
            raise forms.ValidationError(f"没有可用的评分规则“{ref}”")
        if entry.rubric.kind != kind:
            raise forms.ValidationError(f"“{ref}”是{entry.kind_label}评分规则，不能用作{KINDS[kind]}评分规则")
        return ref

    def clean_department_rubric(self) -> str:
        return self._rubric("department_rubric", "department")

    def clean_project_rubric(self) -> str:
        return self._rubric("project_rubric", "project")


def _viewer(request: HttpRequest) -> str:
    role = role_of(request.user)
    if role is None:
        raise PermissionDenied("您的账号尚未分配角色，请联系管理员")
    return role


def _list(request: HttpRequest, form: ChoiceForm | None = None, entries: list[Entry] | None = None, status: int = 200) -> HttpResponse:
    entries = catalogue() if entries is None else entries
    shown = usable(entries)
    choosable = Bureau.objects.filter(pk__in=[b.pk for b in bureaus_of(request.user) if may_choose_rubrics(request.user, b.pk)])
    if form is not None:
        form.fields["bureau"].queryset = choosable  # a refused bureau was never offered
    elif choosable.exists():
        years = visible(request.user).values_list("fiscal_year", flat=True).order_by("-fiscal_year")
        department, project = services.DEFAULT_RUBRICS
        form = ChoiceForm(bureaus=choosable, rubrics=shown, initial={
            "fiscal_year": years.first() or timezone.localdate().year - 1,
            "department_rubric": department, "project_rubric": project,
        })
    choices = RubricChoice.objects.filter(bureau__in=bureaus_of(request.user)).select_related("bureau").order_by("bureau__name", "-fiscal_year")
    return render(request, "web/rubrics.html", {
        "entries": entries,
        "form": form,
        "choices": [(c, shown.get(c.department_rubric), shown.get(c.project_rubric)) for c in choices],
        "defaults": [shown.get(r) or services.rubric_title(r) for r in services.DEFAULT_RUBRICS],
        "auto_title": services.rubric_title(AUTO),
    }, status=status)


@login_required
@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    return _list(request)


@login_required
@require_GET
def rubric_page(request: HttpRequest, rubric_id: str) -> HttpResponse:
    _viewer(request)
    # The first file of an id is the one scoring uses; later namesakes are only listed.
    entry = next((e for e in catalogue() if e.id == rubric_id), None)
    if entry is None:
        raise Http404("没有这个评分规则")
    context: dict = {"entry": entry}
    if entry.compiled is not None:
        rubric = entry.rubric
        context.update({
            "rubric": rubric,
            "lines": (lines := scoring_table(entry.compiled)),
            "execution": lines[0] if rubric.execution is not None else None,
            "grades": [(g.grade, num(g.min)) for g in sorted(rubric.grades, key=lambda g: g.min, reverse=True)],
            "quantitative": rubric.indicators.quantitative.describe(Decimal(0)) if rubric.indicators else "",
            "qualitative": rubric.indicators.qualitative.describe(Decimal(0)) if rubric.indicators else "",
            "without_satisfaction": "、".join(f"{k} {num(v)} 分" for k, v in rubric.without_satisfaction.items()),
            "total": num(rubric.total),
            "facts": rubric_facts(rubric),
        })
    return render(request, "web/rubric.html", context)


def choose(bureau: Bureau, year: int, department: str, project: str) -> tuple[int, int]:
    """Set the bureau's rubrics for a year (here, and on opening a round) and re-score that
    year's stored summaries; returns how many were re-scored and how many could not be."""
    with transaction.atomic():
        RubricChoice.objects.update_or_create(
            bureau=bureau, fiscal_year=year,
            defaults={"department_rubric": department, "project_rubric": project},
        )
        return _refresh(bureau, year)


def _refresh(bureau: Bureau, year: int) -> tuple[int, int]:
    """Re-score the stored summaries the dashboard and queue read; broken documents get none."""
    done = broken = 0
    for evaluation in Evaluation.objects.filter(unit__bureau=bureau, fiscal_year=year).select_related("unit"):
        if services.refresh_summary(evaluation):
            done += 1
        else:
            broken += 1
    return done, broken


@login_required
@require_POST
def rubric_choose(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有财政局审核人或管理员可以选择评分规则")
    entries = catalogue()
    form = ChoiceForm(request.POST, bureaus=Bureau.objects.all(), rubrics=usable(entries))
    valid = form.is_valid()
    bureau: Bureau | None = form.cleaned_data.get("bureau")
    # Refuse another bureau before reporting form errors, so a refusal never depends on the rest of the form.
    if bureau is not None and not may_choose_rubrics(request.user, bureau.pk):
        raise PermissionDenied(f"您不能为{bureau.name}选择评分规则")
    if not valid:
        return _list(request, form, entries, status=400)
    year = form.cleaned_data["fiscal_year"]
    department, project = form.cleaned_data["department_rubric"], form.cleaned_data["project_rubric"]
    done, broken = choose(bureau, year, department, project)
    text = f"已保存：{bureau.name} {year} 年度部门整体按“{department}”、项目支出按“{project}”评分；已按新规则重新核算 {done} 份自评材料"
    messages.success(request, text + (f"，另有 {broken} 份材料数据有误无法核算" if broken else "") + "。")
    return redirect("rubrics")


urlpatterns = [
    path("", rubric_list, name="rubrics"),
    path("choose", rubric_choose, name="rubric-choose"),
    path("<slug:rubric_id>/", rubric_page, name="rubric"),
]
