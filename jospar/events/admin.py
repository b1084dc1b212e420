"""The administrator's list of memorable dates; each change through its audited service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jospar.core.admin import AdministratorChanges
from jospar.events.models import MemorableDate
from jospar.events.services.memorable import memorable_date_remove, memorable_date_save


class MemorableDateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MemorableDate
        fields = ("month", "day", "name_kk", "name_ru", "name_en")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            dt.date(2024, int(data.get("month") or 0), int(data.get("day") or 0))
        except (TypeError, ValueError):
            self.add_error("day", forms.ValidationError(_("Enter a real day of the year.")))
        return data


@admin.register(MemorableDate)
class MemorableDateAdmin(AdministratorChanges, admin.ModelAdmin):  # type: ignore[type-arg]
    form = MemorableDateForm
    list_display = ("month", "day", "name_kk", "name_ru")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: MemorableDate, form: Any, change: bool) -> None:
        memorable_date_save(actor=request.user, row=obj)

    def delete_model(self, request: HttpRequest, obj: MemorableDate) -> None:
        memorable_date_remove(actor=request.user, row=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for row in queryset:
            memorable_date_remove(actor=request.user, row=row)
