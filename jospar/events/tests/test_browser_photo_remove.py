"""Taking a photo off an event's report in a real Chromium at a phone's width, in Kazakh: the
page with the "Remove" step passes the checks of every page (no script error under the strict
CSP, no broken image, no overflow, no serious axe violation); with JavaScript off, the
``<details>`` opens, the button removes the photo, the message says so, the remaining photo
shows and the removed one's files are gone once the transaction committed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jospar.civic.tests.conftest import png_bytes
from jospar.core.models import Organisation, Region, Role, User
from jospar.events import services
from jospar.events.models import EventPhoto, PublicEvent
from tests.browser_checks import Watch, page_check

PASSWORD = "correct-horse-battery"

pytestmark = [pytest.mark.browser]


def _log_in(context: Any, base: str) -> Any:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "org")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url
    return page


def test_remove_a_photo_without_javascript(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MAP_TILE_URL = ""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    astana = Region.objects.get(code="astana")
    organiser = make_user(
        Role.EXECUTOR, organisation=Organisation.objects.get(region=astana), username="org"
    )
    past = timezone.now() - dt.timedelta(days=2)
    event = services.event_create(
        actor=organiser,
        data={
            "title_kk": "Сенбілік",
            "title_ru": "Субботник",
            "kind": "volunteer",
            "region": astana.pk,
            "place": "Орталық саябақ",
            "starts_at": past,
            "ends_at": past + dt.timedelta(hours=2),
        },
    )
    PublicEvent.objects.filter(pk=event.pk).update(
        starts_at=past - dt.timedelta(days=1), ends_at=past - dt.timedelta(hours=20)
    )
    event.refresh_from_db()
    services.event_report(
        actor=organiser,
        event=event,
        participants=25,
        report="Ағаш отырғыздық.",
        photos=[SimpleUploadedFile(f"{i}.png", png_bytes((120, 90))) for i in range(2)],
    )
    wrong, kept = list(EventPhoto.objects.order_by("pk"))
    wrong_files = [Path(f.path) for f in (wrong.original, wrong.public_file, wrong.thumbnail)]
    assert all(p.is_file() for p in wrong_files)
    url = f"{live_server.url}/events/{event.pk}/"

    watch = Watch(live_server.url)
    context = browser.new_context(locale="kk-KZ", viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    context.route("**/*", watch.route)
    page = _log_in(context, live_server.url)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    assert page.locator(".photo-remove").count() == 2
    page.click(f"#photo-remove-{wrong.pk} summary")
    assert page.locator(f"#remove-photo-{wrong.pk}").is_visible()
    page_check(page, watch)
    context.close()

    bare = browser.new_context(
        locale="kk-KZ", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    bare.set_default_timeout(20_000)
    page = _log_in(bare, live_server.url)
    page.goto(url)
    assert not page.locator(f"#remove-photo-{wrong.pk}").is_visible()
    page.click(f"#photo-remove-{wrong.pk} summary")
    page.click(f"#remove-photo-{wrong.pk}")
    page.wait_for_load_state()
    assert page.url.endswith(f"/events/{event.pk}/#event-report")
    assert "Фото жойылды." in page.content()
    assert page.locator("#event-photos img").count() == 1
    assert page.locator(f"#photo-remove-{wrong.pk}").count() == 0
    bare.close()
    assert list(EventPhoto.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not any(p.is_file() for p in wrong_files)
