from __future__ import annotations

from django.urls import include, path

from jospar.core.edge_api import IdRouter
from jospar.initiatives.api.views import InitiativeViewSet

router = IdRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")

urlpatterns = [path("", include(router.urls))]
