"""What is on a person's desk today: an executor's obligations due soon, overdue and returned; a
controller's reports awaiting review and the overdue obligations of the plans it controls.

The counts stay cheap at national scale: "due soon" and "overdue" are read from
``DisciplineCount`` (pending obligations by deadline, as the dashboards read them), and only the
returned obligations — few, and only those whose deadline is still ahead — are counted on the
obligations. Each count equals the obligation list it links to (the same status filter). The lists
show the first rows only, in the list's own order, read through the list's own selector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Model, Q, QuerySet, Sum

from jospar.control.discipline import (
    PENDING,
    PENDING_BUCKETS,
    RETURNED_OPEN,
    grain_parts,
    summed_by_parts,
    visible_counts,
)
from jospar.control.models import ExecutionReport, Obligation, ObligationStatus
from jospar.control.selectors.obligations import (
    REVIEW_COUNT_BOUND,
    ObligationFilter,
    obligation_list_for,
    review_queue,
)
from jospar.control.status import due_soon_days, today
from jospar.core.keyset import bounded_count
from jospar.core.models import User
from jospar.plans.access import controlled_plans_q, is_controller, is_executor

ROWS = 10
M = TypeVar("M", bound=Model)

# What a desk row shows (``control/_desk_rows.html`` and the review card): the source, its plan
# or program, the region. The lists' own rows join four tables more (executor, organisation,
# the lead obligation and its organisation); on a ten-table join PostgreSQL spends more time
# planning than running (12 ms against 2 for the review queue at national scale).
OBLIGATION_ROW = (
    "activity__plan",
    "region",
    "project_task__node",
    "status_report__program",
)
REPORT_ROW = (
    "obligation__activity",
    "obligation__project_task",
    "obligation__organisation",
    "obligation__region",
)


def _desk_rows(qs: QuerySet[M], related: tuple[str, ...]) -> list[M]:
    """The first ``ROWS`` of a list in its own order, joined to what a desk row shows."""
    return list(qs.select_related(None).select_related(*related)[:ROWS])


@dataclass
class ExecutorDesk:
    organisation_id: int
    due_soon: int
    overdue: int
    returned: int
    due_soon_rows: list[Obligation] = field(default_factory=list)
    overdue_rows: list[Obligation] = field(default_factory=list)
    returned_rows: list[Obligation] = field(default_factory=list)


@dataclass
class ControllerDesk:
    awaiting_review: int
    # True when more reports wait than were counted (``DESK_COUNT_BOUND``).
    awaiting_review_more: bool
    overdue: int
    review_rows: list[ExecutionReport] = field(default_factory=list)
    overdue_rows: list[Obligation] = field(default_factory=list)


@dataclass
class TodayDesk:
    on: dt.date
    soon_days: int
    executor: ExecutorDesk | None
    controller: ControllerDesk | None


def _executor_desk(user: User, on: dt.date) -> ExecutorDesk:
    own = int(user.organisation_id or 0)
    soon = on + dt.timedelta(days=due_soon_days())
    pending = summed_by_parts(
        visible_counts(user).filter(organisation_id=own, bucket__in=PENDING_BUCKETS),
        grain_parts(on, soon + dt.timedelta(days=1)),
        overdue=Sum("obligations", filter=Q(deadline__lt=on)),
        window=Sum("obligations", filter=Q(bucket=PENDING, deadline__gte=on, deadline__lte=soon)),
        returned=Sum("obligations", filter=Q(bucket=RETURNED_OPEN, deadline__gte=on)),
    )
    # Returned obligations have a bucket of their own: "due soon" is the others'.
    due_soon = int(pending["window"] or 0)
    returned = {"total": pending["returned"]}

    def rows(status: ObligationStatus) -> list[Obligation]:
        f = ObligationFilter(organisation_id=own, status=status.value, on=on)
        return _desk_rows(obligation_list_for(user, f), OBLIGATION_ROW)

    return ExecutorDesk(
        organisation_id=own,
        due_soon=max(due_soon, 0),
        overdue=int(pending["overdue"] or 0),
        returned=int(returned["total"] or 0),
        due_soon_rows=rows(ObligationStatus.DUE_SOON),
        overdue_rows=rows(ObligationStatus.OVERDUE),
        returned_rows=rows(ObligationStatus.RETURNED),
    )


# The desk's figure of waiting reports: counted as far as the review page counts them.
DESK_COUNT_BOUND = REVIEW_COUNT_BOUND


def _controller_desk(user: User, on: dt.date) -> ControllerDesk:
    queue = review_queue(user)
    overdue = summed_by_parts(
        visible_counts(user).filter(
            controlled_plans_q(user), bucket__in=PENDING_BUCKETS, deadline__lt=on
        ),
        grain_parts(on),
        n=Sum("obligations"),
    )
    overdue_rows = obligation_list_for(
        user, ObligationFilter(status=ObligationStatus.OVERDUE.value, on=on)
    ).filter(controlled_plans_q(user, prefix="activity__plan__"))
    waiting = bounded_count(queue, DESK_COUNT_BOUND)
    return ControllerDesk(
        awaiting_review=waiting.n,
        awaiting_review_more=waiting.more,
        overdue=int(overdue["n"] or 0),
        review_rows=_desk_rows(queue, REPORT_ROW),
        overdue_rows=_desk_rows(overdue_rows, OBLIGATION_ROW),
    )


def today_desk(user: User, on: dt.date | None = None) -> TodayDesk:
    on = on or today()
    return TodayDesk(
        on=on,
        soon_days=due_soon_days(),
        executor=_executor_desk(user, on) if is_executor(user) else None,
        controller=_controller_desk(user, on) if is_controller(user) else None,
    )
