"""Read API of the project office: a program's tree with each node's declared status and traffic
light, a node's risks, and the regional status reports (list and detail).

Who reads what is the dashboard's rule (``control.access.programs``): the control department,
the site administrators and the program-wide roles read the whole program; a role on a node
reads that node and what is under it (never its parent or a sibling); a regional role reads its
region's status reports (`programs.access.status_report_regions`, the pages' rule too).
Anything else, and anything missing, is 404 alike.
"""

from __future__ import annotations

from typing import Any, cast

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.control.access.programs import (
    access_office_node,
    access_office_status_report,
    access_program_dashboard,
)
from jospar.control.program_dashboard import LIGHTS, NodeRow, program_figures
from jospar.control.status import today
from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge_api import EdgePagination
from jospar.core.edge_fields import IdApiField
from jospar.core.models import User
from jospar.programs.access import access_program_status_reports
from jospar.programs.models import NodeKind, Risk, StatusReport
from jospar.programs.models_office import DeclaredStatus, StatusReportState
from jospar.programs.selectors.office import node_risks, program_declared_statuses, risk_overdue

READ_ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or not visible to you"),
}


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _page(
    view: APIView,
    request: Request,
    rows: Any,
    serializer: type[Any],
    context: dict[str, Any] | None = None,
) -> Response:
    """One page of ``rows`` (limit and offset bounded by ``EdgePagination``)."""
    paginator = EdgePagination()
    page: list[Any] | None = paginator.paginate_queryset(rows, request, view=view)
    data = serializer(page, many=True, context=context or {}).data
    response: Response = paginator.get_paginated_response(data)
    return response


class TreeQuery(serializers.Serializer):  # type: ignore[type-arg]
    node = IdApiField(required=False)


class TreeNodeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True, help_text="null for a sub-program")
    kind = serializers.ChoiceField(choices=NodeKind.choices)
    number = serializers.CharField(help_text="The number as printed")
    name = serializers.CharField()
    depth = serializers.IntegerField(help_text="0 for the node asked (or a sub-program)")
    declared_status = serializers.ChoiceField(
        choices=DeclaredStatus.choices, allow_null=True, help_text="The latest declared status"
    )
    light = serializers.ChoiceField(
        choices=LIGHTS,
        help_text="From the share of due obligations overdue (its own and under it); with a "
        "declared status, the worse of the two; none when nothing is due",
    )
    on_time = serializers.IntegerField(source="figures.on_time")
    late = serializers.IntegerField(source="figures.late")
    overdue = serializers.IntegerField(source="figures.overdue")
    open = serializers.IntegerField(source="figures.open", help_text="Not yet due")


class RiskSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    score = serializers.IntegerField(help_text="probability × impact")
    owner = serializers.CharField(source="owner.get_full_name")
    overdue = serializers.SerializerMethodField(help_text="Open and its review date has passed")

    class Meta:
        model = Risk
        fields = [
            "id",
            "node",
            "title",
            "probability",
            "impact",
            "score",
            "owner",
            "response",
            "review_on",
            "is_open",
            "closed_note",
            "overdue",
        ]

    def get_overdue(self, risk: Risk) -> bool:
        return risk_overdue(risk, self.context["today"])


class StatusReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    region_name = serializers.CharField(source="region.name")
    state = serializers.ChoiceField(choices=StatusReportState.choices)

    class Meta:
        model = StatusReport
        fields = [
            "id",
            "program",
            "region",
            "region_name",
            "period_start",
            "period_end",
            "due_on",
            "state",
            "version",
            "submitted_at",
        ]


class StatusReportDetailSerializer(StatusReportSerializer):
    written_by = serializers.CharField(source="written_by.get_full_name", allow_null=True)
    figures = serializers.JSONField(help_text="Taken from the data when written, frozen on submit")

    class Meta(StatusReportSerializer.Meta):
        fields = [
            *StatusReportSerializer.Meta.fields,
            "narrative",
            "risks",
            "help_requests",
            "figures",
            "figures_at",
            "written_by",
        ]


class ProgramTreeView(APIView):
    pagination_class = EdgePagination

    @extend_schema(
        summary="A program's tree with each node's declared status and traffic light",
        description=(
            "The program's top two levels (or, with `node`, that node and two levels under "
            "it), nodes in force, as the program dashboard shows them. A role on a node reads "
            "that node's part only: without `node` it is given its first node."
        ),
        parameters=[OpenApiParameter("node", int, description="a node's id: its part")],
        responses={200: TreeNodeSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, program_id: int) -> Response:
        raw = request.query_params.get("node")
        query = TreeQuery(data={"node": raw} if raw else {})
        query.is_valid(raise_exception=True)
        scope = access_program_dashboard(
            _actor(request), program_id, query.validated_data.get("node")
        )
        declared = program_declared_statuses(scope.program.pk)
        figures = program_figures(scope.program, scope.focus, declared=declared)
        rows: list[NodeRow] = list(figures.nodes.values())
        for row in rows:
            row.declared_status = declared.get(row.id)  # type: ignore[attr-defined]
        return _page(self, request, rows, TreeNodeSerializer)


class NodeRisksView(APIView):
    pagination_class = EdgePagination

    @extend_schema(
        summary="A node's risks, open first, by next review",
        responses={200: RiskSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, node_id: int) -> Response:
        node = access_office_node(_actor(request), node_id)
        risks = node_risks(node.pk).select_related("owner")
        return _page(self, request, risks, RiskSerializer, {"today": today()})


class ProgramStatusReportsView(APIView):
    pagination_class = EdgePagination

    @extend_schema(
        summary="A program's status reports visible to you, latest period first",
        responses={200: StatusReportSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, program_id: int) -> Response:
        program, regions = access_program_status_reports(_actor(request), program_id)
        reports = StatusReport.objects.filter(program=program, in_force=True)
        if regions is not None:
            reports = reports.filter(region_id__in=sorted(regions))
        ordered = reports.select_related("region").order_by("-period_start", "region_id", "id")
        return _page(self, request, ordered, StatusReportSerializer)


class StatusReportDetailView(APIView):
    @extend_schema(
        summary="One status report: period, state, figures and what the office wrote",
        responses={200: StatusReportDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, status_report_id: int) -> Response:
        report = access_office_status_report(_actor(request), status_report_id)
        return Response(StatusReportDetailSerializer(report).data)


urlpatterns = [
    path("programs/<id:program_id>/tree/", ProgramTreeView.as_view(), name="api-program-tree"),
    path("program-nodes/<id:node_id>/risks/", NodeRisksView.as_view(), name="api-node-risks"),
    path(
        "programs/<id:program_id>/status-reports/",
        ProgramStatusReportsView.as_view(),
        name="api-program-status-reports",
    ),
    path(
        "status-reports/<id:status_report_id>/",
        StatusReportDetailView.as_view(),
        name="api-status-report",
    ),
]
