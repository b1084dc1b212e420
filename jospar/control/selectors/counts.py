"""The obligation list's counts — its status tabs and its total — and its plan drop-down, read
from the kept counts (``DisciplineCount``) instead of the obligations (issue #15).

The counts answer the filters by plan, organisation, region and deadline (a quarter is a
deadline range) for a person whose list is what ``visible_counts`` covers. Anything else (a
filter by the plan's own date, a head of an organisation, a reader of project tasks) is counted
from the obligations up to ``COUNT_BOUND`` and said as "more than 10,000" beyond it: no request
counts millions of rows. A pending obligation's status (overdue, due soon, not yet due,
returned) is decided here from its deadline and today, as the dashboards decide "overdue".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum

from jospar.control.access.obligations import headed_organisation_ids
from jospar.control.discipline import (
    ACCEPTED_LATE,
    ACCEPTED_ON_TIME,
    LATE_OPEN,
    MONTH,
    ON_TIME_OPEN,
    PENDING,
    PENDING_BUCKETS,
    RETURNED_OPEN,
    after,
    coarse_grain,
    grain_parts,
    summed_by_parts,
    visible_counts,
)
from jospar.control.models import DisciplineCount, ObligationStatus
from jospar.control.selectors.obligations import (
    ObligationFilter,
    _apply,
    _shared_where,
    in_force,
    visible_obligations,
)
from jospar.control.sources import read_tasks_q
from jospar.control.status import due_soon_days, status_filter, today
from jospar.core.collation import sorted_for_people
from jospar.core.keyset import Total, bounded_count
from jospar.core.models import Organisation, User
from jospar.plans.access import can_see_all_plans, controlled_plans_q, is_controller, is_executor
from jospar.plans.models import Plan

__all__ = [
    "counts_answer",
    "obligation_organisations",
    "obligation_plans",
    "obligation_status_totals",
    "obligation_total",
    "status_counts_q",
]


def counts_cover(user: User) -> bool:
    """Whether the kept counts hold exactly the obligations the user's list shows."""
    if can_see_all_plans(user):
        return True
    return not headed_organisation_ids(user) and read_tasks_q(user) is None


def counts_answer(user: User, f: ObligationFilter) -> bool:
    """Whether the kept counts answer this list's counts."""
    # The counts know no program, node, project task's kind or region, nor the outcome filter
    # of the program dashboard's links: those lists are counted from the rows, bounded.
    return (
        f.due_from is None
        and f.due_to is None
        and f.program_id is None
        and f.task_nodes is None
        and not f.task_kind
        and f.task_region_id is None
        and f.outcome is None
        and counts_cover(user)
    )


def status_counts_q(status: str, on: dt.date) -> Q:
    """The counts' rows of the obligations of one status, for ``on``."""
    soon = on + dt.timedelta(days=due_soon_days())
    conditions = {
        ObligationStatus.ACCEPTED: Q(bucket__in=(ACCEPTED_ON_TIME, ACCEPTED_LATE)),
        ObligationStatus.SUBMITTED_ON_TIME: Q(bucket=ON_TIME_OPEN),
        ObligationStatus.SUBMITTED_LATE: Q(bucket=LATE_OPEN),
        ObligationStatus.RETURNED: Q(bucket=RETURNED_OPEN, deadline__gte=on),
        ObligationStatus.OVERDUE: Q(bucket__in=PENDING_BUCKETS, deadline__lt=on),
        ObligationStatus.DUE_SOON: Q(bucket=PENDING, deadline__gte=on, deadline__lte=soon),
        ObligationStatus.NOT_YET_DUE: Q(bucket=PENDING, deadline__gt=soon),
    }
    return conditions[ObligationStatus(status)]


def status_cuts(status: str | None, on: dt.date) -> tuple[dt.date, ...]:
    """Where ``status_counts_q`` cuts the deadlines (``grain_q``): none for the statuses
    decided by the bucket alone."""
    soon = on + dt.timedelta(days=due_soon_days())
    if status is None:
        return (on, soon + dt.timedelta(days=1))
    return {
        ObligationStatus.RETURNED: (on,),
        ObligationStatus.OVERDUE: (on,),
        ObligationStatus.DUE_SOON: (on, soon + dt.timedelta(days=1)),
        ObligationStatus.NOT_YET_DUE: (soon + dt.timedelta(days=1),),
    }.get(ObligationStatus(status), ())


