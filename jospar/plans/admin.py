"""Plans in the admin: to look at, not to edit.

A plan changes only by importing its text (a new revision, with what changed, in the audit log)
or through the control services; editing rows here would bypass both, so the admin is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jospar.plans.models import (
    Activity,
    ActivityExecutor,
    GlossaryEntry,
    Plan,
    PlanRevision,
    PlanUpload,
)


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = PlanRevision
    fields = ("lang", "number", "source_filename", "imported_at", "imported_by")
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "__str__",
        "approved_on",
        "approval_number",
        "period_start",
        "period_end",
        "controller_organisation",
        "open_on_site",
    )
    list_filter = ("approved_on",)
    search_fields = ("title_kk", "title_ru", "approval_number")
    readonly_fields = (
        "title_kk",
        "title_ru",
        "approved_on",
        "approval_number",
        "period_start",
        "period_end",
        "controller_organisation",
        "created_at",
        "created_by",
    )
    inlines = [RevisionInline]

    @admin.display(description=_("on the site"))
    def open_on_site(self, obj: Plan) -> str:
        return format_html('<a href="{}">{}</a>', reverse("plans:detail", args=[obj.pk]), _("open"))


class ExecutorInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = ActivityExecutor
    fields = (
        "position",
        "code_kk",
        "code_ru",
        "organisation",
        "is_akimat_group",
        "lead",
        "by_agreement",
        "role_kk",
        "role_ru",
        "in_force",
    )
    readonly_fields = fields
    extra = 0


@admin.register(Activity)
class ActivityAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("number", "__str__", "plan", "window_start", "window_end", "in_force")
    list_filter = ("in_force",)
    list_select_related = ("plan",)
    search_fields = ("title_kk", "title_ru", "number")
    readonly_fields = (
        "plan",
        "number",
        "position",
        "section_kk",
        "section_ru",
        "title_kk",
        "title_ru",
        "completion_form_kk",
        "completion_form_ru",
        "deadline_text_kk",
        "deadline_text_ru",
        "controller",
        "financing_kk",
        "financing_ru",
        "window_start",
        "window_end",
        "report_dates",
        "warnings",
        "in_force",
    )
    inlines = [ExecutorInline]


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("plan", "lang", "number", "source_filename", "imported_at", "imported_by")
    list_filter = ("lang",)
    list_select_related = ("plan", "imported_by")
    exclude = ("parsed",)
    readonly_fields = (
        "plan",
        "lang",
        "number",
        "source_filename",
        "source_sha256",
        "source_text",
        "corrections",
        "changes",
        "warnings",
        "imported_at",
        "imported_by",
    )


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "organisation", "revision")
    list_select_related = ("organisation", "revision", "revision__plan")
    search_fields = ("code", "name")
    readonly_fields = ("revision", "code", "name", "organisation")


@admin.register(PlanUpload)
class PlanUploadAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("filename", "status", "lang", "uploaded_by", "uploaded_at")
    list_filter = ("status", "lang")
    list_select_related = ("uploaded_by",)
    exclude = ("parsed", "source_text")
    readonly_fields = (
        "filename",
        "status",
        "lang",
        "period_start",
        "period_end",
        "corrections",
        "target_plan",
        "saved_revision",
        "uploaded_by",
        "uploaded_at",
        "source_file",
        "error",
        "parsed_at",
    )
