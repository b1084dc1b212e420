"""The administrator's tools for Civic Control.

Every change goes through the services, so that the audit log (and a report's history) holds it
as it does for every other way in: topics, their questions and routes, Open311 keys (issued
with the key shown once, and revoked) here; the moderators' actions on reports, comments, files
and abuse reports in ``admin_moderation``. History, answers, supports, subscriptions and
accounts are read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.civic import admin_moderation as admin_moderation
from jospar.civic.admin_common import (
    AdministratorChanges,
    ReadOnly,
    actor_of,
    apply_service_error,
    is_administrator,
    run_each,
)
from jospar.civic.models import (
    CitizenAccount,
    Follow,
    Open311Client,
    ReportAnswer,
    ReportEvent,
    ReportSupport,
    Topic,
    TopicQuestion,
    TopicRoute,
)
from jospar.civic.services import (
    open311_client_issue,
    open311_client_revoke,
    topic_question_delete,
    topic_question_save,
    topic_route_set,
    topic_save,
)
from jospar.civic.services.topics import topic_question_validate, topic_validate
from jospar.core.errors import ServiceError

# --- topics ---------------------------------------------------------------------------------


class TopicForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Topic
        fields = (
            "code",
            "name_kk",
            "name_ru",
            "name_en",
            "description_kk",
            "description_ru",
            "description_en",
            "group",
            "keywords",
            "response_working_days",
            "position",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors:
            try:
                topic_validate(self.instance)
            except ServiceError as error:
                apply_service_error(self, error)
        return cleaned


class TopicQuestionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = TopicQuestion
        fields = (
            "code",
            "position",
            "datatype",
            "required",
            "text_kk",
            "text_ru",
            "text_en",
            "values",
        )
        widgets = {"values": forms.Textarea(attrs={"rows": 3, "cols": 50})}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if not self.errors and not cleaned.get("DELETE"):
            try:
                topic_question_validate(self.instance, unique=False)
            except ServiceError as error:
                apply_service_error(self, error)
        return cleaned


class TopicQuestionInline(admin.StackedInline):  # type: ignore[type-arg]
    model = TopicQuestion
    form = TopicQuestionForm
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)


@admin.register(Topic)
class TopicAdmin(AdministratorChanges, admin.ModelAdmin):  # type: ignore[type-arg]
    form = TopicForm
    list_display = (
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "response_working_days",
        "position",
        "is_active",
    )
    list_editable = ()
    list_filter = ("is_active", "group")
    search_fields = ("code", "name_kk", "name_ru", "name_en", "keywords")
    inlines = (TopicQuestionInline,)

    def save_model(self, request: HttpRequest, obj: Topic, form: Any, change: bool) -> None:
        topic_save(actor=actor_of(request), topic=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        actor = actor_of(request)
        instances = formset.save(commit=False)
        for question in formset.deleted_objects:
            topic_question_delete(actor=actor, question=question)
        for question in instances:
            topic_question_save(actor=actor, question=question)


@admin.register(TopicQuestion)
class TopicQuestionAdmin(AdministratorChanges, admin.ModelAdmin):  # type: ignore[type-arg]
    form = TopicQuestionForm
    list_display = ("topic", "code", "datatype", "required", "text_kk", "text_ru")
    list_filter = ("topic", "datatype")
    fields = ("topic", *TopicQuestionForm.Meta.fields)

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["fields"] = self.fields
        return super().get_form(request, obj, change, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def save_model(self, request: HttpRequest, obj: TopicQuestion, form: Any, change: bool) -> None:
        topic_question_save(actor=actor_of(request), question=obj)

    def delete_model(self, request: HttpRequest, obj: TopicQuestion) -> None:
        topic_question_delete(actor=actor_of(request), question=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TopicQuestion]) -> None:
        for question in queryset:
            topic_question_delete(actor=actor_of(request), question=question)


@admin.register(TopicRoute)
class TopicRouteAdmin(AdministratorChanges, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("topic", "region", "department")
    list_filter = ("topic", "region")
    list_select_related = ("topic", "region", "department")
    autocomplete_fields = ("department",)
    search_fields = ("department__name_kk", "department__name_ru", "department__name_en")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def save_model(self, request: HttpRequest, obj: TopicRoute, form: Any, change: bool) -> None:
        actor = actor_of(request)
        if change:
            old = TopicRoute.objects.select_related("topic", "region").get(pk=obj.pk)
            if (old.topic_id, old.region_id) != (obj.topic_id, obj.region_id):
                topic_route_set(actor=actor, topic=old.topic, region=old.region, department=None)
        route = topic_route_set(
            actor=actor, topic=obj.topic, region=obj.region, department=obj.department
        )
        if route is not None:
            obj.pk = route.pk

    def delete_model(self, request: HttpRequest, obj: TopicRoute) -> None:
        topic_route_set(
            actor=actor_of(request), topic=obj.topic, region=obj.region, department=None
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TopicRoute]) -> None:
        for route in queryset.select_related("topic", "region"):
            self.delete_model(request, route)


# --- Open311 clients ------------------------------------------------------------------------


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name",
        "contact",
        "key_prefix",
        "created_at",
        "created_by",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "contact", "key_prefix")
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("name", "contact")
        return (
            "name",
            "contact",
            "key_prefix",
            "created_by",
            "created_at",
            "revoked_at",
            "revoked_by",
            "last_used_at",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.get_fields(request, obj) if obj is not None else ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request) and obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any, change: bool) -> None:
        client, key = open311_client_issue(
            actor=actor_of(request), name=obj.name, contact=obj.contact
        )
        obj.pk = client.pk
        obj.key_prefix = client.key_prefix
        # Shown on the next page only, never stored: see response_add.
        request._civic_issued_key = key  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: Open311Client, post_url_continue: str | None = None
    ) -> HttpResponse:
        key = getattr(request, "_civic_issued_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        return TemplateResponse(
            request,
            "admin/civic/open311_key.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("The key of “%(name)s”") % {"name": obj.name},
                "client": obj,
                "key": key,
                "changelist_url": reverse("admin:civic_open311client_changelist"),
            },
        )

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        run_each(
            self,
            request,
            queryset,
            lambda client: open311_client_revoke(actor=actor_of(request), client=client),
            _("%(count)d key(s) revoked."),
        )


class _ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


def _register_read_only(model: type[Model], **options: Any) -> None:
    admin.site.register(model, type(f"{model.__name__}Admin", (_ReadOnlyAdmin,), options))


_register_read_only(
    ReportEvent,
    list_display=("report", "at", "kind", "actor", "from_state", "to_state"),
    list_filter=("kind",),
    list_select_related=("report", "report__topic", "actor"),
)
_register_read_only(
    ReportAnswer,
    list_display=("report", "created_at", "organisation", "author"),
    list_select_related=("report", "report__topic", "organisation", "author"),
)
_register_read_only(
    ReportSupport,
    list_display=("report", "user", "created_at"),
    list_select_related=("report", "report__topic", "user"),
)
_register_read_only(
    Follow,
    list_display=("user", "report", "region", "topic", "bbox", "created_at"),
    list_select_related=("user", "report", "report__topic", "region", "topic"),
)
_register_read_only(
    CitizenAccount,
    list_display=("user", "registered_at", "email_confirmed_at", "confirmation_sent_at"),
    list_select_related=("user",),
    search_fields=("user__email",),
)
