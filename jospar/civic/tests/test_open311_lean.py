"""The lean path of Open311 reads (jospar.core.middleware_lean): the read skips the signed-in
pages' middleware, and keeps the security headers, the request id, the throttles of the write
side and its one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jospar.civic.models import CitizenReport, ReportState
from jospar.civic.services import open311_client_issue

from .conftest import ALMATY, World

pytestmark = pytest.mark.django_db
REQUESTS = "/open311/v2/requests.json"
# Headers that protect a response, whichever middleware sets them.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
    "X-Request-ID",
)


def _publish(world: World, n: int) -> None:
    at = timezone.now() - dt.timedelta(days=1)
    CitizenReport.objects.bulk_create(
        CitizenReport(
            topic=world.roads,
            description="Жолда шұңқыр",
            public_description="Жолда шұңқыр",
            latitude=ALMATY[0],
            longitude=ALMATY[1],
            region=world.almaty,
            akimat=world.almaty_akimat,
            state=ReportState.PUBLISHED,
            submitted_at=at,
            published_at=at,
            updated_at=at,
            response_due_on=timezone.localdate(at) + dt.timedelta(days=14),
        )
        for _ in range(n)
    )


def test_read_keeps_every_security_header_of_a_page(world: World) -> None:
    client = Client()
    page = client.get("/")
    read = client.get(REQUESTS)
    assert read.status_code == 200
    present = [name for name in SECURITY_HEADERS if name in page]
    assert "Content-Security-Policy" in present
    assert "X-Content-Type-Options" in present
    for name in present:
        assert name in read, name
    assert read["X-Content-Type-Options"] == "nosniff"
    assert read["Content-Security-Policy"] == page["Content-Security-Policy"]
    # The lean path is the one taken: a page gets the messages storage, the read does not.
    assert hasattr(page.wsgi_request, "_messages")
    assert not hasattr(read.wsgi_request, "_messages")


def test_only_reads_take_the_lean_path(world: World) -> None:
    posted = Client().post(REQUESTS, {"service_code": "roads"})
    assert posted.status_code == 403  # no key
    assert hasattr(posted.wsgi_request, "_messages")
    assert "Content-Security-Policy" in posted


def test_writes_stay_throttled_after_lean_reads(world: World, settings: Any) -> None:
    settings.JOSPAR_THROTTLE_RATES = {**settings.JOSPAR_THROTTLE_RATES, "open311_ip": "3/3600"}
    _c, key = open311_client_issue(actor=world.admin, name="Mobile app")
    client = Client()
    form = {
        "service_code": "roads",
        "lat": str(ALMATY[0]),
        "long": str(ALMATY[1]),
        "description": "Жолда үлкен шұңқыр бар.",
        "attribute[problem]": "pothole",
    }
    for attempt in range(3):
        assert client.get(REQUESTS).status_code == 200
        assert client.post(REQUESTS, {**form, "api_key": f"guess-{attempt}"}).status_code == 403
    before = CitizenReport.objects.count()
    refused = client.post(REQUESTS, {**form, "api_key": key})
    assert refused.status_code == 429
    assert "Content-Security-Policy" in refused
    assert CitizenReport.objects.count() == before


def test_a_list_read_is_one_query_whatever_its_length(world: World) -> None:
    client = Client()
    client.get(REQUESTS)  # what a process loads once (topics' names, the site's settings)
    _publish(world, 3)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(REQUESTS).json()) == 3
    _publish(world, 60)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(REQUESTS).json()) == 63
    assert len(small) == len(large) == 1, [q["sql"][:120] for q in large.captured_queries]
