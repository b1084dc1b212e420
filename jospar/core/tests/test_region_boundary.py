"""A region's boundary is loaded only where a map or a point lookup reads it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jospar.core.models import Region

pytestmark = pytest.mark.django_db


def test_a_region_is_loaded_without_its_boundary(regions: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        loaded = list(Region.objects.all())
    assert loaded
    assert all("boundary" in region.get_deferred_fields() for region in loaded)
    assert '"boundary"' not in queries.captured_queries[0]["sql"]
    drawn = list(Region.objects.with_boundary().filter(boundary__isnull=False))
    assert drawn
    assert all(not region.get_deferred_fields() for region in drawn)


@pytest.mark.parametrize(
    "path", ["/civic/map/regions.geojson", "/api/regions/?geometry=1"], ids=["portal", "api"]
)
def test_the_maps_read_every_boundary_in_one_query(
    regions: None, path: str, make_user: Any
) -> None:
    client = Client()
    client.force_login(make_user(username="reader"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    boundary_reads = [q for q in queries.captured_queries if '"boundary"' in q["sql"]]
    assert len(boundary_reads) == 1, [q["sql"][:120] for q in boundary_reads]
    # Every region existing today is drawn (south-kazakhstan, renamed, is not).
    assert str(response.content).count("Polygon") >= 20


def test_the_obligation_list_does_not_load_boundaries(regions: None, make_user: Any) -> None:
    from jospar.core.models import Role

    client = Client()
    client.force_login(make_user(Role.OBSERVER, username="observer"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/control/obligations/")
    assert response.status_code == 200
    assert len(response.context["regions"]) >= 20
    assert not [q for q in queries.captured_queries if '"boundary"' in q["sql"]]
