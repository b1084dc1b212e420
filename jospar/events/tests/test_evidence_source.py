"""An executor gives a reported event of the calendar as the evidence of an activity that ends
with an event: the report's form offers the events of its activity or organisation that were
held and reported on; choosing one fills the date, place and participants (the photos are still
the executor's). Another organisation's event is neither offered nor taken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.control.models import ReportEvidence
from jospar.control.tests.conftest import World, build_world, png_bytes, snapshot
from jospar.core.models import User
from jospar.events import services
from jospar.events.models import PublicEvent
from jospar.events.selectors import ALMATY

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(make_user: Callable[..., User], settings: Any, tmp_path: Path) -> World:
    """The control loop's world (a plan, its obligations, executors), files under tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(make_user)


def _held(loop: World, actor_key: str, title: str, **extra: object) -> PublicEvent:
    actor = loop.person(actor_key)
    starts = timezone.now() - dt.timedelta(days=3)
    event = services.event_create(
        actor=actor,
        data={
            "title_kk": title,
            "title_ru": title,
            "kind": "forum",
            "region": loop.region.pk,
            "place": f"{title} hall",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2),
            **extra,
        },
    )
    return services.event_report(actor=actor, event=event, participants=140, report="Held.")


def test_a_reported_event_is_offered_and_fills_the_evidence(loop: World) -> None:
    loop.standalone.completion_kinds = ["event"]
    loop.standalone.save(update_fields=["completion_kinds"])
    ours = _held(loop, "executor_own", "Forum of ours")
    theirs = _held(loop, "executor_other", "Forum of theirs")
    # An event of the obligation's activity, whoever organised it, is offered as well.
    by_activity = _held(
        loop, "executor_other", "Forum of the activity", activity=loop.standalone.pk
    )
    client = Client(headers={"accept-language": "en"})
    client.force_login(loop.person("executor_own"))
    page = reverse("control:obligation", args=[loop.own.pk])
    html = client.get(page).content.decode()
    assert 'name="calendar_event"' in html
    assert f'value="{ours.pk}"' in html
    assert f'value="{by_activity.pk}"' in html
    assert f'value="{theirs.pk}"' not in html

    add = reverse("control:evidence-add", args=[loop.own.pk])
    before = snapshot()
    refused = client.post(
        add,
        {
            "kind": "event",
            "calendar_event": theirs.pk,
            "files": SimpleUploadedFile("p.png", png_bytes()),
        },
    )
    assert refused.status_code == 400
    assert snapshot() == before
    assert not ReportEvidence.objects.exists()

    added = client.post(
        add,
        {
            "kind": "event",
            "calendar_event": ours.pk,
            "files": SimpleUploadedFile("p.png", png_bytes()),
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    evidence = ReportEvidence.objects.get()
    assert evidence.kind == "event"
    assert evidence.participants == 140
    assert evidence.place == "Forum of ours hall"
    assert evidence.date == ours.starts_at.astimezone(ALMATY).date()
    assert evidence.url.endswith(reverse("events:detail", args=[ours.pk]))
    assert evidence.files.count() == 1


def test_no_offer_without_reported_events(loop: World) -> None:
    loop.standalone.completion_kinds = ["event"]
    loop.standalone.save(update_fields=["completion_kinds"])
    client = Client()
    client.force_login(loop.person("executor_own"))
    html = client.get(reverse("control:obligation", args=[loop.own.pk])).content.decode()
    assert 'id="evidence-form-event"' in html
    assert 'name="calendar_event"' not in html
