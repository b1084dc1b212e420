"""The regions' shapes for every map, served apart from the pages that colour them.

A map page carries its own figures by region; the shapes, the same for every page, reader,
language and period, come from one address (``/regions/shapes.geojson``), which the browser
keeps a day and then revalidates by its ``ETag``. They are simplified further than the stored
boundaries: a choropleth of twenty regions needs no 1 km detail (150 KB of stored shapes become
about 60 KB), and a page no longer writes them into every response.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from jospar.core.models import Region

# Degrees: about 3 km for an oblast, 600 m for a city (the stored shapes are at 1 km / 200 m).
SIMPLIFY_OBLAST = 0.03
SIMPLIFY_CITY = 0.006
DIGITS = 3  # coordinates to 1e-3 degree (about 100 m)

_lock = threading.Lock()
_cache: dict[str, bytes] = {}


def _round(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_round(item) for item in value]
    if isinstance(value, float):
        return round(value, DIGITS)
    return value


def _simplified(boundary: dict[str, Any], city: bool) -> dict[str, Any]:
    import shapely
    from shapely.geometry import mapping, shape

    geometry = shapely.make_valid(shape(boundary))
    tolerance = SIMPLIFY_CITY if city else SIMPLIFY_OBLAST
    simple = geometry.simplify(tolerance, preserve_topology=True)
    if simple.is_empty:
        simple = geometry
    out = mapping(simple)
    return {"type": out["type"], "coordinates": _round(out["coordinates"])}


def region_shapes() -> tuple[bytes, str]:
    """Every region with a stored boundary (today's and former ones: a period of 2017 shows
    South Kazakhstan), as GeoJSON bytes and their ETag; each feature keyed by the region's id
    and code, which the maps join their figures to. Simplified once per process for each
    version of the stored boundaries."""
    rows = list(
        Region.objects.filter(boundary_row__isnull=False)
        .order_by("pk")
        .values_list("pk", "code", "kind", "boundary_row__geometry")
    )
    digest = hashlib.sha256(
        json.dumps([(pk, code, boundary) for pk, code, _kind, boundary in rows]).encode()
    ).hexdigest()[:32]
    with _lock:
        cached = _cache.get(digest)
    if cached is None:
        features = [
            {
                "type": "Feature",
                "id": pk,
                "geometry": _simplified(boundary, kind == "city"),
                "properties": {"id": pk, "code": code},
            }
            for pk, code, kind, boundary in rows
            if isinstance(boundary, dict) and boundary.get("type")
        ]
        cached = json.dumps(
            {"type": "FeatureCollection", "features": features}, separators=(",", ":")
        ).encode()
        with _lock:
            _cache.clear()
            _cache[digest] = cached
    return cached, f'"{digest}"'
