"""Open reports of the same topic near a point: shown to a citizen before filing, so that they
may support one instead of filing the same problem again."""

from __future__ import annotations

import math

from django.conf import settings

from jospar.civic.models import OPEN_STATES, CitizenReport, Topic

EARTH_RADIUS_M = 6_371_000.0
_METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180.0


def nearby_radius_m() -> float:
    return float(getattr(settings, "CIVIC_NEARBY_METERS", 150))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def nearby_open_reports(
    topic: Topic,
    lat: float,
    lon: float,
    *,
    radius_m: float | None = None,
    limit: int = 5,
) -> list[CitizenReport]:
    """Public open reports of ``topic`` within ``radius_m`` (``CIVIC_NEARBY_METERS``, 150 m)
    of the point, nearest first; each carries ``distance_m``. Reports placed approximately (at
    a region's centre) are not "near" anything and are left out."""
    radius = nearby_radius_m() if radius_m is None else float(radius_m)
    if not (math.isfinite(lat) and math.isfinite(lon)) or radius <= 0:
        return []
    dlat = radius / _METRES_PER_DEGREE
    dlon = radius / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    candidates = (
        CitizenReport.objects.filter(
            topic=topic,
            state__in=[str(state) for state in OPEN_STATES],
            hidden=False,
            location_is_approximate=False,
            latitude__gte=lat - dlat,
            latitude__lte=lat + dlat,
            longitude__gte=lon - dlon,
            longitude__lte=lon + dlon,
        )
        .select_related("topic")
        .only(
            "id",
            "topic",
            "public_description",
            "latitude",
            "longitude",
            "address",
            "state",
            "submitted_at",
            "published_at",
            "support_count",
        )[:200]
    )
    found = []
    for report in candidates:
        metres = distance_m(lat, lon, report.latitude, report.longitude)
        if metres <= radius:
            report.distance_m = round(metres)  # type: ignore[attr-defined]
            found.append(report)
    found.sort(key=lambda r: (r.distance_m, -r.pk))  # type: ignore[attr-defined]
    return found[:limit]
