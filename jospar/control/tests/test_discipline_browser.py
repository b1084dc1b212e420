"""The discipline overview in a real Chromium: charts drawn, the map drawn from the stored
boundaries with Leaflet served by jospar itself (no tiles, no outside address), a click on a
region opening its page. Screenshots go to ``var/screenshots/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from jospar.control.selectors import plan_choices
from jospar.control.tests import discipline_world as w
from jospar.core.models import Role, User

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
]


def test_overview_map_and_charts(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
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

    # Where the plans are too many for a drop-down, words of a title find one as people type.
    monkeypatch.setattr(plan_choices, "SELECT_ALL_UP_TO", 1)
    monkeypatch.setattr(plan_choices, "SHOWN", 1)
    page.goto(f"{live_server.url}/control/discipline/?from=&to=")
    select = page.locator("#d-plan")
    assert select.locator(f"option[value='{world.plan1.pk}']").count() == 0
    page.locator("#d-plan-q").fill("один")
    select.locator(f"option[value='{world.plan1.pk}']").wait_for(state="attached")
    assert page.locator("#plan-found").inner_text() == "1 plan found."
    select.select_option(str(world.plan1.pk))
    page.locator("#discipline-filters button[type=submit]").click()
    page.wait_for_url(f"**plan={world.plan1.pk}**")
    assert page.locator("#d-plan").input_value() == str(world.plan1.pk)
    assert outside == []
