"""Moving a plan's whole schedule: every deadline still owed, later by the same number of weeks.

A plan approved months after the date its schedule was written for, or the demo's plan brought
to today, needs every open deadline moved at once. Each obligation moved gets the decision an
extension of its own deadline would (``ControlDecision`` "extended", with the reason), so its
page tells the same history; the counts are kept once for all of them and one audit row holds
every old and new date (a plan's hundreds of extensions one by one took 45 ms each)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import counts_kept
from jospar.control.models import ControlDecision, ControlDecisionKind, Obligation
from jospar.control.selectors.obligations import in_force, removed_activity_ids
from jospar.control.services.common import require_controller, require_reason, working_deadline
from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.plans.models import Plan

# About nineteen years: the demo brings the seeds' schedules of 2016 to today; the bound keeps
# a date far from the calendar's end.
MAX_WEEKS = 1_000


def plan_schedule_shift(*, actor: User, plan: Plan, weeks: int, reason: str) -> int:
    """Move every open deadline of the plan (nothing submitted, nothing accepted) later by
    ``weeks`` whole weeks, each then moved off weekends and holidays as an extension is.
    Activities removed from control, or no longer in the plan, keep their dates. Returns how
    many obligations moved."""
    if not 1 <= weeks <= MAX_WEEKS:
        message = _("Move the schedule by 1 to %(max)s weeks.") % {"max": MAX_WEEKS}
        raise ServiceError("invalid_weeks", message, {"weeks": [message]})
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        require_controller(actor, plan)
        reason = require_reason(reason)
        owed = list(
            Obligation.objects.select_for_update(of=("self",))
            .filter(
                in_force(),
                activity__plan=plan,
                accepted_at__isnull=True,
                submitted_at__isnull=True,
                deadline__isnull=False,
            )
            .exclude(activity_id__in=removed_activity_ids(plan))
            .order_by("pk")
        )
        if not owed:
            return 0
        moved: dict[int, tuple[dt.date, dt.date]] = {}
        for obligation in owed:
            assert obligation.deadline is not None
            later = obligation.deadline + dt.timedelta(weeks=weeks)
            moved[obligation.pk] = (obligation.deadline, working_deadline(later))
        now = timezone.now()
        ControlDecision.objects.bulk_create(
            ControlDecision(
                # A plan's obligation: its activity is set (``obligation_one_source``).
                activity_id=int(obligation.activity_id or 0),
                obligation=obligation,
                kind=ControlDecisionKind.EXTENDED,
                reason=reason,
                new_deadline=moved[obligation.pk][1],
                decided_by=actor,
                decided_at=now,
            )
            for obligation in owed
        )
        by_date: dict[dt.date, list[int]] = defaultdict(list)
        for pk, (_old, new) in moved.items():
            by_date[new].append(pk)
        with counts_kept(Q(pk__in=list(moved))):
            for new, ids in sorted(by_date.items()):
                Obligation.objects.filter(pk__in=ids).update(deadline=new)
        audit_record(
            actor=actor,
            action="plan.schedule_shifted",
            object_type="plans.Plan",
            object_id=plan.pk,
            before={"deadlines": {str(pk): old.isoformat() for pk, (old, _new) in moved.items()}},
            after={
                "weeks": weeks,
                "deadlines": {str(pk): new.isoformat() for pk, (_old, new) in moved.items()},
            },
            reason=reason,
        )
    return len(moved)
