"""Photos of the report after an event: checked as Civic Control's are (the type read from the
content, the size and the pixels bounded, EXIF and GPS gone from the public copy), added only by
who may report (the organiser, a moderator, an administrator), shown on the event's page and in
the API, and served as the public copy, never the original. A refusal stores nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jospar.civic.tests.conftest import jpeg_with_exif, png_bytes
from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent
from jospar.events import services
from jospar.events.models import EventPhoto, PublicEvent
from jospar.events.tests.conftest import World

pytestmark = pytest.mark.django_db
Make = Callable[..., PublicEvent]
ACTORS = ("organiser", "citizen", "other", "volunteer", "moderator", "admin", "anonymous")
MAY_REPORT = {"organiser", "moderator", "admin"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def _held(make_event: Make) -> PublicEvent:
    event = make_event()
    past = timezone.now() - dt.timedelta(days=2)
    PublicEvent.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=1)
    )
    event.refresh_from_db()
    return event


def _client(world: World, who: str) -> Client:
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def _state(event: PublicEvent) -> tuple[Any, ...]:
    event.refresh_from_db()
    return (
        event.participants,
        event.report,
        event.updated_at,
        EventPhoto.objects.count(),
        AuditEvent.objects.count(),
    )


def _files(root: str) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_the_form_takes_photos_and_the_public_copy_has_no_exif(
    world: World, make_event: Make, settings: Any
) -> None:
    event = _held(make_event)
    client = _client(world, "organiser")
    response = client.post(
        reverse("events:report", args=[event.pk]),
        {
            "participants": "120",
            "report": "Residents planted trees.",
            "photos": [
                SimpleUploadedFile("trees.jpg", jpeg_with_exif((320, 240)), "image/jpeg"),
                SimpleUploadedFile("crowd.png", png_bytes(), "image/png"),
            ],
        },
    )
    assert response.status_code == 302
    photos = list(event.photos.order_by("pk"))
    assert len(photos) == 2
    assert event.__class__.objects.get(pk=event.pk).participants == 120
    first = photos[0]
    assert (first.width, first.height) == (320, 240)
    # The original is kept privately as given; the public copy and thumbnail are clean.
    assert b"SecretPhoneMaker" in first.original.open("rb").read()
    for copy in (first.public_file, first.thumbnail):
        data = copy.open("rb").read()
        assert b"SecretPhoneMaker" not in data
        assert b"taken at home" not in data
        image = Image.open(io.BytesIO(data))
        assert not image.getexif()
        assert 0x8825 not in image.getexif()
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'id="event-photos"' in page
    thumb_url = reverse("events:photo", args=[first.thumbnail.name])
    assert f'src="{thumb_url}"' in page
    assert "Photo 1 of the event" in page
    assert 'width="320" height="240"' in page
    served = Client().get(thumb_url)
    assert served.status_code == 200
    assert served["Content-Type"].startswith("image/")
    # The private original has no public address.
    assert Client().get(reverse("events:photo", args=[first.original.name])).status_code == 404
    audit = AuditEvent.objects.filter(action="event.reported").latest("pk")
    assert audit.after is not None
    assert audit.after["photos"] == [p.sha256 for p in photos]


@pytest.mark.parametrize(
    ("name", "data", "setting"),
    [
        ("notes.jpg", b"These are not pixels, only words.\n" * 20, {}),
        ("page.png", b"<html><script>alert(1)</script></html>", {}),
        (
            "big.jpg",
            None,
            {
                "CIVIC_PHOTO_MAX_BYTES": 2000,
                "CIVIC_VIDEO_MAX_BYTES": 2000,
                "CIVIC_AUDIO_MAX_BYTES": 2000,
            },
        ),
        ("wide.png", None, {"CIVIC_IMAGE_MAX_PIXELS": 1000}),
    ],
    ids=["text", "markup", "oversize", "pixels"],
)
def test_refused_photos_store_nothing(
    world: World,
    make_event: Make,
    settings: Any,
    name: str,
    data: bytes | None,
    setting: dict[str, int],
) -> None:
    for key, value in setting.items():
        setattr(settings, key, value)
    if data is None:
        data = jpeg_with_exif((400, 300)) if name.endswith(".jpg") else png_bytes((100, 100))
    event = _held(make_event)
    before = _state(event)
    response = _client(world, "organiser").post(
        f"/api/events/{event.pk}/report/",
        {"participants": "30", "report": "Held.", "photos": [SimpleUploadedFile(name, data)]},
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["photos"]
    assert _state(event) == before
    assert _files(settings.MEDIA_ROOT) == []
    assert _files(settings.CIVIC_PRIVATE_MEDIA_ROOT) == []


def test_at_most_ten_photos(world: World, make_event: Make) -> None:
    event = _held(make_event)
    photos = [SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(11)]
    with pytest.raises(ServiceError) as refused:
        services.event_report(
            actor=world.organiser, event=event, participants=1, report="x", photos=photos
        )
    assert refused.value.code == "too_many_files"
    assert not EventPhoto.objects.exists()


@pytest.mark.parametrize("who", ACTORS)
def test_only_who_may_report_adds_photos(world: World, make_event: Make, who: str) -> None:
    event = _held(make_event)
    before = _state(event)
    response = _client(world, who).post(
        f"/api/events/{event.pk}/report/",
        {
            "participants": "30",
            "report": "Held.",
            "photos": [SimpleUploadedFile("a.png", png_bytes())],
        },
    )
    if who in MAY_REPORT:
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["photos"]) == 1
        assert body["photos"][0]["url"].startswith("/events/photos/")
        assert EventPhoto.objects.filter(event=event).count() == 1
    else:
        assert response.status_code in (401, 403, 404)
        assert _state(event) == before


def test_the_list_takes_fixed_queries_with_photos(world: World, make_event: Make) -> None:
    client = _client(world, "citizen")
    first = _held(make_event)
    services.event_report(
        actor=world.organiser,
        event=first,
        participants=3,
        report="x",
        photos=[SimpleUploadedFile("a.png", png_bytes())],
    )
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/events/").status_code == 200
    for _ in range(4):
        event = _held(make_event)
        services.event_report(
            actor=world.organiser,
            event=event,
            participants=3,
            report="x",
            photos=[
                SimpleUploadedFile("a.png", png_bytes()),
                SimpleUploadedFile("b.png", png_bytes()),
            ],
        )
    with CaptureQueriesContext(connection) as five:
        response = client.get("/api/events/")
    assert response.json()["count"] == 5
    assert sum(len(e["photos"]) for e in response.json()["results"]) == 9
    assert len(five) == len(one), [q["sql"][:120] for q in five.captured_queries]
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    first_page = len(page)
    services.event_report(
        actor=world.organiser,
        event=event,
        participants=3,
        report="x",
        photos=[SimpleUploadedFile("c.png", png_bytes())],
    )
    with CaptureQueriesContext(connection) as more:
        assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    assert len(more) == first_page


@pytest.mark.parametrize(
    "name",
    ["x", "events/originals/a.jpg", "events/public/\x00.jpg", "events/public/" + "a" * 300, "../"],
)
def test_a_name_that_is_no_public_photo_is_a_404(name: str) -> None:
    assert Client().get(f"/events/photos/{name}").status_code == 404
