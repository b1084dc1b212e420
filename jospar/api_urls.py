from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("jospar.core.api")),
    path("", include("jospar.plans.api")),
    path("", include("jospar.control.api_plan_import")),
    path("", include("jospar.control.api")),
    path("", include("jospar.control.api_exports")),
    path("", include("jospar.control.api_discipline")),
    path("", include("jospar.initiatives.api.urls")),
]
