"""Values as people enter and approve them, in a real Chromium: Astana's office enters its
quarter's values and submits; the centre returns one with a comment and approves the other; the
office corrects and resubmits; the centre approves; the indicator's chart and its map show the
new value (the map drawn from the regions' shapes with no tile server), and so do the program
tree's pages with its achievement. No console error, no broken image, no request outside the
site, no serious axe-core violation on the indicator's page and the program tree's pages.
Screenshots go to ``var/screenshots/indicators-*.png``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from jospar.core.models import Organisation, Role, User
from jospar.core.tests.test_browser_all_pages import _axe
from jospar.indicators.maps import NO_VALUE
from jospar.indicators.models import (
    Aggregation,
    DataValue,
    Indicator,
    IndicatorKind,
    Level,
    Method,
    Target,
    ValueState,
)
from jospar.programs.models import NodeKind, Program, ProgramNode

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "correct-horse-battery"
PERIOD = "2025Q3"

pytestmark = [
    pytest.mark.browser,
]


class Watch:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def page(self, browser: Any, base: str, username: str, width: int = 1280) -> Any:
        context = browser.new_context(locale="kk-KZ", viewport={"width": width, "height": 900})
        # Generous: a shared CI machine under load renders a page in seconds, not milliseconds.
        context.set_default_timeout(60_000)
        context.set_default_navigation_timeout(60_000)
        host = urlsplit(base).netloc

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
                request_route.continue_()
            else:
                self.problems.append(f"outside request: {url}")
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: self._console(page, m))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state("load")
        assert "/accounts/login/" not in page.url
        return page

    def _console(self, page: Any, message: Any) -> None:
        if message.type != "error":
            return
        # A form refused with its errors is answered 400 on purpose; Chromium logs the page's
        # own status as an error (the all-pages walk skips it the same way).
        if (
            message.text.startswith("Failed to load resource")
            and message.location.get("url", "").split("?")[0] == page.url.split("?")[0]
        ):
            return
        self.problems.append(f"console: {message.text} ({message.location.get('url', '')})")

    def images(self, page: Any) -> None:
        broken = page.evaluate(
            "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0)"
            ".map(i => i.src)"
        )
        self.problems.extend(f"broken image: {src}" for src in broken)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"indicators-{name}.png"), full_page=True)


def test_enter_return_correct_approve_and_see_it_on_the_chart(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
) -> None:
    akimat = Organisation.objects.get(region__code="astana")
    make_user(Role.EXECUTOR, organisation=akimat, username="astana", password=PASSWORD)
    make_user(Role.CONTROLLER, username="centre", password=PASSWORD)
    common: dict[str, Any] = {
        "kind": IndicatorKind.OUTCOME,
        "method": Method.LOCAL_REPORTS,
        "frequency": "quarterly",
        "level": Level.REGION,
    }
    share = Indicator.objects.create(
        code="history-share",
        name_kk="Өлкетанумен айналысатын білім алушылардың үлесі",
        name_ru="Доля обучающихся, занимающихся краеведением",
        unit="%",
        aggregation=Aggregation.WEIGHTED_MEAN,
        plausible_min=Decimal(0),
        plausible_max=Decimal(100),
        **common,
    )
    events = Indicator.objects.create(
        code="patriotic-events",
        name_kk="Патриоттық бағыттағы іс-шаралар саны",
        name_ru="Количество мероприятий патриотической направленности",
        aggregation=Aggregation.SUM,
        **common,
    )
    Target.objects.create(indicator=share, year=2025, value=Decimal(50), comparator="ge")
    program = Program.objects.create(title_kk="Рухани жаңғыру", title_ru="Рухани жаңғыру")
    node = ProgramNode.objects.create(
        program=program, kind=NodeKind.BASE_PROJECT, position=1, name_kk="Туған жерге тағзым"
    )
    share.node = node
    share.save()
    base = live_server.url
    watch = Watch()

    office = watch.page(browser, base, "astana", width=390)
    office.goto(f"{base}/indicators/entry/?period={PERIOD}")
    office.fill(f"#v{share.pk}", "147,5")  # a slip: outside 0–100
    office.fill(f"input[name='s{share.pk}']", "Білім басқармасының есебі")
    office.fill(f"#v{events.pk}", "12")
    office.click("#submit-values")
    office.wait_for_selector("#confirm")  # asked to confirm, nothing saved
    assert not DataValue.objects.exists()
    office.fill(f"#v{share.pk}", "41,5")
    office.click("#submit-values")
    office.wait_for_selector(".messages")
    _shot(office, "office-submitted")
    assert set(DataValue.objects.values_list("state", flat=True)) == {ValueState.SUBMITTED}

    centre = watch.page(browser, base, "centre")
    centre.goto(f"{base}/indicators/queue/")
    share_row = centre.locator(f"tr[data-indicator='{share.code}']")
    share_row.locator("textarea[name=comment]").fill("Есептегі үлес 45,5 %: тексеріңіз")
    share_row.locator("button.return").click()
    centre.wait_for_selector(".messages")
    centre.locator(f"tr[data-indicator='{events.code}'] button.approve").click()
    centre.wait_for_selector(".messages")
    assert DataValue.objects.get(indicator=share).state == ValueState.RETURNED
    assert DataValue.objects.get(indicator=events).state == ValueState.APPROVED

    office.goto(f"{base}/indicators/entry/?period={PERIOD}")
    assert "тексеріңіз" in office.locator(f"tr[data-indicator='{share.code}']").inner_text()
    assert office.locator(f"#v{events.pk}").count() == 0  # approved: no longer editable
    office.fill(f"#v{share.pk}", "45,5")
    office.click("#submit-values")
    office.wait_for_selector(".messages")

    centre.goto(f"{base}/indicators/queue/")
    centre.locator(f"tr[data-indicator='{share.code}'] button.approve").click()
    centre.wait_for_selector(".messages")
    value = DataValue.objects.get(indicator=share)
    assert (value.state, value.current) == (ValueState.APPROVED, Decimal("45.5"))

    centre.goto(f"{base}/indicators/{share.pk}/")
    point = centre.locator(f"#indicator-chart g[data-period='{PERIOD}'] text")
    assert (point.text_content() or "").strip() == "45,5"
    assert "45,5" in centre.locator("tr[data-region='astana']").inner_text()
    centre.wait_for_selector("#indicator-map[data-ready]")
    assert int(centre.get_attribute("#indicator-map", "data-ready") or 0) >= 20
    astana = centre.locator("#indicator-map path[data-region='astana']")
    assert astana.get_attribute("data-value") == "45.5"
    assert astana.get_attribute("fill") not in (None, "", NO_VALUE)
    assert "45,5" in (astana.get_attribute("aria-label") or "")
    almaty = centre.locator("#indicator-map path[data-region='almaty']")
    assert (almaty.get_attribute("data-value"), almaty.get_attribute("fill")) == ("", NO_VALUE)
    assert "45,5" in centre.locator("#map-legend").inner_text()
    _shot(centre, "chart")
    assert _axe(centre) == []
    # A reader who is neither the centre nor the office sees the same approved figure.
    office.goto(f"{base}/indicators/{share.pk}/")
    office.wait_for_selector("#indicator-map[data-ready]")
    mine = office.locator("#indicator-map path[data-region='astana']")
    assert mine.get_attribute("data-value") == "45.5"
    _shot(office, "map-phone")
    # The program tree's pages show the indicator's achievement (45.5 of at least 50: amber).
    centre.goto(f"{base}/programs/nodes/{node.pk}/")
    panel = centre.locator("#indicators-achievement")
    assert "45,5" in panel.inner_text()
    assert panel.locator(f"tr[data-indicator='{share.code}'] .light-amber").count() == 1
    assert _axe(centre) == []
    centre.goto(f"{base}/indicators/programs/{program.pk}/")
    assert "45,5" in centre.locator("#achievement-tree").inner_text()
    _shot(centre, "program-tree")
    assert _axe(centre) == []
    for page in (office, centre):
        watch.images(page)
    assert watch.problems == []
