"""REST API of the control loop, for the web's scripts and for document-management systems
(token authentication: ``Authorization: Token <key>``; an administrator issues the key).

Obligations (list with filters and computed status, detail); reports (draft, files, links,
submit, versions); the controller's review (accept, return) and decisions (executed, extended,
removed, restored); the co-executors' inputs a lead executor gathers. Every object named in a
URL is fetched by an ``access_*`` function: 404 for "missing" and "not yours" alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.http.response import HttpResponseBase
from django.urls import include, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jospar.control.access.obligations import (
    access_attachment,
    access_control_activity,
    access_obligation,
    access_report,
    access_report_attachment,
    access_report_evidence,
    access_report_link,
)
from jospar.control.evidence_sources import event_photo_files, reported_event, with_event
from jospar.control.forms_evidence import calendar_event_from, evidence_input_from
from jospar.control.models import (
    ControlDecisionKind,
    EvidenceKind,
    ExecutionReport,
    Obligation,
    ObligationStatus,
    ReportState,
)
from jospar.control.selectors.obligations import (
    ObligationFilter,
    activity_decisions,
    activity_is_removed,
    lead_inputs,
    obligation_list_for,
    report_detail,
    report_versions,
)
from jospar.control.serializers import (
    AcceptSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ContributionSerializer,
    ControlDecisionSerializer,
    DecisionCreateSerializer,
    EvidenceCreateSerializer,
    EvidenceSerializer,
    LinkCreateSerializer,
    LinkSerializer,
    ObligationDetailSerializer,
    ObligationQuerySerializer,
    ObligationSerializer,
    ReportDraftSerializer,
    ReportDraftUpdateSerializer,
    ReportSerializer,
    ReturnSerializer,
    ReviewSerializer,
)
from jospar.control.services.decisions import (
    activity_control_remove,
    activity_control_restore,
    activity_mark_executed,
    deadline_extend,
)
from jospar.control.services.evidence import report_evidence_add, report_evidence_remove
from jospar.control.services.reports import (
    report_attachment_add,
    report_attachment_remove,
    report_draft_save,
    report_draft_update,
    report_link_add,
    report_link_remove,
    report_submit,
)
from jospar.control.services.review import report_accept, report_return
from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge import id_or_404
from jospar.core.edge_api import EdgePagination, IdRouter
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.core.serving import serve_file
from jospar.plans.access import access_plan

ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or not visible to you"),
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the object's state"),
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k in (403, 404)}


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _pk(value: Any) -> int:
    return id_or_404(value)


_FILTERS = [
    OpenApiParameter("plan", int, description="a plan's id"),
    OpenApiParameter("organisation", int, description="the owing organisation's id"),
    OpenApiParameter(
        "region", int, description="a region's id: its akimat's obligations, by group or by name"
    ),
    OpenApiParameter(
        "status", str, enum=ObligationStatus.values, description="one computed status"
    ),
    OpenApiParameter("deadline_from", dt.date, description="deadline on or after"),
    OpenApiParameter("deadline_to", dt.date, description="deadline on or before"),
    OpenApiParameter("due_from", dt.date, description="date in the plan on or after"),
    OpenApiParameter("due_to", dt.date, description="date in the plan on or before"),
    OpenApiParameter("quarter", str, description="a quarter of the deadline, e.g. 2016-Q1"),
]


@extend_schema_view(
    list=extend_schema(
        summary="The control schedule visible to you, by deadline, with computed statuses",
        parameters=_FILTERS,
        responses={200: ObligationSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One obligation: facts, status, reports and decisions",
        responses={200: ObligationDetailSerializer, **READ_ERRORS},
    ),
)
class ObligationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ObligationSerializer
    queryset = Obligation.objects.none()

    def get_queryset(self) -> Any:
        actor = _actor(self.request)
        query = ObligationQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        plan_id = access_plan(actor, data["plan"]).pk if data.get("plan") else None
        return obligation_list_for(
            actor,
            ObligationFilter(
                plan_id=plan_id,
                organisation_id=data.get("organisation"),
                region_id=data.get("region"),
                status=data.get("status"),
                deadline_from=data.get("deadline_from"),
                deadline_to=data.get("deadline_to"),
                due_from=data.get("due_from"),
                due_to=data.get("due_to"),
                quarter=(data.get("quarter") or "").upper() or None,
            ),
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = _actor(request)
        obligation = access_obligation(actor, _pk(kwargs.get("pk")))
        context = {
            **self.get_serializer_context(),
            "reports": list(report_versions(actor, obligation)),
            "decisions": list(activity_decisions(obligation.activity)[:200])
            if obligation.activity is not None
            else [],
            "removed": obligation.activity is not None and activity_is_removed(obligation.activity),
        }
        return Response(ObligationDetailSerializer(obligation, context=context).data)

    @extend_schema(
        methods=["GET"],
        summary="Versions of the obligation's report (drafts only for their organisation)",
        responses={200: ReportSerializer(many=True), **READ_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Create or update the draft (a report, or a co-executor's input to the lead)",
        request=ReportDraftSerializer,
        responses={
            201: OpenApiResponse(ReportSerializer, description="A new draft (version) started"),
            200: OpenApiResponse(ReportSerializer, description="The existing draft updated"),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get", "post"], serializer_class=ReportSerializer)
    def reports(self, request: Request, pk: str | None = None) -> Response:
        actor = _actor(request)
        obligation = access_obligation(actor, _pk(pk))
        if request.method == "GET":
            page = self.paginate_queryset(report_versions(actor, obligation))
            data = ReportSerializer(page, many=True, context={"request": request}).data
            return self.get_paginated_response(data)
        form = ReportDraftSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        had_draft = ExecutionReport.objects.filter(
            obligation=obligation, state=ReportState.DRAFT
        ).exists()
        draft = report_draft_save(
            actor=actor,
            obligation=obligation,
            text=form.validated_data["text"],
            lang=form.validated_data["lang"],
        )
        return Response(
            ReportSerializer(report_detail(draft), context={"request": request}).data,
            status=status.HTTP_200_OK if had_draft else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Co-executors' inputs to this (lead) obligation, the latest of each",
        responses={200: ContributionSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], serializer_class=ContributionSerializer)
    def inputs(self, request: Request, pk: str | None = None) -> Response:
        obligation = access_obligation(_actor(request), _pk(pk))
        items = lead_inputs(obligation)
        page = self.paginate_queryset(items)
        data = ContributionSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="One report version with its files, links and reviews",
        responses={200: ReportSerializer, **READ_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Update the draft's text or language",
        request=ReportDraftUpdateSerializer,
        responses={200: ReportSerializer, **ERRORS},
    ),
)
class ReportViewSet(
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = ReportSerializer
    queryset = ExecutionReport.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_object(self) -> ExecutionReport:
        return access_report(_actor(self.request), _pk(self.kwargs.get("pk")))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = report_detail(self.get_object())
        return Response(ReportSerializer(report, context={"request": request}).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        form = ReportDraftUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        draft = report_draft_update(
            actor=_actor(request), report=report, text=data.get("text"), lang=data.get("lang")
        )
        return Response(ReportSerializer(report_detail(draft), context={"request": request}).data)

    @extend_schema(
        summary="Attach a file to the draft (multipart); checked by its content",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=AttachmentSerializer,
    )
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        form = AttachmentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        attachment = report_attachment_add(
            actor=_actor(request), report=report, stream=upload, name=upload.name or ""
        )
        return Response(
            AttachmentSerializer(attachment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="Remove a file from the draft", responses={204: None, **ERRORS})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment-remove",
    )
    def attachment_remove(
        self, request: Request, pk: str | None = None, attachment_id: str | None = None
    ) -> Response:
        actor = _actor(request)
        attachment = access_report_attachment(actor, _pk(pk), _pk(attachment_id))
        report_attachment_remove(actor=actor, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Add a link to a publication (http/https)",
        request=LinkCreateSerializer,
        responses={201: LinkSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], serializer_class=LinkSerializer)
    def links(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        form = LinkCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        link = report_link_add(
            actor=_actor(request),
            report=report,
            url=form.validated_data["url"],
            title=form.validated_data.get("title", ""),
        )
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove a link from the draft", responses={204: None, **ERRORS})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"links/(?P<link_id>[0-9]+)",
        url_name="link-remove",
    )
    def link_remove(
        self, request: Request, pk: str | None = None, link_id: str | None = None
    ) -> Response:
        actor = _actor(request)
        link = access_report_link(actor, _pk(pk), _pk(link_id))
        report_link_remove(actor=actor, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Add evidence of completion to the draft (JSON, or multipart with files)",
        request={
            "multipart/form-data": EvidenceCreateSerializer,
            "application/json": EvidenceCreateSerializer,
        },
        responses={201: EvidenceSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        serializer_class=EvidenceSerializer,
    )
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        actor = _actor(request)
        data = evidence_input_from(request.data)
        chosen = calendar_event_from(request.data)
        uploads = request.FILES.getlist("files") if hasattr(request.FILES, "getlist") else []
        files = [(upload, upload.name or "") for upload in uploads]
        if chosen is not None:
            # As the report form does: only an event the form would offer this person for this
            # obligation; it fills what was left empty and brings its photos.
            event = (
                reported_event(actor, report.obligation, chosen)
                if data.kind == EvidenceKind.EVENT
                else None
            )
            if event is None:
                message = _("Choose one of the reported events of the calendar offered.")
                raise ServiceError("invalid_evidence", message, {"calendar_event": [message]})
            data = with_event(data, event)
            files += event_photo_files(event)
        try:
            evidence = report_evidence_add(actor=actor, report=report, data=data, files=files)
        finally:
            for stream, _name in files[len(uploads) :]:
                stream.close()
        return Response(
            EvidenceSerializer(evidence, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="Remove evidence from the draft", responses={204: None, **ERRORS})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"evidence/(?P<evidence_id>[0-9]+)",
        url_name="evidence-remove",
    )
    def evidence_remove(
        self, request: Request, pk: str | None = None, evidence_id: str | None = None
    ) -> Response:
        actor = _actor(request)
        evidence = access_report_evidence(actor, _pk(pk), _pk(evidence_id))
        report_evidence_remove(actor=actor, evidence=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Submit the draft: the version is frozen",
        request=None,
        responses={200: ReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        report = report_submit(actor=_actor(request), report=self.get_object())
        return Response(ReportSerializer(report_detail(report), context={"request": request}).data)

    @extend_schema(
        summary="Accept a submitted report (controllers of the plan)",
        request=AcceptSerializer,
        responses={200: ReviewSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def accept(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        form = AcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        review = report_accept(
            actor=_actor(request), report=report, comment=form.validated_data.get("comment", "")
        )
        return Response(ReviewSerializer(review).data)

    @extend_schema(
        summary="Return a submitted report for revision, with a comment and a new date",
        request=ReturnSerializer,
        responses={200: ReviewSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", serializer_class=ReviewSerializer)
    def return_for_revision(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        form = ReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        review = report_return(
            actor=_actor(request),
            report=report,
            comment=form.validated_data["comment"],
            new_deadline=form.validated_data["new_deadline"],
        )
        return Response(ReviewSerializer(review).data)


class AttachmentDownloadView(APIView):
    """A report's file, to whoever may read the report."""

    @extend_schema(
        summary="Download a report's file",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file"
            ),
            **READ_ERRORS,
        },
    )
    def get(self, request: Request, attachment_id: int) -> HttpResponseBase:
        attachment = access_attachment(_actor(request), attachment_id)
        return serve_file(
            attachment.file,
            content_type=attachment.content_type,
            public=False,
            download_name=attachment.original_name,
        )


