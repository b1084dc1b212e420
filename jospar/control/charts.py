"""Geometry of the discipline charts, drawn by the templates as inline SVG: no script, the
values printed as text beside each bar, a title and a description for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

from jospar.control.discipline import Group
from jospar.core.numbers import format_percent

BAR_ROW = 26
BAR_LABEL_WIDTH = 300
BAR_AREA = 360
BAR_WIDTH = BAR_LABEL_WIDTH + BAR_AREA + 130
TREND_HEIGHT = 240
TREND_TOP = 24
TREND_PLOT = 170
TREND_LEFT = 44
TREND_STEP = 64


@dataclass(frozen=True)
class Bar:
    group: Group
    label: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    value: str  # "87,5 %", in the reader's language
    centre: float = 0.0


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    grid: list[tuple[float, str]]  # (coordinate, label for people)
    line: str = ""  # polyline points through the bar tops (trend), never localised
    hidden: int = 0  # groups not drawn (the table lists them all)


def _percent(group: Group) -> str:
    return format_percent(group.figures.percent_on_time)


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def share_bars(groups: list[Group], limit: int = 25) -> Chart:
    """Horizontal bars of the share on time, one per group, in the order given (worst first)."""
    shown = groups[:limit]
    bars = []
    for i, group in enumerate(shown):
        share = group.figures.share_on_time or 0.0
        y = i * BAR_ROW + 4
        width = round(share * BAR_AREA, 1)
        bars.append(
            Bar(
                group=group,
                label=_short(group.label),
                x=BAR_LABEL_WIDTH,
                y=y,
                width=width,
                height=BAR_ROW - 8,
                text_x=BAR_LABEL_WIDTH + width + 6,
                text_y=y + BAR_ROW / 2 + 1,
                value=_percent(group),
            )
        )
    grid = [(BAR_LABEL_WIDTH + BAR_AREA * p / 100, format_percent(p)) for p in (0, 25, 50, 75, 100)]
    return Chart(
        width=BAR_WIDTH,
        height=max(len(shown), 1) * BAR_ROW + 24,
        bars=bars,
        grid=grid,
        hidden=len(groups) - len(shown),
    )


def trend_bars(quarters: list[Group]) -> Chart:
    """Vertical bars of the share on time by quarter, joined by a line."""
    bars = []
    points = []
    bottom = TREND_TOP + TREND_PLOT
    for i, group in enumerate(quarters):
        share = group.figures.share_on_time
        height = round((share or 0.0) * TREND_PLOT, 1)
        x = TREND_LEFT + i * TREND_STEP + 12
        width = TREND_STEP - 24
        bars.append(
            Bar(
                group=group,
                label=group.label,
                x=x,
                y=bottom - height,
                width=width,
                height=height,
                text_x=x + width / 2,
                text_y=bottom - height - 6,
                value=_percent(group),
                centre=x + width / 2,
            )
        )
        if share is not None:
            points.append(f"{x + width / 2:.1f},{bottom - height:.1f}")
    grid = [(bottom - TREND_PLOT * p / 100, format_percent(p)) for p in (0, 25, 50, 75, 100)]
    return Chart(
        width=max(TREND_LEFT + len(quarters) * TREND_STEP + 16, 320),
        height=TREND_HEIGHT,
        bars=bars,
        grid=grid,
        line=" ".join(points),
    )
