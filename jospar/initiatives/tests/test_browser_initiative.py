"""The Map of civic initiatives as people use it, in a real Chromium, offline (no tile server):
a citizen proposes an initiative with a pin on the map; the region's responsible official
records the public council's decision with its minutes; a patron pledges the money and two
volunteers pledge the hours, which covers the needs and moves it to "being implemented"; the
author records the results with a photo; a citizen rates it; it is green on the public map and
in the open-data export; the patron, having agreed to a public profile, appears in Generous
Heart's patron nomination and a citizen nominates them (no axe violation on those pages). No
script error, no broken image, nothing asked outside jospar."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from jospar.core.models import Organisation, Region, Role, User
from jospar.core.tests.test_browser_all_pages import _axe
from jospar.initiatives.models import Initiative, InitiativeState, RegionCoordinator
from jospar.initiatives.services import cycle_create
from jospar.initiatives.tests.conftest import MINIMAL_PDF, jpeg

PASSWORD = "correct-horse-battery"
ALMATY = (43.2389, 76.8897)

pytestmark = [
    pytest.mark.browser,
]


class Watch:
    """Console errors, page errors and requests outside jospar's own server."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.own = urlsplit(server).netloc
        self.errors: list[str] = []
        self.outside: list[str] = []

    def route(self, request_route: Any) -> None:
        url = request_route.request.url
        if urlsplit(url).netloc == self.own or url.startswith("data:"):
            request_route.continue_()
            return
        self.outside.append(url)
        request_route.abort("internetdisconnected")


