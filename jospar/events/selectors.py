"""What the calendar pages and feeds read: events of a period with filters, a month as weeks
of days (events, holidays, memorable dates), the moderation queue, one event's volunteers."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet

from jospar.core.calendar import Holiday, holidays_between
from jospar.events.access import public_events, signed_in
from jospar.events.models import EventState, MemorableDate, PublicEvent, Registration

ALMATY = ZoneInfo("Asia/Almaty")
FEED_MAX = 2000


@dataclass(frozen=True)
class Filters:
    region_id: int | None = None
    kind: str = ""
    first: dt.date | None = None
    last: dt.date | None = None
    # What the event carries out: a program (through its key event) or a plan activity.
    program_id: int | None = None
    activity_id: int | None = None


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=ALMATY)


def filtered(rows: QuerySet[PublicEvent], filters: Filters) -> QuerySet[PublicEvent]:
    if filters.region_id is not None:
        rows = rows.filter(region_id=filters.region_id)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.program_id is not None:
        rows = rows.filter(program_node__program_id=filters.program_id)
    if filters.activity_id is not None:
        rows = rows.filter(activity_id=filters.activity_id)
    # An event belongs to a period it overlaps.
    if filters.first is not None:
        rows = rows.filter(ends_at__gte=_start(filters.first))
    if filters.last is not None:
        rows = rows.filter(starts_at__lt=_start(filters.last + dt.timedelta(days=1)))
    return rows


def event_list(filters: Filters) -> QuerySet[PublicEvent]:
    """Published (and cancelled) events, by start."""
    return (
        filtered(public_events(), filters)
        .select_related("region", "organisation")
        .order_by("starts_at", "pk")
    )


def feed_events(filters: Filters) -> list[PublicEvent]:
    """A feed's events: from a year back on, at most ``FEED_MAX``, soonest first."""
    return list(event_list(filters)[:FEED_MAX])


@dataclass
class Day:
    day: dt.date
    in_month: bool
    events: list[PublicEvent] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)
    memorable: list[MemorableDate] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


def month_weeks(year: int, month: int, filters: Filters) -> list[list[Day]]:
    """The month as weeks from Monday, each day with its events (every day an event spans),
    holidays and memorable dates. Two queries: the events, and the memorable dates."""
    weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    days = {d: Day(d, d.month == month) for week in weeks for d in week}
    rows = event_list(Filters(filters.region_id, filters.kind, first, last))
    for event in rows:
        start = max(event.starts_at.astimezone(ALMATY).date(), first)
        end = min(event.ends_at.astimezone(ALMATY).date(), last)
        day = start
        while day <= end:
            days[day].events.append(event)
            day += dt.timedelta(days=1)
    for holiday in holidays_between(first, last):
        days[holiday.day].holidays.append(holiday)
    for memorable in MemorableDate.objects.all():
        for d in (dt.date(first.year, 1, 1), dt.date(last.year, 1, 1)):
            try:
                when = d.replace(month=memorable.month, day=memorable.day)
            except ValueError:
                continue
            if when in days and memorable not in days[when].memorable:
                days[when].memorable.append(memorable)
    return [[days[d] for d in week] for week in weeks]


def moderation_queue() -> QuerySet[PublicEvent]:
    return (
        PublicEvent.objects.filter(state=EventState.PROPOSED)
        .select_related("region", "organisation", "proposed_by")
        .order_by("created_at", "pk")
    )


def own_proposals(user: Any) -> QuerySet[PublicEvent]:
    person = signed_in(user)
    if person is None:
        return PublicEvent.objects.none()
    return (
        PublicEvent.objects.filter(proposed_by=person)
        .exclude(state=EventState.PUBLISHED)
        .select_related("region")
        .order_by("-created_at", "-pk")
    )


def registrations_count(event: PublicEvent) -> int:
    return Registration.objects.filter(event=event).count()


def is_registered(user: Any, event: PublicEvent) -> bool:
    person = signed_in(user)
    return person is not None and Registration.objects.filter(event=event, user=person).exists()


def volunteer_counts(ids: list[int]) -> dict[int, int]:
    return dict(
        Registration.objects.filter(event_id__in=ids)
        .values_list("event_id")
        .annotate(n=Count("id"))
        .values_list("event_id", "n")
    )
