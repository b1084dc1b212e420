"""The import as a person does it, in a real Chromium: upload, check, correct, save, and find
the obligations in the control schedule. Screenshots go to ``var/screenshots/``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from jospar.core.models import Role, User
from jospar.core.selectors.directory import regions_existing_on
from jospar.plans.models import Plan

SEED = next((Path(__file__).resolve().parents[1] / "demo_seeds").glob("003_*.txt"))
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
]


def _shot(page: Any, name: str, *, full: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


def test_import_correct_save_and_find_the_obligations(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
) -> None:
    make_user(
        Role.ADMINISTRATOR, username="admin", password="correct-horse-battery", first_name="Әкімші"
    )
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    url = live_server.url

    # Log in.
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "correct-horse-battery")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{url}/plans/upload/")  # an administrator lands on the import

    # Upload the Kazakh plan on state symbols.
    page.goto(f"{url}/plans/upload/")
    _shot(page, "01-upload")
    page.set_input_files("#id_file", str(SEED))
    page.click("form.form-card button[type=submit]")
    page.wait_for_url("**/plans/upload/*/")
    assert page.locator("tbody.activity").count() == 18
    row4 = page.locator('tbody.activity[data-number="4"]')
    assert row4.locator('.reports time[datetime="2016-03-01"]').count() == 1
    assert "2016 ж., 1-ші наурызға дейін" in row4.locator(".source-cells").inner_text()
    _shot(page, "02-review")

    # Correct the deadline of activity 4 in place.
    row4.locator("#cell-3-deadline_text a.edit").click()
    editor = page.locator("#value-3-deadline_text")
    editor.wait_for()
    assert editor.input_value() == "2016 ж., 1-ші наурызға дейін"
    editor.fill("2016 ж., 15 наурызға")
    page.locator("#cell-3-deadline_text button[type=submit]").click()
    row4 = page.locator('tbody.activity[data-number="4"]')
    row4.locator('.reports time[datetime="2016-03-15"]').wait_for()
    assert row4.locator(".corrected-badge").count() == 1
    assert row4.locator('.reports time[datetime="2016-03-01"]').count() == 0
    row4.scroll_into_view_if_needed()
    _shot(page, "03-review-corrected", full=False)

    # Adding the akimats to activity 3 adds one obligation per region to the counts above.
    obligations = page.locator("#upload-summary .counts > div:nth-child(3) dd")
    before = int(obligations.inner_text())
    page.locator("#cell-2-executors a.edit").click()
    page.locator("#value-2-executors").fill("МСМ, ЖАО")
    page.locator("#cell-2-executors button[type=submit]").click()
    page.locator('tbody.activity[data-number="3"] .chip-akimats').wait_for()
    regions_then = regions_existing_on(dt.date(2015, 1, 1)).count()
    page.wait_for_function(
        "n => document.querySelector('#upload-summary .counts > div:nth-child(3) dd')"
        ".textContent.trim() === String(n)",
        arg=before + regions_then,
    )

    # A refused correction keeps the text and says why.
    row4.locator("#cell-3-title a.edit").click()
    page.locator("#value-3-title").fill("   ")
    page.locator("#cell-3-title button[type=submit]").click()
    page.locator("#error-3-title").wait_for()
    assert page.locator("#value-3-title").get_attribute("aria-invalid") == "true"
    _shot(page, "04-review-refused", full=False)
    page.locator("#cell-3-title a.btn.secondary").click()
    page.locator("#value-3-title").wait_for(state="detached")

    # Phones get one card per activity.
    phone = browser.new_context(
        locale="kk-KZ",
        viewport={"width": 390, "height": 844},
        storage_state=context.storage_state(),
    )
    phone_page = phone.new_page()
    phone_page.goto(page.url)
    _shot(phone_page, "05-review-phone-top", full=False)
    phone_page.locator('tbody.activity[data-number="4"]').evaluate(
        "el => el.scrollIntoView({block: 'start'})"
    )
    _shot(phone_page, "05-review-phone-row", full=False)
    phone.close()

    # Save.
    page.click("#save-plan")
    page.wait_for_url("**/plans/*/")
    plan = Plan.objects.get()
    assert page.url.rstrip("/").endswith(f"/plans/{plan.pk}")
    assert page.locator(".messages li").count() == 1
    assert page.locator('#activity-4 time[datetime="2016-03-15"]').count() == 1
    _shot(page, "06-plan")

    # Find it in the list of plans and open it.
    page.goto(f"{url}/plans/")
    link = page.locator(f'#plans-table a[href="/plans/{plan.pk}/"]')
    assert link.count() == 1
    _shot(page, "07-plans")
    link.click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    assert page.locator('#activity-4 time[datetime="2016-03-15"]').count() == 1

    # The control schedule of the plan: МСМ owes on 15 March 2016 for activity 4 ...
    page.goto(f"{url}/plans/obligations/?plan={plan.pk}&due_from=2016-03-01&due_to=2016-03-31")
    rows4 = page.locator('#obligations-table tr[data-activity="4"]')
    assert rows4.count() == 1
    assert rows4.first.get_attribute("data-due") == "2016-03-15"
    assert "Мәдениет және спорт министрлігі" in rows4.first.inner_text()
    # ... and activity 5 is owed by МСМ and by the akimat of every region of the plan's day.
    day = plan.reference_date
    assert isinstance(day, dt.date)
    existing = list(regions_existing_on(day))
    rows5 = page.locator('#obligations-table tr[data-activity="5"]')
    assert rows5.count() == 1 + len(existing)
    texts = rows5.all_inner_texts()
    for region in existing:
        assert any(region.name_kk in text for text in texts), region.name_kk
    _shot(page, "08-obligations")
    context.close()
