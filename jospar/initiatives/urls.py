"""Included at ``initiatives/``: the Map of civic initiatives."""

from __future__ import annotations

from django.urls import path

from jospar.initiatives.views import public, work

app_name = "initiatives"
urlpatterns = [
    path("", public.initiative_map, name="map"),
    path("map/clusters.json", public.clusters_json, name="clusters"),
    path("list/", public.initiative_list, name="list"),
    path("new/", work.initiative_form, name="new"),
    path("queue/", work.queue, name="queue"),
    path("open-data/", public.opendata_page, name="opendata"),
    path("open-data/initiatives.<str:fmt>", public.export, name="export"),
    path("<id:initiative_id>/", public.initiative_detail, name="detail"),
    path("<id:initiative_id>/edit/", work.initiative_form, name="edit"),
    path("<id:initiative_id>/submit/", work.initiative_submit, name="submit"),
    path("<id:initiative_id>/decide/", work.decide, name="decide"),
    path("<id:initiative_id>/changes/", work.request_changes, name="changes"),
    path("<id:initiative_id>/start/", work.start, name="start"),
    path("<id:initiative_id>/results/", work.results, name="results"),
    path("<id:initiative_id>/pledge/", public.pledge, name="pledge"),
    path("<id:initiative_id>/rate/", public.rate, name="rate"),
    path("<id:initiative_id>/survey/", public.survey, name="survey"),
    path("pledges/<id:pledge_id>/check-in/", public.checkin, name="checkin"),
    path("check-ins/<id:checkin_id>/confirm/", public.checkin_confirm, name="checkin-confirm"),
    path("documents/<id:document_id>/", public.document, name="document"),
    path("people/<id:user_id>/", public.profile, name="profile"),
    path("people/consent/", public.profile_consent, name="consent"),
    path("media/<path:name>", public.photo, name="photo"),
]
