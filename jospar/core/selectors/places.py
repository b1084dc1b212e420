"""Reading the gazetteer: settlements for the map and a search by any spelling of a name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

from jospar.core.gazetteer import fold
from jospar.core.models import Place, Region, pick_lang

SEARCH_MIN = 2
SEARCH_MAX = 100
SEARCH_LIMIT = 10


@dataclass(frozen=True)
class Found:
    kind: str  # "settlement" or "region"
    name: str
    region: str
    latitude: float
    longitude: float
    bbox: list[float] | None = None  # west, south, east, north (regions)
    population: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "region": self.region,
            "lat": self.latitude,
            "lon": self.longitude,
            "bbox": self.bbox,
            "population": self.population,
        }


def _rank(query: str, keys: list[str]) -> int:
    """0: a name is the query; 1: a name starts with it; 2: a word starts with it; 3: inside."""
    if query in keys:
        return 0
    if any(key.startswith(query) for key in keys):
        return 1
    if any(f" {query}" in key for key in keys):
        return 2
    return 3


def place_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Found]:
    """Settlements and today's regions whose Kazakh, Russian or Latin name holds ``query``
    (folded for case, accents and Kazakh letters), best match first, then the largest."""
    folded = fold(query[: SEARCH_MAX * 2])[:SEARCH_MAX]
    if len(folded) < SEARCH_MIN:
        return []
    lang = (translation.get_language() or "kk")[:2]
    hits: list[tuple[tuple[int, int, int], Found]] = []
    for region in Region.objects.filter(valid_to__isnull=True).only(
        "id", "name_kk", "name_ru", "name_en", "bbox", "former_names"
    ):
        names = [region.name_kk, region.name_ru, region.name_en]
        names += [
            str(former.get(f"name_{code}") or "")
            for former in region.former_names or []
            if isinstance(former, dict)
            for code in ("kk", "ru", "en")
        ]
        keys = [fold(name) for name in names if name]
        if not any(folded in key for key in keys) or not region.bbox:
            continue
        west, south, east, north = (float(v) for v in region.bbox)
        found = Found(
            kind="region",
            name=pick_lang(region, "name", lang),
            region="",
            latitude=round((south + north) / 2, 5),
            longitude=round((west + east) / 2, 5),
            bbox=[west, south, east, north],
        )
        # A region before a settlement of the same name only when it matches better.
        hits.append(((_rank(folded, keys), 1, 0), found))
    places = (
        Place.objects.filter(search_key__contains=folded)
        .select_related("region")
        .order_by("-population", "geonameid")[:200]
    )
    for place in places:
        keys = place.search_key.strip("|").split("|")
        found = Found(
            kind="settlement",
            name=pick_lang(place, "name", lang),
            region=pick_lang(place.region, "name", lang) if place.region else "",
            latitude=place.latitude,
            longitude=place.longitude,
            population=place.population,
        )
        hits.append(((_rank(folded, keys), 0, -place.population), found))
    hits.sort(key=lambda hit: hit[0])
    return [found for _key, found in hits[:limit]]


def places_geojson() -> dict[str, Any]:
    """Every settlement as a GeoJSON point with its name in the reader's language."""
    lang = (translation.get_language() or "kk")[:2]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
            "properties": {
                "name": pick_lang(place, "name", lang),
                "population": place.population,
            },
        }
        for place in Place.objects.only(
            "name_kk", "name_ru", "name_en", "latitude", "longitude", "population"
        ).order_by("-population", "geonameid")
    ]
    return {"type": "FeatureCollection", "features": features}
