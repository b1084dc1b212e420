"""The administrator's tools for the directory, users and the audit log.

Every change of state made here goes through the audited services: the admin's own saving and
deleting are replaced, so that the audit log holds the change as it does for every other way in.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.core.edge_fields import DateFormField
from jospar.core.errors import ServiceError
from jospar.core.models import (
    AuditEvent,
    Organisation,
    OrganisationAlias,
    Region,
    RoleGrant,
    Succession,
    SuccessionKind,
    User,
)
from jospar.core.services import (
    organisation_create,
    organisation_head_set,
    organisation_merge,
    organisation_update,
    region_update,
    role_grant,
    role_revoke,
    succession_record,
    succession_remove,
    user_save,
)
from jospar.core.services.organisations import (
    EDITABLE_FIELDS,
    organisation_head_validate,
    organisation_validate,
)


def _is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and isinstance(user, User) and user.is_administrator)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _apply_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    form.add_error(None, str(error.message))
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)


class AdministratorChanges:
    """Anyone with admin access may look; only an administrator changes the directory."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- regions -------------------------------------------------------------------------------


class RegionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Region
        fields = ("name_kk", "name_ru", "name_en", "former_names")
        widgets = {"former_names": forms.Textarea(attrs={"rows": 4, "cols": 80})}


@admin.register(Region)
class RegionAdmin(AdministratorChanges, admin.ModelAdmin):  # type: ignore[type-arg]
    form = RegionForm
    list_display = (
        "name_en",
        "name_kk",
        "name_ru",
        "code",
        "kind",
        "valid_from",
        "valid_to",
        "former_names_list",
        "akimat_link",
    )
    list_filter = ("kind",)
    search_fields = ("code", "name_kk", "name_ru", "name_en")
    readonly_fields = (
        "code",
        "kind",
        "valid_from",
        "valid_to",
        "predecessor_list",
        "boundary_summary",
        "bbox",
        "boundary_source",
    )
    fields = (
        "code",
        "kind",
        "name_kk",
        "name_ru",
        "name_en",
        "former_names",
        "valid_from",
        "valid_to",
        "predecessor_list",
        "boundary_summary",
        "bbox",
        "boundary_source",
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Regions come from ``load_regions``: their history and boundaries are data, not input.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return (
            super().get_queryset(request).select_related("akimat").prefetch_related("predecessors")
        )

    @admin.display(description=gettext_lazy("akimat"))
    def akimat_link(self, region: Region) -> str:
        akimat = getattr(region, "akimat", None)
        return str(akimat) if akimat is not None else "—"

    @admin.display(description=gettext_lazy("former names"))
    def former_names_list(self, region: Region) -> str:
        return region.former_names_display or "—"

    @admin.display(description=gettext_lazy("formed from"))
    def predecessor_list(self, region: Region) -> str:
        return ", ".join(str(p) for p in region.predecessors.all()) or "—"

    @admin.display(description=gettext_lazy("boundary"))
    def boundary_summary(self, region: Region) -> str:
        # The geometry itself is kilobytes of coordinates: a summary is what a person can check.
        if not region.boundary:
            return _("none")
        geometry = region.boundary
        polygons = (
            geometry["coordinates"]
            if geometry.get("type") == "MultiPolygon"
            else [geometry.get("coordinates", [])]
        )
        points = sum(len(ring) for polygon in polygons for ring in polygon)
        size = len(json.dumps(geometry, separators=(",", ":")))
        return _("%(type)s: %(parts)d part(s), %(points)d points, %(kb).1f KB") % {
            "type": geometry.get("type", "?"),
            "parts": len(polygons),
            "points": points,
            "kb": size / 1024,
        }

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        region_update(
            actor=_actor(request),
            region=obj,
            changes={name: form.cleaned_data[name] for name in form.changed_data},
            reason=_("Edited in the administration"),
        )


# --- organisations -------------------------------------------------------------------------


class AliasInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrganisationAlias
    fields = ("lang", "code", "name", "first_seen_on", "last_seen_on", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Names in documents are evidence: they come from the documents.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _SuccessionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Succession
    fields = ("predecessor", "successor", "kind", "on_date", "basis", "recorded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuccessionOutInline(_SuccessionInline):
    fk_name = "predecessor"
    verbose_name = gettext_lazy("successor")
    verbose_name_plural = gettext_lazy("successors")


class SuccessionInInline(_SuccessionInline):
    fk_name = "successor"
    verbose_name = gettext_lazy("predecessor")
    verbose_name_plural = gettext_lazy("predecessors")


class MergedFilter(admin.SimpleListFilter):
    title = gettext_lazy("merged")
    parameter_name = "merged"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Current records")), ("yes", _("Merged duplicates"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> QuerySet[Organisation]:
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        return queryset


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = (*EDITABLE_FIELDS, "head")
        help_texts = {
            "head": gettext_lazy(
                "Told when the organisation misses a control deadline. One of its own users; "
                "without one, its users holding the role “Head of organisation” are told."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        head = self.fields["head"]
        assert isinstance(head, forms.ModelChoiceField)
        # Only the organisation's own users can head it: a new record has none yet.
        head.queryset = (
            User.objects.filter(organisation_id=self.instance.pk, is_active=True).order_by(
                "last_name", "first_name", "username"
            )
            if self.instance.pk
            else User.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        probe = Organisation(pk=self.instance.pk)
        for name in EDITABLE_FIELDS:
            setattr(probe, name, cleaned.get(name, getattr(self.instance, name)))
        try:
            organisation_validate(probe)
            organisation_head_validate(probe, cleaned.get("head"))
        except ServiceError as error:
            _apply_service_error(self, error)
        return cleaned


class _LiveOrganisationField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} [{obj.get_kind_display()}]"


class MergeForm(forms.Form):
    into = _LiveOrganisationField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Merge into"),
        help_text=gettext_lazy("The record that stays; the selected ones become its duplicates."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )

    def __init__(self, *args: Any, exclude: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(merged_into__isnull=True).exclude(
            pk__in=exclude
        )


class SuccessionForm(forms.Form):
    successor = _LiveOrganisationField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Successor")
    )
    kind = forms.ChoiceField(choices=SuccessionKind.choices, label=gettext_lazy("Kind"))
    on_date = DateFormField(
        required=False,
        label=gettext_lazy("Date"),
        help_text=gettext_lazy(
            "YYYY-MM-DD. The predecessor ends the day before, where its end "
            "is empty (not for a transfer of functions)."
        ),
    )
    basis = forms.CharField(
        required=False,
        max_length=500,
        label=gettext_lazy("Basis (act)"),
        widget=forms.TextInput(attrs={"size": 80}),
    )

    def __init__(self, *args: Any, exclude: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(merged_into__isnull=True).exclude(
            pk__in=exclude
        )


@admin.register(Organisation)
class OrganisationAdmin(AdministratorChanges, admin.ModelAdmin):  # type: ignore[type-arg]
    form = OrganisationForm
    list_display = (
        "__str__",
        "kind",
        "abbr_kk",
        "abbr_ru",
        "region",
        "valid_from",
        "valid_to",
        "merged_into",
        "head",
    )
    list_filter = ("kind", MergedFilter)
    search_fields = (
        "name_kk",
        "name_ru",
        "name_en",
        "abbr_kk",
        "abbr_ru",
        "aliases__code",
        "aliases__name",
    )
    list_select_related = ("region", "merged_into", "head")
    readonly_fields = ("region", "merged_into", "created_at")
    autocomplete_fields = ("parent",)
    inlines = (AliasInline, SuccessionInInline, SuccessionOutInline)
    actions = ("merge_into", "record_succession")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*EDITABLE_FIELDS, "head", *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        values = {
            name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data
        }
        if change:
            stored = Organisation.objects.get(pk=obj.pk)
            organisation_update(
                actor=_actor(request),
                organisation=stored,
                changes={name: values[name] for name in form.changed_data if name in values},
                reason=_("Edited in the administration"),
            )
            if "head" in form.changed_data:
                organisation_head_set(
                    actor=_actor(request),
                    organisation=stored,
                    head=form.cleaned_data.get("head"),
                    reason=_("Edited in the administration"),
                )
        else:
            created = organisation_create(
                actor=_actor(request), values=values, reason=_("Added in the administration")
            )
            obj.pk = created.pk

    def _action_page(
        self,
        request: HttpRequest,
        queryset: QuerySet[Organisation],
        *,
        action: str,
        title: str,
        intro: str,
        submit_label: str,
        form: forms.Form,
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/core/action_form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "intro": intro,
                "submit_label": submit_label,
                "form": form,
                "queryset": queryset,
                "action": action,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=gettext_lazy("Merge into…"))
    def merge_into(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> HttpResponse | None:
        if not _is_administrator(request):
            self.message_user(
                request, _("Only an administrator may merge records."), messages.ERROR
            )
            return None
        selected = list(queryset)
        ids = [org.pk for org in selected]
        form = MergeForm(request.POST if "apply" in request.POST else None, exclude=ids)
        if form.is_bound and form.is_valid():
            into = form.cleaned_data["into"]
            merged = 0
            for duplicate in selected:
                try:
                    organisation_merge(
                        actor=_actor(request),
                        duplicate=duplicate,
                        into=into,
                        reason=form.cleaned_data["reason"],
                    )
                except ServiceError as error:
                    if merged == 0 and len(selected) == 1:
                        _apply_service_error(form, error)
                        break
                    self.message_user(request, f"{duplicate}: {error.message}", messages.ERROR)
                else:
                    merged += 1
            if merged or len(selected) > 1:
                self.message_user(
                    request,
                    _("%(count)d record(s) merged into “%(into)s”.")
                    % {"count": merged, "into": into},
                    messages.SUCCESS if merged else messages.WARNING,
                )
                return None
        return self._action_page(
            request,
            queryset,
            action="merge_into",
            title=_("Merge into…"),
            intro=_(
                "These records will become duplicates of the one you choose: their names in "
                "documents, users, plan executors and obligations move to it."
            ),
            submit_label=_("Merge"),
            form=form,
        )

    @admin.action(description=gettext_lazy("Record succession…"))
    def record_succession(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> HttpResponse | None:
        if not _is_administrator(request):
            self.message_user(
                request, _("Only an administrator may record a succession."), messages.ERROR
            )
            return None
        selected = list(queryset)
        if len(selected) != 1:
            self.message_user(
                request, _("Select exactly one organisation: the predecessor."), messages.ERROR
            )
            return None
        predecessor = selected[0]
        form = SuccessionForm(
            request.POST if "apply" in request.POST else None, exclude=[predecessor.pk]
        )
        if form.is_bound and form.is_valid():
            try:
                succession_record(
                    actor=_actor(request),
                    predecessor=predecessor,
                    successor=form.cleaned_data["successor"],
                    kind=form.cleaned_data["kind"],
                    on_date=form.cleaned_data["on_date"],
                    basis=form.cleaned_data["basis"],
                )
            except ServiceError as error:
                _apply_service_error(form, error)
            else:
                self.message_user(request, _("Succession recorded."), messages.SUCCESS)
                return None
        return self._action_page(
            request,
            queryset,
            action="record_succession",
            title=_("Record succession"),
            intro=_("The selected body's functions passed to another body:"),
            submit_label=_("Record"),
            form=form,
        )


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "predecessor",
        "successor",
        "kind",
        "on_date",
        "basis",
        "recorded_by",
        "recorded_at",
    )
    list_filter = ("kind",)
    search_fields = (
        "predecessor__name_kk",
        "predecessor__name_ru",
        "successor__name_kk",
        "successor__name_ru",
        "basis",
    )
    list_select_related = ("predecessor", "successor", "recorded_by")
    readonly_fields = (
        "predecessor",
        "successor",
        "kind",
        "on_date",
        "basis",
        "recorded_by",
        "recorded_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Recorded from the organisations list ("Record succession…"), through the service.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def delete_model(self, request: HttpRequest, obj: Succession) -> None:
        succession_remove(
            actor=_actor(request), succession=obj, reason=_("Deleted in the administration")
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Succession]) -> None:
        for succession in queryset:
            self.delete_model(request, succession)


# --- users and roles -----------------------------------------------------------------------


class RoleGrantInline(admin.StackedInline):  # type: ignore[type-arg]
    # Stacked: each role's select has its own label (a tabular row's select has none).
    model = RoleGrant
    fk_name = "user"
    fields = ("role", "granted_by", "granted_at")
    readonly_fields = ("granted_by", "granted_at")
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = (
        "username",
        "first_name",
        "last_name",
        "organisation",
        "language",
        "is_active",
        "is_staff",
    )
    list_filter = (*DjangoUserAdmin.list_filter, "language", "role_grants__role")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    inlines = (RoleGrantInline,)
    # jospar's access is its roles (``RoleGrant``): Django's groups and per-user permissions
    # are not offered, nor their list of permission names, stored in English by Django.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            gettext_lazy("Directory"),
            {"fields": ("organisation", "language", "email_notifications")},
        ),
        (gettext_lazy("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (gettext_lazy("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (gettext_lazy("Directory"), {"fields": ("organisation", "language")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # People leave by being made inactive: their past actions stay attributed to them.
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        user_save(actor=_actor(request), user=obj, reason=_("Saved in the administration"))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        actor = _actor(request)
        grants = formset.save(commit=False)
        for grant in formset.deleted_objects:
            role_revoke(actor=actor, grant=grant, reason=_("Removed in the administration"))
        for grant in grants:
            if grant.pk is not None:
                # A changed row is the old role taken away and the new one given.
                stored = RoleGrant.objects.get(pk=grant.pk)
                role_revoke(actor=actor, grant=stored, reason=_("Changed in the administration"))
            role_grant(
                actor=actor,
                user=form.instance,
                role=grant.role,
                reason=_("Given in the administration"),
            )


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "granted_by", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "granted_by")
    autocomplete_fields = ("user",)
    fields = ("user", "role")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A grant is given or taken away, never edited into another.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        grant = role_grant(
            actor=_actor(request),
            user=obj.user,
            role=obj.role,
            reason=_("Given in the administration"),
        )
        obj.pk = grant.pk

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        role_revoke(actor=_actor(request), grant=obj, reason=_("Removed in the administration"))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        for grant in queryset:
            self.delete_model(request, grant)


# --- the audit log -------------------------------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type", "occurred_at")
    search_fields = ("object_id", "actor_label", "action", "reason")
    date_hierarchy = "occurred_at"
    fields = (
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "before_pretty",
        "after_pretty",
        "reason",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @staticmethod
    def _pretty(value: Any) -> str:
        if value is None:
            return "—"
        # Focusable: a long value scrolls, and a keyboard must reach it.
        return format_html(
            '<pre tabindex="0">{}</pre>', json.dumps(value, ensure_ascii=False, indent=2)
        )

    @admin.display(description=gettext_lazy("before"))
    def before_pretty(self, event: AuditEvent) -> str:
        return self._pretty(event.before)

    @admin.display(description=gettext_lazy("after"))
    def after_pretty(self, event: AuditEvent) -> str:
        return self._pretty(event.after)


# Notifications and periodic runs (read only) are registered in their own module.
from jospar.core import admin_notifications  # noqa: E402, F401

# Access is given by roles, not by Django's groups: their page is not offered.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# The administration is jospar's, in the reader's language: not "Django administration".
admin.site.site_header = gettext_lazy("jospar administration")
admin.site.site_title = gettext_lazy("jospar administration")
admin.site.index_title = gettext_lazy("Directory, users, plans and audit")
