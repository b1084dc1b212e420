"""The indicator's map: the values of one period by region, classed for colour, drawn over the
regions' shapes that every map fetches from one address (``core.region_shapes``). The figures of
the chosen period are written into the page, beside the table that carries the same figures for
people who do not use the map.

Colours: five classes of equal width between the lowest and the highest approved value of the
period (one class when they are equal), a sequential blue that reads in greyscale and for the
colour-blind; a region without an approved value is drawn light grey with a dashed outline and
named "not reported" (or "awaiting approval" to those who may see its value in the flow).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jospar.core.numbers import format_number
from jospar.indicators.models import ValueState
from jospar.indicators.selectors import IndicatorView
from jospar.indicators.templatetags.indicator_numbers import plain

PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_VALUE = "#d9d9d9"


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
