"""The bureau's rounds (年度自评安排): open one — the year, its rubrics (checked as on the rubrics
page and saved as the bureau's choice for the year), the deadline and the units taking part —
and follow each round's progress. Units see their rounds on their evaluation list (views/unit.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from .. import campaigns, services
from ..access import bureaus_of, may_choose_rubrics, role_of
from ..models import Bureau, Campaign, Role, Unit
from .forms import PAGE_SIZE
from .rubrics import ChoiceForm, catalogue, choose, usable


class CampaignForm(ChoiceForm):
    """The rubric choice's fields (same checks), with the round's deadline and units."""

    deadline = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": "请按 年-月-日 填写截止日期"})
    units = forms.ModelMultipleChoiceField(
        Unit.objects.none(), label="参加单位", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="不选即本局全部单位参加", error_messages={"invalid_choice": "没有这个单位", "invalid_pk_value": "没有这个单位"},
    )

    def __init__(self, *args, bureaus, rubrics, **kwargs) -> None:
        super().__init__(*args, bureaus=bureaus, rubrics=rubrics, **kwargs)
        self.offer(bureaus)

    def offer(self, bureaus) -> None:
        """The bureaus (and their units) the form accepts, or, re-shown, offers."""
        self.fields["bureau"].queryset = bureaus
        self.fields["units"].queryset = Unit.objects.filter(bureau__in=bureaus).select_related("bureau")
        several = bureaus.count() > 1  # an administrator's form lists every bureau's units
        self.fields["units"].label_from_instance = lambda u: f"{u.name}（{u.bureau.name}）" if several else u.name

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < campaigns.today():
            raise forms.ValidationError("截止日期不能早于今天")
        return deadline

    def clean(self) -> dict:
        data = super().clean()
        bureau, year = data.get("bureau"), data.get("fiscal_year")
        if bureau is None:
            return data
        chosen = list(data.get("units") or bureau.units.all())
        if any(unit.bureau_id != bureau.pk for unit in chosen):
            self.add_error("units", f"所选单位须都是{bureau.name}所辖的单位")
        elif not chosen:
            self.add_error("units", f"{bureau.name}还没有预算单位，请管理员先在系统管理中添加")
        data["units"] = chosen
        if year is not None and Campaign.objects.filter(bureau=bureau, fiscal_year=year).exists():
            self.add_error("fiscal_year", f"{bureau.name} {year} 年度的自评工作已经安排；如需改截止日期或单位，请联系管理员")
        return data


def _bureau_side(request: HttpRequest) -> None:
    if role_of(request.user) not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("年度自评安排仅供财政局审核人和管理员使用")


def _page(request: HttpRequest, form: CampaignForm | None = None, status: int = 200) -> HttpResponse:
    choosable = Bureau.objects.filter(pk__in=[b.pk for b in bureaus_of(request.user) if may_choose_rubrics(request.user, b.pk)])
    if form is None:
        department, project = services.DEFAULT_RUBRICS
        form = CampaignForm(bureaus=choosable, rubrics=usable(catalogue()), initial={
            "fiscal_year": campaigns.today().year - 1, "department_rubric": department, "project_rubric": project,
        })
    else:
        form.offer(choosable)  # a refused bureau, or its units, was never offered
    rounds = Campaign.objects.filter(bureau__in=bureaus_of(request.user)).select_related("bureau")
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    today = campaigns.today()
    return render(request, "web/campaigns.html", {
        "form": form if choosable.exists() else None,
        "rounds": [(c, campaigns.days_left(c.deadline, today), campaigns.progress(c, today)) for c in page],
        "page": page,
    }, status=status)


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    _bureau_side(request)
    return _page(request)


@login_required
@require_POST
def campaign_open(request: HttpRequest) -> HttpResponse:
    _bureau_side(request)
    form = CampaignForm(request.POST, bureaus=Bureau.objects.all(), rubrics=usable(catalogue()))
    valid = form.is_valid()
    bureau: Bureau | None = form.cleaned_data.get("bureau")
    # Refuse another bureau before reporting form errors, as the rubric choice does.
    if bureau is not None and not may_choose_rubrics(request.user, bureau.pk):
        raise PermissionDenied(f"您不能为{bureau.name}安排自评工作")
    if not valid:
        return _page(request, form, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        campaign = campaigns.open_round(bureau, data["fiscal_year"], data["deadline"], data["units"], request.user)
        done, broken = choose(bureau, campaign.fiscal_year, data["department_rubric"], data["project_rubric"])
    messages.success(request, (
        f"已安排{campaign}：{len(data['units'])} 个单位参加，{campaign.deadline:%Y-%m-%d} 截止；"
        f"部门整体按“{data['department_rubric']}”、项目支出按“{data['project_rubric']}”评分，已重新核算 {done} 份自评材料"
        + (f"，另有 {broken} 份材料数据有误无法核算" if broken else "") + "。"
    ))
    return redirect("campaigns")


urlpatterns = [
    path("", campaign_list, name="campaigns"),
    path("open", campaign_open, name="campaign-open"),
]
