"""Whether a report's answer is overdue: computed, never stored (SQL and Python, kept equal by
a test). ``overdue_notified_at`` only records that the akimat was told.

A report is overdue on a day when it is open (published or in progress), the akimat has not
answered it yet, and its answer date (``response_due_on``: the topic's working days counted on
Kazakhstan's calendar from the day of publication) is before that day.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from jospar.civic.models import OPEN_STATES, CitizenReport


def overdue_q(day: dt.date) -> Q:
    return Q(
        state__in=[str(state) for state in OPEN_STATES],
        answered_at__isnull=True,
        response_due_on__isnull=False,
        response_due_on__lt=day,
    )


def is_overdue(report: CitizenReport, day: dt.date) -> bool:
    return (
        report.state in OPEN_STATES
        and report.answered_at is None
        and report.response_due_on is not None
        and report.response_due_on < day
    )
