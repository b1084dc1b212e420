"""An event's life: added (published by a state organiser, or proposed by a citizen or an NGO),
moderated, cancelled, reported on after it took place; volunteers register and cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jospar.civic.media import StoredFiles
from jospar.civic.services._common import require_confirmed
from jospar.core.edge import date_in_range, id_or_none
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import Organisation, Region, User
from jospar.events.access import can_manage, can_moderate_events, can_publish, can_see
from jospar.events.models import EventKind, EventState, PublicEvent, Registration
from jospar.events.services._common import (
    audit,
    clean_text,
    locked,
    now,
    refused,
    snapshot,
)
from jospar.events.services.photos import check_event_photos, store_event_photos
from jospar.initiatives.models import PUBLIC_STATES as INITIATIVE_PUBLIC_STATES
from jospar.initiatives.models import Initiative
from jospar.plans.models import Activity
from jospar.programs.models import NodeKind, ProgramNode

LONGEST = dt.timedelta(days=92)
VOLUNTEERS_MAX = 100_000
PARTICIPANTS_MAX = 10_000_000


def _bad(code: str, field: str, message: str) -> ServiceError:
    return ServiceError(code, message, {field: [message]})


def _moment(value: Any, field: str) -> dt.datetime:
    if (
        not isinstance(value, dt.datetime)
        or value.tzinfo is None
        or not date_in_range(value.date())
    ):
        raise _bad("bad_time", field, _("Enter a date and time."))
    return value


def _linked(data: dict[str, Any]) -> dict[str, Any]:
    """The activity, key event or initiative the event carries out: each must exist and be
    one the public may see (an activity in force, a key event, a selected initiative)."""
    out: dict[str, Any] = {"activity": None, "program_node": None, "initiative": None}
    raw = data.get("activity")
    if raw not in (None, ""):
        activity = Activity.objects.filter(pk=id_or_none(raw) or 0, in_force=True).first()
        if activity is None:
            raise _bad("no_activity", "activity", _("Choose an activity of a plan in force."))
        out["activity"] = activity
    raw = data.get("program_node")
    if raw not in (None, ""):
        node = ProgramNode.objects.filter(
            pk=id_or_none(raw) or 0, kind=NodeKind.KEY_EVENT, in_force=True
        ).first()
        if node is None:
            raise _bad("no_key_event", "program_node", _("Choose a key event of a program."))
        out["program_node"] = node
    raw = data.get("initiative")
    if raw not in (None, ""):
        initiative = Initiative.objects.filter(
            pk=id_or_none(raw) or 0, state__in=INITIATIVE_PUBLIC_STATES
        ).first()
        if initiative is None:
            raise _bad("no_initiative", "initiative", _("Choose a published civic initiative."))
        out["initiative"] = initiative
    return out


def _fields(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    kind = str(data.get("kind") or "")
    if kind not in EventKind.values:
        raise _bad("bad_kind", "kind", _("Choose the kind of event."))
    region = Region.objects.filter(pk=id_or_none(data.get("region")) or 0).first()
    if region is None or region.valid_to is not None:
        raise _bad("bad_region", "region", _("Choose a region."))
    starts = _moment(data.get("starts_at"), "starts_at")
    ends = _moment(data.get("ends_at") or starts, "ends_at")
    if ends < starts:
        raise _bad("ends_before", "ends_at", _("The event cannot end before it starts."))
    if ends - starts > LONGEST:
        raise _bad("too_long", "ends_at", _("An event lasts at most three months."))
    lat, lon = data.get("latitude"), data.get("longitude")
    if (lat is None) != (lon is None):
        raise _bad("bad_point", "place", _("Choose the place on the map, or leave it out."))
    if (
        lat is not None
        and lon is not None
        and not (40 <= float(lat) <= 56 and 46 <= float(lon) <= 88)
    ):
        raise _bad("bad_point", "place", _("The place must be in Kazakhstan."))
    volunteers = data.get("volunteers_wanted") or 0
    if not isinstance(volunteers, int) or not 0 <= volunteers <= VOLUNTEERS_MAX:
        raise _bad("bad_number", "volunteers_wanted", _("Enter a whole number."))
    organisation = None
    raw = data.get("organisation")
    if raw not in (None, ""):
        organisation = Organisation.objects.filter(pk=id_or_none(raw) or 0).first()
        if organisation is None:
            raise _bad("bad_organisation", "organisation", _("Choose an organisation."))
    elif actor.organisation_id is not None:
        organisation = actor.organisation
    organiser_name = clean_text(
        data.get("organiser_name"), "organiser_name", required=False, max_length=300
    )
    if organisation is None and not organiser_name:
        raise _bad("no_organiser", "organiser_name", _("Name the organiser."))
    return {
        "title_kk": clean_text(data.get("title_kk"), "title_kk", max_length=200),
        "title_ru": clean_text(data.get("title_ru"), "title_ru", max_length=200),
        "title_en": clean_text(data.get("title_en"), "title_en", required=False, max_length=200),
        "description": clean_text(
            data.get("description"),
            "description",
            required=False,
            max_length=5000,
            multiline=True,
        ),
        "kind": kind,
        "region": region,
        "place": clean_text(data.get("place"), "place", max_length=300),
        "latitude": None if lat is None else float(lat),
        "longitude": None if lon is None else float(lon),
        "starts_at": starts,
        "ends_at": ends,
        "volunteers_wanted": volunteers,
        "organisation": organisation,
        "organiser_name": organiser_name,
        **_linked(data),
    }


def event_create(*, actor: Any, data: dict[str, Any]) -> PublicEvent:
    """Add an event: a state organiser's is published; anyone else's waits for a moderator.
    Only a state organiser names an organisation other than their own."""
    person = require_confirmed(actor)
    publisher = can_publish(person)
    values = _fields(person, data)
    organisation = values["organisation"]
    if (
        organisation is not None
        and organisation.pk != person.organisation_id
        and not person.is_administrator
        and not (publisher and not person.organisation_id)
    ):
        raise _bad(
            "not_your_organisation", "organisation", _("Name your own organisation as organiser.")
        )
    at = now()
    with transaction.atomic():
        event = PublicEvent.objects.create(
            **values,
            state=EventState.PUBLISHED if publisher else EventState.PROPOSED,
            proposed_by=person,
            created_at=at,
            updated_at=at,
            decided_by=person if publisher else None,
            decided_at=at if publisher else None,
        )
        audit(
            actor=person,
            action="event.published" if publisher else "event.proposed",
            event=event,
        )
    return event


def event_moderate(
    *, actor: Any, event: PublicEvent, publish: bool, reason: str = ""
) -> PublicEvent:
    """A moderator publishes a proposed event, or rejects it with a reason the proposer sees."""
    person = require_confirmed(actor)
    if not can_moderate_events(person):
        raise refused()
    reason = clean_text(reason, "reason", required=not publish, max_length=2000, multiline=True)
    with transaction.atomic():
        event = locked(event)
        if event.state != EventState.PROPOSED:
            raise Conflict("not_proposed", _("This event is not waiting for moderation."))
        before = snapshot(event)
        at = now()
        event.state = EventState.PUBLISHED if publish else EventState.REJECTED
        event.decided_by = person
        event.decided_at = at
        event.reason = reason
        event.updated_at = at
        event.save(update_fields=["state", "decided_by", "decided_at", "reason", "updated_at"])
        audit(
            actor=person,
            action="event.published" if publish else "event.rejected",
            event=event,
            before=before,
            reason=reason,
        )
    return event


def event_cancel(*, actor: Any, event: PublicEvent, reason: str) -> PublicEvent:
    """The organiser (or a moderator) cancels a published event; it stays in the calendar,
    marked, and subscribers' calendars get STATUS:CANCELLED."""
    person = require_confirmed(actor)
    if not can_manage(person, event):
        raise refused()
    reason = clean_text(reason, "reason", max_length=2000, multiline=True)
    with transaction.atomic():
        event = locked(event)
        if event.state != EventState.PUBLISHED:
            raise Conflict("not_published", _("Only a published event can be cancelled."))
        before = snapshot(event)
        event.state = EventState.CANCELLED
        event.reason = reason
        event.sequence += 1
        event.updated_at = now()
        event.save(update_fields=["state", "reason", "sequence", "updated_at"])
        audit(actor=person, action="event.cancelled", event=event, before=before, reason=reason)
    return event


