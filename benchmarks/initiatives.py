"""The Map of civic initiatives at national scale: the map's viewport.

On a database filled by ``jospar synth-initiatives`` (200,000 initiatives with their needs and
pledges), prints the time of a map viewport with clustering — the whole country, each region,
city streets, with and without filters — three ways in the same run:

1. the page's endpoint, ``GET /initiatives/map/clusters.json?bbox=…&zoom=…`` through Django
   (parsing, the query, the JSON) — target: p95 under 150 ms;
2. the selector alone (``initiatives.selectors.map_clusters``);
3. hand SQL on a raw cursor: the same query written by hand (the kept grid counts up to zoom 12,
   the points closer in) — the floor of what the database needs;
4. hand SQL grouping the points themselves at every zoom (what the map would cost without the
   kept counts).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
     .venv/bin/python benchmarks/initiatives.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
COUNTRY = (40.5, 46.4, 55.5, 87.4)

CELLS_SQL = """
SELECT cy >> %(shift)s, cx >> %(shift)s, sum(n), sum(sum_lat), sum(sum_lon),
       sum(n) FILTER (WHERE state = 'implemented'), sum(sum_id)
FROM initiatives_mapcell
WHERE level = %(level)s AND cx BETWEEN %(x0)s AND %(x1)s AND cy BETWEEN %(y0)s AND %(y1)s
  {extra}
GROUP BY 1, 2
"""
HAND_SQL = """
SELECT floor(latitude / %(step)s) AS cy, floor(longitude / %(step)s) AS cx, count(*),
       avg(latitude), avg(longitude), count(*) FILTER (WHERE state = 'implemented'), min(id)
FROM initiatives_initiative
WHERE state IN ('selected', 'implementing', 'implemented')
  AND latitude BETWEEN %(south)s AND %(north)s AND longitude BETWEEN %(west)s AND %(east)s
  {extra}
GROUP BY 1, 2
"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


View = tuple[str, tuple[float, float, float, float], int, dict[str, str]]


def viewports() -> list[View]:
    """(label, bbox, zoom, filters): what people look at on the map."""
    from jospar.core.models import Region

    views: list[View] = [
        ("country z5", COUNTRY, 5, {}),
        ("country z5 implemented", COUNTRY, 5, {"state": "implemented"}),
        ("country z5 sport", COUNTRY, 5, {"direction": "sport"}),
        ("country z5 infrastructure", COUNTRY, 5, {"kind": "infrastructure"}),
        ("country z6", COUNTRY, 6, {}),
    ]
    for region in Region.objects.filter(valid_to__isnull=True):
        if not region.bbox:
            continue
        west, south, east, north = region.bbox
        zoom = 11 if region.kind == "city" else 7
        views.append((f"{region.code} z{zoom}", (south, west, north, east), zoom, {}))
        views.append(
            (
                f"{region.code} z{zoom} region filter",
                (south, west, north, east),
                zoom,
                {"region": str(region.pk)},
            )
        )
    rng = random.Random(7)
    cities = {"almaty": (43.238, 76.945), "astana": (51.128, 71.43), "shymkent": (42.32, 69.59)}
    for name, (lat, lon) in cities.items():
        for zoom, half in ((12, 0.08), (13, 0.04), (15, 0.01)):
            for _ in range(3):
                dlat, dlon = rng.uniform(-0.05, 0.05), rng.uniform(-0.07, 0.07)
                box = (
                    lat + dlat - half,
                    lon + dlon - half * 1.6,
                    lat + dlat + half,
                    lon + dlon + half * 1.6,
                )
                views.append((f"{name} z{zoom}", box, zoom, {}))
    return views


def _url(bbox: tuple[float, float, float, float], zoom: int, filters: dict[str, str]) -> str:
    query = {"bbox": ",".join(f"{v:.6f}" for v in bbox), "zoom": str(zoom), **filters}
    return "/initiatives/map/clusters.json?" + urlencode(query)


