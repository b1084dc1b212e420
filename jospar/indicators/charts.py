"""Geometry of an indicator's chart, drawn by the template as inline SVG on the server: values
over time as a line with points, each year's target as a mark, the baseline as a dashed line;
no script. Coordinates are plain numbers (never localised); labels for people are."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from jospar.core.numbers import format_number
from jospar.indicators.templatetags.indicator_numbers import plain

WIDTH = 640
HEIGHT = 260
LEFT = 64
RIGHT = 16
TOP = 16
BOTTOM = 44
GRID_LINES = 4
MAX_LABELS = 10


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    period: str
    label: str  # the value for people


@dataclass(frozen=True)
class TargetMark:
    x1: float
    x2: float
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: list[ChartPoint]
    line: str  # polyline points
    targets: list[TargetMark]
    baseline_y: float | None
    baseline_label: str
    grid: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    axis_y: int = HEIGHT - BOTTOM


def _nice_step(span: float) -> float:
    raw = span / GRID_LINES
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def line_chart(
    series: list[tuple[str, Decimal | None]],
    targets: dict[str, Decimal],
    baseline: Decimal | None,
) -> LineChart | None:
    """``series``: (period, value) in time order; ``targets``: {period: target}."""
    if not series:
        return None
    numbers = [float(v) for _, v in series if v is not None]
    numbers += [float(t) for t in targets.values()]
    if baseline is not None:
        numbers.append(float(baseline))
    if not numbers:
        return None
    low, high = min(0.0, *numbers), max(numbers)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    top = step * (int(high / step) + (0 if high % step == 0 else 1))
    bottom = -step * (int(-low / step) + (0 if low % step == 0 else 1)) if low < 0 else 0.0
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (top - value) / (top - bottom), 1)

    count = len(series)
    gap = plot_width / count
    xs = [round(LEFT + gap * (i + 0.5), 1) for i in range(count)]
    points = [
        ChartPoint(xs[i], y_of(float(value)), period, format_number(plain(value)))
        for i, (period, value) in enumerate(series)
        if value is not None
    ]
    marks = [
        TargetMark(
            round(xs[i] - gap * 0.35, 1),
            round(xs[i] + gap * 0.35, 1),
            y_of(float(targets[period])),
            format_number(plain(targets[period])),
        )
        for i, (period, _value) in enumerate(series)
        if period in targets
    ]
    places = max(0, -math.floor(math.log10(step)) + (0 if step >= 1 else 1))
    grid = []
    value = bottom
    while value <= top + step / 2:
        grid.append((y_of(value), format_number(round(value, places), places)))
        value += step
    every = max(1, -(-count // MAX_LABELS))
    labels = [(xs[i], period) for i, (period, _v) in enumerate(series) if i % every == 0]
    return LineChart(
        WIDTH,
        HEIGHT,
        points,
        " ".join(f"{p.x},{p.y}" for p in points),
        marks,
        y_of(float(baseline)) if baseline is not None else None,
        format_number(plain(baseline)) if baseline is not None else "",
        grid,
        labels,
    )
