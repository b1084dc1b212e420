"""A report's photos as a browser sees them, with DEBUG off (as in production): the page shows
each public copy, none is a broken image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jospar.civic.models import CitizenReport, ReportMedia, Topic
from jospar.civic.tests.conftest import jpeg_with_exif, upload
from jospar.core.models import User

pytestmark = [
    pytest.mark.browser,
]


def test_a_report_page_shows_its_photos(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
    tmp_path: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jospar.civic.services import report_file

    if not Topic.objects.filter(code="roads").exists():
        # An earlier transactional test flushed the topics the migration seeds.
        import importlib

        from django.apps import apps as registry
        from django.db import connection

        seeded = importlib.import_module("jospar.civic.migrations.0003_seed_topics")
        seeded.seed(registry, connection.schema_editor())
    settings.DEBUG = False
    # Django's live server answers MEDIA_URL from MEDIA_ROOT itself, which no production server
    # does: let the application answer, as it must in production.
    from django.test import testcases

    monkeypatch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.CIVIC_PREMODERATION = False
    settings.GEOCODER_URL = ""
    citizen = make_user(username="aigerim@example.kz", email="aigerim@example.kz")
    report: CitizenReport = report_file(
        actor=citizen,
        topic=Topic.objects.get(code="roads"),
        description="A deep pothole at the crossing of Abai and Dostyk.",
        latitude=43.2389,
        longitude=76.8897,
        survey={"problem": "pothole"},
        media=[upload("a.jpg", jpeg_with_exif((320, 240))), upload("b.jpg", jpeg_with_exif())],
    )
    assert ReportMedia.objects.filter(report=report).exclude(thumbnail="").count() == 2
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/civic/reports/{report.pk}/")
    page.locator("#photos img").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#photos img')].every(i => i.complete)"
    )
    widths = page.eval_on_selector_all("#photos img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 2
    assert all(width > 0 for width in widths), widths
    assert not [url for url in failed if "/media/" in url], failed
    # The full-size copy behind the thumbnail opens as well.
    href = page.eval_on_selector("#photos a", "a => a.href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "image/jpeg"
    context.close()
