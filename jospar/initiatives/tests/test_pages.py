"""The pages: map, list with filters, an initiative's page, the forms of the author and the
official, the profile with consent, the open-data export without private people's names."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.initiatives.models import Initiative, InitiativeState
from jospar.initiatives.tests.conftest import ALMATY, World, minutes, photo

pytestmark = pytest.mark.django_db
Make = Callable[..., Initiative]


def _client(user: object | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def test_public_pages_show_public_initiatives_only(world: World, make_initiative: Make) -> None:
    draft = make_initiative(title="A secret draft")
    done = make_initiative("implemented", title="The built playground")
    client = _client()
    page = client.get(reverse("initiatives:list")).content.decode()
    assert "The built playground" in page
    assert "A secret draft" not in page
    assert client.get(reverse("initiatives:detail", args=[draft.pk])).status_code == 404
    detail = client.get(reverse("initiatives:detail", args=[done.pk]))
    assert detail.status_code == 200
    assert "The playground is built." in detail.content.decode()
    assert client.get(reverse("initiatives:map")).status_code == 200
    clusters = client.get(
        reverse("initiatives:clusters"), {"bbox": "40,46,56,88", "zoom": "12"}
    ).json()["clusters"]
    assert clusters == [
        {
            "lat": ALMATY[0],
            "lon": ALMATY[1],
            "count": 1,
            "red": 0,
            "green": 1,
            "url": reverse("initiatives:detail", args=[done.pk]),
        }
    ]
    photo_row = done.photos.get(stage="after")
    assert (
        client.get(reverse("initiatives:photo", args=[photo_row.thumbnail.name])).status_code == 200
    )


def test_list_filters(world: World, make_initiative: Make) -> None:
    make_initiative("selected", title="Open one")
    make_initiative("implementing", title="Running one", direction="culture")
    client = _client()
    page = client.get(reverse("initiatives:list"), {"open_needs": "on"}).content.decode()
    assert "Open one" in page
    assert "Running one" not in page
    page = client.get(reverse("initiatives:list"), {"direction": "culture"}).content.decode()
    assert "Running one" in page
    assert "Open one" not in page
    response = client.get(reverse("initiatives:list"), {"state": "bogus", "region": "x"})
    assert response.status_code == 200


def test_submit_decide_pledge_through_pages(world: World) -> None:
    author = _client(world.author)
    response = author.post(
        reverse("initiatives:new"),
        {
            "author_kind": "citizen",
            "title": "Benches in the park",
            "problem": "No benches.",
            "kind": "infrastructure",
            "direction": "culture",
            "latitude": ALMATY[0],
            "longitude": ALMATY[1],
            "beneficiaries": "Elderly people",
            "beneficiaries_count": 50,
            "money": "100000",
            "money_for": "Benches",
            "role_1": "Painting",
            "role_1_hours": "4",
            "send": "1",
            "photos": [photo()],
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert initiative.state == InitiativeState.SUBMITTED
    official = _client(world.official)
    assert "Benches in the park" in official.get(reverse("initiatives:queue")).content.decode()
    response = official.post(
        reverse("initiatives:decide", args=[initiative.pk]),
        {
            "outcome": "select",
            "body": "council",
            "decided_on": timezone.localdate().isoformat(),
            "decision": "Selected.",
            "minutes": minutes(),
        },
    )
    assert response.status_code == 302
    money, hours = initiative.needs.order_by("position")
    _client(world.patron).post(
        reverse("initiatives:pledge", args=[initiative.pk]),
        {"need": money.pk, "kind": "patron", "quantity": "100000"},
    )
    response = _client(world.volunteer).post(
        reverse("initiatives:pledge", args=[initiative.pk]),
        {"need": hours.pk, "kind": "volunteer", "quantity": "4"},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.IMPLEMENTING
    response = author.post(
        reverse("initiatives:results", args=[initiative.pk]),
        {
            "results": "Ten benches.",
            "beneficiaries_reached": 60,
            "money_given": "100000",
            "photos": [photo()],
        },
    )
    assert response.status_code == 302
    response = _client(world.citizen).post(
        reverse("initiatives:rate", args=[initiative.pk]), {"stars": "5"}
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.state, initiative.rating_count) == (InitiativeState.IMPLEMENTED, 1)


def test_export_has_licence_and_no_private_names(world: World, make_initiative: Make) -> None:
    done = make_initiative("implemented")
    make_initiative("submitted", title="Not yet public")
    client = _client()
    text = client.get(reverse("initiatives:export", args=["csv"])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in rows] == [done.pk]
    assert rows[0]["state"] == "implemented"
    assert rows[0]["private_contributors"] == "3"
    for name in ("Айгерім", "Сейітқызы", "Ерлан", "Дана", "author", "patron"):
        assert name not in text
    data = json.loads(client.get(reverse("initiatives:export", args=["json"])).content)
    assert data["licence"] == "CC-BY-4.0"
    assert len(data["initiatives"]) == 1
    geo = json.loads(client.get(reverse("initiatives:export", args=["geojson"])).content)
    assert geo["features"][0]["geometry"]["coordinates"] == [ALMATY[1], ALMATY[0]]
    assert client.get(reverse("initiatives:export", args=["xml"])).status_code == 404


def test_profile_public_only_with_consent(world: World, make_initiative: Make) -> None:
    done = make_initiative("implemented")
    url = reverse("initiatives:profile", args=[world.patron.pk])
    assert _client().get(url).status_code == 404
    patron = _client(world.patron)
    assert patron.get(url).status_code == 200
    patron.post(reverse("initiatives:consent"), {"is_public": "1"})
    page = _client().get(url).content.decode()
    assert done.title in page
    detail = _client().get(reverse("initiatives:detail", args=[done.pk])).content.decode()
    assert "Ерлан" in detail
    assert "Дана" not in detail
