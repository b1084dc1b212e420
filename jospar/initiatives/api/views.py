"""REST API of the Map of civic initiatives: read for everyone (public data only: the
selected, being implemented, implemented and rejected initiatives, and a person's own), write
for the roles — an author proposes, the region's responsible official records the decision,
anyone signed in pledges and, once implemented, rates. Each write calls the service."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.core.edge import id_or_404
from jospar.core.errors import ServiceError
from jospar.initiatives import services
from jospar.initiatives.access.initiatives import access_initiative
from jospar.initiatives.api.serializers import (
    DecisionInputSerializer,
    InitiativeCreateSerializer,
    InitiativeDetailSerializer,
    InitiativeQuerySerializer,
    InitiativeSerializer,
    PledgeInputSerializer,
    PledgeSerializer,
    RateInputSerializer,
)
from jospar.initiatives.models import Initiative, Pledge, PledgeState
from jospar.initiatives.selectors import initiatives as selectors


class ReadForAllWriteSignedIn(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)


def _pledged(initiative: Initiative) -> dict[int, Any]:
    return {
        row["need_id"]: row["total"]
        for row in Pledge.objects.filter(initiative=initiative, state=PledgeState.PLEDGED)
        .values("need_id")
        .annotate(total=Sum("quantity"))
    }


class InitiativeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = InitiativeSerializer
    queryset = Initiative.objects.none()
    permission_classes = [ReadForAllWriteSignedIn]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> Any:
        query = InitiativeQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = selectors.Filters(
            state=data.get("state") or "",
            kind=data.get("kind") or "",
            direction=data.get("direction") or "",
            region_id=data.get("region"),
            open_needs=bool(data.get("open_needs")),
        )
        return selectors.initiative_list(self.request.user, filters).order_by("pk")

    @extend_schema(parameters=[InitiativeQuerySerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: InitiativeDetailSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        initiative = access_initiative(request.user, id_or_404(kwargs.get("pk")))
        return Response(
            InitiativeDetailSerializer(initiative, context={"pledged": _pledged(initiative)}).data
        )

    @extend_schema(request=InitiativeCreateSerializer, responses={201: InitiativeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = InitiativeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        needs = [dict(n) for n in data.pop("needs")]
        submit = data.pop("submit")
        initiative = services.initiative_save(actor=request.user, data=data, needs=needs)
        if submit:
            initiative = services.initiative_submit(actor=request.user, initiative=initiative)
        return Response(InitiativeSerializer(initiative).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PledgeInputSerializer, responses={201: PledgeSerializer})
    @action(detail=True, methods=["post"])
    def pledge(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative(request.user, id_or_404(pk))
        body = PledgeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        need = initiative.needs.filter(pk=body.validated_data["need"]).first()
        if need is None:
            raise ServiceError("not_found", "No such need.", {"need": ["No such need."]})
        pledge = services.pledge_make(
            actor=request.user,
            need=need,
            kind=body.validated_data["kind"],
            quantity=body.validated_data["quantity"],
            note=body.validated_data.get("note", ""),
        )
        return Response(PledgeSerializer(pledge).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInputSerializer, responses={200: InitiativeSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def decision(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative(request.user, id_or_404(pk))
        body = DecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        initiative = services.initiative_decide(
            actor=request.user,
            initiative=initiative,
            selected=data["selected"],
            body=data["body"],
            decided_on=data["decided_on"],
            decision=data["decision"],
            minutes=[data["minutes"]],
        )
        return Response(InitiativeSerializer(initiative).data)

    @extend_schema(request=RateInputSerializer, responses={200: InitiativeSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative(request.user, id_or_404(pk))
        body = RateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.initiative_rate(
            actor=request.user, initiative=initiative, stars=body.validated_data["stars"]
        )
        initiative.refresh_from_db()
        return Response(InitiativeSerializer(initiative).data)
