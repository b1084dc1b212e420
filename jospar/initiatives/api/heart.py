"""REST API of Generous Heart: cycles with their nominations, nominees and (once published)
results are public; anyone signed in proposes a nominee while nominations are open; a member of
the cycle's jury scores. A person is named only while they agree to a public profile (the
service asks that agreement to nominate them at all)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.core.api.directory import ErrorSerializer
from jospar.core.edge import id_or_404
from jospar.core.edge_api import ReadForAllWriteSignedIn
from jospar.core.edge_fields import IdApiField
from jospar.core.models import Organisation, User
from jospar.initiatives import services
from jospar.initiatives.access.heart import access_cycle, access_cycle_juror, access_nominee
from jospar.initiatives.models import (
    HeartCategory,
    HeartCycle,
    HeartNomination,
    HeartNominee,
    HeartStage,
)
from jospar.initiatives.selectors import heart as selectors
from jospar.initiatives.selectors.initiatives import public_ids

WRITE_ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Refused: {code, message, fields}"),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or not yours to act on"),
    409: OpenApiResponse(ErrorSerializer, description="Not possible at the cycle's stage"),
}
READ_ERRORS = {404: WRITE_ERRORS[404]}


class CycleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    region = serializers.SerializerMethodField()
    public_weight = serializers.IntegerField(read_only=True)
    stage = serializers.SerializerMethodField()

    class Meta:
        model = HeartCycle
        fields = (
            "id",
            "year",
            "region",
            "stage",
            "nominations_from",
            "jury_from",
            "vote_from",
            "vote_until",
            "results_on",
            "jury_weight",
            "public_weight",
            "results_published_at",
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region(self, cycle: HeartCycle) -> str | None:
        """The region's code; null for the national cycle."""
        return cycle.region.code if cycle.region is not None else None

    @extend_schema_field(serializers.ChoiceField(choices=HeartStage.choices))
    def get_stage(self, cycle: HeartCycle) -> str:
        return str(cycle.stage_on(timezone.localdate()).value)


class NomineeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    nomination = serializers.IntegerField(source="nomination_id")
    subject = serializers.ChoiceField(
        choices=(("person", "person"), ("organisation", "organisation"))
    )
    name = serializers.CharField()
    reason = serializers.CharField()
    # Written when the results are published: null until then.
    jury_average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    votes = serializers.IntegerField(allow_null=True)
    final_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    place = serializers.IntegerField(allow_null=True)

    def to_representation(self, nominee: HeartNominee) -> dict[str, Any]:
        public: set[int] = self.context.get("public", set())
        is_person = nominee.person_id is not None
        return {
            "id": nominee.pk,
            "nomination": nominee.nomination_id,
            "subject": "person" if is_person else "organisation",
            "name": (nominee.name if nominee.person_id in public else "")
            if is_person
            else str(nominee.organisation),
            "reason": nominee.reason,
            "jury_average": _decimal(nominee.jury_average),
            "votes": nominee.votes,
            "final_score": _decimal(nominee.final_score),
            "place": nominee.place,
        }


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


class NominationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=HeartCategory.choices)
    name = serializers.CharField()
    criteria = serializers.CharField()
    nominees = NomineeSerializer(many=True)

    def to_representation(self, nomination: HeartNomination) -> dict[str, Any]:
        nominees = list(nomination.nominees.all())
        return {
            "id": nomination.pk,
            "category": nomination.category,
            "name": nomination.name,
            "criteria": nomination.criteria,
            "nominees": [NomineeSerializer(n, context=self.context).data for n in nominees],
        }


class CycleDetailSerializer(CycleSerializer):
    nominations = serializers.SerializerMethodField()

    class Meta(CycleSerializer.Meta):
        fields = (*CycleSerializer.Meta.fields, "nominations")  # type: ignore[assignment]

    @extend_schema_field(NominationSerializer(many=True))
    def get_nominations(self, cycle: HeartCycle) -> list[dict[str, Any]]:
        rows = self.context.get("nominations", [])
        return [NominationSerializer(n, context=self.context).data for n in rows]


