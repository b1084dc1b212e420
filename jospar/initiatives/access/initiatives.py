"""Who may see and act on an initiative. Objects named in a URL: 404 for both "missing" and
"not yours".

* The public sees an initiative once it is selected (and also the implemented and rejected
  ones, with the decision); drafts and submissions are seen by the author, the region's
  responsible official, moderators and administrators.
* The region's responsible official is the ``RegionCoordinator`` of the initiative's region:
  one official of that region's akimat (role «civic official»), appointed by an administrator.
  An administrator acts as the official of every region.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from jospar.civic.access import can_moderate
from jospar.core.models import Role, User
from jospar.initiatives.models import (
    PUBLIC_STATES,
    Initiative,
    InitiativeDocument,
    InitiativePhoto,
    InitiativeState,
    RegionCoordinator,
)


def signed_in(user: Any) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def coordinated_region_ids(user: Any) -> set[int]:
    person = signed_in(user)
    if person is None or not person.has_role(Role.CIVIC_OFFICIAL):
        return set()
    cached: set[int] | None = getattr(person, "_initiative_regions", None)
    if cached is None:
        cached = set(
            RegionCoordinator.objects.filter(user=person).values_list("region_id", flat=True)
        )
        person._initiative_regions = cached  # type: ignore[attr-defined]
    return cached


def is_coordinator(user: Any) -> bool:
    """The user is some region's responsible official (or an administrator)."""
    person = signed_in(user)
    return person is not None and (person.is_administrator or bool(coordinated_region_ids(person)))


def is_coordinator_for(user: Any, initiative: Initiative) -> bool:
    person = signed_in(user)
    if person is None:
        return False
    return person.is_administrator or initiative.region_id in coordinated_region_ids(person)


def is_author(user: Any, initiative: Initiative) -> bool:
    person = signed_in(user)
    return person is not None and initiative.author_id == person.pk


def put_to_vote(initiative: Initiative) -> bool:
    """A submitted initiative put to a public vote is public while it waits for the outcome."""
    from jospar.initiatives.models import Ballot

    return (
        initiative.state == InitiativeState.SUBMITTED
        and Ballot.objects.filter(initiative=initiative).exists()
    )


def can_see(user: Any, initiative: Initiative) -> bool:
    return (
        initiative.state in PUBLIC_STATES
        or is_author(user, initiative)
        or put_to_vote(initiative)
        or is_coordinator_for(user, initiative)
        or can_moderate(user)
    )


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    """The initiatives a list may show this person: the public ones and their own."""
    from jospar.initiatives.models import Ballot

    person = signed_in(user)
    rows = Initiative.objects.all()
    voting = Q(state=InitiativeState.SUBMITTED) & Exists(
        Ballot.objects.filter(initiative=OuterRef("pk"))
    )
    if person is None:
        return rows.filter(Q(state__in=PUBLIC_STATES) | voting)
    if person.is_administrator or can_moderate(person):
        return rows
    return rows.filter(
        Q(state__in=PUBLIC_STATES)
        | voting
        | Q(author=person)
        | Q(region_id__in=coordinated_region_ids(person))
    )


def _initiative(initiative_id: Any) -> Initiative:
    try:
        pk = int(initiative_id)
    except (TypeError, ValueError):
        raise Http404 from None
    row = (
        Initiative.objects.select_related("region", "author", "organisation").filter(pk=pk).first()
    )
    if row is None:
        raise Http404
    return row


def access_initiative(user: Any, initiative_id: Any) -> Initiative:
    """An initiative as its page shows it (public, or the person's own or to decide on)."""
    row = _initiative(initiative_id)
    if not can_see(user, row):
        raise Http404
    return row


def access_initiative_author(user: Any, initiative_id: Any) -> Initiative:
    row = _initiative(initiative_id)
    if not is_author(user, row):
        raise Http404
    return row


def access_initiative_official(user: Any, initiative_id: Any) -> Initiative:
    row = _initiative(initiative_id)
    if not is_coordinator_for(user, row):
        raise Http404
    return row


def access_photo(user: Any, name: Any) -> InitiativePhoto:
    """The photo whose public copy or thumbnail is stored as ``name``."""
    name = str(name or "")
    if not name or len(name) > 255:
        raise Http404
    photo = (
        InitiativePhoto.objects.select_related("initiative")
        .filter(Q(public_file=name) | Q(thumbnail=name))
        .first()
    )
    if photo is None or not can_see(user, photo.initiative):
        raise Http404
    return photo


def can_see_document(user: Any, document: InitiativeDocument) -> bool:
    initiative = document.initiative
    if document.kind == "minutes":
        return can_see(user, initiative)
    return is_author(user, initiative) or is_coordinator_for(user, initiative) or can_moderate(user)


def access_document(user: Any, document_id: Any) -> InitiativeDocument:
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise Http404 from None
    document = InitiativeDocument.objects.select_related("initiative").filter(pk=pk).first()
    if document is None or not can_see_document(user, document):
        raise Http404
    return document