def _page(browser: Any, watch: Watch, username: str | None, width: int = 1280) -> Any:
    context = browser.new_context(locale="kk-KZ", viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on(
        "console",
        lambda message: watch.errors.append(message.text) if message.type == "error" else None,
    )
    if username is not None:
        page.goto(f"{watch.server}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    return page


def _no_broken_images(page: Any) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    broken = page.evaluate(
        "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    assert broken == []


def _click_map_at(page: Any, selector: str, lat: float, lon: float) -> None:
    page.wait_for_selector(f"{selector}[data-ready]")
    point = page.evaluate(
        """([sel, lat, lon]) => {
            const el = document.querySelector(sel);
            el.scrollIntoView({block: "center"});
            const map = el._civicMap;
            map.setView([lat, lon], 14, {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = el.getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [selector, lat, lon],
    )
    page.mouse.click(point["x"], point["y"])


def _pledge(page: Any, url: str, need_id: int, kind: str, quantity: str) -> None:
    page.goto(url)
    form = page.locator(f"#pledge-{need_id}")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=quantity]").fill(quantity)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_propose_select_pledge_implement_rate(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MAP_TILE_URL = ""
    almaty = Region.objects.get(code="almaty")
    official = make_user(
        Role.CIVIC_OFFICIAL,
        organisation=Organisation.objects.get(region=almaty),
        username="official",
        password=PASSWORD,
    )
    RegionCoordinator.objects.create(region=almaty, user=official, appointed_at=timezone.now())
    admin = make_user(Role.ADMINISTRATOR, username="admin", password=PASSWORD)
    for name in ("author", "patron", "volunteer1", "volunteer2", "citizen"):
        make_user(username=name, password=PASSWORD, first_name=name.title())
    photo = tmp_path / "after.jpg"
    photo.write_bytes(jpeg((320, 240)))
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(MINIMAL_PDF)
    server = live_server.url
    watch = Watch(server)

    # --- a citizen proposes ------------------------------------------------------------------
    page = _page(browser, watch, "author", width=390)
    page.goto(f"{server}/initiatives/new/")
    page.fill("#id_title", "Ойын алаңы Абай 10 ауласында")
    page.fill("#id_problem", "Төрт үйдің балаларына ойнайтын жер жоқ.")
    page.select_option("#id_kind", "infrastructure")
    page.select_option("#id_direction", "sport")
    _click_map_at(page, "#file-map", *ALMATY)
    page.fill("#id_beneficiaries", "Ауладағы балалар")
    page.fill("#id_beneficiaries_count", "120")
    page.fill("#id_money", "300000")
    page.fill("#id_money_for", "Әткеншектер")
    page.fill("#id_role_1", "Алаңды салу")
    page.fill("#id_role_1_hours", "16")
    page.click("#send-initiative")
    page.wait_for_selector("#initiative-state")
    initiative = Initiative.objects.get()
    assert initiative.state == InitiativeState.SUBMITTED
    assert initiative.region == almaty
    page.context.close()

    # --- the official records the public council's decision ----------------------------------
    page = _page(browser, watch, "official")
    page.goto(f"{server}/initiatives/queue/")
    page.click("#queue-rows a")
    page.select_option("#id_outcome", "select")
    page.select_option("#id_body", "council")
    page.fill("#id_decided_on", timezone.localdate().isoformat())
    page.fill("#id_decision", "Қоғамдық кеңес жобаны іріктеді.")
    page.set_input_files("#id_minutes", str(minutes))
    page.click("#save-decision")
    page.wait_for_selector("#decision")
    page.context.close()
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.SELECTED

    # --- a patron and two volunteers cover the needs -----------------------------------------
    url = f"{server}/initiatives/{initiative.pk}/"
    money, hours = initiative.needs.order_by("position")
    for who, need, kind, quantity in (
        ("patron", money, "patron", "300000"),
        ("volunteer1", hours, "volunteer", "8"),
        ("volunteer2", hours, "volunteer", "8"),
    ):
        page = _page(browser, watch, who)
        _pledge(page, url, need.pk, kind, quantity)
        page.context.close()
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.IMPLEMENTING

    # --- the author records the results with a photo -----------------------------------------
    page = _page(browser, watch, "author")
    page.goto(url)
    page.click("#record-results")
    page.fill("#id_results", "Ойын алаңы салынды.")
    page.fill("#id_beneficiaries_reached", "130")
    page.fill("#id_money_given", "300000")
    page.set_input_files("#id_photos", str(photo))
    page.click("#save-results")
    page.wait_for_selector("#results")
    _no_broken_images(page)
    page.context.close()

    # --- a citizen rates it ------------------------------------------------------------------
    page = _page(browser, watch, "citizen")
    page.goto(url)
    page.select_option("#id_stars", "5")
    page.click("#rate-form button")
    page.wait_for_selector("#rating")
    page.context.close()
    initiative.refresh_from_db()
    assert (initiative.state, initiative.rating_count) == (InitiativeState.IMPLEMENTED, 1)

    # --- green on the public map, and in the open data ----------------------------------------
    page = _page(browser, watch, None)
    page.goto(f"{server}/initiatives/")
    page.wait_for_selector("#portal-map[data-ready]")
    assert page.locator("#portal-map path.report-point.green").count() == 1
    geojson = json.loads(
        page.request.get(f"{server}/initiatives/open-data/initiatives.geojson").text()
    )
    assert geojson["licence"] == "CC-BY-4.0"
    [feature] = geojson["features"]
    assert feature["properties"]["state"] == "implemented"
    assert "Author" not in json.dumps(geojson, ensure_ascii=False)
    page.context.close()

    # --- the patron appears in Generous Heart's patron nomination ----------------------------
    cycle = cycle_create(
        actor=admin,
        year=timezone.localdate().year,
        region=almaty,
        nominations_from=timezone.localdate(),
        jury_from=timezone.localdate() + dt.timedelta(days=10),
        vote_from=timezone.localdate() + dt.timedelta(days=20),
        vote_until=timezone.localdate() + dt.timedelta(days=30),
        results_on=timezone.localdate() + dt.timedelta(days=40),
    )
    patrons = cycle.nominations.get(category="patron")
    page = _page(browser, watch, "patron")
    page.goto(f"{server}/initiatives/")
    page.click("#nav-my-contributions")
    page.click("#consent-form button")
    page.wait_for_selector("#contributions")
    page.context.close()
    page = _page(browser, watch, "citizen", width=390)
    page.goto(f"{server}/initiatives/")
    page.click("#nav-heart")
    page.click("#cycles a")
    section = page.locator(f"#nomination-{patrons.pk}")
    assert "Patron" in section.locator("[data-candidate]").inner_text()
    assert _axe(page) == []
    page.click("#nominate")
    page.select_option("#id_nomination", str(patrons.pk))
    page.select_option("#id_candidate", label="Patron")
    page.fill("#id_reason", "Ойын алаңын толық қаржыландырды.")
    page.click("#send-nomination")
    page.wait_for_selector("#evidence")
    assert initiative.title in page.locator("#evidence").inner_text()
    assert _axe(page) == []
    page.goto(f"{server}/initiatives/heart/{cycle.pk}/")
    assert "Patron" in page.locator(f"#nomination-{patrons.pk} .heart-nominees").inner_text()
    page.context.close()

    assert watch.errors == []
    assert watch.outside == []
