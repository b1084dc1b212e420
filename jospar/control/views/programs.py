"""The program dashboard: the tree with each node's traffic light, what is overdue by body and
by region (tasks and key events apart), the regions on a map and the trend by quarter. Every
figure opens the obligations behind it (the obligation list, filtered). Read only: a GET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jospar.control.access.programs import DashboardScope, access_program_dashboard
from jospar.control.program_dashboard import (
    AMBER_FROM,
    KEY_EVENT,
    RED_FROM,
    TASK,
    Figures,
    NodeRow,
    ProgramFigures,
    program_figures,
    traffic_light,
)
from jospar.control.status import today
from jospar.core.collation import sort_key
from jospar.core.edge_fields import IdFormField
from jospar.core.maps import map_tile_url
from jospar.core.models import Organisation, Region, User
from jospar.core.numbers import format_number, format_percent
from jospar.programs.models import NodeKind
from jospar.programs.selectors.office import program_declared_statuses

# Levels of the tree shown under the node in focus (the rest is one click away).
TREE_DEPTH = 2
TREND_HEIGHT = 220
TREND_PLOT = 160
TREND_TOP = 16
TREND_LEFT = 8
TREND_STEP = 56
TREND_BAR = 36

LIGHT_LABELS = {
    "green": _("On track"),
    "amber": _("At risk"),
    "red": _("Off track"),
    "none": _("Nothing due yet"),
}
# The map's colours are the discipline map's bands.
LIGHT_BANDS = {"green": "good", "amber": "poor", "red": "bad", "none": "none"}


def _percent(share: float) -> str:
    return f"{round(share * 100)}\u00a0%"


# The thresholds are the traffic light's own (program_dashboard), put into the sentences by
# placeholder: a bare "%" in a message would read as a format directive to the catalogues.
LEGEND = [
    (
        "good",
        format_lazy(_("under {share} of due obligations overdue"), share=_percent(AMBER_FROM)),
    ),
    (
        "poor",
        format_lazy(_("{low}–{high} overdue"), low=_percent(AMBER_FROM), high=_percent(RED_FROM)),
    ),
    ("bad", format_lazy(_("{share} and more overdue"), share=_percent(RED_FROM))),
    ("none", _("nothing due yet")),
]
MAP_TEXT = {
    "onTime": _("reported on time"),
    "overdue": _("overdue"),
    "delay": _("average delay, days"),
    "noData": _("nothing due yet"),
    "includes": _("including the figures of"),
    "unavailable": _("The regions could not be drawn; the table of regions has the same figures."),
}


class DashboardForm(forms.Form):
    node = IdFormField(required=False, min_value=1)

    def node_id(self) -> int | None:
        self.is_valid()
        value = getattr(self, "cleaned_data", {}).get("node")
        return int(value) if value else None


@dataclass
class Row:
    """A line of a table: a label, its figures and the lists behind them."""

    label: str
    figures: Figures
    key_events: Figures
    overdue_url: str
    key_events_url: str
    all_url: str

    @property
    def share(self) -> float | None:
        return (self.figures + self.key_events).percent_overdue


@dataclass
class TreeRow:
    node: NodeRow
    light_label: str
    kind_label: str
    focus_url: str
    overdue_url: str
    all_url: str
    indent: int


def _list_url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('control:obligations')}?{query}"


def _tree(scope: DashboardScope, figures: ProgramFigures, base: dict[str, Any]) -> list[TreeRow]:
    """The nodes under the focus, TREE_DEPTH levels deep, in the tree's order."""
    children: dict[int | None, list[NodeRow]] = {}
    for row in figures.nodes.values():
        children.setdefault(row.parent_id, []).append(row)
    top = scope.focus.pk if scope.focus else None
    page = reverse("control:program-dashboard", args=[scope.program.pk])
    out: list[TreeRow] = []

    def walk(parent: int | None, level: int) -> None:
        for row in children.get(parent, []):
            out.append(
                TreeRow(
                    node=row,
                    light_label=str(LIGHT_LABELS[row.light]),
                    kind_label=str(NodeKind(row.kind).label),
                    focus_url=f"{page}?node={row.id}",
                    overdue_url=_list_url(**{**base, "node": row.id}, outcome="overdue"),
                    all_url=_list_url(**{**base, "node": row.id}),
                    indent=level,
                )
            )
            if level + 1 < TREE_DEPTH and row.kind != NodeKind.KEY_EVENT:
                walk(row.id, level + 1)

    walk(top, 0)
    return out


def _rows(
    figures: dict[tuple[int | None, str], Figures],
    labels: dict[int, str],
    param: str,
    base: dict[str, Any],
    nobody: str,
) -> list[Row]:
    keys = {key for key, _kind in figures}
    rows = []
    for key in keys:
        tasks = figures.get((key, TASK), Figures())
        events = figures.get((key, KEY_EVENT), Figures())
        label = labels.get(key, nobody) if key is not None else nobody
        where = {**base, param: key} if key is not None else base
        rows.append(
            Row(
                label=label,
                figures=tasks,
                key_events=events,
                overdue_url=_list_url(**where, task_kind=TASK, outcome="overdue"),
                key_events_url=_list_url(**where, task_kind=KEY_EVENT, outcome="overdue"),
                all_url=_list_url(**where),
            )
        )
    return sorted(
        rows,
        key=lambda r: (-(r.figures.overdue + r.key_events.overdue), sort_key(r.label)),
    )


