"""Patrons, NGOs, volunteers and state bodies pledge against an initiative's needs; a
volunteer checks in with hours, which the author confirms. When every need is covered by
pledges the initiative moves to "being implemented" in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.civic.services._common import require_confirmed
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import OrganisationKind
from jospar.initiatives.access.initiatives import is_author
from jospar.initiatives.models import (
    SUPPORT_STATES,
    CheckIn,
    Initiative,
    InitiativeState,
    Need,
    NeedKind,
    Pledge,
    PledgerKind,
    PledgeState,
)
from jospar.initiatives.services._common import (
    clean_amount,
    clean_text,
    event,
    locked,
    now,
    refused,
)
from jospar.initiatives.services.lifecycle import start_implementation

_STATE_BODIES = (
    OrganisationKind.PRESIDENTIAL,
    OrganisationKind.MINISTRY,
    OrganisationKind.AGENCY,
    OrganisationKind.AKIMAT,
    OrganisationKind.STATE_INSTITUTION,
)
HOURS_PER_DAY_MAX = Decimal(16)


def pledged_by_need(initiative: Initiative) -> dict[int, Decimal]:
    rows = (
        Pledge.objects.filter(initiative=initiative, state=PledgeState.PLEDGED)
        .values("need_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["need_id"]: Decimal(row["total"] or 0) for row in rows}


def needs_covered(initiative: Initiative) -> bool:
    pledged = pledged_by_need(initiative)
    needs = list(initiative.needs.all())
    return bool(needs) and all(pledged.get(n.pk, Decimal(0)) >= n.quantity for n in needs)


def _organisation_for(user: Any, kind: str) -> Any:
    """NGOs and state bodies pledge through a member; a patron may be a company or a person;
    a volunteer is a person."""
    organisation = user.organisation
    if kind == PledgerKind.NGO:
        if organisation is None or organisation.kind != OrganisationKind.NGO:
            message = _("Only a member of an NGO may pledge as an NGO.")
            raise ServiceError("not_ngo", message, {"kind": [message]})
        return organisation
    if kind == PledgerKind.STATE:
        if organisation is None or organisation.kind not in _STATE_BODIES:
            message = _("Only an official of a state body may pledge as a state body.")
            raise ServiceError("not_state", message, {"kind": [message]})
        return organisation
    if kind == PledgerKind.PATRON and organisation is not None:
        return organisation if organisation.kind == OrganisationKind.COMPANY else None
    return None


def pledge_make(*, actor: Any, need: Need, kind: str, quantity: Any, note: str = "") -> Pledge:
    """Pledge part (or all) of a need. Volunteer hours are pledged by volunteers and NGOs;
    money, materials and a venue by patrons, NGOs and state bodies."""
    user = require_confirmed(actor)
    if kind not in PledgerKind.values:
        message = _("Choose one of the offered values.")
        raise ServiceError("bad_choice", message, {"kind": [message]})
    amount = clean_amount(quantity, "quantity")
    text = clean_text(note, "note", required=False, max_length=300)
    volunteers = need.kind == NeedKind.VOLUNTEERS
    if volunteers and kind not in (PledgerKind.VOLUNTEER, PledgerKind.NGO):
        message = _("Volunteer hours are pledged by volunteers and NGOs.")
        raise ServiceError("wrong_pledger", message, {"kind": [message]})
    if not volunteers and kind == PledgerKind.VOLUNTEER:
        message = _("A volunteer pledges hours of a volunteer role.")
        raise ServiceError("wrong_pledger", message, {"kind": [message]})
    organisation = _organisation_for(user, kind)
    with transaction.atomic():
        current = locked(need.initiative)
        if current.state not in SUPPORT_STATES:
            raise Conflict("not_open", _("This initiative is not open for support."))
        if current.author_id == user.pk:
            raise Conflict(
                "own_initiative", _("The author does not pledge to their own initiative.")
            )
        need = Need.objects.get(pk=need.pk, initiative=current)
        at = now()
        pledge = Pledge.objects.create(
            need=need,
            initiative=current,
            user=user,
            kind=kind,
            organisation=organisation,
            quantity=amount,
            note=text,
            created_at=at,
        )
        event(current, actor=user, kind="pledged", at=at)
        audit_record(
            actor=user,
            action="initiative.pledge",
            object_type="initiatives.pledge",
            object_id=pledge.pk,
            after={
                "initiative": current.pk,
                "need": need.pk,
                "kind": kind,
                "quantity": str(amount),
            },
        )
        if current.state == InitiativeState.SELECTED and needs_covered(current):
            start_implementation(
                current, actor=None, at=at, reason=_("Every need is covered by pledges.")
            )
    return pledge


def pledge_withdraw(*, actor: Any, pledge: Pledge) -> Pledge:
    user = require_confirmed(actor)
    with transaction.atomic():
        locked(pledge.initiative)
        current = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if current.user_id != user.pk:
            raise refused()
        if current.state != PledgeState.PLEDGED or current.confirmed_quantity > 0:
            raise Conflict("not_withdrawable", _("This pledge can no longer be withdrawn."))
        if current.initiative.state == InitiativeState.IMPLEMENTED:
            raise Conflict("not_withdrawable", _("This pledge can no longer be withdrawn."))
        current.state = PledgeState.WITHDRAWN
        current.save(update_fields=["state"])
        audit_record(
            actor=user,
            action="initiative.pledge_withdraw",
            object_type="initiatives.pledge",
            object_id=current.pk,
            before={"state": PledgeState.PLEDGED},
            after={"state": current.state},
        )
    return current


def checkin_record(*, actor: Any, pledge: Pledge, day: dt.date, hours: Any) -> CheckIn:
    """A volunteer records the hours worked on a day of the implementation."""
    user = require_confirmed(actor)
    amount = clean_amount(hours, "hours")
    if amount > HOURS_PER_DAY_MAX:
        message = _("At most %(limit)d hours a day.") % {"limit": int(HOURS_PER_DAY_MAX)}
        raise ServiceError("too_many_hours", message, {"hours": [message]})
    if day > timezone.localdate():
        message = _("The day cannot be in the future.")
        raise ServiceError("bad_date", message, {"day": [message]})
    with transaction.atomic():
        locked(pledge.initiative)
        current = (
            Pledge.objects.select_for_update()
            .select_related("need", "initiative")
            .get(pk=pledge.pk)
        )
        if current.user_id != user.pk or current.need.kind != NeedKind.VOLUNTEERS:
            raise refused()
        if current.state != PledgeState.PLEDGED or current.initiative.state != (
            InitiativeState.IMPLEMENTING
        ):
            raise Conflict("not_open", _("Hours are recorded while the initiative is carried out."))
        if CheckIn.objects.filter(pledge=current, day=day).exists():
            raise Conflict("already_checked_in", _("You already recorded hours for that day."))
        checkin = CheckIn.objects.create(pledge=current, day=day, hours=amount, created_at=now())
        audit_record(
            actor=user,
            action="initiative.checkin",
            object_type="initiatives.checkin",
            object_id=checkin.pk,
            after={"pledge": current.pk, "day": day.isoformat(), "hours": str(amount)},
        )
    return checkin


def checkin_confirm(*, actor: Any, checkin: CheckIn) -> CheckIn:
    """The author confirms a volunteer's hours: they count as given."""
    user = require_confirmed(actor)
    with transaction.atomic():
        initiative = locked(checkin.pledge.initiative)
        if not is_author(user, initiative):
            raise refused()
        current = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if current.confirmed_at is not None:
            raise Conflict("already_confirmed", _("These hours are already confirmed."))
        current.confirmed_at = now()
        current.save(update_fields=["confirmed_at"])
        pledge = Pledge.objects.select_for_update().get(pk=current.pledge_id)
        pledge.confirmed_quantity = pledge.confirmed_quantity + current.hours
        pledge.save(update_fields=["confirmed_quantity"])
        audit_record(
            actor=user,
            action="initiative.checkin_confirm",
            object_type="initiatives.checkin",
            object_id=current.pk,
            after={"pledge": pledge.pk, "confirmed": str(pledge.confirmed_quantity)},
        )
    return current
