"""Included at ``events/``: the calendar of public events."""

from __future__ import annotations

from django.urls import path

from jospar.events.views import public, work

app_name = "events"
urlpatterns = [
    path("", public.month_view, name="month"),
    path("list/", public.event_list, name="list"),
    path("feed.ics", public.feed, name="feed"),
    path("new/", work.event_new, name="new"),
    path("moderation/", work.moderation, name="moderation"),
    path("<id:event_id>/", public.event_detail, name="detail"),
    path("<id:event_id>/event.ics", public.event_ics, name="ics"),
    path("<id:event_id>/moderate/", work.moderate, name="moderate"),
    path("<id:event_id>/cancel/", work.cancel, name="cancel"),
    path("<id:event_id>/report/", work.report, name="report"),
    path("<id:event_id>/register/", work.register, name="register"),
    path("<id:event_id>/photos/<id:photo_id>/remove/", work.photo_remove, name="photo-remove"),
    path("photos/<path:name>", public.event_photo, name="photo"),
]
