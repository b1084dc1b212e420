"""Included at ``initiatives/``: the Map of civic initiatives."""

from __future__ import annotations

from django.urls import path

from jospar.initiatives.views import heart, heart_awards, public, votes, work

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
    path("<id:initiative_id>/vote/open/", votes.open_vote, name="vote-open"),
    path("<id:initiative_id>/vote/", votes.cast, name="vote"),
    path("<id:initiative_id>/vote/decide/", votes.decide, name="vote-decide"),
    path("votes/held/", heart.held_votes, name="held-votes"),
    # Generous Heart («Жомарт жүрек»)
    path("heart/", heart.heart_index, name="heart"),
    path("heart/<id:cycle_id>/", heart.cycle_page, name="heart-cycle"),
    path("heart/<id:cycle_id>/nominate/", heart.nominate, name="heart-nominate"),
    path("heart/<id:cycle_id>/jury/", heart.jury, name="heart-jury"),
    path("heart/<id:cycle_id>/results/", heart.results, name="heart-results"),
    path("heart/<id:cycle_id>/publish/", heart.publish, name="heart-publish"),
    path("heart/nominees/<id:nominee_id>/", heart.nominee_page, name="heart-nominee"),
    path("heart/nominees/<id:nominee_id>/vote/", heart.vote, name="heart-vote"),
    path(
        "heart/nominees/<id:nominee_id>/certificate.pdf",
        heart_awards.certificate,
        name="heart-certificate",
    ),
    path("heart/nominees/<id:nominee_id>/story/", heart_awards.story_write, name="heart-story"),
    path("heart/stories/", heart_awards.story_list, name="heart-stories"),
    path("heart/stories/review/", heart_awards.story_queue, name="heart-story-queue"),
]
