"""REST API of plans and activities (plan imports, which derive the control schedule:
``jospar.control.api.plan_import``; the schedule: ``jospar.control.api.obligations``)."""

from __future__ import annotations

from typing import Any, cast

from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge import id_or_404
from jospar.core.edge_api import IdRouter
from jospar.core.models import User
from jospar.plans import selectors
from jospar.plans.access import access_plan
from jospar.plans.models import Plan
from jospar.plans.serializers import (
    ActivitySerializer,
    PlanSerializer,
)

ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or not visible to you"),
}


def _actor(request: Request) -> User:
    return cast(User, request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Plans visible to you", responses={200: PlanSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(summary="One plan", responses={200: PlanSerializer, **ERRORS}),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = PlanSerializer
    queryset = Plan.objects.none()

    def get_queryset(self) -> Any:
        return selectors.plan_list_for(_actor(self.request), counts=self.action != "list")

    def paginate_queryset(self, queryset: Any) -> Any:
        # The list's counts are added to the page's rows only (issue #15).
        page = super().paginate_queryset(queryset)
        if page is None or self.action != "list":
            return page
        return selectors.plans_counted(page)

    def get_object(self) -> Plan:
        plan = access_plan(_actor(self.request), id_or_404(self.kwargs["pk"]))
        return cast(Plan, self.get_queryset().get(pk=plan.pk))

    @extend_schema(
        summary="Activities of a plan",
        parameters=[
            OpenApiParameter(
                "warnings", OpenApiTypes.BOOL, description="only activities with warnings"
            ),
        ],
        responses={200: ActivitySerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], serializer_class=ActivitySerializer)
    def activities(self, request: Request, pk: str | None = None) -> Response:
        plan = access_plan(_actor(request), id_or_404(pk))
        queryset = selectors.plan_activities(
            plan, only_warnings=request.query_params.get("warnings") in ("1", "true")
        )
        page = self.paginate_queryset(queryset)
        data = ActivitySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


router = IdRouter()
router.register("plans", PlanViewSet, basename="plan")

urlpatterns = [
    path("", include(router.urls)),
]
