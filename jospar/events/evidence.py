"""The calendar as a source of evidence for execution reports (``jospar.control.evidence_sources``):
an event held and reported on (participants counted) that carries out the obligation's plan
activity, or that the obligation's own organisation organised, may be given as the evidence of an
activity that ends with an event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jospar.control.evidence_sources import OFFERED_MAX, EventPhoto, ReportedEvent
from jospar.control.models import Obligation
from jospar.core.models import User
from jospar.events.models import EventPhoto as StoredPhoto
from jospar.events.models import EventState, PublicEvent
from jospar.events.selectors import ALMATY


def reported_calendar_events(actor: User, obligation: Obligation) -> list[ReportedEvent]:
    """Reported events of this obligation's activity or organisation (the person is one who may
    write the obligation's report: the control views checked that)."""
    carried_out = Q(pk__in=[])
    if obligation.organisation_id is not None:
        carried_out |= Q(organisation_id=obligation.organisation_id)
    if obligation.activity_id is not None:
        carried_out |= Q(activity_id=obligation.activity_id)
    rows = (
        PublicEvent.objects.filter(
            carried_out,
            state=EventState.PUBLISHED,
            participants__isnull=False,
            ends_at__lte=timezone.now(),
        )
        .only("pk", "title_kk", "title_ru", "title_en", "place", "participants", "starts_at")
        .prefetch_related("photos")
        .order_by("-starts_at", "-pk")[:OFFERED_MAX]
    )
    site = settings.SITE_URL.rstrip("/")
    return [
        ReportedEvent(
            id=event.pk,
            title=event.title,
            date=event.starts_at.astimezone(ALMATY).date(),
            place=event.place,
            participants=event.participants or 0,
            url=site + reverse("events:detail", args=[event.pk]),
            photos=tuple(_photo(event, index, row) for index, row in enumerate(event.photos.all())),
        )
        for event in rows
    ]


def _photo(event: PublicEvent, index: int, row: StoredPhoto) -> EventPhoto:
    """The public copy (EXIF and GPS already gone), never the private original."""
    storage, name = row.public_file.storage, str(row.public_file.name or "")
    extension = name.rsplit(".", 1)[-1].lower()

    def open_copy() -> Any:
        return storage.open(name, "rb")

    return EventPhoto(name=f"event-{event.pk}-photo-{index + 1}.{extension}", open=open_copy)
