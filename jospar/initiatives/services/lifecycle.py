"""An initiative from the draft to the selection decision and to its results.

draft → submitted → (changes requested → submitted) → selected → being implemented →
implemented; a submission may be rejected. The author writes and submits; the region's
responsible official asks for changes and records the decision of the public council or of
the local community's meeting (with the minutes); the official may also start the
implementation before the needs are covered, with a reason; the author records the results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.civic.media import StoredFiles
from jospar.civic.services._common import require_confirmed
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import OrganisationKind, Region, User
from jospar.core.selectors.directory import region_at
from jospar.initiatives.access.initiatives import is_author, is_coordinator_for
from jospar.initiatives.models import (
    EDITABLE_STATES,
    AuthorKind,
    Direction,
    DocumentKind,
    Initiative,
    InitiativeKind,
    InitiativeState,
    MediaStage,
    Need,
    NeedKind,
    SelectionBody,
)
from jospar.initiatives.services._common import (
    REASON_MAX,
    audit,
    check_documents,
    check_photos,
    clean_amount,
    clean_text,
    event,
    locked,
    now,
    refused,
    snapshot,
    store_documents,
    store_photos,
)

NEEDS_MAX = 30


def _choice(value: Any, choices: Any, field: str) -> str:
    if str(value) not in choices.values:
        message = _("Choose one of the offered values.")
        raise ServiceError("bad_choice", message, {field: [message]})
    return str(value)


def _clean_needs(needs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if not needs:
        message = _("Name at least one need: money, materials, a venue or volunteers.")
        raise ServiceError("no_needs", message, {"needs": [message]})
    if len(needs) > NEEDS_MAX:
        message = _("At most %(limit)d needs.") % {"limit": NEEDS_MAX}
        raise ServiceError("too_many_needs", message, {"needs": [message]})
    cleaned = []
    for need in needs:
        kind = _choice(need.get("kind"), NeedKind, "needs")
        quantity = (
            Decimal(1) if kind == NeedKind.VENUE else clean_amount(need.get("quantity"), "needs")
        )
        cleaned.append(
            {
                "kind": kind,
                "description": clean_text(need.get("description"), "needs", max_length=300),
                "quantity": quantity,
                "unit": clean_text(need.get("unit"), "needs", required=False, max_length=32),
            }
        )
    return cleaned


def _clean(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    author_kind = _choice(data.get("author_kind", AuthorKind.CITIZEN), AuthorKind, "author_kind")
    organisation = None
    if author_kind == AuthorKind.NGO:
        organisation = actor.organisation
        if organisation is None or organisation.kind != OrganisationKind.NGO:
            message = _("Only a member of an NGO registered here may propose on its behalf.")
            raise ServiceError("not_ngo", message, {"author_kind": [message]})
    try:
        latitude = float(data.get("latitude"))  # type: ignore[arg-type]
        longitude = float(data.get("longitude"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        latitude = longitude = float("nan")
    region: Region | None = None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        region = region_at(latitude, longitude)
    if region is None:
        message = _("Put the place on the map of Kazakhstan.")
        raise ServiceError("no_place", message, {"latitude": [message]})
    count = data.get("beneficiaries_count")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 100_000_000:
        message = _("Enter how many people benefit.")
        raise ServiceError("bad_count", message, {"beneficiaries_count": [message]})
    budget = data.get("budget")
    return {
        "author_kind": author_kind,
        "organisation": organisation,
        "title": clean_text(data.get("title"), "title", max_length=200),
        "problem": clean_text(data.get("problem"), "problem"),
        "kind": _choice(data.get("kind"), InitiativeKind, "kind"),
        "direction": _choice(data.get("direction"), Direction, "direction"),
        "region": region,
        "latitude": round(latitude, 6),
        "longitude": round(longitude, 6),
        "address": clean_text(data.get("address"), "address", required=False, max_length=300),
        "beneficiaries": clean_text(data.get("beneficiaries"), "beneficiaries", max_length=300),
        "beneficiaries_count": count,
        "budget": None if budget in (None, "") else clean_amount(budget, "budget"),
    }


def initiative_save(
    *,
    actor: Any,
    data: dict[str, Any],
    needs: Sequence[dict[str, Any]],
    initiative: Initiative | None = None,
    photos: Sequence[Any] = (),
    documents: Sequence[Any] = (),
) -> Initiative:
    """Write a draft (new, or the author's own while it is a draft or changes are asked)."""
    user = require_confirmed(actor)
    values = _clean(user, data)
    clean_needs = _clean_needs(needs)
    checked_documents = check_documents(documents)
    stored = StoredFiles()
    try:
        with transaction.atomic():
            at = now()
            if initiative is None:
                current = Initiative(author=user, created_at=at, updated_at=at)
                before = None
                already = 0
            else:
                current = locked(initiative)
                if not is_author(user, current):
                    raise refused()
                if current.state not in EDITABLE_STATES:
                    raise Conflict("not_editable", _("The initiative can no longer be changed."))
                before = snapshot(current)
                already = current.photos.count()
            checked_photos = check_photos(photos, already=already)
            for name, value in values.items():
                setattr(current, name, value)
            current.updated_at = at
            current.save()
            if initiative is not None:
                if current.pledges.exists():  # pragma: no cover - drafts have no pledges
                    raise Conflict("has_pledges", _("The initiative already has pledges."))
                current.needs.all().delete()
            Need.objects.bulk_create(
                Need(initiative=current, position=index, **need)
                for index, need in enumerate(clean_needs)
            )
            store_photos(
                current, checked_photos, stage=MediaStage.BEFORE, actor=user, stored=stored, at=at
            )
            store_documents(
                current,
                checked_documents,
                kind=DocumentKind.DOCUMENT,
                actor=user,
                stored=stored,
                at=at,
            )
            event(current, actor=user, kind="created" if before is None else "edited", at=at)
            audit(
                actor=user,
                action="initiative.create" if before is None else "initiative.edit",
                initiative=current,
                before=before,
                extra={"needs": len(clean_needs)},
            )
    except BaseException:
        stored.remove_all()
        raise
    return current


def _move(
    initiative: Initiative,
    *,
    actor: User,
    to: str,
    allowed_from: Sequence[str],
    action: str,
    at: dt.datetime,
    note: str = "",
) -> tuple[Initiative, dict[str, Any]]:
    if initiative.state not in allowed_from:
        raise Conflict(
            "wrong_state",
            _("The initiative is “%(state)s”: this cannot be done now.")
            % {"state": InitiativeState(initiative.state).label},
        )
    before = snapshot(initiative)
    previous = initiative.state
    initiative.state = to
    initiative.updated_at = at
    initiative.save()
    event(initiative, actor=actor, kind=action, at=at, from_state=previous, note=note)
    return initiative, before


def initiative_submit(*, actor: Any, initiative: Initiative) -> Initiative:
    user = require_confirmed(actor)
    with transaction.atomic():
        current = locked(initiative)
        if not is_author(user, current):
            raise refused()
        at = now()
        current.submitted_at = at
        current, before = _move(
            current,
            actor=user,
            to=InitiativeState.SUBMITTED,
            allowed_from=EDITABLE_STATES,
            action="submitted",
            at=at,
        )
        audit(actor=user, action="initiative.submit", initiative=current, before=before)
    return current


def initiative_request_changes(*, actor: Any, initiative: Initiative, note: str) -> Initiative:
    user = require_confirmed(actor)
    text = clean_text(note, "note", max_length=REASON_MAX)
    with transaction.atomic():
        current = locked(initiative)
        if not is_coordinator_for(user, current):
            raise refused()
        current.changes_note = text
        current, before = _move(
            current,
            actor=user,
            to=InitiativeState.CHANGES_REQUESTED,
            allowed_from=(InitiativeState.SUBMITTED,),
            action="changes_requested",
            at=now(),
            note=text,
        )
        audit(
            actor=user,
            action="initiative.request_changes",
            initiative=current,
            before=before,
            reason=text,
        )
    return current


def initiative_decide(
    *,
    actor: Any,
    initiative: Initiative,
    selected: bool,
    body: str,
    decided_on: dt.date,
    decision: str,
    minutes: Sequence[Any],
) -> Initiative:
    """Record the decision of the public council or of the community's meeting, with its
    minutes as a file: the initiative is selected (open for support) or rejected."""
    user = require_confirmed(actor)
    body = _choice(body, SelectionBody, "body")
    text = clean_text(decision, "decision", max_length=REASON_MAX)
    if not minutes:
        message = _("Attach the minutes of the meeting.")
        raise ServiceError("no_minutes", message, {"minutes": [message]})
    if decided_on > timezone.localdate() or decided_on.year < 2000:
        message = _("The decision's date cannot be in the future.")
        raise ServiceError("bad_date", message, {"decided_on": [message]})
    checked = check_documents(minutes, field="minutes")
    stored = StoredFiles()
    try:
        with transaction.atomic():
            current = locked(initiative)
            if not is_coordinator_for(user, current):
                raise refused()
            at = now()
            current.decision_body = body
            current.decision_date = decided_on
            current.decision_text = text
            if selected:
                current.selected_at = at
            to = InitiativeState.SELECTED if selected else InitiativeState.REJECTED
            current, before = _move(
                current,
                actor=user,
                to=to,
                allowed_from=(InitiativeState.SUBMITTED,),
                action="selected" if selected else "rejected",
                at=at,
                note=text,
            )
            store_documents(
                current, checked, kind=DocumentKind.MINUTES, actor=user, stored=stored, at=at
            )
            audit(
                actor=user,
                action="initiative.select" if selected else "initiative.reject",
                initiative=current,
                before=before,
                reason=text,
                extra={"decision_date": decided_on.isoformat()},
            )
    except BaseException:
        stored.remove_all()
        raise
    return current


def start_implementation(
    current: Initiative, *, actor: User | None, at: dt.datetime, reason: str
) -> None:
    """Inside a service's transaction, the initiative locked: selected → being implemented."""
    current.implementing_at = at
    current.implementing_reason = reason
    current, before = _move(
        current,
        actor=actor,  # type: ignore[arg-type]
        to=InitiativeState.IMPLEMENTING,
        allowed_from=(InitiativeState.SELECTED,),
        action="implementing",
        at=at,
        note=reason,
    )
    audit(actor=actor, action="initiative.start", initiative=current, before=before, reason=reason)


def initiative_start(*, actor: Any, initiative: Initiative, reason: str) -> Initiative:
    """The official starts the implementation before the needs are covered, with a reason."""
    user = require_confirmed(actor)
    text = clean_text(reason, "reason", max_length=REASON_MAX)
    with transaction.atomic():
        current = locked(initiative)
        if not is_coordinator_for(user, current):
            raise refused()
        start_implementation(current, actor=user, at=now(), reason=text)
    return current


def initiative_complete(
    *,
    actor: Any,
    initiative: Initiative,
    results: str,
    beneficiaries_reached: int,
    money_given: Any,
    photos: Sequence[Any],
) -> Initiative:
    """The author records the results: what was done, photos after, beneficiaries reached, the
    money actually given; the hours are the check-ins the author confirmed."""
    user = require_confirmed(actor)
    text = clean_text(results, "results")
    if (
        not isinstance(beneficiaries_reached, int)
        or isinstance(beneficiaries_reached, bool)
        or not 0 <= beneficiaries_reached <= 100_000_000
    ):
        message = _("Enter how many people benefited.")
        raise ServiceError("bad_count", message, {"beneficiaries_reached": [message]})
    money = clean_amount(money_given, "money_given", allow_zero=True)
    if not photos:
        message = _("Attach at least one photo of the result.")
        raise ServiceError("no_photos", message, {"photos": [message]})
    stored = StoredFiles()
    try:
        with transaction.atomic():
            current = locked(initiative)
            if not is_author(user, current):
                raise refused()
            checked = check_photos(photos)
            at = now()
            current.results_text = text
            current.beneficiaries_reached = beneficiaries_reached
            current.money_given = money
            hours = current.pledges.filter(need__kind=NeedKind.VOLUNTEERS).aggregate(
                total=Sum("confirmed_quantity")
            )["total"]
            current.hours_given = Decimal(hours or 0).quantize(Decimal("0.1"))
            current.implemented_at = at
            current, before = _move(
                current,
                actor=user,
                to=InitiativeState.IMPLEMENTED,
                allowed_from=(InitiativeState.IMPLEMENTING,),
                action="implemented",
                at=at,
            )
            store_photos(current, checked, stage=MediaStage.AFTER, actor=user, stored=stored, at=at)
            audit(
                actor=user,
                action="initiative.complete",
                initiative=current,
                before=before,
                extra={"beneficiaries_reached": beneficiaries_reached, "money_given": str(money)},
            )
    except BaseException:
        stored.remove_all()
        raise
    return current
