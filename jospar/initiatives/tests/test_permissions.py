"""Permission matrix of the initiative pages: author, the region's responsible official,
another region's official, patron, volunteer, moderator, anonymous. A refusal changes nothing
(no state, no row, no audit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.core.models import AuditEvent
from jospar.initiatives.models import (
    CheckIn,
    Initiative,
    InitiativeDocument,
    Pledge,
    Rating,
)
from jospar.initiatives.tests.conftest import World, minutes, photo

pytestmark = pytest.mark.django_db
Make = Callable[..., Initiative]
ACTORS = ("author", "official", "astana_official", "patron", "volunteer", "moderator", "anonymous")


def _client(world: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return client


def _fingerprint(initiative: Initiative) -> tuple[Any, ...]:
    initiative.refresh_from_db()
    return (
        initiative.state,
        initiative.updated_at,
        Pledge.objects.count(),
        Rating.objects.count(),
        CheckIn.objects.count(),
        InitiativeDocument.objects.count(),
        AuditEvent.objects.count(),
    )


def _decision() -> dict[str, Any]:
    return {
        "outcome": "select",
        "body": "council",
        "decided_on": timezone.localdate().isoformat(),
        "decision": "Selected.",
        "minutes": minutes(),
    }


# action → (state to prepare, url name, POST data builder, who may)
CASES: dict[str, tuple[str, str, Callable[[Initiative], dict[str, Any]], set[str]]] = {
    "submit": ("draft", "initiatives:submit", lambda i: {}, {"author"}),
    "decide": ("submitted", "initiatives:decide", lambda i: _decision(), {"official"}),
    "changes": (
        "submitted",
        "initiatives:changes",
        lambda i: {"changes-reason": "More detail."},
        {"official"},
    ),
    "start": (
        "selected",
        "initiatives:start",
        lambda i: {"reason": "Paid by the akimat."},
        {"official"},
    ),
    "pledge": (
        "selected",
        "initiatives:pledge",
        lambda i: {"need": i.needs.get(kind="money").pk, "kind": "patron", "quantity": "10"},
        {"official", "astana_official", "patron", "volunteer", "moderator"},
    ),
    "results": (
        "implementing",
        "initiatives:results",
        lambda i: {
            "results": "Done.",
            "beneficiaries_reached": 5,
            "money_given": "0",
            "photos": photo(),
        },
        {"author"},
    ),
    "rate": (
        "implemented",
        "initiatives:rate",
        lambda i: {"stars": "4"},
        {"official", "astana_official", "patron", "volunteer", "moderator"},
    ),
}


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("action", sorted(CASES))
def test_matrix(action: str, who: str, world: World, make_initiative: Make) -> None:
    state, name, data, allowed = CASES[action]
    initiative = make_initiative(state)
    before = _fingerprint(initiative)
    response = _client(world, who).post(reverse(name, args=[initiative.pk]), data(initiative))
    if who in allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert _fingerprint(initiative) != before
    else:
        assert response.status_code in (302, 400, 403, 404, 409)
        if response.status_code == 302:
            assert "/login" in response["Location"]
        assert _fingerprint(initiative) == before


@pytest.mark.parametrize("who", ACTORS)
def test_who_sees_a_submission(who: str, world: World, make_initiative: Make) -> None:
    initiative = make_initiative("submitted")
    status = _client(world, who).get(reverse("initiatives:detail", args=[initiative.pk]))
    expected = 200 if who in ("author", "official", "moderator") else 404
    assert status.status_code == expected


@pytest.mark.parametrize("who", ACTORS)
def test_author_documents_only_for_author_and_official(
    who: str, world: World, make_initiative: Make
) -> None:
    from jospar.initiatives import services
    from jospar.initiatives.tests.conftest import NEEDS, initiative_data

    initiative = services.initiative_save(
        actor=world.author, data=initiative_data(), needs=NEEDS, documents=[minutes("estimate.pdf")]
    )
    initiative = services.initiative_submit(actor=world.author, initiative=initiative)
    document = initiative.documents.get()
    response = _client(world, who).get(reverse("initiatives:document", args=[document.pk]))
    expected = 200 if who in ("author", "official", "moderator") else 404
    assert response.status_code == expected


def test_checkin_by_other_volunteer_refused(world: World, make_initiative: Make) -> None:
    initiative = make_initiative("implementing")
    pledge = Pledge.objects.get(user=world.volunteer)
    before = _fingerprint(initiative)
    day = timezone.localdate().isoformat()
    response = _client(world, "volunteer2").post(
        reverse("initiatives:checkin", args=[pledge.pk]), {"day": day, "hours": "3"}
    )
    assert response.status_code == 404
    assert _fingerprint(initiative) == before
    response = _client(world, "volunteer").post(
        reverse("initiatives:checkin", args=[pledge.pk]), {"day": day, "hours": "3"}
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    for who in ("volunteer", "official", "patron", "anonymous"):
        _client(world, who).post(reverse("initiatives:checkin-confirm", args=[checkin.pk]))
        checkin.refresh_from_db()
        assert checkin.confirmed_at is None
    _client(world, "author").post(reverse("initiatives:checkin-confirm", args=[checkin.pk]))
    checkin.refresh_from_db()
    assert checkin.confirmed_at is not None
