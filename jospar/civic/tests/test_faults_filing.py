"""A citizen files a report while Redis (the cache and the Celery broker) is down or frozen:
the report is saved, the page answers within the timeouts, and the e-mail work left undone is
kept in the outbox and done once the broker is back."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.civic.models import CitizenReport, Follow
from jospar.civic.tests.conftest import ALMATY, World
from jospar.core.models import Notification, OutboxTask
from jospar.core.outbox import outbox_flush
from jospar.core.tests.faults import closed_port_url, frozen_server, redis_at

pytestmark = pytest.mark.django_db

# One cache timeout (then the breaker skips Redis) and one bounded publish, with room to spare
# on a loaded machine: the point is that nothing waits for ever.
BOUND_SECONDS = 15


@contextlib.contextmanager
def _closed() -> Iterator[str]:
    yield closed_port_url()


@pytest.mark.parametrize("broken", [_closed, frozen_server], ids=["closed-port", "frozen"])
def test_a_citizen_files_with_redis_down(
    world: World, broken: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from jospar.core.calendar import calendar_cache_clear

    calendar_cache_clear()
    # Someone follows the region: filing writes a notification and asks for its letter.
    Follow.objects.create(user=world.neighbour, region=world.almaty)
    client = Client()
    client.force_login(world.citizen)
    data = {
        "topic": "roads",
        "description": "A deep pothole in front of school 12.",
        "latitude": str(ALMATY[0]),
        "longitude": str(ALMATY[1]),
        "address": "",
        "region": "",
        "q-roads-problem": "pothole",
    }
    with broken() as url, redis_at(url):
        page = client.get(reverse("civic:file"))
        assert page.status_code == 200
        started = time.monotonic()
        # The test runs in a transaction: what the request queued for after its commit runs
        # when this block ends, inside the timing, as it would at the request's commit.
        with django_capture_on_commit_callbacks(execute=True) as queued_after_commit:
            response = client.post(reverse("civic:file"), data)
        elapsed = time.monotonic() - started
    assert response.status_code == 302, response.content[:500]
    assert queued_after_commit
    print(f"filing took {elapsed:.2f} s with Redis {broken.__name__}")
    assert elapsed < BOUND_SECONDS
    report = CitizenReport.objects.get()
    assert response["Location"] == reverse("civic:report", kwargs={"report_id": report.pk})
    # The letter could not be handed to the broker: recorded, not lost.
    letter = Notification.objects.get(recipient=world.neighbour)
    assert letter.emailed_at is None
    queued = OutboxTask.objects.get()
    assert queued.task == "core.send_notification_emails"
    assert queued.attempts == 1
    assert queued.last_error
    # The broker is back (in-process here): the flush hands the work over and it is done.
    mail.outbox = []
    OutboxTask.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert outbox_flush()["published"] == 1
    assert not OutboxTask.objects.exists()
    letter.refresh_from_db()
    assert letter.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[world.neighbour.email]]
