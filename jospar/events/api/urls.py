from __future__ import annotations

from django.urls import include, path

from jospar.core.edge_api import IdRouter
from jospar.events.api.views import EventViewSet

router = IdRouter()
router.register("events", EventViewSet, basename="event")

urlpatterns = [path("", include(router.urls))]
