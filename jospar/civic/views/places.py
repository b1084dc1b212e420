"""The gazetteer on the portal's maps: settlements to draw under the pins, and the search box
that moves a map to a settlement, a region or (where a geocoder is set) an address."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from jospar.civic.geocoding import get_geocoder
from jospar.core.selectors.places import SEARCH_MAX, place_search, places_geojson


@require_GET
def places(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(places_geojson())
    response["Cache-Control"] = "public, max-age=3600"
    # The names are in the reader's language.
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_GET
def place_search_json(request: HttpRequest) -> JsonResponse:
    """``?q=`` → ``{"query": …, "results": [{kind, name, region, lat, lon, bbox}]}``."""
    query = " ".join(str(request.GET.get("q", "")).split())[:SEARCH_MAX]
    results = [found.as_json() for found in place_search(query)]
    if not results and len(query) >= 3:
        # A street address is no settlement's name: the configured geocoder, if any, may know it.
        point = get_geocoder().geocode(query)
        if point is not None:
            results.append(
                {
                    "kind": "address",
                    "name": query,
                    "region": "",
                    "lat": point.latitude,
                    "lon": point.longitude,
                    "bbox": None,
                    "population": 0,
                }
            )
    return JsonResponse({"query": query, "results": results})