def _quarter_label(number: int) -> str:
    return f"{number // 4}-Q{number % 4 + 1}"


def _trend(figures: ProgramFigures, base: dict[str, Any]) -> dict[str, Any]:
    quarters = sorted(q for q, f in figures.quarters.items() if f.due)
    top = max((figures.quarters[q].due for q in quarters), default=0) or 1
    bars = []
    for i, quarter in enumerate(quarters):
        f = figures.quarters[quarter]
        x = TREND_LEFT + i * TREND_STEP
        y: float = TREND_TOP + TREND_PLOT
        label = _quarter_label(quarter)
        segments = []
        for outcome, count, css in (
            ("on_time", f.on_time, "on-time"),
            ("late", f.late, "late"),
            ("overdue", f.overdue, "overdue"),
        ):
            height = round(count / top * TREND_PLOT, 1)
            y = round(y - height, 1)
            segments.append(
                {
                    "outcome": outcome,
                    "css": css,
                    "y": y,
                    "height": height,
                    "count": count,
                    "text": format_number(count),
                    "url": _list_url(**base, quarter=label, outcome=outcome),
                }
            )
        bars.append({"label": label, "x": x, "centre": x + TREND_BAR / 2, "segments": segments})
    return {
        "bars": bars,
        "width": TREND_LEFT * 2 + max(len(quarters), 1) * TREND_STEP,
        "height": TREND_HEIGHT,
        "bar_width": TREND_BAR,
        "axis_y": TREND_TOP + TREND_PLOT + 18,
    }


def _map(
    regions: list[Region], by_region: dict[int, Figures], base: dict[str, Any]
) -> dict[str, Any]:
    """The regions' figures and the address of their shapes (the map fetches those apart)."""
    out = []
    for region in regions:
        f = by_region.get(region.pk, Figures())
        on_time = f.on_time / f.due * 100 if f.due else None
        out.append(
            {
                "id": region.pk,
                "code": region.code,
                "name": region.name,
                "counted": f.due,
                "on_time": f.on_time,
                "overdue": f.overdue,
                "percent_on_time": None if on_time is None else round(on_time, 1),
                "percent_text": format_percent(None if on_time is None else round(on_time, 1)),
                "average_delay_days": None,
                "average_delay_text": "",
                "band": LIGHT_BANDS[traffic_light(f)],
                "url": _list_url(**base, task_region=region.pk, outcome="overdue"),
                "includes": [],
            }
        )
    return {"shapes": reverse("region-shapes"), "regions": out}


@login_required
@require_GET
def program_dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = cast(User, request.user)
    form = DashboardForm(request.GET or None)
    scope = access_program_dashboard(actor, program_id, form.node_id())
    # The worse of the light the data gives and the project's declared status wins.
    declared = program_declared_statuses(scope.program.pk)
    figures = program_figures(scope.program, scope.focus, declared=declared)
    base: dict[str, Any] = {"program": scope.program.pk}
    if scope.focus is not None:
        base["node"] = scope.focus.pk
    totals = figures.nodes[scope.focus.pk].figures if scope.focus else figures.totals
    organisation_ids = {key for key, _kind in figures.bodies if key is not None}
    organisations = {
        o.pk: str(o) for o in Organisation.objects.filter(pk__in=sorted(organisation_ids))
    }
    day = today()
    regions = [
        r
        for r in Region.objects.order_by("pk")
        if (r.valid_from is None or r.valid_from <= day)
        and (r.valid_to is None or r.valid_to >= day)
    ]
    region_names = {r.pk: r.name for r in regions}
    by_region: dict[int, Figures] = {}
    for (region_id, _kind), f in figures.regions.items():
        if region_id is not None:
            by_region[region_id] = by_region.get(region_id, Figures()) + f
    path = []
    if scope.focus is not None:
        node = scope.focus
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            path.append(node)
            node = node.parent  # type: ignore[assignment]
        path.reverse()
        if not scope.whole:
            # A node-role holder's path starts at the node they hold.
            while path and path[0].pk not in scope.roots:
                path.pop(0)
    light = traffic_light(totals)
    return render(
        request,
        "control/programs/dashboard.html",
        {
            "program": scope.program,
            "scope": scope,
            "focus": scope.focus,
            "path": path[:-1],
            "totals": totals,
            "percent_overdue": format_percent(totals.percent_overdue),
            "light": light,
            "light_label": LIGHT_LABELS[light],
            "tree": _tree(scope, figures, base),
            "bodies": _rows(
                figures.bodies, organisations, "organisation", base, str(_("No body named"))
            ),
            "regions": _rows(
                figures.regions, region_names, "task_region", base, str(_("No region"))
            ),
            "trend": _trend(figures, base),
            "links": {
                "all": _list_url(**base),
                "overdue": _list_url(**base, outcome="overdue"),
                "on_time": _list_url(**base, outcome="on_time"),
                "late": _list_url(**base, outcome="late"),
                "open": _list_url(**base, outcome="open"),
            },
            "map_data": _map(regions, by_region, base),
            "map_text": MAP_TEXT,
            "map_tile_url": map_tile_url(),
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "legend": LEGEND,
            "whole_url": reverse("control:program-dashboard", args=[scope.program.pk]),
        },
    )
