"""What the services of the control loop share: the checks every change makes first, and the
obligation's facts as the audit log records them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.access.obligations import can_control, can_report_for, can_review_obligation
from jospar.control.models import ControlDecision, ControlDecisionKind, Obligation
from jospar.control.sources import source_in_force
from jospar.core.calendar import next_working_day
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.plans.models import Activity, Plan

OBLIGATION_FACTS = (
    "deadline",
    "submitted_at",
    "submitted_on",
    "first_late_days",
    "returned_at",
    "accepted_at",
    "in_force",
)


def facts(obligation: Obligation) -> dict[str, Any]:
    """The obligation's facts as JSON-ready values, for the audit log's before and after."""
    out: dict[str, Any] = {}
    for name in OBLIGATION_FACTS:
        value = getattr(obligation, name)
        out[name] = value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
    return out


def locked(obligation: Obligation) -> Obligation:
    """The obligation re-read under a row lock, so that two people acting at once queue."""
    return (
        Obligation.objects.select_for_update(of=("self",))
        .select_related(
            "activity", "activity__plan", "lead_obligation", "project_task", "project_task__node"
        )
        .get(pk=obligation.pk)
    )


def require_reporter(actor: User, obligation: Obligation) -> None:
    if not can_report_for(actor, obligation):
        raise PermissionRefused(
            "not_your_obligation",
            _("Only an executor of the organisation that owes this report may write it."),
        )


def require_controller(actor: User, plan: Plan) -> None:
    if not can_control(actor, plan):
        raise PermissionRefused(
            "not_controller",
            _("Only a controller of the department that controls this plan may decide this."),
        )


def require_reviewer(actor: User, obligation: Obligation) -> None:
    """The controller of the obligation's plan, or the manager of its project task."""
    if obligation.project_task_id is not None:
        if not can_review_obligation(actor, obligation):
            raise PermissionRefused(
                "not_manager",
                _("Only the manager of this project may accept or return its task's report."),
            )
        return
    assert obligation.activity is not None
    require_controller(actor, obligation.activity.plan)


def activity_removed(activity: Activity | None) -> bool:
    if activity is None:
        return False
    last = (
        ControlDecision.objects.filter(
            activity=activity,
            kind__in=[ControlDecisionKind.REMOVED, ControlDecisionKind.RESTORED],
        )
        .order_by("-decided_at", "-id")
        .values_list("kind", flat=True)
        .first()
    )
    return last == ControlDecisionKind.REMOVED


def require_in_control(obligation: Obligation) -> None:
    """Reports are written and reviewed only for obligations still owed and on control."""
    if activity_removed(obligation.activity):
        raise Conflict(
            "removed_from_control",
            _("This activity has been removed from control: no report is expected for it."),
        )
    if not obligation.in_force or not source_in_force(obligation):
        if obligation.project_task_id is not None:
            raise Conflict("not_in_force", _("This project task has been withdrawn."))
        raise Conflict(
            "not_in_force",
            _("The plan no longer requires this report."),
        )


def require_open(obligation: Obligation) -> None:
    require_in_control(obligation)
    if obligation.accepted_at is not None:
        raise Conflict(
            "already_accepted",
            _("This report has already been accepted: nothing more can be changed."),
        )


def require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason: it is kept with the decision.")
        raise ServiceError("reason_required", message, {field: [message]})
    return reason


def working_deadline(day: dt.date | None, field: str = "new_deadline") -> dt.date:
    """A date a controller sets, moved off weekends and public holidays."""
    if day is None:
        message = _("Give the new date.")
        raise ServiceError("date_required", message, {field: [message]})
    return next_working_day(day)


def local_today() -> dt.date:
    return timezone.localdate()