class NomineeDetailSerializer(NomineeSerializer):
    cycle = serializers.IntegerField()
    money = serializers.DecimalField(max_digits=16, decimal_places=2)
    hours = serializers.DecimalField(max_digits=16, decimal_places=2)
    materials = serializers.IntegerField()
    initiatives = serializers.ListField(child=serializers.IntegerField())

    def to_representation(self, nominee: HeartNominee) -> dict[str, Any]:
        out = super().to_representation(nominee)
        evidence = selectors.nominee_evidence(nominee)
        out.update(
            cycle=nominee.nomination.cycle_id,
            money=f"{evidence.money:.2f}",
            hours=f"{evidence.hours:.2f}",
            materials=evidence.materials,
            initiatives=[i.pk for i in evidence.initiatives],
        )
        return out


class ProposeInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    nomination = IdApiField()
    person = IdApiField(required=False, allow_null=True)
    organisation = IdApiField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=2000)


class ScoreInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    score = serializers.IntegerField(min_value=1, max_value=10)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class ScoreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    nominee = serializers.IntegerField(source="nominee_id")
    score = serializers.IntegerField()
    comment = serializers.CharField()


def _people(nominations: list[HeartNomination]) -> set[int]:
    ids = {n.person_id for nom in nominations for n in nom.nominees.all() if n.person_id}
    return public_ids(ids) if ids else set()


@extend_schema_view(
    list=extend_schema(
        summary="Generous Heart cycles, newest first (regional and national)",
        responses={200: CycleSerializer(many=True), 400: WRITE_ERRORS[400]},
    ),
    retrieve=extend_schema(
        summary="One cycle: its stage, nominations and nominees (results once published)",
        responses={200: CycleDetailSerializer, **READ_ERRORS},
    ),
)
class HeartCycleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    serializer_class = CycleSerializer
    queryset = HeartCycle.objects.none()
    permission_classes = [ReadForAllWriteSignedIn]

    def get_queryset(self) -> Any:
        return selectors.cycles_list()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cycle = access_cycle(request.user, id_or_404(kwargs.get("pk")))
        nominations = selectors.cycle_nominations(cycle)
        context = {"nominations": nominations, "public": _people(nominations)}
        return Response(CycleDetailSerializer(cycle, context=context).data)

    @extend_schema(
        summary="Propose a person (who agreed to a public profile) or an organisation",
        request=ProposeInputSerializer,
        responses={201: NomineeSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def nominees(self, request: Request, pk: Any = None) -> Response:
        cycle = access_cycle(request.user, id_or_404(pk))
        body = ProposeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        nomination = HeartNomination.objects.filter(cycle=cycle, pk=data["nomination"]).first()
        if nomination is None:
            raise Http404
        person = organisation = None
        if data.get("person"):
            person = User.objects.filter(pk=data["person"], is_active=True).first()
            if person is None:
                raise Http404
        if data.get("organisation"):
            organisation = Organisation.objects.filter(pk=data["organisation"]).first()
            if organisation is None:
                raise Http404
        nominee = services.nominee_propose(
            actor=request.user,
            nomination=nomination,
            reason=data["reason"],
            person=person,
            organisation=organisation,
        )
        public = public_ids({nominee.person_id}) if nominee.person_id else set()
        return Response(
            NomineeSerializer(nominee, context={"public": public}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="One nominee with the contributions attached from the data",
        responses={200: NomineeDetailSerializer, **READ_ERRORS},
    ),
)
class HeartNomineeViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = NomineeDetailSerializer
    queryset = HeartNominee.objects.none()
    permission_classes = [ReadForAllWriteSignedIn]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        nominee = access_nominee(request.user, id_or_404(kwargs.get("pk")))
        public = public_ids({nominee.person_id}) if nominee.person_id else set()
        return Response(NomineeDetailSerializer(nominee, context={"public": public}).data)

    @extend_schema(
        summary="A member of the cycle's jury scores the nominee 1–10 (and may change it)",
        request=ScoreInputSerializer,
        responses={200: ScoreSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: Any = None) -> Response:
        nominee = access_nominee(request.user, id_or_404(pk))
        # Not of this jury: 404, as the jury's page.
        access_cycle_juror(request.user, nominee.nomination.cycle_id)
        body = ScoreInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.score_record(
            actor=request.user,
            nominee=nominee,
            score=body.validated_data["score"],
            comment=body.validated_data.get("comment", ""),
        )
        return Response(ScoreSerializer(row).data)
