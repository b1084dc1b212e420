"""A photo taken off an event's report (issue #12): by whoever may write the report (the
organiser who added the event, a colleague of its organiser who may publish, a moderator, an
administrator), on the event's page (a POST behind a confirm step) and in the API (DELETE).
Anyone else gets the 404 of every other event action and changes nothing; an allowed removal
deletes the row with its audit row, and the three stored files once the transaction commits."""

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

from jospar.civic.tests.conftest import png_bytes
from jospar.core.errors import Conflict, PermissionRefused
from jospar.core.models import AuditEvent, Organisation, Role, User
from jospar.events import services
from jospar.events.models import EventPhoto, PublicEvent
from jospar.events.tests.conftest import World

pytestmark = pytest.mark.django_db
Make = Callable[..., PublicEvent]
# The organiser who added the event, a colleague of the same akimat (may publish), an
# executor of another akimat, a moderator, an administrator, a citizen, nobody signed in.
ACTORS = ("organiser", "colleague", "stranger", "moderator", "admin", "citizen", "anonymous")
MAY_REMOVE = {"organiser", "colleague", "moderator", "admin"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def _person(world: World, who: str, make_user: Callable[..., User]) -> User | None:
    if who == "anonymous":
        return None
    if who == "colleague":
        return make_user(Role.EXECUTOR, organisation=world.organiser.organisation)
    if who == "stranger":
        return make_user(Role.EXECUTOR, organisation=Organisation.objects.get(region=world.almaty))
    person: User = getattr(world, who)
    return person


def _client(person: User | None) -> Client:
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    if person is not None:
        client.force_login(person)
    return client


def _reported(world: World, make_event: Make, photos: int = 2) -> PublicEvent:
    event = make_event()
    past = timezone.now() - dt.timedelta(days=2)
    PublicEvent.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=1)
    )
    event.refresh_from_db()
    return services.event_report(
        actor=world.organiser,
        event=event,
        participants=40,
        report="Held.",
        photos=[SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(photos)],
    )


def _paths(photo: EventPhoto) -> list[Path]:
    return [Path(f.path) for f in (photo.original, photo.public_file, photo.thumbnail)]


def _state(photo: EventPhoto) -> tuple[Any, ...]:
    return (
        EventPhoto.objects.filter(pk=photo.pk).exists(),
        [p.is_file() for p in _paths(photo)],
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("via", ["page", "api"])
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_remove_a_photo(
    world: World,
    make_event: Make,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
    who: str,
    via: str,
) -> None:
    event = _reported(world, make_event)
    photo, kept = list(event.photos.order_by("pk"))
    before = _state(photo)
    assert before == (True, [True, True, True], before[2])
    client = _client(_person(world, who, make_user))
    if via == "page":
        url = reverse("events:photo-remove", args=[event.pk, photo.pk])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(url)
    else:
        url = f"/api/events/{event.pk}/photos/{photo.pk}/"
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.delete(url)
    if who not in MAY_REMOVE:
        # The refusal of every other event action: 404 for a stranger, the login for nobody.
        if who == "anonymous":
            assert response.status_code in ((302,) if via == "page" else (401, 403))
        else:
            assert response.status_code == 404
        assert not callbacks
        assert _state(photo) == before
        return
    assert response.status_code == (302 if via == "page" else 204), response.content[:500]
    assert not EventPhoto.objects.filter(pk=photo.pk).exists()
    # The files stay until the transaction commits; then all three are gone.
    assert all(p.is_file() for p in _paths(photo))
    for callback in callbacks:
        callback()
    assert not any(p.is_file() for p in _paths(photo))
    assert all(p.is_file() for p in _paths(kept))
    audit = AuditEvent.objects.filter(action="event.photo_removed").get()
    assert audit.object_id == str(event.pk)
    assert audit.after is not None
    assert audit.after["photo_removed"] == {"id": photo.pk, "sha256": photo.sha256}
    # The public page no longer shows it, and its addresses answer 404.
    page = Client().get(reverse("events:detail", args=[event.pk])).content.decode()
    assert str(photo.thumbnail.name) not in page
    assert str(kept.thumbnail.name) in page
    for name in (photo.thumbnail.name, photo.public_file.name):
        assert Client().get(reverse("events:photo", args=[name])).status_code == 404
    api = Client().get(f"/api/events/{event.pk}/").json()
    assert [p["id"] for p in api["photos"]] == [kept.pk]


def test_the_page_offers_the_confirm_step_only_to_who_may(
    world: World, make_event: Make, make_user: Callable[..., User]
) -> None:
    event = _reported(world, make_event, photos=1)
    photo = event.photos.get()
    url = reverse("events:detail", args=[event.pk])
    action = reverse("events:photo-remove", args=[event.pk, photo.pk])
    page = _client(world.organiser).get(url).content.decode()
    # A <details> opens the form: no script, and the button says what it does.
    assert f'<details class="photo-remove" id="photo-remove-{photo.pk}">' in page
    assert f'action="{action}"' in page
    assert "Remove photo 1 for good" in page
    for who in ("citizen", "stranger", "anonymous"):
        other = _client(_person(world, who, make_user)).get(url).content.decode()
        assert action not in other
        assert "photo-remove" not in other
    # POST only.
    assert _client(world.organiser).get(action).status_code == 405
    response = _client(world.organiser).post(action, follow=True)
    assert "The photo is removed." in response.content.decode()


@pytest.mark.parametrize(
    ("event_id", "photo_id"), [("other", "own"), ("own", "missing"), ("missing", "own")]
)
def test_a_photo_of_another_event_or_missing_is_a_404(
    world: World, make_event: Make, event_id: str, photo_id: str
) -> None:
    event = _reported(world, make_event, photos=1)
    other = _reported(world, make_event, photos=1)
    ids = {"own": event.pk, "other": other.pk, "missing": 10**9}
    pk = event.photos.get().pk if photo_id == "own" else 10**9
    client = _client(world.organiser)
    before = (EventPhoto.objects.count(), AuditEvent.objects.count())
    url = reverse("events:photo-remove", args=[ids[event_id], pk])
    assert client.post(url).status_code == 404
    assert client.delete(f"/api/events/{ids[event_id]}/photos/{pk}/").status_code == 404
    assert (EventPhoto.objects.count(), AuditEvent.objects.count()) == before


def test_a_photo_is_removed_after_cancelling_and_refused_twice(
    world: World, make_event: Make, django_capture_on_commit_callbacks: Any
) -> None:
    """The report cannot be written on a cancelled event, but its photos stay public there:
    they can still be removed (docs/decisions.md)."""
    event = _reported(world, make_event, photos=1)
    services.event_cancel(actor=world.organiser, event=event, reason="Storm.")
    photo = event.photos.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_photo_remove(actor=world.organiser, photo=photo)
    assert not any(p.is_file() for p in _paths(photo))
    with pytest.raises(Conflict):
        services.event_photo_remove(actor=world.organiser, photo=photo)
    with pytest.raises(PermissionRefused):
        services.event_photo_remove(actor=world.citizen, photo=photo)


def test_a_failed_transaction_keeps_the_files(
    world: World,
    make_event: Make,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from jospar.events.services import photos as module

    event = _reported(world, make_event, photos=1)
    photo = event.photos.get()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit chain away")

    monkeypatch.setattr(module, "audit", broken)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        services.event_photo_remove(actor=world.organiser, photo=photo)
    assert not callbacks
    assert EventPhoto.objects.filter(pk=photo.pk).exists()
    assert all(p.is_file() for p in _paths(photo))
