"""REST API of the Map of civic initiatives: read for everyone (public data only: the
selected, being implemented, implemented and rejected initiatives, and a person's own), write
for the roles — an author proposes, the region's responsible official records the decision,
anyone signed in pledges and, once implemented, rates. Each write calls the service."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge import id_or_404
from jospar.core.edge_api import ReadForAllWriteSignedIn
from jospar.core.errors import ServiceError
from jospar.initiatives import services
from jospar.initiatives.access.initiatives import (
    access_initiative,
    access_initiative_author,
    access_initiative_official,
)
from jospar.initiatives.api.serializers import (
    DecisionInputSerializer,
    EvaluationSerializer,
    InitiativeContributionSerializer,
    InitiativeCreateSerializer,
    InitiativeDetailSerializer,
    InitiativeQuerySerializer,
    InitiativeReasonSerializer,
    InitiativeSerializer,
    PledgeInputSerializer,
    PledgeSerializer,
    RateInputSerializer,
    ResultsInputSerializer,
    SurveyInputSerializer,
)
from jospar.initiatives.models import Initiative, Pledge, PledgeState
from jospar.initiatives.selectors import initiatives as selectors
from jospar.initiatives.selectors.evaluations import evaluation_of

WRITE_ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or not yours to act on"),
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the initiative's state"),
}
READ_ERRORS = {404: WRITE_ERRORS[404]}


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

    @extend_schema(
        summary="Initiatives visible to you (the public ones, and your own), with filters",
        parameters=[InitiativeQuerySerializer],
        responses={200: InitiativeSerializer(many=True), 400: WRITE_ERRORS[400]},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One initiative with its needs and what is pledged against each",
        responses={200: InitiativeDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        initiative = access_initiative(request.user, id_or_404(kwargs.get("pk")))
        return Response(
            InitiativeDetailSerializer(initiative, context={"pledged": _pledged(initiative)}).data
        )

    @extend_schema(
        summary="Propose an initiative (a draft, or submitted with submit=true)",
        request=InitiativeCreateSerializer,
        responses={201: InitiativeSerializer, **WRITE_ERRORS},
    )
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

    @extend_schema(
        summary="Pledge against a need: money, materials, a venue or volunteer hours",
        request=PledgeInputSerializer,
        responses={201: PledgeSerializer, **WRITE_ERRORS},
    )
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

    @extend_schema(
        summary="The region's official records the selection's decision with its minutes",
        request=DecisionInputSerializer,
        responses={200: InitiativeSerializer, **WRITE_ERRORS},
    )
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

    @extend_schema(
        summary="Rate an implemented initiative (1–5, once a person; not the author)",
        request=RateInputSerializer,
        responses={200: InitiativeSerializer, **WRITE_ERRORS},
    )
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

    @extend_schema(
        summary="Who contributed: each pledge in force (a private person named only if they "
        "agreed to a public profile)",
        responses={200: InitiativeContributionSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def pledges(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative(request.user, id_or_404(pk))
        rows = selectors.contributors(initiative)
        return Response(InitiativeContributionSerializer(rows, many=True).data)

    @extend_schema(
        summary="The author submits a draft (or a changed one) to the region's official",
        request=None,
        responses={200: InitiativeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative_author(request.user, id_or_404(pk))
        initiative = services.initiative_submit(actor=request.user, initiative=initiative)
        return Response(InitiativeSerializer(initiative).data)

    @extend_schema(
        summary="The official starts the implementation before the needs are covered",
        request=InitiativeReasonSerializer,
        responses={200: InitiativeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative_official(request.user, id_or_404(pk))
        body = InitiativeReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        initiative = services.initiative_start(
            actor=request.user, initiative=initiative, reason=body.validated_data["reason"]
        )
        return Response(InitiativeSerializer(initiative).data)

    @extend_schema(
        summary="The author records the results: what was done, photos after, beneficiaries "
        "reached, the money given",
        request={"multipart/form-data": ResultsInputSerializer},
        responses={200: InitiativeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def results(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative_author(request.user, id_or_404(pk))
        # The form's texts, and every file sent as "photos" (a QueryDict gives only the last).
        form = request.POST
        texts = {
            k: form[k] for k in ("results", "beneficiaries_reached", "money_given") if k in form
        }
        body = ResultsInputSerializer(data={**texts, "photos": request.FILES.getlist("photos")})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        initiative = services.initiative_complete(
            actor=request.user,
            initiative=initiative,
            results=data["results"],
            beneficiaries_reached=data["beneficiaries_reached"],
            money_given=data["money_given"],
            photos=data["photos"],
        )
        return Response(InitiativeSerializer(initiative).data)

    @extend_schema(
        methods=["GET"],
        summary="The evaluations: the citizens' rating and the beneficiaries' survey, summed",
        request=None,
        responses={200: EvaluationSerializer, **READ_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="A beneficiary answers the satisfaction survey of an implemented initiative",
        request=SurveyInputSerializer,
        responses={201: EvaluationSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def evaluation(self, request: Request, pk: Any = None) -> Response:
        initiative = access_initiative(request.user, id_or_404(pk))
        code: int = status.HTTP_200_OK
        if request.method == "POST":
            body = SurveyInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.survey_answer(
                actor=request.user,
                initiative=initiative,
                used_it=body.validated_data["used_it"],
                satisfaction=body.validated_data["satisfaction"],
                comment=body.validated_data.get("comment", ""),
            )
            code = status.HTTP_201_CREATED
        return Response(EvaluationSerializer(evaluation_of(initiative)).data, status=code)
