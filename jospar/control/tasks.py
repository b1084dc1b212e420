"""Periodic work of the control loop: reminders of control deadlines, the daily digest, and
the status-report schedules kept a year ahead.

Celery beat calls these every day (``CELERY_BEAT_SCHEDULE``); without a broker,
`jospar run-schedule` does (and `jospar serve` runs it in the background). Each takes the
Kazakhstan date as text, or nothing for today, and is idempotent: run twice, or in two workers
at once, it writes and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from jospar.control.project_office.services import status_schedules_extend
from jospar.control.reminders import digests_send, reminders_send
from jospar.control.status import today


def _day(on: str | None) -> dt.date:
    return dt.date.fromisoformat(on) if on else today()


@shared_task(name="control.send_reminders", acks_late=True)  # type: ignore[untyped-decorator]
def send_reminders(on: str | None = None) -> dict[str, object]:
    """Remind executors (and heads of organisations, when overdue) of the day's deadlines."""
    return reminders_send(on=_day(on)).as_dict()


@shared_task(name="control.send_digests", acks_late=True)  # type: ignore[untyped-decorator]
def send_digests(on: str | None = None) -> dict[str, object]:
    """Each controller's digest of the day."""
    return digests_send(on=_day(on)).as_dict()


@shared_task(name="control.extend_status_schedules", acks_late=True)  # type: ignore[untyped-decorator]
def extend_status_schedules(on: str | None = None) -> dict[str, object]:
    """Every program's status-report schedule made up to a year ahead, on control."""
    day = _day(on)
    return {"day": day.isoformat(), "reports_made": status_schedules_extend(on=day)}
