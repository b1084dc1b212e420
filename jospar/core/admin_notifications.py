"""The administrator's view of notifications and periodic runs: what was sent, and when. Read
only: they are written by the reminder services and `jospar run-schedule`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jospar.core.models import Notification, ScheduledRun


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "created_at",
        "recipient",
        "kind",
        "title",
        "read_at",
        "emailed_at",
        "email_attempts",
    )
    list_filter = ("kind", "event_day", "created_at")
    search_fields = ("title", "event_key", "recipient__username")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    exclude = ("email_claim", "email_claimed_at")


@admin.register(ScheduledRun)
class ScheduledRunAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("day", "job", "state", "attempts", "started_at", "finished_at")
    list_filter = ("job", "state")
    date_hierarchy = "day"
