"""URLs of the report on a plan's execution, included in the ``control`` namespace."""

from __future__ import annotations

from django.urls import path

from jospar.control.views import exports as views_exports

urlpatterns = [
    path("plans/<id:plan_id>/report/", views_exports.export_request, name="export-request"),
    path(
        "programs/<id:program_id>/report/",
        views_exports.program_export_request,
        name="program-export-request",
    ),
    path("exports/<id:export_id>/", views_exports.export_detail, name="export-detail"),
    path("exports/<id:export_id>/status/", views_exports.export_status, name="export-status"),
    path(
        "exports/<id:export_id>/download/",
        views_exports.export_download,
        name="export-download",
    ),
]
