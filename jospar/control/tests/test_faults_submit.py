"""An executor submits a report while Redis (the cache and the Celery broker) is down or
frozen: the working-day calendar is read from the database, and the page answers within the
timeouts."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jospar.control.models import ExecutionReport
from jospar.control.tests.conftest import World
from jospar.core.tests.faults import closed_port_url, frozen_server, redis_at

pytestmark = pytest.mark.django_db

BOUND_SECONDS = 15


@contextlib.contextmanager
def _closed() -> Iterator[str]:
    yield closed_port_url()


@pytest.mark.parametrize("broken", [_closed, frozen_server], ids=["closed-port", "frozen"])
def test_an_executor_submits_with_redis_down(
    world: World, broken: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from jospar.core.calendar import calendar_cache_clear

    calendar_cache_clear()
    obligation = world.own
    client = Client()
    client.force_login(world.people["executor_own"])  # type: ignore[arg-type]
    url = reverse("control:report-save", args=[obligation.pk])
    with broken() as redis_url, redis_at(redis_url):
        page = client.get(reverse("control:obligation", args=[obligation.pk]))
        assert page.status_code == 200
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"text": "Конференция өтті", "lang": "kk", "action": "submit"}
            )
        elapsed = time.monotonic() - started
    print(f"submission took {elapsed:.2f} s with Redis {broken.__name__}")
    assert response.status_code == 302, response.content[:500]
    assert elapsed < BOUND_SECONDS
    report = ExecutionReport.objects.get(obligation=obligation)
    assert report.submitted_at is not None
    assert report.text == "Конференция өтті"
