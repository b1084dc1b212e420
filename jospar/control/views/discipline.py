"""Executive discipline pages: the overview, one plan, one organisation, one region, and the
regions' figures as GeoJSON for the map. Read only: every page is a GET."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jospar.control.access.discipline import (
    access_discipline_organisation,
    access_discipline_region,
    can_see_discipline_overview,
    own_organisation_id,
)
from jospar.control.charts import share_bars, trend_bars
from jospar.control.discipline import (
    Dashboard,
    DisciplineFilter,
    Figures,
    Group,
    default_period,
    discipline_dashboard,
)
from jospar.control.discipline_plans import discipline_plan_page
from jospar.control.models import ObligationStatus
from jospar.control.status import today
from jospar.control.views.plan_options import plan_filter_context
from jospar.core.edge import page_number
from jospar.core.edge_fields import DateFormField, IdFormField
from jospar.core.maps import map_tile_url
from jospar.core.models import User
from jospar.core.numbers import format_number, format_percent
from jospar.core.region_shapes import region_shapes
from jospar.core.selectors.directory import regions_existing_on
from jospar.core.selectors.regions import region_heirs_on
from jospar.plans.access import access_plan


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DisciplineForm(forms.Form):
    """The dashboards' GET parameters: ``plan``, ``from``, ``to`` (deadline), ``group``."""

    plan = IdFormField(required=False, min_value=1, label=_("Plan"))
    group = forms.ChoiceField(
        required=False,
        choices=[
            ("organisation", _("Organisations")),
            ("region", _("Regions")),
            ("plan", _("Plans")),
        ],
        label=_("Table"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are named by the parameters they read.
        self.fields["from"] = DateFormField(
            required=False, widget=DateInput(), label=_("Deadline from")
        )
        self.fields["to"] = DateFormField(
            required=False, widget=DateInput(), label=_("Deadline until")
        )

    def cleaned(self, name: str) -> Any:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name)


@dataclass(frozen=True)
class Period:
    date_from: dt.date | None
    date_to: dt.date | None
    is_default: bool


def _period(request: HttpRequest, form: DisciplineForm, default: bool) -> Period:
    """The period asked for; with neither bound in the URL, the default one (the last four
    quarters), or none at all where ``default`` is false. An empty bound means "unbounded"; a
    bound not understood is replaced by the default one (the form shows what was typed)."""
    start, end = default_period() if default else (None, None)
    if "from" not in request.GET and "to" not in request.GET:
        return Period(start, end, True)
    form.is_valid()
    errors = form.errors
    return Period(
        start if "from" in errors else form.cleaned("from"),
        end if "to" in errors else form.cleaned("to"),
        False,
    )


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _obligations_url() -> str:
    return reverse("control:obligations")


_KEY_MARK = 987_654_321_987


def _dashboard_urls(name: str, query: str) -> Callable[[int], str]:
    """``key -> address`` of each group's dashboard: one ``reverse`` for the hundreds of
    groups of a table (a ``reverse`` costs about 45 µs)."""
    pattern = reverse(name, args=[_KEY_MARK]) + (f"?{query}" if query else "")
    mark = str(_KEY_MARK)
    return lambda key: pattern.replace(mark, str(key), 1)


def _linked(actor: User, dashboard: Dashboard) -> None:
    """Give each group the address of its own dashboard, where the reader may open it."""
    overview = can_see_discipline_overview(actor)
    query = _period_query(dashboard.filters)
    organisation_url = _dashboard_urls("control:discipline-organisation", query)
    region_url = _dashboard_urls("control:discipline-region", query)
    dashboard.organisations = [
        replace(g, url=organisation_url(g.key))
        if g.key is not None and (overview or g.key == actor.organisation_id)
        else g
        for g in dashboard.organisations
    ]
    dashboard.regions = [
        replace(g, url=region_url(g.key)) if overview and g.key is not None else g
        for g in dashboard.regions
    ]


def _plan_table(request: HttpRequest, actor: User, dashboard: Dashboard) -> dict[str, Any]:
    """A page of the by-plan table (``?page=``), each plan linked to its own dashboard."""
    plan_url = _dashboard_urls("control:discipline-plan", _period_query(dashboard.filters))
    page, rows = discipline_plan_page(
        actor, dashboard.filters, on=dashboard.on, number=page_number(request.GET.get("page"))
    )
    return {
        "plan_page": page,
        # Project tasks' obligations belong to no plan: their group has no plan page.
        "plan_rows": [replace(g, url=plan_url(g.key)) if g.key is not None else g for g in rows],
    }


def _context(
    request: HttpRequest,
    form: DisciplineForm,
    period: Period,
    dashboard: Dashboard,
    *,
    with_map: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    actor = _actor(request)
    _linked(actor, dashboard)
    filters = dashboard.filters
    context = {
        "form": form,
        "period": period,
        "period_query": _period_query(filters),
        "dashboard": dashboard,
        "totals": dashboard.totals,
        "filters": filters,
        "organisations": dashboard.organisations,
        "regions": dashboard.regions,
        "obligations_url": _obligations_url(),
        "links": _figure_links(filters),
        "trend": trend_bars(dashboard.quarters),
        "organisation_chart": share_bars(dashboard.organisations),
        "overview": can_see_discipline_overview(actor),
        "plan_filter": None,
        **extra,
    }
    if with_map:
        context.update(
            map_data=map_page_data(dashboard, period),
            map_text=MAP_TEXT,
            map_tile_url=map_tile_url(),
            map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            legend=LEGEND,
        )
    return context


def _figure_links(filters: DisciplineFilter) -> dict[str, str]:
    return {
        "all": filters.query(),
        "on_time_open": filters.query(status=ObligationStatus.SUBMITTED_ON_TIME.value),
        "late_open": filters.query(status=ObligationStatus.SUBMITTED_LATE.value),
        "accepted": filters.query(status=ObligationStatus.ACCEPTED.value),
        "overdue": filters.query(status=ObligationStatus.OVERDUE.value),
    }


def _period_query(filters: DisciplineFilter) -> str:
    """``from=…&to=…`` as the dashboards read them (an empty bound: unbounded)."""
    return urlencode(
        {
            "from": filters.date_from.isoformat() if filters.date_from else "",
            "to": filters.date_to.isoformat() if filters.date_to else "",
        }
    )


MAP_TEXT = {
    "onTime": _("on time"),
    "overdue": _("overdue"),
    "delay": _("average delay, days"),
    "noData": _("nothing due yet"),
    "includes": _("including the figures of"),
    "unavailable": _("The regions could not be drawn; the table of regions has the same figures."),
}


LEGEND = [
    ("good", _("90 % and more on time")),
    ("fair", _("75–90 %")),
    ("poor", _("60–75 %")),
    ("bad", _("under 60 %")),
    ("none", _("nothing due yet")),
]


@login_required
@require_GET
def discipline_overview(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not can_see_discipline_overview(actor):
        own = own_organisation_id(actor)
        if own is not None:
            # An executor's discipline is its own organisation's.
            return redirect("control:discipline-organisation", organisation_id=own)
        raise PermissionDenied
    form = DisciplineForm(request.GET or None)
    plan = None
    plan_id = form.cleaned("plan")
    if plan_id:
        plan = access_plan(actor, plan_id)
    period = _period(request, form, default=True)
    group = form.cleaned("group") or "organisation"
    filters = DisciplineFilter(
        plan_id=plan.pk if plan else None, date_from=period.date_from, date_to=period.date_to
    )
    dashboard = discipline_dashboard(actor, filters)
    return render(
        request,
        "control/discipline/overview.html",
        _context(
            request,
            form,
            period,
            dashboard,
            with_map=True,
            plan=plan,
            group=group,
            **(_plan_table(request, actor, dashboard) if group == "plan" else {}),
            plan_filter=plan_filter_context(request, actor, plan.pk if plan else None),
        ),
    )


@login_required
@require_GET
def discipline_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = _actor(request)
    plan = access_plan(actor, plan_id)
    form = DisciplineForm(request.GET or None)
    period = _period(request, form, default=False)
    filters = DisciplineFilter(plan_id=plan.pk, date_from=period.date_from, date_to=period.date_to)
    dashboard = discipline_dashboard(actor, filters)
    return render(
        request,
        "control/discipline/plan.html",
        _context(request, form, period, dashboard, with_map=True, plan=plan, whole_plan=True),
    )


@login_required
@require_GET
def discipline_organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = _actor(request)
    organisation = access_discipline_organisation(actor, organisation_id)
    form = DisciplineForm(request.GET or None)
    period = _period(request, form, default=True)
    filters = DisciplineFilter(
        organisation_id=organisation.pk, date_from=period.date_from, date_to=period.date_to
    )
    dashboard = discipline_dashboard(actor, filters)
    return render(
        request,
        "control/discipline/organisation.html",
        _context(
            request,
            form,
            period,
            dashboard,
            organisation=organisation,
            **_plan_table(request, actor, dashboard),
        ),
    )


@login_required
@require_GET
def discipline_region(request: HttpRequest, region_id: int) -> HttpResponse:
    actor = _actor(request)
    region = access_discipline_region(actor, region_id)
    form = DisciplineForm(request.GET or None)
    period = _period(request, form, default=True)
    filters = DisciplineFilter(
        region_id=region.pk, date_from=period.date_from, date_to=period.date_to
    )
    dashboard = discipline_dashboard(actor, filters)
    return render(
        request,
        "control/discipline/region.html",
        _context(
            request,
            form,
            period,
            dashboard,
            region=region,
            **_plan_table(request, actor, dashboard),
        ),
    )


def _map_day(period: Period) -> dt.date:
    return min(period.date_to or today(), today())


def map_regions(dashboard: Dashboard, period: Period) -> list[dict[str, Any]]:
    """The figures of each region existing at the end of the period (today at the latest), as
    the map's features' properties; the shapes are fetched apart (``core.region_shapes``)."""
    by_region = {group.key: group for group in dashboard.regions}
    day = _map_day(period)
    # A region gone by the map's day (South Kazakhstan, ended 2018) is drawn nowhere: its
    # figures show under the region that continues it, and the tooltip says so.
    existing = list(regions_existing_on(day))
    heirs = region_heirs_on(day, existing)
    inherited: dict[int, list[Group]] = {}
    for gone in dashboard.regions:
        heir = heirs.get(gone.key) if gone.key is not None else None
        if heir is not None:
            inherited.setdefault(heir.pk, []).append(gone)
    out = []
    for region in existing:
        group = by_region.get(region.pk)
        figures = group.figures if group else Figures()
        for predecessor in inherited.get(region.pk, []):
            figures = figures + predecessor.figures
        query = replace(dashboard.filters, region_id=region.pk).query()
        out.append(
            {
                "id": region.pk,
                "code": region.code,
                "name": region.name,
                "counted": figures.counted,
                "on_time": figures.on_time,
                "late": figures.late,
                "overdue": figures.overdue,
                "share_on_time": figures.share_on_time,
                "percent_on_time": figures.percent_on_time,
                "average_delay_days": figures.average_delay,
                # The same figures written for people, in the page's language.
                "percent_text": format_percent(figures.percent_on_time),
                "average_delay_text": format_number(figures.average_delay),
                "band": figures.band,
                "url": group.url if group else "",
                "includes": [p.label for p in inherited.get(region.pk, [])],
                "obligations_url": f"{_obligations_url()}?{query}",
            }
        )
    return out


def map_page_data(dashboard: Dashboard, period: Period) -> dict[str, Any]:
    """What a page's map carries: its regions' figures and the address of their shapes."""
    return {
        "shapes": reverse("region-shapes"),
        "regions": map_regions(dashboard, period),
    }


def map_features(dashboard: Dashboard, period: Period) -> dict[str, Any]:
    """The regions' figures joined to their shapes, as one GeoJSON FeatureCollection (the
    map's data on its own, for those who read it without the page)."""
    shapes = json.loads(region_shapes()[0])["features"]
    by_id = {f["id"]: f for f in shapes}
    features = []
    for properties in map_regions(dashboard, period):
        shape = by_id.get(properties["id"])
        if shape is not None:
            features.append(
                {
                    "type": "Feature",
                    "id": properties["id"],
                    "geometry": shape["geometry"],
                    "properties": properties,
                }
            )
    return {"type": "FeatureCollection", "features": features}


@login_required
@require_GET
def discipline_map(request: HttpRequest) -> JsonResponse:
    """The map's data on its own: ``plan``, ``from``, ``to`` as on the overview."""
    actor = _actor(request)
    form = DisciplineForm(request.GET or None)
    plan_id = form.cleaned("plan")
    plan = access_plan(actor, plan_id) if plan_id else None
    period = _period(request, form, default=True)
    filters = DisciplineFilter(
        plan_id=plan.pk if plan else None, date_from=period.date_from, date_to=period.date_to
    )
    dashboard = discipline_dashboard(actor, filters)
    _linked(actor, dashboard)
    return JsonResponse(map_features(dashboard, period))
