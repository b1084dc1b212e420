"""What the civic administration pages share: the acting user, service errors shown on forms,
read-only and administrator-only permissions, and actions that ask for a reason first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from jospar.core.errors import ServiceError
from jospar.core.models import User


def actor_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and isinstance(user, User) and user.is_administrator)


def apply_service_error(form: forms.BaseForm, error: ServiceError) -> None:
    placed = False
    for name, problems in error.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, str(error.message))


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AdministratorChanges:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


def run_each(
    model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    queryset: QuerySet[Any],
    apply: Callable[[Any], object],
    done: str,
) -> None:
    count = 0
    for obj in queryset:
        try:
            apply(obj)
        except ServiceError as error:
            model_admin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            count += 1
    if count:
        model_admin.message_user(request, done % {"count": count}, messages.SUCCESS)


def with_reason(
    model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    action: str,
    title: str,
    intro: str,
    apply: Callable[[Any, str], object],
    done: str,
    optional: bool = False,
) -> HttpResponse | None:
    """An action that asks for a reason on a page of its own, then applies to each."""
    bound = request.POST if "apply" in request.POST else None
    form: forms.Form = OptionalReasonForm(bound) if optional else ReasonForm(bound)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        run_each(model_admin, request, queryset, lambda obj: apply(obj, reason), done)
        return None
    return TemplateResponse(
        request,
        "admin/core/action_form.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            "intro": intro,
            "submit_label": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )
