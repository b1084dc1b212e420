from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("jospar.core.api")),
    path("", include("jospar.plans.api")),
]
