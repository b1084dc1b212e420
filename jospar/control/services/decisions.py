"""The controller's decisions on an activity, each with a reason, who decided and when
(``ControlDecision``): mark it executed, extend a deadline (of one obligation or of the whole
activity), remove it from control, put it back."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import counts_kept
from jospar.control.models import ControlDecision, ControlDecisionKind, Obligation
from jospar.control.services.common import (
    activity_removed,
    facts,
    require_controller,
    require_reason,
    working_deadline,
)
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import User
from jospar.plans.models import Activity


def _locked_activity(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",)).select_related("plan").get(pk=activity.pk)
    )


def _open(activity: Activity) -> list[Obligation]:
    return list(
        Obligation.objects.select_for_update()
        .filter(activity=activity, in_force=True, accepted_at__isnull=True)
        .order_by("pk")
    )


def _on_control(activity: Activity) -> None:
    if activity_removed(activity):
        raise Conflict(
            "removed_from_control",
            _("This activity has been removed from control; put it back on control first."),
        )
    if not activity.in_force:
        raise Conflict("not_in_force", _("The plan no longer contains this activity."))


def _decide(
    *,
    actor: User,
    activity: Activity,
    kind: str,
    reason: str,
    obligation: Obligation | None = None,
    new_deadline: dt.date | None = None,
) -> ControlDecision:
    return ControlDecision.objects.create(
        activity=activity,
        obligation=obligation,
        kind=kind,
        reason=reason,
        new_deadline=new_deadline,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def activity_mark_executed(*, actor: User, activity: Activity, reason: str) -> ControlDecision:
    """The activity is executed: every report still owed for it is taken as accepted."""
    with transaction.atomic():
        activity = _locked_activity(activity)
        require_controller(actor, activity.plan)
        reason = require_reason(reason)
        _on_control(activity)
        targets = _open(activity)
        if not targets:
            raise Conflict(
                "nothing_open",
                _("Every report of this activity has already been accepted."),
            )
        decision = _decide(
            actor=actor, activity=activity, kind=ControlDecisionKind.EXECUTED, reason=reason
        )
        ids = [o.pk for o in targets]
        with counts_kept(Q(pk__in=ids)):
            Obligation.objects.filter(pk__in=ids).update(accepted_at=decision.decided_at)
        audit_record(
            actor=actor,
            action="activity.marked_executed",
            object_type="plans.Activity",
            object_id=activity.pk,
            before={"open_obligations": ids},
            after={"decision": decision.pk, "accepted": ids},
            reason=reason,
        )
    return decision


def deadline_extend(
    *,
    actor: User,
    activity: Activity,
    new_deadline: dt.date | None,
    reason: str,
    obligation: Obligation | None = None,
) -> ControlDecision:
    """Move a deadline later: of one obligation, or of every open obligation of the activity
    whose deadline is earlier than the new date. The date is moved off weekends and holidays."""
    with transaction.atomic():
        activity = _locked_activity(activity)
        require_controller(actor, activity.plan)
        reason = require_reason(reason)
        moved = working_deadline(new_deadline)
        _on_control(activity)
        if obligation is not None:
            current = (
                Obligation.objects.select_for_update()
                .filter(pk=obligation.pk, activity=activity)
                .order_by("pk")
                .first()
            )
            if current is None or not current.in_force:
                message = _("Choose an obligation of this activity that is still owed.")
                raise ServiceError("invalid_obligation", message, {"obligation": [message]})
            if current.accepted_at is not None:
                raise Conflict(
                    "already_accepted",
                    _("This report has already been accepted: nothing more can be changed."),
                )
            if current.deadline is not None and moved <= current.deadline:
                message = _(
                    "The new date (%(new)s) must be later than the current deadline (%(old)s)."
                ) % {"new": f"{moved:%d.%m.%Y}", "old": f"{current.deadline:%d.%m.%Y}"}
                raise ServiceError("not_later", message, {"new_deadline": [message]})
            targets = [current]
        else:
            targets = [o for o in _open(activity) if o.deadline is None or o.deadline < moved]
            if not targets:
                message = _(
                    "No open report of this activity has a deadline earlier than %(new)s."
                ) % {"new": f"{moved:%d.%m.%Y}"}
                raise ServiceError("not_later", message, {"new_deadline": [message]})
        before = {str(o.pk): facts(o)["deadline"] for o in targets}
        decision = _decide(
            actor=actor,
            activity=activity,
            kind=ControlDecisionKind.EXTENDED,
            reason=reason,
            obligation=targets[0] if obligation is not None else None,
            new_deadline=moved,
        )
        with counts_kept(Q(pk__in=[o.pk for o in targets])):
            Obligation.objects.filter(pk__in=[o.pk for o in targets]).update(deadline=moved)
        audit_record(
            actor=actor,
            action="deadline.extended",
            object_type="plans.Activity",
            object_id=activity.pk,
            before={"deadlines": before},
            after={
                "decision": decision.pk,
                "deadline": moved.isoformat(),
                "requested": new_deadline.isoformat() if new_deadline else None,
                "obligations": [o.pk for o in targets],
            },
            reason=reason,
        )
    return decision


def activity_control_remove(*, actor: User, activity: Activity, reason: str) -> ControlDecision:
    """Take the activity off control: its obligations are no longer owed (kept, not deleted)."""
    with transaction.atomic():
        activity = _locked_activity(activity)
        require_controller(actor, activity.plan)
        reason = require_reason(reason)
        if activity_removed(activity):
            raise Conflict(
                "already_removed", _("This activity has already been removed from control.")
            )
        ids = list(
            Obligation.objects.select_for_update()
            .filter(activity=activity, in_force=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        decision = _decide(
            actor=actor, activity=activity, kind=ControlDecisionKind.REMOVED, reason=reason
        )
        with counts_kept(Q(pk__in=ids)):
            Obligation.objects.filter(pk__in=ids).update(in_force=False)
        audit_record(
            actor=actor,
            action="activity.removed_from_control",
            object_type="plans.Activity",
            object_id=activity.pk,
            before={"in_force_obligations": ids},
            after={"decision": decision.pk},
            reason=reason,
        )
    return decision


def activity_control_restore(*, actor: User, activity: Activity, reason: str) -> ControlDecision:
    """Put the activity back on control: what the plan still owes for it is owed again."""
    from jospar.control.services.schedule import obligations_sync_for_plan

    with transaction.atomic():
        activity = _locked_activity(activity)
        require_controller(actor, activity.plan)
        reason = require_reason(reason)
        if not activity_removed(activity):
            raise Conflict("not_removed", _("This activity is on control."))
        decision = _decide(
            actor=actor, activity=activity, kind=ControlDecisionKind.RESTORED, reason=reason
        )
        # The schedule is the plan's: what it owes for this activity comes back in force.
        obligations_sync_for_plan(actor=actor, plan=activity.plan)
        ids = list(
            Obligation.objects.filter(activity=activity, in_force=True).values_list("pk", flat=True)
        )
        audit_record(
            actor=actor,
            action="activity.restored_to_control",
            object_type="plans.Activity",
            object_id=activity.pk,
            after={"decision": decision.pk, "in_force_obligations": ids},
            reason=reason,
        )
    return decision
