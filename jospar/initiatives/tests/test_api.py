"""The REST API: public read (no drafts, no private names), writes by the roles through the
services, a refusal changing nothing; the OpenAPI schema documents it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from jospar.initiatives.models import Initiative, InitiativeState, Pledge
from jospar.initiatives.tests.conftest import ALMATY, World, minutes

pytestmark = pytest.mark.django_db
Make = Callable[..., Initiative]


def _client(user: object | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def test_public_read(world: World, make_initiative: Make) -> None:
    make_initiative(title="Hidden draft")
    done = make_initiative("implemented")
    data = _client().get("/api/initiatives/").json()
    assert [row["id"] for row in data["results"]] == [done.pk]
    assert "author" not in data["results"][0]
    detail = _client().get(f"/api/initiatives/{done.pk}/").json()
    assert {n["kind"] for n in detail["needs"]} == {"money", "volunteers"}
    assert _client().get("/api/initiatives/", {"state": "nonsense"}).status_code == 400
    assert _client().get("/api/initiatives/", {"open_needs": "true"}).status_code == 200


def test_writes_by_roles(world: World) -> None:
    body = {
        "title": "Trees along the canal",
        "problem": "No shade.",
        "kind": "social",
        "direction": "ecology",
        "latitude": ALMATY[0],
        "longitude": ALMATY[1],
        "beneficiaries": "Walkers",
        "beneficiaries_count": 300,
        "needs": [{"kind": "money", "description": "Saplings", "quantity": "50000"}],
        "submit": True,
    }
    assert _client().post(
        "/api/initiatives/", body, content_type="application/json"
    ).status_code in (401, 403)
    response = _client(world.author).post(
        "/api/initiatives/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    initiative = Initiative.objects.get()
    assert initiative.state == InitiativeState.SUBMITTED
    decision = {
        "selected": "true",
        "body": "community",
        "decided_on": timezone.localdate().isoformat(),
        "decision": "Selected.",
        "minutes": minutes(),
    }
    url = f"/api/initiatives/{initiative.pk}/decision/"
    assert _client(world.patron).post(url, decision).status_code == 404
    decision["minutes"] = minutes()
    assert _client(world.official).post(url, decision).status_code == 200
    need = initiative.needs.get()
    url = f"/api/initiatives/{initiative.pk}/pledge/"
    response = _client(world.patron).post(
        url,
        {"need": need.pk, "kind": "volunteer", "quantity": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Pledge.objects.exists()
    response = _client(world.patron).post(
        url,
        {"need": need.pk, "kind": "patron", "quantity": "50000"},
        content_type="application/json",
    )
    assert response.status_code == 201
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.IMPLEMENTING


def test_schema_documents_initiatives(db: object) -> None:
    schema = _client().get("/api/schema/", {"format": "json"}).json()
    assert "/api/initiatives/" in schema["paths"]
    assert "/api/initiatives/{id}/pledge/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/initiatives/"]["get"]["parameters"]}
    assert {"state", "region", "open_needs", "limit"} <= names
