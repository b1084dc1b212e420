"""An executor gives a reported event of the calendar as the evidence of an activity that ends
with an event: the report's form offers the events of its activity or organisation that were
held and reported on; choosing one fills the date, place and participants and attaches copies of
the event's photos, on the form and in the API alike. Another organisation's event is neither
offered nor taken."""

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

from jospar.control.evidence_sources import event_photo_files, reported_event
from jospar.control.models import ReportEvidence
from jospar.control.services.reports import report_draft_open
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


def _held(loop: World, actor_key: str, title: str, photos: int = 0, **extra: object) -> PublicEvent:
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
    return services.event_report(
        actor=actor,
        event=event,
        participants=140,
        report="Held.",
        photos=[SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(photos)],
    )


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


def _event_obligation(loop: World) -> None:
    loop.standalone.completion_kinds = ["event"]
    loop.standalone.save(update_fields=["completion_kinds"])


def test_the_event_photos_satisfy_the_evidence_on_the_form(loop: World) -> None:
    _event_obligation(loop)
    ours = _held(loop, "executor_own", "Forum with photos", photos=2)
    client = Client(headers={"accept-language": "en"})
    client.force_login(loop.person("executor_own"))
    added = client.post(
        reverse("control:evidence-add", args=[loop.own.pk]),
        {"kind": "event", "calendar_event": ours.pk},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    evidence = ReportEvidence.objects.get()
    files = list(evidence.files.order_by("pk"))
    assert [f.original_name for f in files] == [
        f"event-{ours.pk}-photo-1.jpg",
        f"event-{ours.pk}-photo-2.jpg",
    ]
    assert all(f.content_type.startswith("image/") for f in files)
    # Copies of the public copies: the report keeps its own files.
    public = [p.public_file.open("rb").read() for p in ours.photos.order_by("pk")]
    assert [f.file.open("rb").read() for f in files] == public


def test_an_event_without_photos_still_asks_for_them(loop: World) -> None:
    _event_obligation(loop)
    ours = _held(loop, "executor_own", "Forum without photos")
    client = Client(headers={"accept-language": "en"})
    client.force_login(loop.person("executor_own"))
    # The form opens the draft before it adds evidence; the refusal must leave the rest.
    report_draft_open(actor=loop.person("executor_own"), obligation=loop.own)
    before = snapshot()
    refused = client.post(
        reverse("control:evidence-add", args=[loop.own.pk]),
        {"kind": "event", "calendar_event": ours.pk},
    )
    assert refused.status_code == 400
    assert "Attach photos of the event" in refused.content.decode()
    assert snapshot() == before


def test_the_api_takes_a_calendar_event(loop: World) -> None:
    _event_obligation(loop)
    ours = _held(loop, "executor_own", "Forum by API", photos=1)
    theirs = _held(loop, "executor_other", "Their forum", photos=1)
    own = loop.person("executor_own")
    draft = report_draft_open(actor=own, obligation=loop.own)
    client = Client(raise_request_exception=False)
    client.force_login(own)
    url = f"/api/reports/{draft.pk}/evidence/"
    before = snapshot()
    for bad in (
        {"kind": "event", "calendar_event": theirs.pk},
        {"kind": "event", "calendar_event": "x"},
        {"kind": "media", "calendar_event": ours.pk},
    ):
        response = client.post(url, bad, content_type="application/json")
        assert response.status_code == 400, (bad, response.content)
        assert "calendar_event" in response.json()["fields"]
        assert snapshot() == before
    response = client.post(
        url, {"kind": "event", "calendar_event": ours.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    evidence = ReportEvidence.objects.get()
    assert (evidence.participants, evidence.place) == (140, "Forum by API hall")
    assert evidence.files.get().original_name == f"event-{ours.pk}-photo-1.jpg"


def test_a_photo_removed_from_the_event_leaves_the_evidence_whole(
    loop: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The evidence took copies: the organiser removing a photo of the event later breaks
    neither the obligation's page nor the evidence's files (no live reference to the event's
    photos), and an evidence added afterwards takes the photos that remain."""
    _event_obligation(loop)
    ours = _held(loop, "executor_own", "Forum, one photo wrong", photos=2)
    own = loop.person("executor_own")
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(own)
    add = reverse("control:evidence-add", args=[loop.own.pk])
    assert client.post(add, {"kind": "event", "calendar_event": ours.pk}).status_code == 302
    evidence = ReportEvidence.objects.get()
    copies = {f.pk: f.file.open("rb").read() for f in evidence.files.all()}
    wrong, kept = list(ours.photos.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        services.event_photo_remove(actor=own, photo=wrong)
    assert not Path(wrong.public_file.path).exists()
    page = client.get(reverse("control:obligation", args=[loop.own.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/events/photos/" not in html
    for pk, data in copies.items():
        assert f'href="{reverse("control:attachment", args=[pk])}"' in html
        served = client.get(reverse("control:attachment", args=[pk]))
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == data  # type: ignore[attr-defined]
    # A second evidence, given after the removal, brings only the photo that remains.
    evidence.delete()
    assert client.post(add, {"kind": "event", "calendar_event": ours.pk}).status_code == 302
    again = ReportEvidence.objects.get()
    assert [f.file.open("rb").read() for f in again.files.all()] == [
        kept.public_file.open("rb").read()
    ]


def test_a_photo_removed_between_reading_and_opening_is_left_out(
    loop: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The event is read, then its photo removed (files deleted on commit) before the evidence
    opens them: that photo is left out, not a 500."""
    _event_obligation(loop)
    ours = _held(loop, "executor_own", "Forum, raced", photos=2)
    own = loop.person("executor_own")
    offered = reported_event(own, loop.own, ours.pk)
    assert offered is not None
    assert len(offered.photos) == 2
    first = ours.photos.order_by("pk").first()
    assert first is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.event_photo_remove(actor=own, photo=first)
    files = event_photo_files(offered)
    try:
        assert [name for _stream, name in files] == [f"event-{ours.pk}-photo-2.jpg"]
    finally:
        for stream, _name in files:
            stream.close()
