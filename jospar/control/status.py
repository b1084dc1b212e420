"""The status of an obligation, computed from its facts and today's date — never typed.

The same rules exist twice on purpose: as a database expression (lists, filters and dashboards
over millions of rows) and in Python (one object already loaded). A test holds them equal.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils import timezone

from jospar.control.models import Obligation, ObligationStatus


def today() -> dt.date:
    """Today in Kazakhstan: deadlines are calendar dates there."""
    return timezone.localdate()


def due_soon_days() -> int:
    return int(getattr(settings, "CONTROL_DUE_SOON_DAYS", 7))


def first_late() -> Q:
    """The first submission came after the deadline then in force: such an obligation stays
    "submitted late" whatever date a return gave its next version."""
    return Q(first_late_days__gt=0)


def submitted_late() -> Q:
    """Of an obligation with a submission standing: is it late (now or at first)?"""
    return Q(submitted_on__gt=F("deadline")) | first_late()


def not_first_late() -> Q:
    return Q(first_late_days__isnull=True) | Q(first_late_days__lte=0)


def submitted_on_time() -> Q:
    """The negation of ``submitted_late``, written so that NULLs read as "not late"."""
    return Q(submitted_on__lte=F("deadline")) & not_first_late()


def status_expression(on: dt.date) -> Case:
    soon = on + dt.timedelta(days=due_soon_days())
    returned = Q(returned_at__isnull=False) & (
        Q(submitted_at__isnull=True) | Q(submitted_at__lt=F("returned_at"))
    )
    return Case(
        When(accepted_at__isnull=False, then=Value(ObligationStatus.ACCEPTED.value)),
        When(returned & Q(deadline__lt=on), then=Value(ObligationStatus.OVERDUE.value)),
        When(returned, then=Value(ObligationStatus.RETURNED.value)),
        When(
            Q(submitted_at__isnull=False) & submitted_on_time(),
            then=Value(ObligationStatus.SUBMITTED_ON_TIME.value),
        ),
        When(submitted_at__isnull=False, then=Value(ObligationStatus.SUBMITTED_LATE.value)),
        When(deadline__lt=on, then=Value(ObligationStatus.OVERDUE.value)),
        When(deadline__lte=soon, then=Value(ObligationStatus.DUE_SOON.value)),
        default=Value(ObligationStatus.NOT_YET_DUE.value),
        output_field=CharField(),
    )


def with_status(qs: QuerySet[Obligation], on: dt.date | None = None) -> QuerySet[Obligation]:
    return qs.annotate(status=status_expression(on or today()))


def status_filter(status: str, on: dt.date | None = None) -> Q:
    """A WHERE clause for one status, written so that indexes on the facts can serve it."""
    on = on or today()
    soon = on + dt.timedelta(days=due_soon_days())
    returned = Q(returned_at__isnull=False) & (
        Q(submitted_at__isnull=True) | Q(submitted_at__lt=F("returned_at"))
    )
    open_ = Q(accepted_at__isnull=True)
    submitted = Q(submitted_at__isnull=False) & ~returned
    waiting = Q(submitted_at__isnull=True) & Q(returned_at__isnull=True)
    filters = {
        ObligationStatus.ACCEPTED: Q(accepted_at__isnull=False),
        ObligationStatus.RETURNED: open_ & returned & Q(deadline__gte=on),
        ObligationStatus.OVERDUE: open_
        & ((returned & Q(deadline__lt=on)) | (waiting & Q(deadline__lt=on))),
        ObligationStatus.SUBMITTED_ON_TIME: open_ & submitted & submitted_on_time(),
        ObligationStatus.SUBMITTED_LATE: open_ & submitted & submitted_late(),
        ObligationStatus.DUE_SOON: open_ & waiting & Q(deadline__gte=on, deadline__lte=soon),
        ObligationStatus.NOT_YET_DUE: open_ & waiting & Q(deadline__gt=soon),
    }
    return filters[ObligationStatus(status)]


# What became of an obligation, as the program dashboard counts it and the list filters by it.
OUTCOMES = ("on_time", "late", "overdue", "open")


def outcome_filter(outcome: str, on: dt.date | None = None) -> Q:
    """Reported on time (awaiting review or accepted), reported late, overdue, or not yet due
    (due soon, not yet due, returned with a date still ahead)."""
    on = on or today()
    accepted = Q(accepted_at__isnull=False)
    if outcome == "on_time":
        return status_filter(ObligationStatus.SUBMITTED_ON_TIME, on) | (
            accepted & ~submitted_late()
        )
    if outcome == "late":
        return status_filter(ObligationStatus.SUBMITTED_LATE, on) | (accepted & submitted_late())
    if outcome == "overdue":
        return status_filter(ObligationStatus.OVERDUE, on)
    return (
        status_filter(ObligationStatus.DUE_SOON, on)
        | status_filter(ObligationStatus.NOT_YET_DUE, on)
        | status_filter(ObligationStatus.RETURNED, on)
    )


def status_of(obligation: Obligation, on: dt.date | None = None) -> ObligationStatus:
    on = on or today()
    o = obligation
    deadline = o.deadline or o.due_on
    returned = o.returned_at is not None and (
        o.submitted_at is None or o.submitted_at < o.returned_at
    )
    if o.accepted_at is not None:
        return ObligationStatus.ACCEPTED
    if returned:
        return ObligationStatus.OVERDUE if deadline < on else ObligationStatus.RETURNED
    if o.submitted_at is not None:
        assert o.submitted_on is not None
        late = o.submitted_on > deadline or (o.first_late_days or 0) > 0
        return ObligationStatus.SUBMITTED_LATE if late else ObligationStatus.SUBMITTED_ON_TIME
    if deadline < on:
        return ObligationStatus.OVERDUE
    if deadline <= on + dt.timedelta(days=due_soon_days()):
        return ObligationStatus.DUE_SOON
    return ObligationStatus.NOT_YET_DUE
