"""The portal as people use it, in a real Chromium: a citizen signs in, files a report with a
photo by clicking on the map, sees it red; the akimat's official opens the queue, answers and
marks it done with a photo "after"; the citizen sees it green and confirms. Screenshots of a
phone-sized and a desktop viewport go to ``/tmp/civic-portal-*.png``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jospar.civic.models import CitizenReport, Confirmation, ReportState
from jospar.civic.tests.conftest import jpeg_with_exif
from jospar.core.models import Organisation, Role, User

SHOTS = Path("/tmp")
PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ALMATY = (43.2389, 76.8897)

pytestmark = [
    pytest.mark.browser,
]


def _shot(page: Any, name: str, *, full: bool = True) -> None:
    page.screenshot(path=str(SHOTS / f"civic-portal-{name}.png"), full_page=full)


def _log_in(browser: Any, url: str, email: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="kk-KZ", viewport=viewport)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{url}/civic/accounts/login/?next=/civic/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{url}/civic/")
    return page


def _click_map_at(page: Any, selector: str, lat: float, lon: float) -> None:
    """Zoom the Leaflet map to the point, then click there with the mouse.

    On the portal's map the points at the new zoom come from a request the move starts; the
    click waits until they are drawn (``data-drawn-zoom``), else it may land between the old
    view's points being cleared and the new ones being drawn.
    """
    page.wait_for_selector(f"{selector}[data-ready]")
    page.evaluate(
        """([sel, lat, lon]) => {
            const el = document.querySelector(sel);
            el.scrollIntoView({block: "center"});
            el._civicMap.setView([lat, lon], 14, {animate: false});
        }""",
        [selector, lat, lon],
    )
    if page.evaluate("(sel) => document.querySelector(sel).id === 'portal-map'", selector):
        page.wait_for_selector(f"{selector}[data-drawn-zoom='14']")
    point = page.evaluate(
        """([sel, lat, lon]) => {
            const el = document.querySelector(sel);
            const p = el._civicMap.latLngToContainerPoint([lat, lon]);
            const box = el.getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [selector, lat, lon],
    )
    page.mouse.click(point["x"], point["y"])


def test_file_answer_done_confirm(
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
    settings.CIVIC_PREMODERATION = False
    settings.GEOCODER_URL = ""
    photo = tmp_path / "pothole.jpg"
    photo.write_bytes(jpeg_with_exif((320, 240)))
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg_with_exif((320, 240)))
    make_user(
        username="aigerim@example.kz",
        email="aigerim@example.kz",
        first_name="Айгерім",
        last_name="Сейітқызы",
        password=PASSWORD,
    )
    akimat = Organisation.objects.get(region__code="almaty")
    make_user(
        Role.CIVIC_OFFICIAL,
        organisation=akimat,
        username="official@almaty.gov.kz",
        email="official@almaty.gov.kz",
        first_name="Ерлан",
        last_name="Әкімдіков",
        password=PASSWORD,
    )
    url = live_server.url

    # --- the citizen files a report on a phone ---------------------------------------------
    citizen = _log_in(browser, url, "aigerim@example.kz", PHONE)
    citizen.wait_for_selector("#portal-map[data-ready]")
    _shot(citizen, "phone-map-empty")
    citizen.click("#file-report")
    citizen.select_option("#id_topic", "roads")
    citizen.fill(
        "#id_description",
        "Жолда терең шұңқыр бар, көліктер айналып өтеді. Телефоным +7 701 555 12 34.",
    )
    _click_map_at(citizen, "#file-map", *ALMATY)
    assert citizen.input_value("#id_latitude")
    citizen.select_option("select[name=q-roads-problem]", "pothole")
    citizen.set_input_files("#id_media", str(photo))
    _shot(citizen, "phone-file-form")
    citizen.click("#file-submit")
    citizen.wait_for_selector("#report[data-colour=red]")
    report = CitizenReport.objects.get()
    assert report.state == ReportState.PUBLISHED
    assert report.media.count() == 1
    page_text = citizen.inner_text("#report")
    assert "701 555 12 34" not in page_text
    citizen.wait_for_selector("#photos img")
    _shot(citizen, "phone-report-red")

    # It is red on the map too.
    citizen.goto(f"{url}/civic/")
    citizen.wait_for_selector("#portal-map[data-ready='1']")
    _click_map_at(citizen, "#portal-map", *ALMATY)  # zooms in; a click on the point opens it
    citizen.wait_for_url(f"{url}/civic/reports/{report.pk}/")
    citizen.go_back()
    citizen.wait_for_selector("#portal-map[data-ready='1']")
    assert citizen.locator("path.report-point.red").count() == 1
    _shot(citizen, "phone-map-red", full=False)

    # --- the akimat's official answers and marks it done, on a desktop ---------------------
    official = _log_in(browser, url, "official@almaty.gov.kz", DESKTOP)
    official.click("#nav-queue")
    official.wait_for_selector("#queue-table")
    _shot(official, "desktop-queue")
    official.click(f"#queue-table a[href='/civic/queue/{report.pk}/'] >> nth=0")
    official.fill("#answer-text", "Шұңқыр асфальтпен жабылды. Rahmet!")
    official.set_input_files("#after-media", str(after))
    _shot(official, "desktop-queue-report")
    official.click("#done-btn")
    official.wait_for_selector("#report-state")
    report.refresh_from_db()
    assert report.state == ReportState.DONE

    # --- the citizen sees it green and confirms ------------------------------------------------
    citizen.goto(f"{url}/civic/reports/{report.pk}/")
    citizen.wait_for_selector("#report[data-colour=green]")
    citizen.wait_for_selector("#after-photos img")
    _shot(citizen, "phone-report-green")
    citizen.click("#confirm-btn")
    citizen.wait_for_selector(".messages")
    report.refresh_from_db()
    assert report.confirmation == Confirmation.CONFIRMED

    citizen.goto(f"{url}/civic/")
    citizen.wait_for_selector("#portal-map[data-ready='1']")
    desktop = browser.new_context(locale="ru-RU", viewport=DESKTOP).new_page()
    desktop.goto(f"{url}/civic/")
    desktop.wait_for_selector("#portal-map[data-ready='1']")
    _shot(desktop, "desktop-map", full=False)
    desktop.evaluate(
        "() => document.querySelector('#portal-map')._civicMap.setView([43.2389, 76.8897], 14)"
    )
    desktop.wait_for_selector("path.report-point.green")
    _shot(desktop, "desktop-map-green", full=False)
    desktop.goto(f"{url}/civic/reports/{report.pk}/")
    _shot(desktop, "desktop-report-green")
    desktop.goto(f"{url}/civic/figures/")
    _shot(desktop, "desktop-figures")
    desktop.goto(f"{url}/civic/reports/")
    _shot(desktop, "desktop-list")
