"""REST API of plans, activities and plan imports (the control schedule: ``jospar.control.api``)."""

from __future__ import annotations

from typing import Any, cast

from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.core.api import ErrorSerializer
from jospar.core.edge import id_or_404
from jospar.core.edge_api import IdRouter
from jospar.core.models import User
from jospar.plans import selectors
from jospar.plans.access import access_plan
from jospar.plans.models import Plan
from jospar.plans.serializers import (
    ActivitySerializer,
    ParsedPlanSerializer,
    PlanImportResultSerializer,
    PlanImportSerializer,
    PlanSerializer,
)
from jospar.plans.services_upload import plan_import_file, plan_parse_preview

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
        return selectors.plan_list_for(_actor(self.request))

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


def _import_result(outcome: Any) -> dict[str, Any]:
    revision = outcome.revision
    return {
        "plan": outcome.plan.pk,
        "revision": revision.pk if revision else None,
        "lang": revision.lang if revision else None,
        "revision_number": revision.number if revision else None,
        "created_plan": outcome.created_plan,
        "unchanged": outcome.unchanged,
        "changes": outcome.changes,
        "warnings": outcome.warnings,
        "obligations_created": outcome.obligations_created,
        "obligations_withdrawn": outcome.obligations_withdrawn,
    }


class PlanImportView(APIView):
    """Import a plan text: parse and save it at once, or only parse it (``?dry_run=1``)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import a plan text (administrators)",
        request={"multipart/form-data": PlanImportSerializer},
        parameters=[
            OpenApiParameter(
                "dry_run", OpenApiTypes.BOOL, description="parse only; return the parsed plan"
            )
        ],
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="PlanImportUnchangedOrParsed",
                    serializers=[PlanImportResultSerializer, ParsedPlanSerializer],
                    resource_type_field_name=None,
                ),
                description="The plan already has this text (nothing changed); or, with"
                " dry_run, the parsed plan as `jospar parse-plan` prints it",
            ),
            201: OpenApiResponse(
                PlanImportResultSerializer,
                description="Saved: a plan, a language version or a revision",
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        form = PlanImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        period = (data["period_start"], data["period_end"]) if data.get("period_start") else None
        upload = data["file"]
        arguments: dict[str, Any] = {
            "actor": actor,
            "filename": upload.name or "plan.txt",
            "lang": data.get("lang") or None,
            "period": period,
        }
        if request.query_params.get("dry_run") in ("1", "true"):
            parsed = plan_parse_preview(data=upload.read(), **arguments)
            return Response(parsed, status=status.HTTP_200_OK)
        target = access_plan(actor, data["plan"]) if data.get("plan") else None
        outcome = plan_import_file(data=upload.read(), target_plan=target, **arguments)
        return Response(
            _import_result(outcome),
            status=status.HTTP_200_OK if outcome.unchanged else status.HTTP_201_CREATED,
        )


router = IdRouter()
router.register("plans", PlanViewSet, basename="plan")

urlpatterns = [
    path("plan-imports/", PlanImportView.as_view(), name="api-plan-import"),
    path("", include(router.urls)),
]
