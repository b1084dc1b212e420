"""The calendar's API shapes: public data only (the organiser as an organisation or as named,
never the account that proposed the event, nor who registered)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jospar.core.edge_fields import DateApiField, DateTimeApiField, IdApiField
from jospar.events.models import EventKind, EventPhoto, EventState, PublicEvent
from jospar.events.services.lifecycle import PARTICIPANTS_MAX, VOLUNTEERS_MAX
from jospar.events.services.photos import PHOTOS_MAX


def _kind(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=EventKind.choices,
        error_messages={"invalid_choice": _("Choose one of the offered values.")},
        **kwargs,
    )


class EventPhotoSerializer(serializers.Serializer):  # type: ignore[type-arg]
    # What ``DELETE /api/events/{id}/photos/{photo_id}/`` names.
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)

    def get_url(self, photo: EventPhoto) -> str:
        return reverse("events:photo", args=[photo.public_file.name])

    def get_thumbnail(self, photo: EventPhoto) -> str:
        return reverse("events:photo", args=[photo.thumbnail.name])


class EventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    title = serializers.CharField(read_only=True)
    organiser = serializers.CharField(read_only=True)
    program = serializers.SerializerMethodField()
    volunteers_registered = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=EventState.choices, read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = PublicEvent
        fields = (
            "id",
            "uid",
            "title",
            "title_kk",
            "title_ru",
            "title_en",
            "description",
            "kind",
            "state",
            "region",
            "organiser",
            "place",
            "latitude",
            "longitude",
            "starts_at",
            "ends_at",
            "activity",
            "program_node",
            "program",
            "initiative",
            "volunteers_wanted",
            "volunteers_registered",
            "participants",
            "report",
            "photos",
            "reason",
        )

    def get_program(self, event: PublicEvent) -> int | None:
        """The program whose key event this event carries out."""
        node = event.program_node
        return node.program_id if node is not None else None

    @extend_schema_field(EventPhotoSerializer(many=True))
    def get_photos(self, event: PublicEvent) -> list[dict[str, Any]]:
        """The report's photos: the public copies only (no metadata), never the originals."""
        return [dict(EventPhotoSerializer(photo).data) for photo in event.photos.all()]

    def get_volunteers_registered(self, event: PublicEvent) -> int:
        counts: dict[int, int] = self.context.get("volunteers", {})
        return counts.get(event.pk, 0)


class EventQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    region = IdApiField(required=False, help_text="a region's id")
    kind = _kind(required=False)
    date_from = DateApiField(required=False, help_text="events that end on or after this day")
    date_to = DateApiField(required=False, help_text="events that start on or before this day")
    program = IdApiField(required=False, help_text="events carrying out this program's key events")
    activity = IdApiField(required=False, help_text="events carrying out this plan activity")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs.get("date_from"), attrs.get("date_to")
        if first is not None and last is not None and last < first:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the period is before its start.")]}
            )
        return attrs


class EventCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title_kk = serializers.CharField(max_length=200)
    title_ru = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    kind = _kind()
    region = IdApiField()
    place = serializers.CharField(max_length=300)
    latitude = serializers.FloatField(min_value=40, max_value=56, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=46, max_value=88, required=False, allow_null=True)
    starts_at = DateTimeApiField()
    ends_at = DateTimeApiField(required=False, allow_null=True)
    volunteers_wanted = serializers.IntegerField(
        min_value=0, max_value=VOLUNTEERS_MAX, required=False, default=0
    )
    organisation = IdApiField(required=False, allow_null=True)
    organiser_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    activity = IdApiField(required=False, allow_null=True)
    program_node = IdApiField(required=False, allow_null=True)
    initiative = IdApiField(required=False, allow_null=True)


class ModerateInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    publish = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class EventReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)


class ReportInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participants = serializers.IntegerField(min_value=0, max_value=PARTICIPANTS_MAX)
    report = serializers.CharField(max_length=5000)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=PHOTOS_MAX,
        help_text="Multipart only; JPEG, PNG or WebP, checked by content; added to those there.",
    )


class RegistrationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    event = serializers.IntegerField()
    registered = serializers.BooleanField()
    volunteers_registered = serializers.IntegerField()
