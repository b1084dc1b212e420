"""A region's boundary is loaded only where a map or a point lookup reads it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jospar.core.models import Region, RegionBoundary

pytestmark = pytest.mark.django_db


def test_a_region_is_loaded_without_its_boundary(regions: None) -> None:
    """The boundary is a table of its own: neither a region nor a row that joins its region
    (``select_related``) reads it; ``with_boundary()`` reads it in the same query."""
    from jospar.civic.models import CitizenReport

    with CaptureQueriesContext(connection) as queries:
        loaded = list(Region.objects.all())
        list(CitizenReport.objects.select_related("region")[:5])
    assert loaded
    assert not [q for q in queries.captured_queries if "regionboundary" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        drawn = list(Region.objects.with_boundary())
        geometries = [region.boundary for region in drawn]
    assert len(queries.captured_queries) == 1
    assert sum(1 for g in geometries if g) >= 21


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
    boundary_reads = [q for q in queries.captured_queries if "regionboundary" in q["sql"]]
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
    assert not [q for q in queries.captured_queries if "regionboundary" in q["sql"]]


# --- the maps' shapes, fetched apart from the pages -----------------------------------------------


def test_the_shapes_are_served_once_with_an_etag(regions: None) -> None:
    """One address for every map: every region with a boundary (a period of 2017 shows South
    Kazakhstan), keyed by id and code, no figure, kept by the browser and revalidated."""
    client = Client()  # public: the boundaries are the public directory's
    first = client.get("/regions/shapes.geojson")
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=86400"
    shapes = json.loads(first.content)
    codes = {f["properties"]["code"] for f in shapes["features"]}
    assert {"astana", "almaty", "turkistan", "south-kazakhstan"} <= codes
    feature = shapes["features"][0]
    # Shapes only: nothing of the reader's language or of any page's figures.
    assert set(feature["properties"]) == {"id", "code"}
    assert feature["id"] == feature["properties"]["id"]
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert len(first.content) < 120_000  # simplified for a choropleth
    again = client.get("/regions/shapes.geojson", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert not again.content


def test_a_changed_boundary_changes_the_etag(regions: None) -> None:
    client = Client()
    before = client.get("/regions/shapes.geojson")["ETag"]
    RegionBoundary.objects.filter(region__code="astana").update(
        geometry={
            "type": "Polygon",
            "coordinates": [[[71.2, 51.0], [71.7, 51.0], [71.7, 51.3], [71.2, 51.3], [71.2, 51.0]]],
        }
    )
    after = client.get("/regions/shapes.geojson", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_each_region_keeps_its_area(regions: None) -> None:
    """The area is kept with the boundary (official figures: Aktobe 300,629 km², Almaty city
    682 km²); a successor is chosen by it without reading any boundary."""
    import datetime as dt

    from jospar.core.selectors.regions import region_heirs_on

    areas = {code: area or 0.0 for code, area in Region.objects.values_list("code", "area_km2")}
    assert 295_000 < areas["aktobe"] < 305_000
    assert 650 < areas["almaty"] < 750
    assert areas["turkistan"] > areas["shymkent"]
    with CaptureQueriesContext(connection) as queries:
        heirs = region_heirs_on(dt.date(2024, 1, 1))
    assert not [q for q in queries.captured_queries if "regionboundary" in q["sql"]]
    south = Region.objects.get(code="south-kazakhstan")
    assert heirs[south.pk].code == "turkistan"
