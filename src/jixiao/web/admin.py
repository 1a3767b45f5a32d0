"""The administrator's pages (Django admin, in Chinese): bureaus, units, people and roles,
rubric choices. Evaluations are shown read-only with their history: they change only through
the units' forms and the review loop, so that every change has its reason on record."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bureau, Campaign, Comment, Evaluation, Evidence, Notification, Participation, Profile, RubricChoice, Unit, Waiver

admin.site.site_header = admin.site.site_title = "绩效自评系统管理"
admin.site.index_title = "系统管理"


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "bureau"]
    list_filter = ["bureau"]
    autocomplete_fields = ["parent"]
    search_fields = ["name", "code"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = "角色"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "role", "place", "is_active"]

    @admin.display(description="角色")
    def role(self, user) -> str:
        return user.profile.get_role_display() if hasattr(user, "profile") else "—"

    @admin.display(description="单位 / 财政局")
    def place(self, user) -> str:
        profile = getattr(user, "profile", None)
        return str(profile.unit or profile.bureau or "—") if profile else "—"


@admin.register(RubricChoice)
class RubricChoiceAdmin(admin.ModelAdmin):
    list_display = ["bureau", "fiscal_year", "department_rubric", "project_rubric"]
    list_filter = ["bureau", "fiscal_year"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    readonly_fields = ["reminded"]


# Opened by the bureau on its page (so the rubrics are set with it); here a deadline moves or a unit joins.
@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["bureau", "fiscal_year", "deadline", "opened_by", "created"]
    list_filter = ["bureau", "fiscal_year"]
    readonly_fields = ["bureau", "fiscal_year", "opened_by"]  # the year's rubric choice was set for these
    inlines = [ParticipationInline]

    def has_add_permission(self, request) -> bool:
        return False


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["unit", "fiscal_year", "state", "version", "updated"]
    list_filter = ["state", "fiscal_year", "unit__bureau"]
    search_fields = ["unit__name"]
    exclude = ["document"]


@admin.register(Waiver)
class WaiverAdmin(ReadOnly):
    list_display = ["evaluation", "code", "reason", "author", "created"]


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ["evaluation", "text", "author", "created"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "evaluation", "row", "kind", "size", "sha256", "uploader", "uploaded", "submitted"]
    list_filter = ["kind", "submitted"]
    search_fields = ["name", "sha256", "evaluation__unit__name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # removed only by the unit, before submission, through its page


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["recipient", "text", "created", "read_at"]
    list_filter = ["read_at"]
