"""Permission matrix of the calendar's endpoints: the organiser (a state organiser of the
event's organisation), the citizen who proposed, another citizen, a volunteer, a moderator, an
administrator and an anonymous visitor. A refusal changes nothing (no state, no row, no
audit) and answers 302 to the login, 403 or 404 — never a 5xx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.core.models import AuditEvent
from jospar.events.models import PublicEvent, Registration
from jospar.events.tests.conftest import World

pytestmark = pytest.mark.django_db
Make = Callable[..., PublicEvent]
ACTORS = ("organiser", "citizen", "other", "volunteer", "moderator", "admin", "anonymous")


def _client(world: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def _fingerprint(event: PublicEvent) -> tuple[Any, ...]:
    event.refresh_from_db()
    return (
        event.state,
        event.updated_at,
        event.sequence,
        event.participants,
        PublicEvent.objects.count(),
        Registration.objects.count(),
        AuditEvent.objects.count(),
    )


def _past(event: PublicEvent) -> None:
    past = timezone.now() - dt.timedelta(days=2)
    PublicEvent.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=1)
    )


# action → (how the event is made, url name, POST data, who may)
CASES: dict[str, tuple[str, str, dict[str, Any], set[str]]] = {
    "publish": ("proposed", "events:moderate", {"outcome": "publish"}, {"moderator", "admin"}),
    "reject": (
        "proposed",
        "events:moderate",
        {"outcome": "reject", "reason": "Not a public event."},
        {"moderator", "admin"},
    ),
    "cancel": (
        "published",
        "events:cancel",
        {"reason": "Rain."},
        {"organiser", "moderator", "admin"},
    ),
    "cancel-proposal-by-its-author": ("proposed", "events:cancel", {"reason": "x"}, set()),
    "report": (
        "past",
        "events:report",
        {"participants": "40", "report": "Forty came."},
        {"organiser", "moderator", "admin"},
    ),
    "register": (
        "published",
        "events:register",
        {},
        {"organiser", "citizen", "other", "volunteer", "moderator", "admin"},
    ),
    "register-for-a-proposal": ("proposed", "events:register", {}, set()),
}


@pytest.mark.parametrize("action", CASES)
@pytest.mark.parametrize("who", ACTORS)
def test_permission_matrix(world: World, make_event: Make, action: str, who: str) -> None:
    prepare, url_name, data, allowed = CASES[action]
    event = make_event("proposed" if prepare == "proposed" else "published")
    if prepare == "past":
        _past(event)
    before = _fingerprint(event)
    response = _client(world, who).post(reverse(url_name, args=[event.pk]), data)
    after = _fingerprint(event)
    if who in allowed:
        assert response.status_code in (302, 303), response.status_code
        assert after != before, f"{who} {action}: nothing changed"
    else:
        assert response.status_code in (302, 403, 404), response.status_code
        if response.status_code == 302:
            # A signed-in person refused by the service is sent back to the page with the
            # reason; the anonymous visitor to the login.
            assert who == "anonymous" or action.endswith("proposal") or "cancel" in action
        assert after == before, f"{who} {action}: a refusal changed something"


@pytest.mark.parametrize("who", ACTORS)
def test_a_proposal_is_seen_only_by_its_author_and_moderators(
    world: World, make_event: Make, who: str
) -> None:
    event = make_event("proposed")
    response = _client(world, who).get(reverse("events:detail", args=[event.pk]))
    expected = 200 if who in ("citizen", "moderator", "admin") else 404
    assert response.status_code == expected


@pytest.mark.parametrize("who", ACTORS)
def test_the_moderation_queue(world: World, make_event: Make, who: str) -> None:
    make_event("proposed")
    response = _client(world, who).get(reverse("events:moderation"))
    if who in ("moderator", "admin"):
        assert response.status_code == 200
        assert (
            "Общественные" in response.content.decode() or "Қоғамдық" in response.content.decode()
        )
    else:
        assert response.status_code in (302, 404)


@pytest.mark.parametrize("who", ACTORS)
def test_adding_an_event(world: World, who: str) -> None:
    data = {
        "title_kk": "Форум",
        "title_ru": "Форум",
        "kind": "forum",
        "region": world.astana.pk,
        "place": "Дворец мира и согласия",
        "start_date": "2030-06-01",
        "start_time": "10:00",
        "end_time": "12:00",
        "organiser_name": "Жастар",
        "volunteers_wanted": "0",
    }
    before = (PublicEvent.objects.count(), AuditEvent.objects.count())
    response = _client(world, who).post(reverse("events:new"), data)
    if who == "anonymous":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
        assert (PublicEvent.objects.count(), AuditEvent.objects.count()) == before
        return
    assert response.status_code == 302
    event = PublicEvent.objects.get()
    published = who in ("organiser", "admin")
    assert event.state == ("published" if published else "proposed")