class ActivityDecisionsView(APIView):
    """The controller's decisions on an activity."""

    pagination_class = EdgePagination

    @extend_schema(
        summary="Decisions on an activity, newest first",
        responses={200: ControlDecisionSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, activity_id: int) -> Response:
        activity = access_control_activity(_actor(request), activity_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(activity_decisions(activity), request, view=self)
        data = ControlDecisionSerializer(page, many=True).data
        response: Response = paginator.get_paginated_response(data)
        return response

    @extend_schema(
        summary="Record a decision: executed, extended (one obligation or the whole activity),"
        " removed from control, restored",
        request=DecisionCreateSerializer,
        responses={201: ControlDecisionSerializer, **ERRORS},
    )
    def post(self, request: Request, activity_id: int) -> Response:
        actor = _actor(request)
        activity = access_control_activity(actor, activity_id)
        form = DecisionCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        kind, reason = data["kind"], data["reason"]
        if kind == ControlDecisionKind.EXECUTED:
            decision = activity_mark_executed(actor=actor, activity=activity, reason=reason)
        elif kind == ControlDecisionKind.EXTENDED:
            obligation = None
            if data.get("obligation"):
                obligation = Obligation.objects.filter(
                    pk=data["obligation"], activity=activity
                ).first()
                if obligation is None:
                    message = _("Choose an obligation of this activity that is still owed.")
                    raise ServiceError("invalid_obligation", message, {"obligation": [message]})
            decision = deadline_extend(
                actor=actor,
                activity=activity,
                obligation=obligation,
                new_deadline=data.get("new_deadline"),
                reason=reason,
            )
        elif kind == ControlDecisionKind.REMOVED:
            decision = activity_control_remove(actor=actor, activity=activity, reason=reason)
        else:
            decision = activity_control_restore(actor=actor, activity=activity, reason=reason)
        return Response(ControlDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


router = IdRouter()
router.register("obligations", ObligationViewSet, basename="obligation")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path(
        "attachments/<id:attachment_id>/download/",
        AttachmentDownloadView.as_view(),
        name="api-attachment-download",
    ),
    path(
        "activities/<id:activity_id>/decisions/",
        ActivityDecisionsView.as_view(),
        name="api-activity-decisions",
    ),
    path("", include(router.urls)),
]
