"""The program's figures («Азаматтық бақылау» indicators): the national page with the
league table of akimats, and one page per region, from which a citizen follows the area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jospar.civic import services
from jospar.civic.charts import month_bars
from jospar.civic.selectors.portal import public_regions, region_follow
from jospar.civic.selectors.reports import Period, figures, league_table, public_reports
from jospar.civic.views.common import (
    STATE_COLOURS,
    error_text,
    login_redirect,
    user_of,
)
from jospar.core.collation import sorted_for_people
from jospar.core.edge import date_or_none
from jospar.core.errors import ServiceError
from jospar.core.models import Region

RECENT = 10


def _period(request: HttpRequest) -> tuple[Period | None, dict[str, str]]:
    values: dict[str, dt.date | None] = {}
    raw: dict[str, str] = {}
    for name in ("from", "to"):
        values[name] = date_or_none(request.GET.get(name))
        raw[name] = values[name].isoformat() if values[name] else ""  # type: ignore[union-attr]
    if values["from"] is None and values["to"] is None:
        return None, raw
    return Period(values["from"], values["to"]), raw


def _figures_context(request: HttpRequest, region: Region | None) -> dict[str, Any]:
    period, raw = _period(request)
    found = figures(region=region, period=period)
    return {
        "figures": found,
        "chart": month_bars(found["published_by_month"]),
        "period": raw,
        "total_placed": sum(row["count"] for row in found["published_by_month"]),
    }


@require_GET
def national(request: HttpRequest) -> HttpResponse:
    context = _figures_context(request, None)
    period, _raw = _period(request)
    context["league"] = league_table(period)
    context["regions"] = sorted_for_people(public_regions(), lambda r: r.name)
    return render(request, "civic/figures.html", context)


def _region(region_id: int) -> Region:
    region = public_regions().filter(pk=region_id).first()
    if region is None:
        raise Http404
    return region


@require_http_methods(["GET", "POST"])
def region_page(request: HttpRequest, region_id: int) -> HttpResponse:
    region = _region(region_id)
    user = user_of(request)
    error = None
    if request.method == "POST":
        if user is None:
            return login_redirect(request)
        try:
            follow = region_follow(user, region)
            if request.POST.get("action") == "unfollow":
                if follow is not None:
                    services.follow_remove(actor=user, follow=follow)
                messages.success(request, _("You no longer follow this region."))
            else:
                services.follow_add(actor=user, region=region)
                messages.success(
                    request, _("You follow this region: you will hear of new reports in it.")
                )
            return redirect("civic:region", region_id=region.pk)
        except ServiceError as exc:
            error = exc
    context = _figures_context(request, region)
    recent = list(public_reports({"region": region.pk})[:RECENT])
    context.update(
        {
            "region": region,
            "akimat": getattr(region, "akimat", None),
            "recent": [(r, STATE_COLOURS.get(r.state, "grey")) for r in recent],
            "follow": region_follow(user, region),
            "action_error": error_text(error) if error else None,
        }
    )
    return render(request, "civic/region.html", context, status=error.status if error else 200)
