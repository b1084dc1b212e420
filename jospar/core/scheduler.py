"""Periodic jobs without a broker: what `jospar run-schedule` and `jospar serve` run.

Production runs the same jobs from Celery beat (``CELERY_BEAT_SCHEDULE``, built from the same
``JOSPAR_PERIODIC_JOBS`` setting). Here each job runs at most once per Kazakhstan day, once
its time of day has come: the day is claimed by inserting a unique ``ScheduledRun(job, day)``
row, so that a second pass of the loop, or a second process, finds it taken. A job that failed
is tried again on a later pass, up to ``MAX_ATTEMPTS`` times that day; a run whose process died
is taken over after ``STALE_AFTER``. Days the scheduler did not run are not caught up: a
reminder for a day gone by is no longer a reminder.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from jospar.core.models import ScheduledRun, ScheduledRunState

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = dt.timedelta(hours=2)
DEFAULT_INTERVAL = 60.0


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a function taking ``on="YYYY-MM-DD"`` (a Celery task)
    hour: int
    minute: int

    def due(self, local: dt.datetime) -> bool:
        return (local.hour, local.minute) >= (self.hour, self.minute)


def periodic_jobs() -> list[Job]:
    jobs = []
    for name, spec in getattr(settings, "JOSPAR_PERIODIC_JOBS", {}).items():
        hour, minute = (int(part) for part in str(spec["at"]).split(":"))
        jobs.append(Job(name=name, task=str(spec["callable"]), hour=hour, minute=minute))
    return jobs


@dataclass(frozen=True)
class JobOutcome:
    job: str
    day: dt.date
    state: str
    result: Any = None
    error: str = ""


def scheduled_run_claim(*, job: str, day: dt.date, now: dt.datetime) -> ScheduledRun | None:
    """Take the day's run of a job; ``None`` when it is done, running elsewhere or given up."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job, day=day, started_at=now)
    except IntegrityError:
        pass
    retry = Q(state=ScheduledRunState.FAILED, attempts__lt=MAX_ATTEMPTS) | Q(
        state=ScheduledRunState.RUNNING, started_at__lt=now - STALE_AFTER
    )
    # One conditional UPDATE: of two processes retrying at once, one matches the row.
    taken = (
        ScheduledRun.objects.filter(job=job, day=day)
        .filter(retry)
        .update(
            state=ScheduledRunState.RUNNING,
            started_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            error="",
        )
    )
    return ScheduledRun.objects.get(job=job, day=day) if taken else None


def scheduled_run_finish(*, run: ScheduledRun, result: Any = None, error: str = "") -> None:
    ScheduledRun.objects.filter(pk=run.pk).update(
        state=ScheduledRunState.FAILED if error else ScheduledRunState.DONE,
        finished_at=timezone.now(),
        result=result,
        error=error[:10000],
    )


def run_due_jobs(
    *, now: dt.datetime | None = None, jobs: list[Job] | None = None
) -> list[JobOutcome]:
    """Run, once, every job whose time has come today and that has not run today."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    day = local.date()
    outcomes: list[JobOutcome] = []
    for job in jobs if jobs is not None else periodic_jobs():
        if not job.due(local):
            continue
        run = scheduled_run_claim(job=job.name, day=day, now=now)
        if run is None:
            continue
        logger.info("schedule: running %s for %s", job.name, day)
        try:
            function: Callable[..., Any] = import_string(job.task)
            result = function(on=day.isoformat())
        except Exception:  # recorded, and tried again on a later pass
            error = traceback.format_exc()
            logger.exception("schedule: %s for %s failed", job.name, day)
            scheduled_run_finish(run=run, error=error)
            outcomes.append(JobOutcome(job.name, day, ScheduledRunState.FAILED, error=error))
        else:
            stored = result if isinstance(result, dict | list | str | int | None) else str(result)
            scheduled_run_finish(run=run, result=stored)
            outcomes.append(JobOutcome(job.name, day, ScheduledRunState.DONE, result=stored))
    return outcomes


_frequent_last_run: dict[str, float] = {}


def run_frequent_jobs(*, now: float | None = None) -> dict[str, Any]:
    """Run each of ``JOSPAR_FREQUENT_JOBS`` whose interval has passed in this process (the
    outbox flush, the audit anchor). They are safe to run in two processes at once, so no claim
    row is written; a failure is logged and the job runs again on the next pass."""
    moment = time.monotonic() if now is None else now
    results: dict[str, Any] = {}
    for name, spec in getattr(settings, "JOSPAR_FREQUENT_JOBS", {}).items():
        last = _frequent_last_run.get(name)
        if last is not None and moment - last < 60 * float(spec["every_minutes"]) - 1:
            continue
        _frequent_last_run[name] = moment
        try:
            results[name] = import_string(str(spec["callable"]))()
        except Exception:
            logger.exception("schedule: %s failed", name)
            results[name] = None
    return results


def run_loop(*, stop: threading.Event, interval: float = DEFAULT_INTERVAL) -> None:
    """Check every ``interval`` seconds until ``stop`` is set; a failing pass does not end it."""
    while not stop.is_set():
        close_old_connections()
        try:
            run_due_jobs()
            run_frequent_jobs()
        except Exception:  # the database may be away for a moment: try on the next pass
            logger.exception("schedule: a pass failed")
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()
        stop.wait(interval)


def start_background_loop(*, interval: float = DEFAULT_INTERVAL) -> threading.Event:
    """Run the loop in a daemon thread of this process; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_loop,
        kwargs={"stop": stop, "interval": interval},
        name="jospar-schedule",
        daemon=True,
    )
    thread.start()
    return stop
