"""`jospar run-schedule` runs each periodic job once a day, after its time; `jospar serve`
runs it in the background when there is no broker."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jospar.core import scheduler
from jospar.core.models import ScheduledRun, ScheduledRunState

pytestmark = pytest.mark.django_db

CALLS: list[tuple[str, str]] = []


def record_reminders(on: str) -> dict[str, str]:
    CALLS.append(("reminders", on))
    return {"day": on}


def record_digests(on: str) -> dict[str, str]:
    CALLS.append(("digests", on))
    return {"day": on}


def fail_once(on: str) -> str:
    CALLS.append(("flaky", on))
    if len([c for c in CALLS if c[0] == "flaky"]) == 1:
        raise RuntimeError("database went away")
    return "ok"


@pytest.fixture(autouse=True)
def recorded_jobs(settings: Any) -> None:
    CALLS.clear()
    here = __name__
    settings.JOSPAR_PERIODIC_JOBS = {
        "reminders": {"task": "x", "callable": f"{here}.record_reminders", "at": "08:00"},
        "digests": {"task": "y", "callable": f"{here}.record_digests", "at": "08:30"},
    }


def once(now: str) -> str:
    out = StringIO()
    call_command("run_schedule", "--once", "--now", now, stdout=out)
    return out.getvalue()


def test_each_job_runs_once_a_day_after_its_time() -> None:
    assert "Nothing due." in once("2016-01-06T07:59")
    assert CALLS == []
    out = once("2016-01-06T08:10")
    assert "2016-01-06 reminders: done" in out
    assert CALLS == [("reminders", "2016-01-06")]
    once("2016-01-06T08:20")
    once("2016-01-06T09:00")
    once("2016-01-06T23:59")
    assert CALLS == [("reminders", "2016-01-06"), ("digests", "2016-01-06")]
    once("2016-01-07T10:00")
    assert CALLS[2:] == [("reminders", "2016-01-07"), ("digests", "2016-01-07")]
    runs = ScheduledRun.objects.order_by("day", "job")
    assert [(r.day.isoformat(), r.job, r.state) for r in runs] == [
        ("2016-01-06", "digests", "done"),
        ("2016-01-06", "reminders", "done"),
        ("2016-01-07", "digests", "done"),
        ("2016-01-07", "reminders", "done"),
    ]


def test_a_second_process_finds_the_day_taken() -> None:
    now = timezone.make_aware(dt.datetime(2016, 1, 6, 8, 5))
    ScheduledRun.objects.create(job="reminders", day=dt.date(2016, 1, 6), started_at=now)
    assert scheduler.run_due_jobs(now=now + dt.timedelta(minutes=1)) == []
    assert CALLS == []
    # A run whose process died long ago is taken over.
    later = now + scheduler.STALE_AFTER + dt.timedelta(minutes=1)
    outcomes = scheduler.run_due_jobs(now=later)
    assert [(o.job, o.state) for o in outcomes] == [("reminders", "done"), ("digests", "done")]
    assert ScheduledRun.objects.get(job="reminders").attempts == 2


def test_a_failed_job_is_tried_again_on_a_later_pass(settings: Any) -> None:
    settings.JOSPAR_PERIODIC_JOBS = {
        "flaky": {"task": "z", "callable": f"{__name__}.fail_once", "at": "08:00"}
    }
    out = once("2016-01-06T08:00")
    assert "flaky: failed" in out
    run = ScheduledRun.objects.get()
    assert run.state == ScheduledRunState.FAILED
    assert "database went away" in run.error
    assert "flaky: done" in once("2016-01-06T08:05")
    assert "Nothing due." in once("2016-01-06T08:10")
    run.refresh_from_db()
    assert (run.state, run.attempts, run.error) == ("done", 2, "")


def test_the_real_jobs_send_the_days_reminders(settings: Any) -> None:
    settings.JOSPAR_PERIODIC_JOBS = {
        "reminders": {
            "task": "control.send_reminders",
            "callable": "jospar.control.tasks.send_reminders",
            "at": "08:00",
        },
        "digests": {
            "task": "control.send_digests",
            "callable": "jospar.control.tasks.send_digests",
            "at": "08:30",
        },
    }
    out = once("2016-01-06T09:00")
    assert "reminders: done" in out
    assert "digests: done" in out
    assert "'working_day': True" in out


def test_beat_has_the_same_jobs_at_eight_in_almaty() -> None:
    from django.conf import settings

    from config.celery import app

    beat = settings.CELERY_BEAT_SCHEDULE
    assert beat["reminders"]["task"] == "control.send_reminders"
    assert (beat["reminders"]["schedule"].hour, beat["reminders"]["schedule"].minute) == (
        {8},
        {0},
    )
    assert beat["digests"]["task"] == "control.send_digests"
    assert app.conf.timezone == "Asia/Almaty"
    app.loader.import_default_modules()
    assert {
        "control.send_reminders",
        "control.send_digests",
        "core.send_notification_emails",
    } <= set(app.tasks)


def test_serve_keeps_the_schedule_without_a_broker(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jospar.core.management.commands import serve

    started: list[float] = []
    commands: list[str] = []
    monkeypatch.setattr(serve, "start_background_loop", lambda **kw: started.append(1))
    monkeypatch.setattr(serve, "call_command", lambda name, *a, **kw: commands.append(name))
    settings.REDIS_URL = ""
    call_command("serve", stdout=StringIO())
    assert started == [1]
    assert commands == ["migrate", "runserver"]
    call_command("serve", "--no-schedule", stdout=StringIO())
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    call_command("serve", stdout=StringIO())
    assert started == [1]


def test_the_loop_runs_a_pass_and_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    passes: list[int] = []
    stop = threading.Event()

    def one_pass(**kwargs: Any) -> list[Any]:
        passes.append(1)
        stop.set()
        return []

    monkeypatch.setattr(scheduler, "run_due_jobs", one_pass)
    scheduler.run_loop(stop=stop, interval=0.01)
    assert passes == [1]
