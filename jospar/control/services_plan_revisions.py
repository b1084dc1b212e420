"""Saving a plan revision and re-deriving its control schedule, as one change.

The plans app saves texts and revisions and knows nothing of obligations; what an activity owes
is this app's. Every path that changes a plan's activities (an amending act here) goes through a
service of this module, which saves the revision and syncs the obligations in one transaction,
keeping the discipline counts.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jospar.control.discipline_counts import counts_after, counts_before
from jospar.control.services import obligations_sync_for_plan
from jospar.core.audit import audit_record
from jospar.core.models import User
from jospar.plans.models import PlanAmendment
from jospar.plans.services import ImportOutcome
from jospar.plans.services_amendments import act_of, plan_amendment_revision_save


def act_reason(act: dict[str, object]) -> str:
    """The reason an obligation left control, naming the amending act."""
    date = str(act.get("date") or "")
    try:
        shown = dt.date.fromisoformat(date).strftime("%d.%m.%Y")
    except ValueError:
        shown = date
    return _("Removed by the amending act № %(number)s of %(date)s: %(title)s") % {
        "number": act.get("number") or "—",
        "date": shown or "—",
        "title": str(act.get("title") or "")[:500],
    }


def plan_amendment_apply(*, actor: User, amendment: PlanAmendment) -> ImportOutcome:
    """Apply a checked amending act: one new revision of the plan that records the act, and the
    control schedule derived again (withdrawn obligations name the act; accepted reports stay).
    All or nothing: a change that cannot be placed refuses the whole act."""
    with transaction.atomic():
        plan = amendment.plan
        kept = counts_before(Q(activity__plan_id=plan.pk))
        outcome = plan_amendment_revision_save(actor=actor, amendment=amendment)
        act = act_of(amendment)
        sync = obligations_sync_for_plan(
            actor=actor,
            plan=outcome.plan,
            keep_counts=False,
            reason=act_reason(act),
            keep_accepted=True,
        )
        counts_after(kept)
        outcome.obligations_created = sync.created
        outcome.obligations_withdrawn = sync.withdrawn
        audit_record(
            actor=actor,
            action="plan_amendment.applied",
            object_type="plans.PlanAmendment",
            object_id=amendment.pk,
            after={
                "plan": plan.pk,
                "revision": outcome.revision.pk if outcome.revision else None,
                "act": act,
                "changes": len(outcome.changes),
                "obligations_created": sync.created,
                "obligations_withdrawn": sync.withdrawn,
            },
        )
    return outcome
