"""REST API of plan imports: a text saved as a plan, a language version or a revision, with its
control schedule derived (this app's); ``?dry_run=1`` only parses it."""

from __future__ import annotations

from typing import Any, cast

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.control.services.plan_revisions import plan_import_file
from jospar.core.models import User
from jospar.plans.access import access_plan
from jospar.plans.api import ERRORS
from jospar.plans.serializers import (
    ParsedPlanSerializer,
    PlanImportResultSerializer,
    PlanImportSerializer,
)
from jospar.plans.services.upload import plan_parse_preview


def _actor(request: Request) -> User:
    return cast(User, request.user)


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


urlpatterns = [
    path("plan-imports/", PlanImportView.as_view(), name="api-plan-import"),
]
