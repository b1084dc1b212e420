from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("jospar.core.api.directory")),
    path("", include("jospar.plans.api")),
    path("", include("jospar.control.api.plan_import")),
    path("", include("jospar.control.api.obligations")),
    path("", include("jospar.control.api.exports")),
    path("", include("jospar.control.api.discipline")),
    path("", include("jospar.control.api.project_office")),
    path("", include("jospar.initiatives.api.urls")),
    path("", include("jospar.events.api.urls")),
]
