"""The iCalendar feeds against RFC 5545, read back with the `icalendar` library: the calendar's
required properties, a VTIMEZONE for every TZID used, stable UIDs (the same through a change,
a cancellation with a higher SEQUENCE), escaped text that reads back as written, lines of at
most 75 octets ended by CRLF; hostile query parameters give 400, never a 5xx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from jospar.events import services
from jospar.events.models import PublicEvent
from jospar.events.tests.conftest import World

pytestmark = pytest.mark.django_db
Make = Callable[..., PublicEvent]
ALMATY = ZoneInfo("Asia/Almaty")
HOSTILE_TITLE = 'Концерт, «Наурыз»; \\ жаңа жол: "кеш" — бір, екі; үш'


def _feed(client: Client, query: str = "") -> bytes:
    response = client.get(reverse("events:feed") + query)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    return bytes(response.content)


def _cats(event: Any) -> list[Any]:
    return list(event["CATEGORIES"].cats)


def _rfc_lines(body: bytes) -> None:
    assert body.endswith(b"\r\n")
    for line in body.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        assert b"\n" not in line
        assert b"\r" not in line


def _check_calendar(body: bytes) -> Calendar:
    _rfc_lines(body)
    cal = Calendar.from_ical(body)
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for event in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            assert prop in event, prop
        start = event["DTSTART"]
        assert start.params.get("TZID") in tzids
        assert event.decoded("DTEND") >= event.decoded("DTSTART")
    return cal


def test_the_feed_reads_back_with_zone_uid_and_escapes(
    world: World, make_event: Make, client: Client
) -> None:
    event = make_event(title_kk=HOSTILE_TITLE, description="Бір; екі, үш\\төрт\n\nбес")
    cal = _check_calendar(_feed(client))
    (item,) = cal.walk("VEVENT")
    assert str(item["UID"]) == f"{event.uid}@events.jospar.kz"
    assert str(item["SUMMARY"]) == HOSTILE_TITLE  # Kazakh first
    assert str(item["DESCRIPTION"]).startswith("Бір; екі, үш\\төрт\n\nбес")
    start = item.decoded("DTSTART")
    assert start == event.starts_at
    assert start.utcoffset() == dt.timedelta(hours=5)  # one zone, UTC+5, since 1 March 2024
    assert str(item["STATUS"]) == "CONFIRMED"
    assert int(str(item["SEQUENCE"])) == 0
    geo: Any = item["GEO"]
    assert geo.latitude == pytest.approx(51.128)
    assert str(item["URL"]).endswith(reverse("events:detail", args=[event.pk]))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Almaty"]


def test_the_uid_stays_and_a_cancellation_raises_the_sequence(
    world: World, make_event: Make, client: Client
) -> None:
    event = make_event()
    first = Calendar.from_ical(client.get(reverse("events:ics", args=[event.pk])).content)
    services.event_cancel(actor=world.organiser, event=event, reason="Буран; жол жабық")
    second = Calendar.from_ical(client.get(reverse("events:ics", args=[event.pk])).content)
    (a,), (b,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert str(a["UID"]) == str(b["UID"])
    assert (int(str(a["SEQUENCE"])), int(str(b["SEQUENCE"]))) == (0, 1)
    assert str(b["STATUS"]) == "CANCELLED"
    assert "Буран; жол жабық" in str(b["DESCRIPTION"])


def test_a_feed_per_region_and_kind(world: World, make_event: Make, client: Client) -> None:
    make_event(kind="concert")
    make_event(kind="forum", region=world.almaty.pk)
    astana = _check_calendar(_feed(client, f"?region={world.astana.pk}"))
    assert len(astana.walk("VEVENT")) == 1
    forums = _check_calendar(_feed(client, "?kind=forum"))
    assert [str(_cats(e)[0]) for e in forums.walk("VEVENT")] == ["Форум"]
    both = _check_calendar(_feed(client, f"?region={world.almaty.pk}&kind=concert"))
    assert both.walk("VEVENT") == []


def test_the_feed_shows_no_proposal_and_one_event_ics_needs_access(
    world: World, make_event: Make, client: Client
) -> None:
    proposed = make_event("proposed")
    assert Calendar.from_ical(_feed(client)).walk("VEVENT") == []
    assert client.get(reverse("events:ics", args=[proposed.pk])).status_code == 404
    client.force_login(world.citizen)
    assert client.get(reverse("events:ics", args=[proposed.pk])).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?region=abc",
        "?region=9223372036854775808",
        "?region=-1",
        "?kind=party",
        "?kind=%00",
        "?region=1%00",
        "?page=2",
        "?kind=" + "x" * 5000,
        "?region=%FF",
    ],
)
def test_hostile_parameters_give_400(world: World, client: Client, query: str) -> None:
    response = client.get(reverse("events:feed") + query)
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "99999999999999999999"])
def test_hostile_ids_of_an_event_give_404(client: Client, raw: str) -> None:
    assert client.get(f"/events/{raw}/event.ics").status_code == 404
