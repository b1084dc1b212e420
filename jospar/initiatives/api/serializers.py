"""The API's shapes: public data only (no private person's name or account)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jospar.core.edge_fields import DateApiField, IdApiField
from jospar.initiatives.models import (
    Direction,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Need,
    NeedKind,
    PledgerKind,
    SelectionBody,
)


def _choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice whose refusal does not repeat the value sent (it may not even be encodable)."""
    return serializers.ChoiceField(
        choices=choices,
        error_messages={"invalid_choice": _("Choose one of the offered values.")},
        **kwargs,
    )


class NeedSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    pledged = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = ("id", "kind", "description", "quantity", "unit", "pledged")

    def get_pledged(self, need: Need) -> str:
        totals: dict[int, Any] = self.context.get("pledged", {})
        return str(totals.get(need.pk, 0))


class InitiativeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    ngo = serializers.SerializerMethodField()
    rating = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Initiative
        fields = (
            "id",
            "title",
            "problem",
            "kind",
            "direction",
            "state",
            "region",
            "latitude",
            "longitude",
            "address",
            "author_kind",
            "ngo",
            "beneficiaries",
            "beneficiaries_count",
            "budget",
            "decision_body",
            "decision_date",
            "decision_text",
            "selected_at",
            "implementing_at",
            "implemented_at",
            "results_text",
            "beneficiaries_reached",
            "money_given",
            "hours_given",
            "rating",
            "rating_count",
        )

    def get_ngo(self, initiative: Initiative) -> str | None:
        return str(initiative.organisation) if initiative.organisation_id else None


class InitiativeDetailSerializer(InitiativeSerializer):
    needs = serializers.SerializerMethodField()

    class Meta(InitiativeSerializer.Meta):
        fields = (*InitiativeSerializer.Meta.fields, "needs")  # type: ignore[assignment]

    def get_needs(self, initiative: Initiative) -> list[dict[str, Any]]:
        return list(NeedSerializer(initiative.needs.all(), many=True, context=self.context).data)


class InitiativeQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    state = _choice(InitiativeState.choices, required=False)
    kind = _choice(InitiativeKind.choices, required=False)
    direction = _choice(Direction.choices, required=False)
    region = IdApiField(required=False, min_value=1)
    open_needs = serializers.BooleanField(required=False)


class NeedInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = _choice(NeedKind.choices)
    description = serializers.CharField(max_length=300)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    unit = serializers.CharField(max_length=32, required=False, allow_blank=True)


class InitiativeCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    author_kind = _choice(("citizen", "ngo"), default="citizen")
    title = serializers.CharField(max_length=200)
    problem = serializers.CharField(max_length=5000)
    kind = _choice(InitiativeKind.choices)
    direction = _choice(Direction.choices)
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    beneficiaries = serializers.CharField(max_length=300)
    beneficiaries_count = serializers.IntegerField(min_value=1, max_value=100_000_000)
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    needs = NeedInputSerializer(many=True)
    submit = serializers.BooleanField(default=False)


class PledgeInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    need = IdApiField(min_value=1)
    kind = _choice(PledgerKind.choices)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PledgeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    need = serializers.IntegerField(source="need_id")
    kind = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2)
    state = serializers.CharField()


class DecisionInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    selected = serializers.BooleanField()
    body = _choice(SelectionBody.choices)
    decided_on = DateApiField()
    decision = serializers.CharField(max_length=2000)
    minutes = serializers.FileField()


class RateInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stars = serializers.IntegerField(min_value=1, max_value=5)


class InitiativeContributionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A pledge as the public sees it: an organisation by name, a private person by name only
    if they agreed to a public profile (else ``contributor`` is empty)."""

    id = serializers.IntegerField(source="pledge.pk")
    need = serializers.IntegerField(source="pledge.need_id")
    need_kind = serializers.ChoiceField(choices=NeedKind.choices, source="pledge.need.kind")
    kind = serializers.ChoiceField(choices=PledgerKind.choices, source="pledge.kind")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2, source="pledge.quantity")
    confirmed_quantity = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="pledge.confirmed_quantity"
    )
    contributor = serializers.CharField(source="name")
    pledged_at = serializers.DateTimeField(source="pledge.created_at")


class ResultsInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    results = serializers.CharField(max_length=5000)
    beneficiaries_reached = serializers.IntegerField(min_value=0, max_value=100_000_000)
    money_given = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    photos = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=20)


class InitiativeReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)


class SurveyInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    used_it = serializers.BooleanField()
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class EvaluationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The initiative's evaluations: the citizens' rating and the beneficiaries' survey."""

    rating = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()
    survey_answers = serializers.IntegerField()
    used_it = serializers.IntegerField()
    satisfaction = serializers.FloatField(allow_null=True)
