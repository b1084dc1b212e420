from __future__ import annotations

from django.urls import include, path

from jospar.core.edge_api import IdRouter
from jospar.initiatives.api.heart import HeartCycleViewSet, HeartNomineeViewSet
from jospar.initiatives.api.views import InitiativeViewSet

router = IdRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("heart-cycles", HeartCycleViewSet, basename="heart-cycle")
router.register("heart-nominees", HeartNomineeViewSet, basename="heart-nominee")

urlpatterns = [path("", include(router.urls))]
