"""The figures pages' chart of reports by month, drawn by the template as inline SVG: no
script, each value printed above its bar, a title and a description for screen readers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format

HEIGHT = 220
TOP = 24
PLOT = 150
LEFT = 36
STEP = 44
MAX_MONTHS = 24


@dataclass(frozen=True)
class MonthBar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    centre: float


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    bottom: int
    bars: list[MonthBar]
    grid: list[tuple[float, int]]
    hidden: int


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    current = first.replace(day=1)
    while current <= last:
        out.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return out


def month_bars(rows: list[dict[str, Any]]) -> MonthChart:
    """Bars of ``published_by_month`` rows, months without reports drawn as zero, the last
    ``MAX_MONTHS`` months."""
    counts = {row["month"]: int(row["count"]) for row in rows}
    months = _months(min(counts), max(counts)) if counts else []
    hidden = max(len(months) - MAX_MONTHS, 0)
    months = months[-MAX_MONTHS:]
    top = max([counts.get(m, 0) for m in months] + [1])
    step = max(1, -(-top // 4))  # whole numbers on the axis, at most five lines
    top = step * 4
    bottom = TOP + PLOT
    bars = []
    for i, month in enumerate(months):
        count = counts.get(month, 0)
        height = round(count / top * PLOT, 1)
        x = LEFT + i * STEP + 6
        width = STEP - 12
        bars.append(
            MonthBar(
                label=date_format(month, "m.y"),
                count=count,
                x=x,
                y=bottom - height,
                width=width,
                height=height,
                centre=x + width / 2,
            )
        )
    grid = [(bottom - PLOT * value / top, value) for value in range(0, top + 1, step)]
    return MonthChart(
        width=max(LEFT + len(months) * STEP + 10, 320),
        height=HEIGHT,
        bottom=bottom,
        bars=bars,
        grid=grid,
        hidden=hidden,
    )
