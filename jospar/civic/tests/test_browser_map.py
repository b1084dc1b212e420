"""The portal's maps offline: the tile host is blocked (as when the machine has no network), and
the maps still show Kazakhstan's settlements with their names, and the search box moves them.
Nothing but the tile host is asked outside jospar's own server, and no script error occurs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from jospar.civic.tests.test_browser_portal import PASSWORD
from jospar.core.models import User
from jospar.core.services.places import places_load

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

pytestmark = [
    pytest.mark.browser,
]


def _offline_page(browser: Any, server: str) -> tuple[Any, dict[str, list[str]]]:
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1200, "height": 800})
    context.set_default_timeout(20_000)
    asked: dict[str, list[str]] = {"tiles": [], "elsewhere": [], "errors": []}
    own = urlsplit(server).netloc

    def route(request_route: Any) -> None:
        url = request_route.request.url
        host = urlsplit(url).netloc
        if host == own:
            request_route.continue_()
            return
        asked["tiles" if host == "tile.openstreetmap.org" else "elsewhere"].append(url)
        request_route.abort("internetdisconnected")

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: asked["errors"].append(str(error)))
    return page, asked


def _centre(page: Any, selector: str) -> tuple[float, float, float]:
    return tuple(
        page.evaluate(
            """(sel) => { const m = document.querySelector(sel)._civicMap;
                const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }""",
            selector,
        )
    )


def _search(page: Any, selector: str, text: str) -> None:
    box = page.locator(f"{selector} .map-search-input")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(
        "(sel) => document.querySelector(sel).hasAttribute('data-search')", arg=selector
    )


def test_maps_orient_people_with_the_tile_host_blocked(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    settings: Any,
) -> None:
    settings.MAP_TILE_URL = TILES
    settings.GEOCODER_URL = ""
    settings.CIVIC_PREMODERATION = False
    places_load(actor=None)
    page, asked = _offline_page(browser, live_server.url)

    # --- the public map ----------------------------------------------------------------------
    page.goto(f"{live_server.url}/civic/")
    page.wait_for_selector("#portal-map[data-ready]")
    page.wait_for_selector("#portal-map[data-tiles=failed]")
    page.wait_for_function("() => +document.querySelector('#portal-map').dataset.places > 0")
    labels = page.locator("#portal-map .place-label").all_inner_texts()
    assert {"Алматы", "Астана", "Шымкент"} <= set(labels)
    assert page.locator("#portal-map .leaflet-control-attribution a").inner_text() == (
        "OpenStreetMap"
    )
    # The regions' vector layer is drawn under the settlements.
    assert page.locator("#portal-map .leaflet-regions-pane path").count() >= 20
    _search(page, "#portal-map", "Караганда")
    lat, lon, zoom = _centre(page, "#portal-map")
    assert abs(lat - 49.80) < 0.05
    assert abs(lon - 73.10) < 0.05
    assert zoom >= 10
    page.wait_for_function("() => +document.querySelector('#portal-map').dataset.places > 0")
    assert "Қарағанды" in page.locator("#portal-map .place-label").all_inner_texts()
    page.screenshot(path="/tmp/civic-map-offline-karaganda.png")

    # --- the filing form's map: a citizen finds a small town and puts the pin there ----------
    make_user(username="aigerim@example.kz", email="aigerim@example.kz", password=PASSWORD)
    page.goto(f"{live_server.url}/civic/accounts/login/?next=/civic/reports/new/")
    page.fill("#id_username", "aigerim@example.kz")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#file-map[data-ready]")
    _search(page, "#file-map", "Шардара")
    lat, lon, zoom = _centre(page, "#file-map")
    assert abs(lat - 41.25) < 0.05
    assert abs(lon - 67.97) < 0.05
    assert zoom >= 12
    # Searching moved the map; it did not submit the report or put a pin.
    assert page.url.endswith("/civic/reports/new/")
    assert page.input_value("#id_latitude") == ""
    page.wait_for_function("() => +document.querySelector('#file-map').dataset.places > 0")
    assert "Шардара" in page.locator("#file-map .place-label").all_inner_texts()

    assert asked["tiles"], "the tile layer was never asked for"
    assert asked["elsewhere"] == []
    assert asked["errors"] == []
