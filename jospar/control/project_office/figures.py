"""The figures a regional status report is filled with, read from the control loop when the
office writes it (and frozen with it when it is submitted): project tasks done and overdue, key
events passed and missed, and discipline — the share of the period's reports sent on time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q

from jospar.control.models import Obligation
from jospar.programs.models import StatusReport
from jospar.programs.models_tasks import ProjectTaskKind
from jospar.programs.policy import subtree_ids


def _scope(report: StatusReport) -> Q:
    """The project tasks' obligations the report covers: its program (or sub-program), its
    region (the task's, or the owing body's)."""
    where = Q(project_task__program_id=report.program_id, project_task__in_force=True)
    where &= Q(in_force=True)
    node_id = report.schedule.node_id
    if node_id is not None:
        nodes = subtree_ids(report.program_id, [node_id]) or set()
        where &= Q(project_task__node_id__in=sorted(nodes))
    return where & (Q(project_task__region_id=report.region_id) | Q(region_id=report.region_id))


def status_figures(report: StatusReport, today: dt.date) -> dict[str, Any]:
    """One query: the figures as of `today` for the report's period."""
    start, end = report.period_start, report.period_end
    event = Q(project_task__kind=ProjectTaskKind.KEY_EVENT)
    in_period = Q(deadline__gte=start, deadline__lte=end)
    accepted_in_period = Q(accepted_at__date__gte=start, accepted_at__date__lte=end)
    row = (
        Obligation.objects.filter(_scope(report))
        .order_by()
        .aggregate(
            tasks_done=Count("id", filter=~event & accepted_in_period),
            tasks_overdue=Count(
                "id",
                filter=~event
                & Q(accepted_at__isnull=True, deadline__lt=today)
                & (Q(submitted_at__isnull=True) | Q(returned_at__gt=F("submitted_at"))),
            ),
            events_passed=Count("id", filter=event & in_period & Q(accepted_at__isnull=False)),
            events_missed=Count(
                "id",
                filter=event & in_period & Q(accepted_at__isnull=True, deadline__lt=today),
            ),
            due_in_period=Count("id", filter=in_period & Q(deadline__lte=today)),
            on_time=Count("id", filter=in_period & Q(first_late_days=0)),
        )
    )
    due = int(row["due_in_period"])
    return {
        "tasks_done": int(row["tasks_done"]),
        "tasks_overdue": int(row["tasks_overdue"]),
        "events_passed": int(row["events_passed"]),
        "events_missed": int(row["events_missed"]),
        "due_in_period": due,
        "on_time": int(row["on_time"]),
        # Whole percent; None when nothing was due yet.
        "discipline": round(100 * int(row["on_time"]) / due) if due else None,
        "as_of": today.isoformat(),
    }
