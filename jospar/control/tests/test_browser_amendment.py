"""An amending act applied in a real Chromium: the controller uploads the Russian act (one
change misread), checks each change against the plan's rows, corrects the misread words and
applies it; the plan says its language versions differ until the Kazakh act is applied too;
the revisions name the act, and the executor's list of obligations follows the act.
Screenshots go to ``var/screenshots/amend-*.png``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from jospar.control.services.plan_revisions import plan_file_import
from jospar.core.models import Organisation, Role, User

SEEDS = Path(__file__).resolve().parents[2] / "plans" / "demo_seeds"
ACTS = Path(__file__).resolve().parent / "fixtures" / "amendments"
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"amend-{name}.png"), full_page=True)


def _page(browser: Any, base: str, username: str, problems: list[str], width: int = 1300) -> Any:
    context = browser.new_context(locale="kk-KZ", viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    host = urlsplit(base).netloc

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
            request_route.continue_()
        else:
            problems.append(f"outside request: {url}")
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/control/today/")
    return page


def _broken_images(page: Any) -> int:
    return int(
        page.evaluate(
            "Array.from(document.images).filter(i => i.complete && !i.naturalWidth).length"
        )
    )


def _my_rows(page: Any, base: str, number: str) -> int:
    page.goto(f"{base}/control/obligations/")
    return int(page.locator(f'#obligations-table tr[data-activity="{number}"]').count())


def test_an_amending_act_in_both_languages(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    tmp_path: Path,
) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="admin", password=PASSWORD)
    for prefix in ("001", "000"):
        seed = next(SEEDS.glob(f"{prefix}_*.txt"))
        plan = plan_file_import(actor=admin, data=seed.read_bytes(), filename=seed.name).plan
    mon = Organisation.objects.filter(aliases__code="МОН", merged_into__isnull=True).first()
    assert mon is not None
    make_user(Role.EXECUTOR, organisation=mon, username="mon", password=PASSWORD)
    make_user(Role.CONTROLLER, username="controller", password=PASSWORD)
    base = live_server.url
    problems: list[str] = []

    executor = _page(browser, base, "mon", problems)
    assert (_my_rows(executor, base, "5"), _my_rows(executor, base, "5-1")) == (1, 0)
    assert _my_rows(executor, base, "8") == 0

    # The Russian act, as received, with the words of one change misread.
    ru_act = tmp_path / "ru_act.txt"
    ru_act.write_text(
        (ACTS / "ru_act_seed.txt").read_text().replace("«МИР, МКС»", "«МИР и МКС»"), "utf-8"
    )
    controller = _page(browser, base, "controller", problems)
    controller.goto(f"{base}/plans/{plan.pk}/")
    controller.click("#amend-link")
    controller.set_input_files("#id_file", str(ru_act))
    controller.click("#amendment-upload-form button[type=submit]")
    controller.wait_for_url("**/amendments/*/")
    assert controller.locator("#act-number").inner_text().startswith("№ 12")
    assert controller.locator("#problems-summary").count() == 1
    assert controller.locator("#apply-form button").is_disabled()
    problem = controller.locator("#change-2 .change-problem")
    assert problem.get_attribute("data-code") == "words_not_found"
    # Each change is shown against the current row, cell by cell.
    replaced = controller.locator("#change-0 table.amend-diff tr.cell-changed")
    assert replaced.count() == 3
    assert "МКС, МИР" in replaced.nth(1).inner_text()
    _shot(controller, "01-review-ru")
    # A change that cannot be placed opens its correction form.
    controller.fill("#change-2-old", "МИР, МКС")
    controller.locator("#change-2 form button[type=submit]").click()
    controller.wait_for_url("**/amendments/*/#change-2")
    assert controller.locator("#problems-summary").count() == 0
    assert "МОН, МКС" in controller.locator("#change-2 tr.cell-changed").inner_text()
    controller.click("#apply-form button")
    controller.wait_for_url(f"**/plans/{plan.pk}/")
    assert controller.locator("#versions-differ").count() == 1
    acts = controller.locator("td.revision-act").all_inner_texts()
    assert any(text.startswith("№ 12, 10.11.2015") for text in acts)
    _shot(controller, "02-plan-versions-differ")

    # The Kazakh act at a phone's width.
    kk_page = _page(browser, base, "controller", problems, width=390)
    kk_page.goto(f"{base}/control/plans/{plan.pk}/amendments/new/")
    kk_page.set_input_files("#id_file", str(ACTS / "kk_act_seed.txt"))
    kk_page.click("#amendment-upload-form button[type=submit]")
    kk_page.wait_for_url("**/amendments/*/")
    assert kk_page.locator("#problems-summary").count() == 0
    assert int(kk_page.evaluate("document.documentElement.scrollWidth")) <= 390
    _shot(kk_page, "03-review-kk-390")
    kk_page.click("#apply-form button")
    kk_page.wait_for_url(f"**/plans/{plan.pk}/")
    assert kk_page.locator("#versions-differ").count() == 0
    # The revision history names the act, in both languages' revisions.
    amended = kk_page.locator('tr:has(td.revision-act:has-text("№ 12"))')
    assert amended.count() == 2
    amended.first.locator("a").first.click()
    kk_page.wait_for_url(f"**/plans/{plan.pk}/revisions/*/")
    assert "№ 12" in kk_page.locator("#revision-act").inner_text()

    # The executor's obligations follow the act: row 5 no longer theirs; 5-1 and 8 are.
    assert (_my_rows(executor, base, "5"), _my_rows(executor, base, "5-1")) == (0, 1)
    row8 = executor.locator('#obligations-table tr[data-activity="8"]')
    executor.goto(f"{base}/control/obligations/")
    assert row8.count() == 1
    assert row8.get_attribute("data-due") == "2015-11-25"
    _shot(executor, "04-executor-obligations")
    for page in (executor, controller, kk_page):
        assert _broken_images(page) == 0
    assert problems == []
