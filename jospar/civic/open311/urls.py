"""Included at ``open311/v2/``: every resource in XML and JSON, by its extension."""

from __future__ import annotations

from django.urls import re_path

from jospar.civic.open311 import views

FMT = r"\.(?P<fmt>xml|json)"

app_name = "open311"
urlpatterns = [
    re_path(rf"^discovery{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}$", views.services, name="services"),
    re_path(rf"^services/(?P<code>[^/]+){FMT}$", views.service_definition, name="definition"),
    re_path(rf"^requests{FMT}$", views.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+){FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+){FMT}$", views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not-found"),
]
