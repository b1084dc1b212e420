"""The public portal: the map (its home), the list, the region boundaries and the map's
clusters as JSON. Everything here reads the masked public copy only."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jospar.civic.selectors.portal import public_regions
from jospar.civic.selectors.reports import map_clusters, public_reports
from jospar.civic.views.common import STATE_COLOURS, filter_form, map_layers
from jospar.core.edge import int_or_none
from jospar.core.keyset import BoundedPaginator

PAGE_SIZE = 25
# The whole of Kazakhstan with a margin: the map's first view and the bounds it is kept in.
KAZAKHSTAN_BBOX = (40.5, 46.4, 55.5, 87.4)


def _map_text() -> dict[str, str]:
    return {
        "open": _("Open"),
        "done": _("Done"),
        "reports": _("reports"),
        "report": _("Report"),
        "zoom": _("Zoom in to see the reports"),
        "loading": _("Loading…"),
        "failed": _("The map's reports could not be loaded. Try again."),
    }


@require_GET
def portal_map(request: HttpRequest) -> HttpResponse:
    form = filter_form(request)
    query = form.query()
    return render(
        request,
        "civic/map.html",
        {
            "form": form,
            "query": query,
            "map_config": {
                **map_layers(),
                "clusters": reverse("civic:map-clusters"),
                "query": query,
                "bbox": KAZAKHSTAN_BBOX,
                "text": _map_text(),
            },
        },
    )


def _bbox(value: str) -> tuple[float, float, float, float] | None:
    try:
        south, west, north, east = (float(v) for v in value.split(","))
    except ValueError:
        return None
    numbers = (south, west, north, east)
    if not all(math.isfinite(v) for v in numbers) or south > north or west > east:
        return None
    south, north = max(south, -90.0), min(north, 90.0)
    west, east = max(west, -180.0), min(east, 180.0)
    return south, west, north, east


@require_GET
def map_clusters_json(request: HttpRequest) -> JsonResponse:
    """``bbox=south,west,north,east&zoom=N`` and the list's filters: the clusters of public
    reports with a pin (``jospar.civic.selectors.reports.map_clusters``); a single report
    carries its page's address."""
    bbox = _bbox(request.GET.get("bbox", ""))
    zoom = int_or_none(request.GET.get("zoom", "5"), minimum=0, maximum=30) or 5
    if bbox is None:
        return JsonResponse(
            {"code": "invalid_bbox", "message": _("The map's area is not valid."), "fields": {}},
            status=400,
        )
    form = filter_form(request)
    clusters = map_clusters(bbox, zoom, form.filters())
    out: list[dict[str, Any]] = []
    for cluster in clusters:
        single = cluster["report_id"]
        out.append(
            {
                "count": cluster["count"],
                "lat": cluster["lat"],
                "lon": cluster["lon"],
                "red": cluster["red"],
                "green": cluster["green"],
                "url": reverse("civic:report", kwargs={"report_id": single}) if single else "",
            }
        )
    # Not cached by the browser: a citizen who has just filed expects to see the report.
    return JsonResponse({"zoom": zoom, "clusters": out})


@require_GET
def boundaries(request: HttpRequest) -> JsonResponse:
    """Today's regions as GeoJSON, from our own stored boundaries: the map needs no tile
    server to show Kazakhstan."""
    features = []
    for region in public_regions().with_boundary():
        if not region.boundary:
            continue
        features.append(
            {
                "type": "Feature",
                "id": region.pk,
                "geometry": region.boundary,
                "properties": {
                    "id": region.pk,
                    "name": region.name,
                    "url": reverse("civic:region", kwargs={"region_id": region.pk}),
                },
            }
        )
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = filter_form(request)
    qs = public_reports(form.filters()).only(
        "id",
        "state",
        "public_description",
        "address",
        "submitted_at",
        "support_count",
        "location_is_approximate",
        "topic__name_kk",
        "topic__name_ru",
        "topic__name_en",
        "region__name_kk",
        "region__name_ru",
        "region__name_en",
        "akimat__name_kk",
        "akimat__name_ru",
        "akimat__name_en",
    )
    # A million public reports are not counted on every request: up to COUNT_BOUND, then
    # "more than" (the figures page gives the totals, from kept counts).
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(report, STATE_COLOURS.get(report.state, "grey")) for report in page.object_list]
    return render(
        request,
        "civic/list.html",
        {"form": form, "query": form.query(), "page": page, "rows": rows},
    )
