"""Who may see and act on a public event. Objects named in a URL: 404 for both "missing" and
"not yours".

* Everyone sees published and cancelled events; a proposal waiting for moderation (or
  rejected) is seen by the person who proposed it, moderators and administrators.
* State organisers publish at once: administrators, controllers, executors (ministries,
  akimats) and akimats' civic officials. Anyone else signed in — a citizen, a member of an
  NGO — proposes, and a moderator (or an administrator) publishes or rejects.
* An event is managed (cancelled, reported on) by who proposed it, a member of its organiser
  who may publish, moderators and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from jospar.civic.access import can_moderate
from jospar.core.edge import id_or_none
from jospar.core.models import Role, User
from jospar.events.models import PUBLIC_EVENT_STATES, EventPhoto, PublicEvent

PUBLISHING_ROLES = (Role.CONTROLLER, Role.EXECUTOR, Role.CIVIC_OFFICIAL)


def signed_in(user: Any) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def can_publish(user: Any) -> bool:
    """A state organiser: what they add is published without moderation."""
    person = signed_in(user)
    return person is not None and (
        person.is_administrator or any(person.has_role(role) for role in PUBLISHING_ROLES)
    )


def can_moderate_events(user: Any) -> bool:
    return can_moderate(user)


def can_see(user: Any, event: PublicEvent) -> bool:
    if event.state in PUBLIC_EVENT_STATES:
        return True
    person = signed_in(user)
    return person is not None and (event.proposed_by_id == person.pk or can_moderate(person))


def can_manage(user: Any, event: PublicEvent) -> bool:
    person = signed_in(user)
    if person is None:
        return False
    if event.proposed_by_id == person.pk or can_moderate(person):
        return True
    return (
        event.organisation_id is not None
        and event.organisation_id == person.organisation_id
        and can_publish(person)
    )


def public_events() -> QuerySet[PublicEvent]:
    return PublicEvent.objects.filter(state__in=PUBLIC_EVENT_STATES)


def _event(event_id: Any) -> PublicEvent:
    pk = id_or_none(event_id)
    if pk is None:
        raise Http404
    row = (
        PublicEvent.objects.select_related(
            "region", "organisation", "activity__plan", "program_node", "initiative"
        )
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    return row


def access_event(user: Any, event_id: Any) -> PublicEvent:
    row = _event(event_id)
    if not can_see(user, row):
        raise Http404
    return row


def access_event_manage(user: Any, event_id: Any) -> PublicEvent:
    row = _event(event_id)
    if not can_manage(user, row):
        raise Http404
    return row


def access_event_moderate(user: Any, event_id: Any) -> PublicEvent:
    row = _event(event_id)
    if not can_moderate(user):
        raise Http404
    return row


def access_event_photo(user: Any, name: Any) -> EventPhoto:
    """The report photo whose public copy or thumbnail is stored as ``name`` (never the
    original), for whoever may see its event."""
    name = str(name or "")
    if (
        not name
        or len(name) > 255
        or "\x00" in name
        or not name.startswith(("events/public/", "events/thumbs/"))
    ):
        raise Http404
    photo = (
        EventPhoto.objects.select_related("event")
        .filter(Q(public_file=name) | Q(thumbnail=name))
        .first()
    )
    if photo is None or not can_see(user, photo.event):
        raise Http404
    return photo


def access_event_photo_manage(user: Any, event_id: Any, photo_id: Any) -> EventPhoto:
    """A photo of the event's report, for whoever may write that report (``can_manage``)."""
    event_pk, photo_pk = id_or_none(event_id), id_or_none(photo_id)
    if event_pk is None or photo_pk is None:
        raise Http404
    photo = (
        EventPhoto.objects.select_related("event").filter(pk=photo_pk, event_id=event_pk).first()
    )
    if photo is None or not can_manage(user, photo.event):
        raise Http404
    return photo
