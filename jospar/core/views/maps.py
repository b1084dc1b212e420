"""The regions' shapes for every map, served apart from the pages that colour them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

from jospar.core.region_shapes import region_shapes

# The shapes change only when the directory's boundaries are reloaded: a browser keeps them a
# day, then asks again with their ETag.
SHAPES_MAX_AGE = 24 * 3600


@require_GET
def region_shapes_geojson(request: HttpRequest) -> HttpResponse:
    """Every region's shape, keyed by its id and code, with no figure. Public: the boundaries
    are the public directory's (the portal's map draws them for anyone)."""
    data, etag = region_shapes()
    if request.headers.get("If-None-Match", "") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(data, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={SHAPES_MAX_AGE}"
    return response
