"""REST API of the calendar of public events: read for everyone (published and cancelled
events; a proposal only for who proposed it and the moderators), write for the roles — anyone
signed in adds an event (a state organiser's is published at once, anyone else's waits for a
moderator), a moderator publishes or rejects, the organiser cancels and reports after the event
(and takes a photo off the report), a volunteer registers. Each write fetches the event by an
``access_*`` function (404 for missing and not yours alike) and calls the service."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge import ID_PATTERN, id_or_404
from jospar.core.edge_api import ReadForAllWriteSignedIn
from jospar.events import selectors, services
from jospar.events.access import (
    access_event,
    access_event_manage,
    access_event_moderate,
    access_event_photo_manage,
)
from jospar.events.api.serializers import (
    EventCreateSerializer,
    EventQuerySerializer,
    EventReasonSerializer,
    EventSerializer,
    ModerateInputSerializer,
    RegistrationSerializer,
    ReportInputSerializer,
)
from jospar.events.models import PublicEvent

WRITE_ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or not yours to act on"),
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the event's state"),
}


def _shown(event: PublicEvent) -> dict[str, Any]:
    volunteers = selectors.volunteer_counts([event.pk])
    return dict(EventSerializer(event, context={"volunteers": volunteers}).data)


@extend_schema_view(
    list=extend_schema(
        summary="Published (and cancelled) events, by start, with filters",
        parameters=[EventQuerySerializer],
        responses={200: EventSerializer(many=True), 400: WRITE_ERRORS[400]},
    ),
    retrieve=extend_schema(
        summary="One event (a proposal only for who proposed it and the moderators)",
        responses={200: EventSerializer, 404: WRITE_ERRORS[404]},
    ),
    create=extend_schema(
        summary="Add an event: published at once by a state organiser, else proposed",
        request=EventCreateSerializer,
        responses={201: EventSerializer, **WRITE_ERRORS},
    ),
)
class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = EventSerializer
    queryset = PublicEvent.objects.none()
    permission_classes = [ReadForAllWriteSignedIn]

    def get_queryset(self) -> Any:
        query = EventQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = selectors.Filters(
            region_id=data.get("region"),
            kind=data.get("kind") or "",
            first=data.get("date_from"),
            last=data.get("date_to"),
            program_id=data.get("program"),
            activity_id=data.get("activity"),
        )
        return (
            selectors.event_list(filters).select_related("program_node").prefetch_related("photos")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        assert rows is not None
        volunteers = selectors.volunteer_counts([e.pk for e in rows])
        data = EventSerializer(rows, many=True, context={"volunteers": volunteers}).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(_shown(access_event(request.user, id_or_404(kwargs.get("pk")))))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = EventCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.event_create(actor=request.user, data=dict(body.validated_data))
        return Response(_shown(access_event(request.user, event.pk)), status.HTTP_201_CREATED)

    @extend_schema(
        summary="A moderator publishes a proposed event, or rejects it with a reason",
        request=ModerateInputSerializer,
        responses={200: EventSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def moderate(self, request: Request, pk: Any = None) -> Response:
        event = access_event_moderate(request.user, id_or_404(pk))
        body = ModerateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.event_moderate(
            actor=request.user,
            event=event,
            publish=body.validated_data["publish"],
            reason=body.validated_data.get("reason", ""),
        )
        return Response(_shown(event))

    @extend_schema(
        summary="The organiser (or a moderator) cancels a published event, with a reason",
        request=EventReasonSerializer,
        responses={200: EventSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        event = access_event_manage(request.user, id_or_404(pk))
        body = EventReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.event_cancel(
            actor=request.user, event=event, reason=body.validated_data["reason"]
        )
        return Response(_shown(event))

    @extend_schema(
        summary="After the event: how many took part, a short public report and its photos",
        request={
            "multipart/form-data": ReportInputSerializer,
            "application/json": ReportInputSerializer,
        },
        responses={200: EventSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def report(self, request: Request, pk: Any = None) -> Response:
        event = access_event_manage(request.user, id_or_404(pk))
        body = ReportInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.event_report(
            actor=request.user,
            event=event,
            participants=body.validated_data["participants"],
            report=body.validated_data["report"],
            photos=body.validated_data.get("photos", []),
        )
        return Response(_shown(event))

    @extend_schema(
        summary="Remove a photo from the report (whoever may write the report, in any state)",
        description="The photo's row goes at once, its stored files (original, public copy,"
        " thumbnail) once that is committed; its public addresses answer 404 from then on."
        " Evidence of execution reports that took the photo keeps its own copy.",
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"photos/(?P<photo_id>{ID_PATTERN})",
        url_name="photo-remove",
    )
    def photo_remove(self, request: Request, pk: Any = None, photo_id: Any = None) -> Response:
        photo = access_event_photo_manage(request.user, id_or_404(pk), id_or_404(photo_id))
        services.event_photo_remove(actor=request.user, photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["POST"],
        summary="Register as a volunteer for an upcoming event that takes volunteers",
        request=None,
        responses={201: RegistrationSerializer, **WRITE_ERRORS},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Cancel your registration",
        request=None,
        responses={200: RegistrationSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post", "delete"])
    def registration(self, request: Request, pk: Any = None) -> Response:
        event = access_event(request.user, id_or_404(pk))
        if request.method == "POST":
            services.event_register(actor=request.user, event=event)
        else:
            services.event_unregister(actor=request.user, event=event)
        body = {
            "event": event.pk,
            "registered": request.method == "POST",
            "volunteers_registered": selectors.registrations_count(event),
        }
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(RegistrationSerializer(body).data, status=code)
