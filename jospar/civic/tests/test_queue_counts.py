"""The akimat's queue: each tab's count equals the reports the tab lists, closed and hidden
reports are in none, and the page costs the same queries whatever the queue holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jospar.civic.models import CitizenReport, ReportState
from jospar.civic.selectors.portal import QUEUE_TABS, queue_counts, queue_reports
from jospar.civic.tests.conftest import World

TODAY = dt.date(2026, 12, 7)
PAST = TODAY - dt.timedelta(days=3)
LATER = TODAY + dt.timedelta(days=3)


def _queue(world: World, file_report: Callable[..., CitizenReport], n: int) -> None:
    """n of each kind: new, new and overdue, assigned, in progress, overdue in progress,
    answered (not overdue), done, rejected, hidden, and another akimat's."""
    kinds: list[dict[str, Any]] = [
        {"state": ReportState.PUBLISHED, "response_due_on": LATER},
        {"state": ReportState.PUBLISHED, "response_due_on": PAST},
        {"state": ReportState.PUBLISHED, "assigned_to": world.official, "response_due_on": LATER},
        {"state": ReportState.IN_PROGRESS, "response_due_on": LATER},
        {"state": ReportState.IN_PROGRESS, "response_due_on": PAST},
        {"state": ReportState.IN_PROGRESS, "response_due_on": PAST, "answered_at": timezone.now()},
        {"state": ReportState.DONE, "response_due_on": PAST},
        {"state": ReportState.REJECTED, "response_due_on": PAST},
        {"state": ReportState.PUBLISHED, "response_due_on": PAST, "hidden": True},
    ]
    for fields in kinds:
        for _ in range(n):
            report = file_report()
            CitizenReport.objects.filter(pk=report.pk).update(**fields)
    for _ in range(n):
        other = file_report(point=(51.1282, 71.4304))  # Astana
        CitizenReport.objects.filter(pk=other.pk).update(
            state=ReportState.PUBLISHED, response_due_on=PAST
        )


def test_each_tab_counts_what_it_lists(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    _queue(world, file_report, 1)
    counts = queue_counts(world.official, today=TODAY)
    for tab in QUEUE_TABS:
        assert counts[tab] == queue_reports(world.official, tab, today=TODAY).count(), tab
    # new: the two unassigned published kinds; assigned: the one assigned to this official;
    # overdue: open, never answered, past due (new-overdue and in-progress-overdue); in
    # progress: the three in-progress kinds. Closed, hidden and Astana's are in none.
    assert counts == {"new": 2, "assigned": 1, "overdue": 2, "in_progress": 3}


def test_the_page_shows_the_counts_in_fixed_queries(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    client = Client()
    client.force_login(world.official)
    _queue(world, file_report, 1)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/civic/queue/?tab=in_progress")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 3
    assert {key: n for key, _label, n in response.context["tabs"]}["in_progress"] == 3
    assert response.context["page"].paginator.count == 3
    _queue(world, file_report, 1)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/civic/queue/?tab=in_progress")
    assert len(response.context["rows"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
