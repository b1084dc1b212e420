"""Extension point of the report's evidence for the apps above control.

An activity that ends with an event asks the report for its date, place, number of participants
and photos. The calendar of public events (``jospar.events``, above control) holds events with a
short report after them; control may not import it. The calendar registers, in its
``AppConfig.ready``, a source: a function of the person and the obligation that returns the
reported events that person may offer as evidence for it. The evidence form offers them in a
list; choosing one fills what the event states, and the event's photos (their public copies,
without metadata) are attached to the evidence as copies, so that the executor need not attach
them again: the report's evidence keeps its own files, whatever becomes of the event later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from jospar.control.models import Obligation
from jospar.control.services.evidence import EvidenceInput
from jospar.core.models import User

# How many reported events the form offers at most (the most recent first).
OFFERED_MAX = 50


@dataclass(frozen=True)
class EventPhoto:
    """One photo of the event's report: a name for the attachment and how to read its bytes
    (opened only when the evidence is added, not when the form is shown)."""

    name: str
    open: Callable[[], IO[bytes]]


@dataclass(frozen=True)
class ReportedEvent:
    """An event held and reported on, as evidence sees it."""

    id: int
    title: str
    date: dt.date
    place: str
    participants: int
    url: str
    photos: tuple[EventPhoto, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.date.isoformat()} · {self.title}"


EventSource = Callable[[User, Obligation], list[ReportedEvent]]

_SOURCES: list[EventSource] = []


def register_event_source(source: EventSource) -> EventSource:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def reported_events(actor: User, obligation: Obligation) -> list[ReportedEvent]:
    """The reported events this person may give as evidence for the obligation."""
    out: list[ReportedEvent] = []
    for source in _SOURCES:
        out.extend(source(actor, obligation))
    out.sort(key=lambda e: (e.date, e.id), reverse=True)
    return out[:OFFERED_MAX]


def reported_event(actor: User, obligation: Obligation, event_id: int) -> ReportedEvent | None:
    """One of ``reported_events``, or None when that id is not among them."""
    return next((e for e in reported_events(actor, obligation) if e.id == event_id), None)


def with_event(data: EvidenceInput, event: ReportedEvent) -> EvidenceInput:
    """The evidence with what the event states wherever the executor left a field empty."""
    return dataclasses.replace(
        data,
        date=data.date or event.date,
        place=data.place or event.place,
        participants=data.participants or event.participants,
        url=data.url or event.url,
    )


def event_photo_files(event: ReportedEvent) -> list[tuple[IO[bytes] | Any, str]]:
    """The event's photos as the evidence service takes files (checked there by content like
    any attachment, and stored as the report's own copies). The caller closes them. A photo
    the organiser removed since the event was read (its file deleted once that committed) is
    left out, not an error: the evidence then has the photos that remain."""
    files: list[tuple[IO[bytes] | Any, str]] = []
    for photo in event.photos:
        try:
            files.append((photo.open(), photo.name))
        except FileNotFoundError:
            continue
    return files
