"""The lists cost the same number of queries for 3 rows and for 30 (page, API, map, export)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jospar.initiatives.models import Initiative, Need, Pledge
from jospar.initiatives.tests.conftest import ALMATY, World

pytestmark = pytest.mark.django_db


def _make(world: World, count: int) -> None:
    now = timezone.now()
    rows = Initiative.objects.bulk_create(
        Initiative(
            author=world.author,
            title=f"Initiative {n}",
            problem="A problem.",
            kind="social",
            direction="culture",
            region=world.almaty,
            latitude=ALMATY[0] + n / 1000,
            longitude=ALMATY[1],
            beneficiaries="People",
            beneficiaries_count=10,
            state="selected",
            created_at=now,
            updated_at=now,
        )
        for n in range(count)
    )
    needs = Need.objects.bulk_create(
        Need(initiative=i, kind="money", description="Money", quantity=100) for i in rows
    )
    Pledge.objects.bulk_create(
        Pledge(
            need=n,
            initiative=n.initiative,
            user=world.patron,
            kind="patron",
            quantity=10,
            created_at=now,
        )
        for n in needs
    )


def _cost(url: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/initiatives/list/",
        "/initiatives/list/?open_needs=on",
        "/api/initiatives/",
        "/initiatives/map/clusters.json?bbox=40,46,56,88&zoom=18",
        "/initiatives/open-data/initiatives.csv",
    ],
)
def test_list_costs_do_not_grow(url: str, world: World, make_user: Callable[..., object]) -> None:
    _make(world, 3)
    few = _cost(url)
    _make(world, 27)
    assert _cost(url) == few