def event_report(
    *,
    actor: Any,
    event: PublicEvent,
    participants: Any,
    report: Any,
    photos: Sequence[Any] = (),
) -> PublicEvent:
    """After the event: how many took part, a short report and photos (public). Photos add to
    those already there; each is checked by its content before anything is stored."""
    person = require_confirmed(actor)
    if not can_manage(person, event):
        raise refused()
    if not isinstance(participants, int) or not 0 <= participants <= PARTICIPANTS_MAX:
        raise _bad("bad_number", "participants", _("Enter a whole number."))
    text = clean_text(report, "report", max_length=5000, multiline=True)
    stored = StoredFiles()
    try:
        with transaction.atomic():
            event = locked(event)
            if event.state != EventState.PUBLISHED or event.ends_at > now():
                raise Conflict(
                    "not_held", _("A report is written after a published event has taken place.")
                )
            checked = check_event_photos(photos, already=event.photos.count())
            before = snapshot(event)
            at = now()
            event.participants = participants
            event.report = text
            event.updated_at = at
            event.save(update_fields=["participants", "report", "updated_at"])
            added = store_event_photos(event, checked, actor=person, stored=stored, at=at)
            audit(
                actor=person,
                action="event.reported",
                event=event,
                before=before,
                extra={"photos": [photo.sha256 for photo in added]} if added else None,
            )
    except BaseException:
        stored.remove_all()
        raise
    return event


def event_register(*, actor: Any, event: PublicEvent) -> Registration:
    """A volunteer registers for an upcoming published event that takes volunteers."""
    person = require_confirmed(actor)
    if not can_see(person, event):
        raise refused()
    with transaction.atomic():
        event = locked(event)
        if event.state != EventState.PUBLISHED or event.volunteers_wanted == 0:
            raise Conflict("no_registration", _("This event does not take volunteers."))
        if event.starts_at <= now():
            raise Conflict("started", _("The event has already started."))
        if Registration.objects.filter(event=event, user=person).exists():
            raise Conflict("registered", _("You are already registered."))
        if Registration.objects.filter(event=event).count() >= event.volunteers_wanted:
            raise Conflict("full", _("Every volunteer place is taken."))
        try:
            with transaction.atomic():
                row = Registration.objects.create(event=event, user=person, created_at=now())
        except IntegrityError:
            raise Conflict("registered", _("You are already registered.")) from None
        audit(actor=person, action="event.volunteer_registered", event=event)
    return row


def event_unregister(*, actor: Any, event: PublicEvent) -> None:
    person = require_confirmed(actor)
    with transaction.atomic():
        event = locked(event)
        deleted, _rows = Registration.objects.filter(event=event, user=person).delete()
        if not deleted:
            raise Conflict("not_registered", _("You are not registered."))
        audit(actor=person, action="event.volunteer_cancelled", event=event)
