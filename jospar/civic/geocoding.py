"""Turning a typed address into a point, where a geocoder is available.

No geocoding service is reachable from this system, so by default there is none
(``GEOCODER_URL`` empty): a citizen who types an address must also put the pin on the map or
choose the region. The report then stands at the region's representative point, is marked
"approximate location", and the typed address tells the akimat where to go.

With ``GEOCODER_URL`` set, it is asked as a Nominatim-compatible search
(``GET <url>?q=<address>&format=jsonv2&limit=1&countrycodes=kz``, answering
``[{"lat": "...", "lon": "..."}]``); any failure — timeout, error, nothing found — is the same
as having no geocoder. It is called before the filing's transaction, never inside it.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

from jospar.core.models import Region

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float


class Geocoder(Protocol):
    def geocode(self, address: str, *, region: Region | None = None) -> GeoPoint | None: ...


class NoGeocoder:
    """The default: nothing is looked up."""

    def geocode(self, address: str, *, region: Region | None = None) -> GeoPoint | None:
        return None


class HttpGeocoder:
    def __init__(self, url: str, *, timeout: float = 5.0, user_agent: str = "jospar") -> None:
        self.url = url
        self.timeout = timeout
        self.user_agent = user_agent

    def request_url(self, address: str, region: Region | None) -> str:
        query = address if region is None else f"{address}, {region.name_ru or region.name}"
        params = urllib.parse.urlencode(
            {"q": query, "format": "jsonv2", "limit": "1", "countrycodes": "kz"}
        )
        return f"{self.url}{'&' if '?' in self.url else '?'}{params}"

    @staticmethod
    def parse(payload: Any) -> GeoPoint | None:
        if not isinstance(payload, list) or not payload or not isinstance(payload[0], dict):
            return None
        try:
            lat, lon = float(payload[0]["lat"]), float(payload[0]["lon"])
        except (KeyError, TypeError, ValueError):
            return None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90):
            return None
        if not -180 <= lon <= 180:
            return None
        return GeoPoint(lat, lon)

    def geocode(self, address: str, *, region: Region | None = None) -> GeoPoint | None:
        if not address.strip():
            return None
        request = urllib.request.Request(
            self.request_url(address.strip()[:300], region),
            headers={"User-Agent": self.user_agent, "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read(1024 * 1024).decode("utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("geocoder: %s failed: %s", self.url, exc)
            return None
        return self.parse(payload)


def get_geocoder() -> Geocoder:
    url = str(getattr(settings, "GEOCODER_URL", "") or "").strip()
    if not url:
        return NoGeocoder()
    if not url.startswith(("https://", "http://")):
        logger.warning("geocoder: GEOCODER_URL is not an http(s) URL; not used")
        return NoGeocoder()
    return HttpGeocoder(
        url,
        timeout=float(getattr(settings, "GEOCODER_TIMEOUT", 5.0)),
        user_agent=str(getattr(settings, "GEOCODER_USER_AGENT", "jospar")),
    )


_POINTS: dict[tuple[int, tuple[float, ...]], GeoPoint] = {}


def region_point(region: Region) -> GeoPoint | None:
    """A point surely inside the region (not its centroid, which may lie outside)."""
    from shapely.geometry import shape

    key = (region.pk, tuple(region.bbox or ()))
    if key in _POINTS:
        return _POINTS[key]
    # Read by a query of its own unless the region came ``with_boundary()``.
    boundary = region.boundary if region.pk else None
    point: GeoPoint | None = None
    if boundary:
        inside = shape(boundary).representative_point()
        point = GeoPoint(round(float(inside.y), 6), round(float(inside.x), 6))
    elif region.bbox and len(region.bbox) == 4:
        west, south, east, north = (float(v) for v in region.bbox)
        point = GeoPoint((south + north) / 2, (west + east) / 2)
    if point is not None:
        _POINTS[key] = point
    return point