def _hand(
    cursor: Any,
    bbox: tuple[float, float, float, float],
    zoom: int,
    f: dict[str, str],
    *,
    cells: bool,
) -> int:
    import math

    from jospar.initiatives import map_sql
    from jospar.initiatives.selectors.initiatives import map_zoom

    south, west, north, east = bbox
    extra = ""
    z = map_zoom(bbox, zoom)
    size = map_sql.cell(z)
    level = map_sql.level_for(z)
    y0, y1 = math.floor(south / size), math.floor(north / size)
    x0, x1 = math.floor(west / size), math.floor(east / size)
    params: dict[str, Any] = {
        "step": size,
        "south": y0 * size,
        "west": x0 * size,
        "north": (y1 + 1) * size,
        "east": (x1 + 1) * size,
    }
    sql = HAND_SQL
    if cells and level is not None:
        shift = level - z
        sql = CELLS_SQL
        params.update(
            level=level,
            shift=shift,
            x0=x0 << shift,
            x1=((x1 + 1) << shift) - 1,
            y0=y0 << shift,
            y1=((y1 + 1) << shift) - 1,
        )
    for name, column in (
        ("state", "state"),
        ("kind", "kind"),
        ("direction", "direction"),
        ("region", "region_id"),
    ):
        if name in f:
            extra += f" AND {column} = %({name})s"
            params[name] = int(f[name]) if name == "region" else f[name]
    cursor.execute(sql.format(extra=extra), params)
    return len(cursor.fetchall())


def measure(rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from jospar.initiatives.forms import FilterForm
    from jospar.initiatives.selectors.initiatives import map_clusters

    client = Client()
    views = viewports()
    out: dict[str, Any] = {"endpoint": [], "selector": [], "hand": [], "points": [], "worst": []}
    with connection.cursor() as cursor:
        for _label, bbox, zoom, filters in views:  # warm, as a running server would be
            client.get(_url(bbox, zoom, filters))
            _hand(cursor, bbox, zoom, filters, cells=True)
            _hand(cursor, bbox, zoom, filters, cells=False)
        for _ in range(rounds):
            for label, bbox, zoom, filters in views:
                start = time.perf_counter()
                response = client.get(_url(bbox, zoom, filters))
                took = time.perf_counter() - start
                assert response.status_code == 200, response.status_code
                out["endpoint"].append(took)
                out["worst"].append((label, took, len(response.json()["clusters"])))

                form_filters = FilterForm(filters or None).filters()
                start = time.perf_counter()
                map_clusters(form_filters, bbox, zoom)
                out["selector"].append(time.perf_counter() - start)

                start = time.perf_counter()
                _hand(cursor, bbox, zoom, filters, cells=True)
                out["hand"].append(time.perf_counter() - start)

                start = time.perf_counter()
                _hand(cursor, bbox, zoom, filters, cells=False)
                out["points"].append(time.perf_counter() - start)
    out["worst"].sort(key=lambda w: -w[1])
    out["views"] = len(views)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database filled by jospar synth-initiatives.")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from jospar.initiatives.models import Initiative

    public = Initiative.objects.filter(
        state__in=("selected", "implementing", "implemented")
    ).count()
    print(f"Initiatives on the map: {public:,} (of {Initiative.objects.count():,})")
    result = measure(args.rounds)
    print(
        f"Map viewport with clustering ({result['views']} viewports × {args.rounds} rounds: "
        "country, regions, cities, streets; filters)"
    )
    for key, label in (
        ("endpoint", "clusters.json (Django)"),
        ("selector", "map_clusters (ORM)    "),
        ("hand", "hand SQL (raw cursor) "),
        ("points", "hand SQL, points only  "),
    ):
        times = result[key]
        line = (
            f"   {label}  p50 {statistics.median(times) * 1000:6.1f} ms   "
            f"p95 {p95(times) * 1000:6.1f} ms   max {max(times) * 1000:6.1f} ms"
        )
        if key == "endpoint":
            line += f"   target p95 < 150 ms   {verdict(p95(times) < 0.150)}"
        print(line)
    print(
        "   slowest: "
        + "; ".join(f"{n} {t * 1000:.0f} ms ({c} clusters)" for n, t, c in result["worst"][:5])
    )


if __name__ == "__main__":
    main()
