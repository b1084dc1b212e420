"""The fallbacks one by one: the cache that fails soft, the outbox, the frequent jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from jospar.core import scheduler
from jospar.core.calendar import calendar_cache_clear, is_working_day
from jospar.core.models import CalendarDay, OutboxTask
from jospar.core.outbox import enqueue, outbox_flush
from jospar.core.tests.faults import closed_port_url, frozen_server, redis_at

pytestmark = pytest.mark.django_db


def test_the_cache_answers_as_a_miss_and_stops_trying(settings: Any) -> None:
    with redis_at(closed_port_url()):
        assert cache.is_available()  # type: ignore[attr-defined]
        assert cache.get("k", "default") == "default"
        assert not cache.is_available()  # type: ignore[attr-defined]
        cache.set("k", 1)
        assert cache.get("k") is None
        assert cache.add("k", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.delete("k") is False
        with pytest.raises(ValueError, match="unavailable"):
            cache.incr("k")
        # After the breaker's time, Redis is tried again (and fails again here).
        settings.CACHE_BREAKER_SECONDS = 0
        cache._open_until = 0  # type: ignore[attr-defined]
        assert cache.get("k") is None


def test_a_frozen_cache_costs_one_timeout_then_nothing() -> None:
    import time

    with frozen_server() as url, redis_at(url):
        started = time.monotonic()
        assert cache.get("k") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(50):
            assert cache.get("k") is None
        rest = time.monotonic() - started
    assert first >= 0.4  # the socket timeout was waited once
    assert rest < first  # and never again: fifty reads cost less than that one


def test_the_calendar_reads_the_database_when_the_cache_is_down() -> None:
    day = dt.date(2031, 3, 10)  # a Monday
    CalendarDay.objects.update_or_create(
        day=day, defaults={"is_working": False, "name": "holiday", "source": "admin"}
    )
    calendar_cache_clear()
    with redis_at(closed_port_url()):
        assert is_working_day(day) is False
        assert is_working_day(day + dt.timedelta(days=1)) is True


def test_a_failed_publish_stays_in_the_outbox_and_the_flush_hands_it_over(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with redis_at(closed_port_url()):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            enqueue("core.send_notification_emails")
            enqueue("core.send_notification_emails")
        rows = list(OutboxTask.objects.all())
        assert [r.attempts for r in rows] == [1, 1]
        assert "OperationalError" in rows[0].last_error
        OutboxTask.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
        # Still away: the flush stops at the first failure and keeps everything.
        result = outbox_flush()
        assert result["published"] == 0
        assert result["failed"] == 1
        assert OutboxTask.objects.count() == 2
    # A flush leased them: a second flush at once leaves them alone.
    assert outbox_flush() == {"published": 0, "failed": 0, "given_up": 0}
    # Back (in-process), after the lease: one publication for the two identical rows.
    OutboxTask.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert outbox_flush()["published"] == 1
    assert not OutboxTask.objects.exists()


def test_young_rows_are_left_to_their_request() -> None:
    OutboxTask.objects.create(task="core.send_notification_emails", args=[])
    assert outbox_flush()["published"] == 0
    assert OutboxTask.objects.count() == 1


def test_frequent_jobs_run_when_their_interval_has_passed(settings: Any) -> None:
    settings.JOSPAR_FREQUENT_JOBS = {
        "probe": {
            "task": "x",
            "callable": "jospar.core.tests.test_faults_units.probe",
            "every_minutes": 5,
        }
    }
    _probe_calls.clear()
    scheduler._frequent_last_run.pop("probe", None)
    assert scheduler.run_frequent_jobs(now=1000.0) == {"probe": "ran"}
    assert scheduler.run_frequent_jobs(now=1000.0 + 60) == {}
    assert scheduler.run_frequent_jobs(now=1000.0 + 300) == {"probe": "ran"}
    assert _probe_calls == ["ran", "ran"]


_probe_calls: list[str] = []


def probe() -> str:
    _probe_calls.append("ran")
    return "ran"
