"""Included at ``civic/``: the citizens' portal (``civic:map`` is its home; ``civic:report``
is the public page of one report), the akimat's queue, the moderators' desk, the figures and
the citizens' accounts."""

from __future__ import annotations

from django.urls import path

from jospar.civic.views import accounts as views_accounts
from jospar.civic.views import export as views_export
from jospar.civic.views import figures as views_figures
from jospar.civic.views import filing as views_filing
from jospar.civic.views import media as views_media
from jospar.civic.views import places as views_places
from jospar.civic.views import public as views_public
from jospar.civic.views import queue as views_queue
from jospar.civic.views import report as views_report

app_name = "civic"
urlpatterns = [
    path("", views_public.portal_map, name="map"),
    path("map/clusters.json", views_public.map_clusters_json, name="map-clusters"),
    path("map/regions.geojson", views_public.boundaries, name="boundaries"),
    path("map/places.geojson", views_places.places, name="places"),
    path("map/search.json", views_places.place_search_json, name="place-search"),
    path("reports/", views_public.report_list, name="list"),
    path("reports.csv", views_export.report_list_csv, name="list-csv"),
    path("exports/", views_export.export_request, name="export-request"),
    path("exports/<id:export_id>/", views_export.export_page, name="export"),
    path("exports/<id:export_id>/file/", views_export.export_file, name="export-file"),
    path("reports/new/", views_filing.report_new, name="file"),
    path("reports/new/nearby/", views_filing.nearby_fragment, name="nearby"),
    path("reports/<id:report_id>/", views_report.report_detail, name="report"),
    path("queue/", views_queue.queue, name="queue"),
    path("queue/<id:report_id>/", views_queue.queue_report, name="queue-report"),
    path("moderation/", views_queue.moderation, name="moderation"),
    path("figures/", views_figures.national, name="figures"),
    path("regions/<id:region_id>/", views_figures.region_page, name="region"),
    path("accounts/register/", views_accounts.register, name="register"),
    path("accounts/register/sent/", views_accounts.register_done, name="register-done"),
    path("accounts/confirm/<str:token>/", views_accounts.confirm, name="confirm"),
    path("accounts/confirm-again/", views_accounts.resend, name="resend"),
    path("accounts/login/", views_accounts.login, name="login"),
    path("media/<id:media_id>/original/", views_media.media_original, name="media-original"),
]
