"""The discipline overview in a real Chromium: charts drawn, the map drawn from the stored
boundaries with Leaflet served by jospar itself (no tiles, no outside address), a click on a
region opening its page. Screenshots go to ``var/screenshots/``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from jospar.control.tests import discipline_world as w
from jospar.core.models import Role, User

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def test_overview_map_and_charts(
    transactional_db: Any, live_server: Any, browser: Any, make_user: Callable[..., User]
) -> None:
    world = w.build(timezone.localdate())
    controller = make_user(Role.CONTROLLER, username="ctrl")
    client = Client()
    client.force_login(controller)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.url}/control/discipline/?from=&to=&group=region")
    page.wait_for_selector("#discipline-map[data-ready='2']")
    assert page.locator("#discipline-map path.leaflet-interactive").count() == 2
    assert page.locator("#trend-chart rect.bar").count() >= 1
    assert page.locator("#organisation-chart a").count() == 4
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "discipline-overview.png"), full_page=True)
    page.locator("#discipline-map path.leaflet-interactive").first.hover()
    assert page.locator(".leaflet-tooltip").count() == 1
    page.locator("#discipline-map path.leaflet-interactive").first.click()
    page.wait_for_url("**/control/discipline/regions/**")
    assert page.locator("h1").inner_text().startswith("Executive discipline")
    heading = page.locator("h1").inner_text()
    assert world.region1.name_en in heading or world.region2.name_en in heading
    assert outside == []
