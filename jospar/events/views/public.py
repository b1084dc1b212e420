"""The public calendar: the month, the list with filters, an event's page, and the iCalendar
feeds (per filter and per event). Every page works without JavaScript (the map of an event's
place is an addition)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jospar.civic.views.common import map_layers
from jospar.core.edge import page_number, text_or_empty
from jospar.core.models import Region
from jospar.core.serving import serve_file
from jospar.events import ical, selectors
from jospar.events.access import (
    access_event,
    access_event_photo,
    can_manage,
    can_moderate_events,
    signed_in,
)
from jospar.events.forms import FilterForm, ReasonForm, ReportForm
from jospar.events.models import EventKind, EventState, PublicEvent
from jospar.events.views._common import page

PAGE_SIZE = 30
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _month(raw: object) -> tuple[int, int]:
    match = _MONTH.fullmatch(text_or_empty(raw, max_length=7))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    today = timezone.localdate()
    return today.year, today.month


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    year, month = divmod(index, 12)
    year = min(max(year, 1900), 2100)
    return f"{year:04d}-{month + 1:02d}"


@require_GET
def month_view(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, period=False)
    year, month = _month(request.GET.get("month"))
    filters = form.filters()
    query = form.query()
    return page(
        request,
        "events/month.html",
        {
            "form": form,
            "query": query,
            "weeks": selectors.month_weeks(year, month, filters),
            "month_start": dt.date(year, month, 1),
            "this_month": f"{year:04d}-{month:02d}",
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "feed_query": query,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    rows = selectors.event_list(form.filters())
    listed = Paginator(rows, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    query = form.query()
    feed = FilterForm(request.GET or None, period=False)
    return page(
        request,
        "events/list.html",
        {
            "form": form,
            "query": query,
            "page": listed,
            "rows": listed.object_list,
            "feed_query": feed.query(),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    person = signed_in(request.user)
    manager = can_manage(person, event)
    now = timezone.now()
    return page(
        request,
        "events/detail.html",
        {
            "event": event,
            "registered": selectors.registrations_count(event),
            "is_registered": selectors.is_registered(person, event),
            "can_register": (
                event.state == EventState.PUBLISHED
                and event.volunteers_wanted > 0
                and event.starts_at > now
            ),
            "can_manage": manager,
            # Whoever may write the report may take a photo off it, in any state.
            "can_remove_photos": manager,
            "can_moderate": can_moderate_events(person) and event.state == EventState.PROPOSED,
            "can_report": manager and event.state == EventState.PUBLISHED and event.ends_at <= now,
            "can_cancel": manager and event.state == EventState.PUBLISHED,
            "reason_form": ReasonForm(),
            "photos": list(event.photos.all()),
            "report_form": ReportForm(
                initial={"participants": event.participants, "report": event.report}
            ),
            "map_config": {**map_layers(), "text": {}},
        },
    )


@require_GET
def event_photo(request: HttpRequest, name: str) -> HttpResponseBase:
    """A report photo's public copy or thumbnail (re-encoded, without metadata)."""
    row = access_event_photo(request.user, name)
    file = row.thumbnail if row.thumbnail.name == name else row.public_file
    extension = name.rsplit(".", 1)[-1].lower()
    return serve_file(
        file,
        content_type="image/png" if extension == "png" else "image/jpeg",
        public=row.event.is_public,
        download_name=f"event-{row.event_id}-{row.pk}.{extension}",
        inline=True,
    )


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _absolute(request: HttpRequest) -> Callable[[PublicEvent], str]:
    def url_for(event: PublicEvent) -> str:
        return request.build_absolute_uri(reverse("events:detail", args=[event.pk]))

    return url_for


@require_GET
def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    body = ical.calendar_bytes([event], name=event.title, url_for=_absolute(request))
    return _ics(body, f"event-{event.pk}.ics")


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """A subscription: the published events of a region and/or a kind, from a year back on. A
    filter that is not one (an unknown region, kind or parameter) is refused with 400."""
    allowed = {"region", "kind"}
    form = FilterForm(request.GET or None, period=False)
    if set(request.GET) - allowed or (request.GET and not form.is_valid()):
        return HttpResponse(
            _("Unknown filter: use region and kind as on the calendar's page."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    filters = selectors.Filters(filters.region_id, filters.kind, year_ago, None)
    parts = [_("Public events")]
    if filters.region_id is not None:
        region = Region.objects.filter(pk=filters.region_id).first()
        if region is not None:
            parts.append(region.name)
    if filters.kind:
        parts.append(str(EventKind(filters.kind).label))
    body = ical.calendar_bytes(
        selectors.feed_events(filters),
        name=" · ".join(parts),
        url_for=_absolute(request),
    )
    return _ics(body, "jospar-events.ics")