def _summed(
    user: User, f: ObligationFilter, cuts: tuple[dt.date, ...], where: Q, **sums: Sum
) -> dict[str, int]:
    """``sums`` over the counts' rows of the list's filters and ``where``, of the grains that
    decide ``cuts`` and the filters' own dates exactly (a quarter begins and ends on a month's
    bounds: no cut); one query per part of ``grain_parts``."""
    coarse = coarse_grain(
        user,
        plan=f.plan_id is not None,
        organisation=f.organisation_id is not None or f.region_id is not None,
    )
    qs = visible_counts(user).filter(_shared_where(f), where)
    if f.plan_id is not None:
        qs = qs.filter(plan_id=f.plan_id)
    parts = grain_parts(*cuts, f.deadline_from, after(f.deadline_to), coarse=coarse)
    return summed_by_parts(qs, parts, **sums)


def _status(f: ObligationFilter) -> str | None:
    return f.status if f.status and f.status in ObligationStatus.values else None


def obligation_total(user: User, f: ObligationFilter) -> Total:
    """How many obligations the list holds: from the counts (one query over a few hundred or
    thousand rows), else bounded."""
    on = f.on or today()
    if counts_answer(user, f):
        status = _status(f)
        cuts: tuple[dt.date, ...]
        if status is None:
            where, cuts = Q(bucket__in=_LISTED), ()
        else:
            where, cuts = status_counts_q(status, on), status_cuts(status, on)
        return Total(_summed(user, f, cuts, where, n=Sum("obligations"))["n"])
    qs = _apply(visible_obligations(user).filter(in_force()), f)
    return bounded_count(qs)


# The buckets of obligations the list shows (every one with a deadline; never-counted rows
# are those without one).
_LISTED = (ON_TIME_OPEN, LATE_OPEN, ACCEPTED_ON_TIME, ACCEPTED_LATE, PENDING, RETURNED_OPEN)


def obligation_status_totals(user: User, filters: ObligationFilter) -> dict[str, Total]:
    """The tabs: how many obligations of each status the filters (other than ``status``)
    leave. From the counts in one query; else one bounded count per status."""
    f = replace(filters, status=None)
    on = f.on or today()
    if counts_answer(user, f):
        found = _summed(
            user,
            f,
            status_cuts(None, on),
            Q(),
            **{
                str(s.value): Sum("obligations", filter=status_counts_q(s.value, on))
                for s in ObligationStatus
            },
        )
        return {k: Total(v) for k, v in found.items()}
    qs = _apply(visible_obligations(user).filter(in_force()), f)
    return {
        str(s.value): bounded_count(qs.filter(status_filter(s.value, on))) for s in ObligationStatus
    }


def obligation_organisations(user: User) -> list[Organisation]:
    """Organisations that owe something the user can see: the choices of the filter, in the
    alphabet of the page's language.

    Where the kept counts cover the user's list, one probe per organisation (a hundred or so)
    along the counts' (organisation, deadline) index, stopping at the first row: the semi-join
    over the obligations took 26 s at national scale (2 M obligations)."""
    if counts_cover(user):
        owing = visible_counts(user).filter(
            organisation_id=OuterRef("pk"), grain=MONTH, obligations__gt=0
        )
        found = Organisation.objects.filter(Exists(owing))
    else:
        ids = visible_obligations(user).filter(in_force()).values("organisation_id")
        found = Organisation.objects.filter(pk__in=ids)
    return sorted_for_people(found, str)


def obligation_plans(user: User) -> QuerySet[Plan]:
    """The list's plan drop-down: every plan for those who read all, a controller's plans, and
    the plans an executor's organisation owes reports in — from the counts (a few rows per
    plan), not from its obligations."""
    if not (user.is_authenticated and user.is_active):
        return Plan.objects.none()
    if can_see_all_plans(user):
        qs = Plan.objects.all()
    else:
        condition = Q(pk__in=[])
        if is_controller(user):
            condition |= controlled_plans_q(user)
        if is_executor(user):
            # Day rows only (the month rows by organisation keep no plan, those by plan no
            # organisation): read along (organisation, plan) alone.
            owing = DisciplineCount.objects.filter(
                organisation_id=user.organisation_id or 0, plan_id__isnull=False
            ).values("plan_id")
            condition |= Q(pk__in=owing)
        qs = Plan.objects.filter(condition)
    # Undated plans last on either engine (PostgreSQL puts NULL first in a descending order).
    return qs.order_by(F("approved_on").desc(nulls_last=True), "-id").only(
        "id", "title_kk", "title_ru"
    )
