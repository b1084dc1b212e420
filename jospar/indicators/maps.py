"""The indicator's map: the regions' shapes, served once as GeoJSON (simplified further than the
stored boundaries: a choropleth of twenty regions needs no 1 km detail), and the values of one
period by region, classed for colour.

The shapes carry no figure, so the browser keeps them (``ETag`` and a day's ``max-age``) and every
indicator page and period reuses them; the figures of the chosen period are written into the
page, beside the table that carries the same figures for people who do not use the map.

Colours: five classes of equal width between the lowest and the highest approved value of the
period (one class when they are equal), a sequential blue that reads in greyscale and for the
colour-blind; a region without an approved value is drawn light grey with a dashed outline and
named "not reported" (or "awaiting approval" to those who may see its value in the flow).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jospar.core.models import Region
from jospar.core.numbers import format_number
from jospar.indicators.models import ValueState
from jospar.indicators.selectors import IndicatorView
from jospar.indicators.templatetags.indicator_numbers import plain

# Degrees: about 3 km for an oblast, 600 m for a city (the stored shapes are at 1 km / 200 m).
SIMPLIFY_OBLAST = 0.03
SIMPLIFY_CITY = 0.006
DIGITS = 3  # coordinates to 1e-3 degree (about 100 m)
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_VALUE = "#d9d9d9"

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
    South Kazakhstan), as GeoJSON bytes and their ETag. Simplified once per process for each
    version of the stored boundaries."""
    rows = list(
        Region.objects.exclude(boundary__isnull=True)
        .order_by("pk")
        .values_list("pk", "code", "kind", "boundary")
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
                "id": code,
                "geometry": _simplified(boundary, kind == "city"),
                "properties": {"code": code},
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


@dataclass(frozen=True)
class LegendClass:
    shade: int  # the palette's index: the colour, and the legend's swatch class
    low: Decimal
    high: Decimal

    @property
    def colour(self) -> str:
        return PALETTE[self.shade]

    @property
    def label(self) -> str:
        if self.low == self.high:
            return format_number(plain(self.low))
        return f"{format_number(plain(self.low))} – {format_number(plain(self.high))}"


def classes(values: list[Decimal]) -> list[LegendClass]:
    """Five classes of equal width between the lowest and the highest value."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [LegendClass(len(PALETTE) - 1, low, high)]
    step = (high - low) / len(PALETTE)
    edges = [low + step * i for i in range(len(PALETTE))] + [high]
    return [
        LegendClass(i, edges[i].quantize(Decimal("0.01")), edges[i + 1].quantize(Decimal("0.01")))
        for i in range(len(PALETTE))
    ]


def class_of(value: Decimal, legend: list[LegendClass]) -> int:
    if len(legend) == 1:
        return 0
    for i, item in enumerate(legend):
        if value <= item.high or i == len(legend) - 1:
            return i
    return len(legend) - 1


@dataclass
class MapData:
    period: str
    legend: list[LegendClass]
    regions: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period, "no_value": NO_VALUE, "regions": self.regions}


def map_data(view: IndicatorView, *, sees_flow: set[int] | None, unit: str) -> MapData:
    """The regions of the view's period, each with its approved value (numbers for the map's
    colour unlocalised, texts for people localised). ``sees_flow``: the regions whose values in
    the approval flow the reader may see (None: every region, the centre)."""
    approved = [
        row.value.current
        for row in view.regions
        if row.value is not None and row.value.state == ValueState.APPROVED
    ]
    legend = classes(approved)
    out = []
    for row in view.regions:
        value = row.value
        entry: dict[str, Any] = {
            "code": row.region.code,
            "name": row.region.name,
            "value": None,
            "class": -1,
            "colour": NO_VALUE,
        }
        if value is not None and value.state == ValueState.APPROVED:
            figure = plain(value.current)
            entry.update(
                value=str(figure),
                text=f"{format_number(figure)} {unit}".strip(),
                state=_("Approved"),
                reported=True,
            )
            entry["class"] = class_of(value.current, legend)
            entry["colour"] = legend[entry["class"]].colour
        else:
            in_flow = value is not None and (sees_flow is None or row.region.pk in sees_flow)
            entry.update(
                text="—",
                state=_("Awaiting approval") if in_flow else _("Not reported"),
                reported=False,
            )
        out.append(entry)
    return MapData(view.regions_period, legend, out)
