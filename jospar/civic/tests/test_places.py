"""The gazetteer on the portal: the settlements' GeoJSON and the search endpoint behind the
maps' search box."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from jospar.civic.geocoding import GeoPoint
from jospar.civic.views import places as views_places
from jospar.core.models import Place
from jospar.core.selectors.places import places_geojson
from jospar.core.services.places import places_load


@pytest.fixture
def places(regions: None) -> None:
    places_load(actor=None)


def test_search_endpoint_returns_json(places: None, client: Client, settings: Any) -> None:
    settings.GEOCODER_URL = ""
    response = client.get("/civic/map/search.json", {"q": "Караганда"})
    assert response.status_code == 200
    data = response.json()
    assert data["results"][0]["kind"] == "settlement"
    assert round(data["results"][0]["lat"]) == 50
    for hostile in ["%", "_", "' OR 1=1 --", "я" * 5000, "|"]:
        response = client.get("/civic/map/search.json", {"q": hostile})
        assert response.status_code == 200, hostile
    # A NUL byte is refused at the edge, for every page alike (jospar.core.middleware_edge).
    assert client.get("/civic/map/search.json", {"q": "\x00"}).status_code == 400
    assert client.get("/civic/map/search.json", {"q": "|"}).json()["results"] == []


def test_places_geojson_carries_every_settlement(places: None, client: Client) -> None:
    with translation.override("kk"):
        data = places_geojson()
    assert len(data["features"]) == Place.objects.count()
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Қарағанды", "Алматы", "Шымкент"} <= names
    response = client.get("/civic/map/places.geojson")
    assert response.status_code == 200
    assert response.json()["type"] == "FeatureCollection"


def test_an_address_no_settlement_matches_goes_to_the_configured_geocoder(
    places: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    class Geocoder:
        def geocode(self, address: str, *, region: Any = None) -> GeoPoint | None:
            asked.append(address)
            return GeoPoint(43.2381, 76.9452)

    monkeypatch.setattr(views_places, "get_geocoder", lambda: Geocoder())
    data = client.get("/civic/map/search.json", {"q": "проспект Абая 10"}).json()
    assert asked == ["проспект Абая 10"]
    assert data["results"] == [
        {
            "kind": "address",
            "name": "проспект Абая 10",
            "region": "",
            "lat": 43.2381,
            "lon": 76.9452,
            "bbox": None,
            "population": 0,
        }
    ]
    # A settlement's name is answered from the gazetteer; the geocoder is not asked.
    client.get("/civic/map/search.json", {"q": "Шымкент"})
    assert asked == ["проспект Абая 10"]
