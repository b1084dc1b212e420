"""In a real Chromium: an executor adds a photo to the report of the forum it held (the event page
then shows it), opens its obligation whose activity ends with an event, picks the forum from the
calendar and adds the evidence without attaching anything: the event's photo comes with it, and
the draft's evidence row shows the event's date, place, participants and the link to its page.
No script error on the way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jospar.control.models import ReportEvidence
from jospar.control.tests.conftest import build_world, png_bytes
from jospar.core.models import User
from jospar.events import services

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser]


def test_executor_picks_a_reported_event_as_evidence(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    make_user: Callable[..., User],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    world = build_world(make_user)
    world.standalone.completion_kinds = ["event"]
    world.standalone.save(update_fields=["completion_kinds"])
    executor = world.person("executor_own")
    starts = timezone.now() - dt.timedelta(days=4)
    event = services.event_create(
        actor=executor,
        data={
            "title_kk": "Жастар форумы",
            "title_ru": "Молодёжный форум",
            "kind": "forum",
            "region": world.region.pk,
            "place": "Астана, Тәуелсіздік сарайы",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=3),
        },
    )
    services.event_report(actor=executor, event=event, participants=320, report="Held.")
    photo = tmp_path / "forum.png"
    photo.write_bytes(png_bytes())

    context = browser.new_context(locale="kk-KZ", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = live_server.url
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", executor.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{url}/events/{event.pk}/")
    page.locator("#report-form input[name=photos]").set_input_files(str(photo))
    page.locator("#save-report").click()
    page.wait_for_load_state("load")
    shown = page.locator("#event-photos img")
    assert shown.count() == 1
    assert shown.get_attribute("alt")
    assert shown.evaluate("i => i.complete && i.naturalWidth > 0")
    page.goto(f"{url}/control/obligations/{world.own.pk}/")
    form = page.locator("#evidence-form-event")
    form.locator("select[name=calendar_event]").select_option(str(event.pk))
    form.locator("#evidence-add-event").click()
    page.wait_for_load_state("load")
    row = page.locator("#evidence-event li[data-evidence]")
    assert row.count() == 1
    text = row.inner_text()
    assert "Тәуелсіздік сарайы" in text
    assert "320" in text
    assert (
        row.locator("a.evidence-url")
        .get_attribute("href", timeout=5_000)
        .endswith(f"/events/{event.pk}/")
    )
    evidence = ReportEvidence.objects.get()
    assert evidence.participants == 320
    assert evidence.files.get().content_type.startswith("image/")
    assert errors == [], errors
    context.close()
