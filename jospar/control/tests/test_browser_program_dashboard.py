"""The program dashboard in a real Chromium at a phone's width (390 px): a controller opens a
synthetic program's dashboard with no tile server — the map draws the regions from their
boundaries —, focuses a sub-program from the tree, opens the overdue obligations behind a
figure. Console errors, broken images, requests to any other address, a horizontal overflow
and serious axe-core violations fail the test. Screenshots: ``var/screenshots/pdash-*.png``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from jospar.control.synth_programs import ProgramSpec, synth_program_build
from jospar.control.tests.test_browser_loop import PASSWORD
from jospar.control.tests.test_browser_project_task import _check_images, _watched
from jospar.core.models import Role, User
from jospar.core.tests.test_browser_all_pages import _axe
from jospar.programs.models import NodeKind, ProgramNode

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [pytest.mark.browser]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"pdash-{name}.png"), full_page=True)


def _overflow(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => { const se = document.scrollingElement || document.documentElement;"
            " return se.scrollWidth > se.clientWidth; }"
        )
    )


def test_dashboard_on_a_phone(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    settings: Any,
) -> None:
    settings.MAP_TILE_URL = ""  # offline: the regions' own shapes orient the map
    make_user(Role.CONTROLLER, username="controller", password=PASSWORD)
    result = synth_program_build(
        actor=None,
        spec=ProgramSpec(subprograms=2, base_projects=4, projects=12, tasks=600),
    )
    url = live_server.url
    problems: list[str] = []
    page = _watched(browser, url, "controller", problems)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{url}/control/programs/{result.program_id}/dashboard/")
    page.wait_for_selector("#discipline-map[data-ready]")
    assert int(page.locator("#discipline-map").get_attribute("data-ready") or 0) >= 17
    rows = page.locator("#program-tree tbody tr")
    assert rows.count() == 2 + 4  # the sub-programs and their base projects
    assert page.locator("#program-tree [data-light]").count() == 6
    _check_images(page, problems)
    assert not _overflow(page), "the page is wider than the phone"
    problems.extend(f"axe: {p}" for p in _axe(page))
    _shot(page, "01-program")

    # Focus a sub-program from the tree: its base projects and their projects.
    sub = ProgramNode.objects.filter(program_id=result.program_id, kind=NodeKind.SUBPROGRAM).first()
    assert sub is not None
    page.click(f'#program-tree tr[data-node="{sub.pk}"] a[href*="node="]')
    page.wait_for_url(f"**/dashboard/?node={sub.pk}")
    assert page.locator("#program-tree tbody tr").count() == 2 + 6
    assert not _overflow(page)
    problems.extend(f"axe: {p}" for p in _axe(page))
    _shot(page, "02-subprogram")

    # The overdue figure opens the overdue obligations of that sub-program.
    overdue = page.locator('#program-totals a[data-figure="overdue"]')
    shown = overdue.locator("strong").inner_text().replace("\u00a0", "").replace(" ", "")
    overdue.click()
    page.wait_for_url("**/control/obligations/?**")
    assert "outcome=overdue" in page.url
    assert f"node={sub.pk}" in page.url
    assert page.locator("#program-filter").count() == 1
    if int(shown):
        assert page.locator("a[href^='/control/obligations/'][href$='/']").count() > 0
    _shot(page, "03-list")
    _check_images(page, problems)
    assert not problems, problems
