"""REST API of the report on a plan's execution: request it, follow it, download it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.control.access.exports import access_report_export
from jospar.control.exports.periods import ReportPeriod
from jospar.control.models_exports import (
    ExportFormat,
    ExportLang,
    ExportStatus,
    ReportExport,
)
from jospar.control.services.exports import download_name, report_export_request
from jospar.control.views.exports import failure_message, file_response
from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge_fields import DateApiField, IdApiField
from jospar.core.errors import Conflict
from jospar.core.models import User
from jospar.plans.access import access_plan

ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or not visible to you"),
}


def _actor(request: Request) -> User:
    return cast(User, request.user)


class ReportExportRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    plan = IdApiField(min_value=1)
    lang = serializers.ChoiceField(choices=ExportLang.choices)
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    period = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="A quarter, half-year or year: `2016Q1`, `2016H2`, `2016`."
        " Or give `period_start` and `period_end` instead.",
    )
    period_start = DateApiField(required=False)
    period_end = DateApiField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        text = attrs.get("period")
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if text:
            try:
                period = ReportPeriod.parse(text)
            except ValueError:
                raise serializers.ValidationError(
                    {"period": [_("Give a quarter, half-year or year: 2016Q1, 2016H2, 2016.")]}
                ) from None
        elif start is not None and end is not None:
            if start > end:
                raise serializers.ValidationError(
                    {"period_end": [_("The end is before the start.")]}
                )
            period = ReportPeriod(start, end)
        else:
            raise serializers.ValidationError(
                {"period": [_("Give the period, or both its first and last day.")]}
            )
        attrs["report_period"] = period
        return attrs


class ReportExportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    file_name = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = ReportExport
        fields = [
            "id",
            "plan",
            "program",
            "lang",
            "format",
            "period_start",
            "period_end",
            "organisation",
            "status",
            "progress",
            "activity_count",
            "file_size",
            "file_name",
            "error",
            "created_at",
            "finished_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = fields

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_status_url(self, export: ReportExport) -> str:
        return self._absolute(reverse("api-report-export", args=[export.pk]))

    def get_download_url(self, export: ReportExport) -> str | None:
        if export.status != ExportStatus.DONE:
            return None
        return self._absolute(reverse("api-report-export-download", args=[export.pk]))

    def get_file_name(self, export: ReportExport) -> str:
        return download_name(export)

    def get_error(self, export: ReportExport) -> str | None:
        return failure_message(export) if export.status == ExportStatus.FAILED else None


class ReportExportCreateView(APIView):
    @extend_schema(
        summary="Request the report on a plan's execution (DOCX, XLSX or PDF)",
        request=ReportExportRequestSerializer,
        responses={
            201: OpenApiResponse(ReportExportSerializer, description="Built at once"),
            202: OpenApiResponse(
                ReportExportSerializer,
                description="Queued: follow `status_url` until `download_url` is given",
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        actor = _actor(request)
        form = ReportExportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        plan = access_plan(actor, data["plan"])
        period: ReportPeriod = data["report_period"]
        export = report_export_request(
            actor=actor,
            plan=plan,
            lang=data["lang"],
            format=data["format"],
            period_start=period.start,
            period_end=period.end,
        )
        # The service returns the export as it left it: still queued when a task builds it
        # (even if an in-process task has finished since).
        queued = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
        export.refresh_from_db()
        body = ReportExportSerializer(export, context={"request": request}).data
        response = Response(
            body, status=status.HTTP_202_ACCEPTED if queued else status.HTTP_201_CREATED
        )
        response["Location"] = body["status_url"]
        return response


class ReportExportDetailView(APIView):
    @extend_schema(
        summary="A requested report: its status, progress and download address",
        responses={200: ReportExportSerializer, **ERRORS},
    )
    def get(self, request: Request, export_id: int) -> Response:
        export = access_report_export(_actor(request), export_id)
        return Response(ReportExportSerializer(export, context={"request": request}).data)


class AnyFileRenderer(BaseRenderer):
    """Lets a client ask for the file by its own type; errors are still written as JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


class ReportExportDownloadView(APIView):
    renderer_classes = [JSONRenderer, AnyFileRenderer]

    @extend_schema(
        summary="Download the file of a built report",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The DOCX, XLSX or PDF file, with its name in Content-Disposition",
            ),
            409: OpenApiResponse(ErrorSerializer, description="Not built yet, or failed"),
            **ERRORS,
        },
    )
    def get(self, request: Request, export_id: int) -> Any:
        export = access_report_export(_actor(request), export_id)
        if export.status != ExportStatus.DONE:
            raise Conflict("not_ready", _("The report is not built yet."))
        return file_response(export)


urlpatterns = [
    path("report-exports/", ReportExportCreateView.as_view(), name="api-report-exports"),
    path(
        "report-exports/<id:export_id>/",
        ReportExportDetailView.as_view(),
        name="api-report-export",
    ),
    path(
        "report-exports/<id:export_id>/download/",
        ReportExportDownloadView.as_view(),
        name="api-report-export-download",
    ),
]
