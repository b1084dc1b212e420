from __future__ import annotations

from django.urls import path

from jospar.indicators.views import entry, exchange, pages, program, surveys

app_name = "indicators"
urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("export.xlsx", pages.dashboard_export, name="export"),
    path("<id:indicator_id>/", pages.indicator_detail, name="indicator"),
    path("programs/<id:program_id>/", program.program_tree, name="program"),
    path("regions/<id:region_id>/", pages.region_dashboard, name="region"),
    path("regions/<id:region_id>/export.xlsx", pages.region_export, name="region-export"),
    path("entry/", entry.entry, name="entry"),
    path("queue/", entry.queue, name="queue"),
    path("values/<id:value_id>/", entry.value_detail, name="value"),
    path("values/<id:value_id>/review/", entry.review, name="review"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/waves/<id:wave_id>/", surveys.wave_detail, name="wave"),
    path("exchange/", exchange.exchange, name="exchange"),
    path("exchange/values.csv", exchange.export_values_csv, name="export-csv"),
    path("exchange/dataValueSets.json", exchange.export_values_json, name="export-json"),
]
