"""The indicators' pages for readers: the national dashboard by sub-program, a region's
dashboard, an indicator's page with its chart, and the dashboards' XLSX exports."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jospar.core.maps import map_tile_url
from jospar.core.models import Region, User
from jospar.indicators import selectors
from jospar.indicators.access import (
    access_indicator,
    can_read_indicators,
    is_centre,
    office_region_id,
)
from jospar.indicators.achievement import Light
from jospar.indicators.charts import line_chart
from jospar.indicators.export import dashboard_xlsx
from jospar.indicators.maps import map_data
from jospar.indicators.periods import parse_period, period_or_none

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def _reader(request: HttpRequest) -> User:
    actor = actor_of(request)
    if not can_read_indicators(actor):
        raise PermissionDenied
    return actor


def _regions() -> list[Region]:
    return sorted(Region.objects.filter(valid_to__isnull=True), key=lambda r: r.name)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "groups": selectors.national_dashboard(),
            "regions": _regions(),
            "programs": selectors.measured_programs(),
            "lights": Light,
            "own_region": office_region_id(actor),
            "is_centre": is_centre(actor),
        },
    )


def _region_for(actor: User, region_id: int) -> tuple[Region, bool]:
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise Http404
    # Values not yet approved are the region's office's and the centre's business only.
    return region, is_centre(actor) or office_region_id(actor) == region.pk


@login_required
@require_GET
def region_dashboard(request: HttpRequest, region_id: int) -> HttpResponse:
    actor = _reader(request)
    region, own = _region_for(actor, region_id)
    return render(
        request,
        "indicators/region.html",
        {
            "region": region,
            "groups": selectors.region_dashboard(region, include_unapproved=own),
            "lights": Light,
            "own": own,
        },
    )


@login_required
@require_GET
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    actor = actor_of(request)
    indicator = access_indicator(actor, indicator_id)
    chosen = period_or_none(request.GET.get("period", ""))
    view = selectors.indicator_view(indicator, chosen.iso if chosen else None)
    targets = {
        point.period: point.target.value for point in view.points if point.target is not None
    }
    chart = line_chart(
        [(point.period, point.value.value) for point in view.points],
        targets,
        indicator.baseline_value,
    )
    own = office_region_id(actor)
    centre = is_centre(actor)
    region_map = None
    periods: list[str] = []
    if view.regions:
        region_map = map_data(
            view, sees_flow=None if centre else ({own} if own else set()), unit=indicator.unit
        )
        periods = selectors.region_periods(indicator)
        if view.regions_period not in periods:
            periods.insert(0, view.regions_period)
    return render(
        request,
        "indicators/indicator.html",
        {
            "indicator": indicator,
            "view": view,
            "chart": chart,
            "lights": Light,
            "regions_year": parse_period(view.regions_period).year if view.regions_period else None,
            "is_centre": centre,
            "own_region": own,
            "region_map": region_map,
            "region_periods": periods,
            "map_tile_url": map_tile_url(),
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    _reader(request)
    data = dashboard_xlsx(selectors.national_dashboard(), None)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="indicators.xlsx"'
    return response


@login_required
@require_GET
def region_export(request: HttpRequest, region_id: int) -> HttpResponse:
    actor = _reader(request)
    region, own = _region_for(actor, region_id)
    data = dashboard_xlsx(selectors.region_dashboard(region, include_unapproved=own), region)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="indicators-{region.code}.xlsx"'
    return response
