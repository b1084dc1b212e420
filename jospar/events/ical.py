"""iCalendar (RFC 5545) of public events, written by the `icalendar` library: one VEVENT per
event with a UID fixed at its creation, times in Asia/Almaty with the zone's VTIMEZONE, the
SEQUENCE raised by a cancellation, and STATUS:CANCELLED for a cancelled event. The library does
the escaping (commas, semicolons, backslashes, line breaks) and folds lines at 75 octets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from jospar.events.models import EventState, PublicEvent

ALMATY = ZoneInfo("Asia/Almaty")
PRODID = "-//jospar//Calendar of public events//KK"
UID_DOMAIN = "events.jospar.kz"


def event_uid(event: PublicEvent) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def _vevent(event: PublicEvent, url: str) -> Event:
    item = Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.updated_at)
    item.add("created", event.created_at)
    item.add("last-modified", event.updated_at)
    item.add("sequence", event.sequence)
    item.add("dtstart", event.starts_at.astimezone(ALMATY))
    item.add("dtend", event.ends_at.astimezone(ALMATY))
    item.add("summary", event.title)
    lines = [event.description] if event.description else []
    if event.organiser:
        lines.append(f"{event.organiser}")
    if event.state == EventState.CANCELLED and event.reason:
        lines.append(event.reason)
    if lines:
        item.add("description", "\n\n".join(lines))
    item.add("location", f"{event.place}, {event.region.name}")
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (event.latitude, event.longitude))
    item.add("categories", [str(event.get_kind_display())])
    item.add("status", "CANCELLED" if event.state == EventState.CANCELLED else "CONFIRMED")
    item.add("transp", "OPAQUE")
    item.add("url", url)
    return item


def calendar_bytes(
    events: Iterable[PublicEvent], *, name: str, url_for: Callable[[PublicEvent], str]
) -> bytes:
    """The events as one VCALENDAR (METHOD:PUBLISH)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Almaty")
    first: dt.date | None = None
    for event in events:
        cal.add_component(_vevent(event, url_for(event)))
        day = event.starts_at.astimezone(ALMATY).date()
        first = day if first is None or day < first else first
    # The zone's rules from a year before the first event on (not since 1970): Kazakhstan has
    # one offset, UTC+5, since 1 March 2024, and older events keep the offset of their day.
    if first is not None:
        cal.add_missing_timezones(first_date=dt.date(first.year - 1, 1, 1))
    return bytes(cal.to_ical())
