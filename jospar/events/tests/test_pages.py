"""The calendar's pages: the month with holidays and events, the list with filters, an event's
page, adding an event from the form; lists cost the same queries for 20 and 200 events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jospar.core.calendar import calendar_seed
from jospar.events.models import MemorableDate, PublicEvent
from jospar.events.tests.conftest import ALMATY_TZ, World

pytestmark = pytest.mark.django_db
Make = Callable[..., PublicEvent]


def test_the_month_shows_holidays_memorable_dates_and_events(
    world: World, make_event: Make, client: Client
) -> None:
    calendar_seed(actor=None, years=range(2026, 2027))
    MemorableDate.objects.create(
        month=12, day=7, name_kk="Тест күні", name_ru="День теста", name_en="Test day"
    )
    start = dt.datetime(2026, 12, 15, 18, 0, tzinfo=ALMATY_TZ)
    event = make_event(starts_at=start, ends_at=start + dt.timedelta(days=1, hours=2))
    PublicEvent.objects.filter(pk=event.pk)  # spans the 15th and the 16th
    response = client.get(reverse("events:month"), {"month": "2026-12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Тәуелсіздік күні" in html  # Independence Day, 16 December, in Kazakh first
    assert "Тест күні" in html
    assert html.count(reverse("events:detail", args=[event.pk])) == 2
    client.cookies["django_language"] = "ru"
    html = client.get(reverse("events:month"), {"month": "2026-12"}).content.decode()
    assert "День независимости" in html


def test_the_month_filters_by_region_and_kind(
    world: World, make_event: Make, client: Client
) -> None:
    start = dt.datetime(2026, 12, 10, 12, 0, tzinfo=ALMATY_TZ)
    a = make_event(starts_at=start, ends_at=start, kind="concert")
    b = make_event(starts_at=start, ends_at=start, kind="forum", region=world.almaty.pk)
    html = client.get(
        reverse("events:month"), {"month": "2026-12", "region": str(world.almaty.pk)}
    ).content.decode()
    assert reverse("events:detail", args=[b.pk]) in html
    assert reverse("events:detail", args=[a.pk]) not in html
    html = client.get(
        reverse("events:month"), {"month": "2026-12", "kind": "concert"}
    ).content.decode()
    assert reverse("events:detail", args=[a.pk]) in html
    assert "?region=&amp;kind=concert" not in html


@pytest.mark.parametrize("month", ["2026-13", "abc", "0000-01", "9999-12", "2026-1\x00"])
def test_a_hostile_month_shows_this_month(client: Client, month: str, world: World) -> None:
    assert client.get(reverse("events:month"), {"month": month}).status_code < 500


def test_the_list_filters_by_period(world: World, make_event: Make, client: Client) -> None:
    early = dt.datetime(2026, 12, 10, 12, 0, tzinfo=ALMATY_TZ)
    late = dt.datetime(2027, 1, 20, 12, 0, tzinfo=ALMATY_TZ)
    a = make_event(starts_at=early, ends_at=early)
    b = make_event(starts_at=late, ends_at=late)
    html = client.get(
        reverse("events:list"), {"start": "2027-01-01", "end": "2027-01-31"}
    ).content.decode()
    assert reverse("events:detail", args=[b.pk]) in html
    assert reverse("events:detail", args=[a.pk]) not in html
    bad = client.get(reverse("events:list"), {"start": "2027-02-01", "end": "2027-01-01"})
    assert bad.status_code == 400


def test_an_event_page_and_its_links(world: World, make_event: Make, client: Client) -> None:
    event = make_event()
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert event.title_kk in html
    assert reverse("events:ics", args=[event.pk]) in html
    assert 'id="report-map"' in html
    assert "UTC+5" in html


def test_adding_an_event_from_the_form(world: World, client: Client) -> None:
    client.force_login(world.citizen)
    data: dict[str, Any] = {
        "title_kk": "Аула тазалығы",
        "title_ru": "Субботник во дворе",
        "kind": "volunteer",
        "region": world.astana.pk,
        "place": "Абай көшесі, 10",
        "start_date": "2030-05-04",
        "start_time": "10:00",
        "end_time": "13:00",
        "organiser_name": "Тұрғындар",
        "volunteers_wanted": "20",
    }
    response = client.post(reverse("events:new"), data)
    assert response.status_code == 302
    event = PublicEvent.objects.get()
    assert event.state == "proposed"
    assert event.starts_at == dt.datetime(2030, 5, 4, 5, 0, tzinfo=dt.UTC)
    bad = client.post(reverse("events:new"), {**data, "end_time": "09:00"})
    assert bad.status_code == 400
    assert PublicEvent.objects.count() == 1


def _many(make_event: Make, world: World, n: int) -> None:
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY_TZ)
    for i in range(n):
        when = start + dt.timedelta(hours=3 * i)
        make_event(starts_at=when, ends_at=when + dt.timedelta(hours=1))


@pytest.mark.parametrize("n", [20, 200])
def test_lists_cost_the_same_for_20_and_200_events(
    world: World,
    make_event: Make,
    client: Client,
    n: int,
    django_assert_max_num_queries: Any,
) -> None:
    _many(make_event, world, n)
    client.force_login(world.moderator)
    client.get(reverse("events:month"))  # sessions, the calendar's exceptions cached
    for url in (
        reverse("events:month") + "?month=2026-12",
        reverse("events:list"),
        reverse("events:feed"),
        reverse("events:moderation"),
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
