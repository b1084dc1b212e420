"""The calendar of public events in a real Chromium at a phone's width (390 px), offline: the
month shows a national holiday and the events; the filter narrows them to a region; the event's
page shows its time in Kazakhstan's zone and its place on the map; its .ics link answers an
iCalendar that reads back. No script error, no broken image, nothing asked outside jospar, no
horizontal overflow, no serious axe-core violation of WCAG 2.1 AA."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from jospar.core.models import Organisation, Region, Role, User
from jospar.events import services
from tests.browser_checks import Watch, page_check

PASSWORD = "correct-horse-battery"
ALMATY = ZoneInfo("Asia/Almaty")

pytestmark = [pytest.mark.browser]


def test_month_filter_event_page_and_ics(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    settings: Any,
) -> None:
    settings.MAP_TILE_URL = ""
    astana = Region.objects.get(code="astana")
    almaty = Region.objects.get(code="almaty")
    organiser = make_user(
        Role.EXECUTOR, organisation=Organisation.objects.get(region=astana), username="org"
    )
    start = dt.datetime(2026, 12, 15, 18, 30, tzinfo=ALMATY)

    def add(title: str, region: Region, kind: str) -> int:
        return services.event_create(
            actor=organiser,
            data={
                "title_kk": title,
                "title_ru": title,
                "kind": kind,
                "region": region.pk,
                "place": "Тәуелсіздік сарайы",
                "latitude": 51.12,
                "longitude": 71.45,
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2),
                "volunteers_wanted": 5,
            },
        ).pk

    forum = add("Астана жастар форумы", astana, "forum")
    concert = add("Алматы концерті", almaty, "concert")
    cancelled = services.event_create(
        actor=organiser,
        data={
            "title_kk": "Көрме",
            "title_ru": "Выставка",
            "kind": "exhibition",
            "region": astana.pk,
            "place": "Ұлттық музей",
            "starts_at": start + dt.timedelta(days=2),
            "ends_at": start + dt.timedelta(days=2, hours=2),
        },
    )
    services.event_cancel(actor=organiser, event=cancelled, reason="Ауыстырылды")

    watch = Watch(live_server.url)
    context = browser.new_context(locale="kk-KZ", viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on(
        "console",
        lambda m: watch.errors.append(m.text) if m.type == "error" else None,
    )

    page.goto(f"{live_server.url}/events/?month=2026-12")
    assert page.locator("li[data-date='2026-12-16'] .holiday-name").inner_text() == (
        "Тәуелсіздік күні"
    )
    assert page.locator("li[data-date='2026-12-15'] .event-link").count() == 2
    page_check(page, watch)

    page.select_option("#id_region", str(astana.pk))
    page.click("#event-filters button[type=submit]")
    page.wait_for_load_state()
    assert "month=2026-12" in page.url
    links = page.locator("li[data-date='2026-12-15'] .event-link")
    assert links.count() == 1
    assert "Астана жастар форумы" in links.inner_text()
    feed = page.get_attribute("#feed-link", "href")
    assert feed is not None
    assert f"region={astana.pk}" in feed
    page_check(page, watch)

    links.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/events/{forum}/")
    assert "15.12.2026 18:30" in page.locator("#event-when").inner_text()
    page.wait_for_selector("#report-map[data-ready]")
    page_check(page, watch)

    ics = page.get_attribute("#event-ics", "href")
    assert ics is not None
    response = page.request.get(f"{live_server.url}{ics}")
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    (item,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(item["SUMMARY"]) == "Астана жастар форумы"
    assert item.decoded("DTSTART") == start
    feed_response = page.request.get(f"{live_server.url}{feed}")
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed_response.body()).walk("VEVENT")]
    assert summaries == ["Астана жастар форумы", "Көрме"]
    assert concert != forum

    page.goto(f"{live_server.url}/events/list/?kind=exhibition")
    assert page.locator("#event-rows .state-cancelled").count() == 1
    page_check(page, watch)
    context.close()
