"""Building in the background: progress up to 100, the file downloads, a second run changes
nothing; small reports built at once; failures recorded, never left "being built"."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jospar.control.models_exports import ExportStatus, ReportExport
from jospar.control.services import exports as services_exports
from jospar.control.services.exports import report_export_build, report_export_request
from jospar.control.tasks_exports import build_report_export
from jospar.control.tests.exports_world import (
    ACCEPTED_TEXT,
    Q1_2016,
    World,
    build_world,
    docx_bytes,
)
from jospar.core.errors import ServiceError
from jospar.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(make_user: Callable[..., User], regions: None) -> World:
    return build_world(make_user)


def _request(world: World, actor: User, **overrides: Any) -> ReportExport:
    arguments: dict[str, Any] = {
        "actor": actor,
        "plan": world.plan,
        "lang": "kk",
        "format": "docx",
        "period_start": Q1_2016[0],
        "period_end": Q1_2016[1],
        **overrides,
    }
    return report_export_request(**arguments)


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_background_build_reaches_100_and_downloads(
    world: World,
    settings: Any,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 0
    controller = world.user("controller")
    seen: list[int] = []
    original = services_exports._progress_writer

    def recording(export_id: int) -> Callable[[int, int], None]:
        write = original(export_id)

        def record(done: int, total: int) -> None:
            write(done, total)
            seen.append(ReportExport.objects.get(pk=export_id).progress)

        return record

    monkeypatch.setattr(services_exports, "_progress_writer", recording)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = _request(world, controller)
    assert export.status == ExportStatus.QUEUED
    assert len(callbacks) == 1
    client.force_login(controller)
    fragment = client.get(reverse("control:export-status", args=[export.pk]))
    assert fragment.status_code == 200
    assert 'hx-trigger="every 2s"' in fragment.content.decode()

    callbacks[0]()  # the worker picks the task up
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.progress == 100
    assert seen
    assert seen == sorted(seen)
    assert max(seen) < 100  # 100 only once the file is stored
    assert export.file_size == len(export.file.read())

    fragment = client.get(reverse("control:export-status", args=[export.pk]))
    html = fragment.content.decode()
    assert "hx-trigger" not in html
    assert reverse("control:export-download", args=[export.pk]) in html

    response = client.get(reverse("control:export-download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    name = f"jospar-plan-{world.plan.pk}-2016Q1-kk.docx"
    assert f'filename="{name}"' in response["Content-Disposition"]
    data = _content(response)
    table = docx_bytes(data).tables[0]
    assert table.rows[0].cells[0].text == "Р/с №"
    assert ACCEPTED_TEXT.split("\n")[0] in "\n".join(c.text for r in table.rows for c in r.cells)

    # Running the task again (a redelivery) neither rebuilds nor records anything.
    stored, built = export.file.name, AuditEvent.objects.filter(action="report_export.built")
    count = built.count()
    assert build_report_export.delay(export.pk).get() == ExportStatus.DONE
    export.refresh_from_db()
    assert export.file.name == stored
    assert built.count() == count == 1


def test_small_report_is_built_at_once(world: World, settings: Any) -> None:
    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 300
    export = _request(world, world.user("observer"), format="xlsx", lang="ru")
    assert export.status == ExportStatus.DONE
    assert export.progress == 100
    book = load_workbook(io.BytesIO(export.file.read()))
    assert book.worksheets[0].cell(row=6, column=1).value == "№ п/п"
    actions = list(
        AuditEvent.objects.filter(object_type="control.ReportExport", object_id=str(export.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["report_export.requested", "report_export.built"]


def test_web_request_builds_and_redirects(world: World, client: Client) -> None:
    observer = world.user("observer")
    client.force_login(observer)
    url = reverse("control:export-request", args=[world.plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"period": "Q1", "year": "2016", "lang": "ru", "format": "pdf"})
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("control:export-detail", args=[export.pk])
    assert (export.period_start, export.period_end) == Q1_2016
    assert export.status == ExportStatus.DONE
    download = client.get(reverse("control:export-download", args=[export.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert _content(download).startswith(b"%PDF")


def test_web_request_keeps_what_was_typed_on_error(world: World, client: Client) -> None:
    client.force_login(world.user("observer"))
    url = reverse("control:export-request", args=[world.plan.pk])
    response = client.post(
        url,
        {
            "period": "custom",
            "period_start": "2016-03-31",
            "period_end": "2016-01-01",
            "lang": "kk",
            "format": "xlsx",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2016-03-31"' in html
    assert re.search(r'value="xlsx"[^>]*checked', html)
    assert re.search(r'value="kk"[^>]*checked', html)
    assert ReportExport.objects.count() == 0


def test_service_refuses_bad_periods_and_formats(world: World) -> None:
    observer = world.user("observer")
    with pytest.raises(ServiceError) as refused:
        _request(world, observer, period_start=dt.date(2016, 4, 1), period_end=dt.date(2016, 1, 1))
    assert "period_end" in refused.value.fields
    with pytest.raises(ServiceError) as refused:
        _request(world, observer, format="odt", lang="en")
    assert set(refused.value.fields) == {"format", "lang"}
    assert ReportExport.objects.count() == 0


def test_failure_is_recorded_and_shown(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services_exports, "render_report", broken)
    controller = world.user("controller")
    export = _request(world, controller)
    assert export.status == ExportStatus.FAILED
    assert export.error == {"code": "build_failed", "message": "The report could not be built."}
    assert AuditEvent.objects.filter(action="report_export.failed").count() == 1
    client.force_login(controller)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = client.get(reverse("control:export-detail", args=[export.pk]))
    assert "Информацию не удалось сформировать" in page.content.decode()
    download = client.get(reverse("control:export-download", args=[export.pk]))
    assert download.status_code == 302
    # A failed export is not retried by a redelivered task.
    assert report_export_build(export_id=export.pk) is not None
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


def test_running_export_shows_progress_and_a_stale_one_is_taken_over(
    world: World, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 0
    controller = world.user("controller")
    with django_capture_on_commit_callbacks(execute=False):
        export = _request(world, controller, format="xlsx")
    ReportExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, progress=42, started_at=timezone.now()
    )
    client.force_login(controller)
    html = client.get(reverse("control:export-status", args=[export.pk])).content.decode()
    assert 'value="42"' in html
    assert 'hx-trigger="every 2s"' in html
    # Another worker is on it: a second task leaves it alone.
    report_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.progress) == (ExportStatus.RUNNING, 42)
    # That worker died long ago: the next task builds it.
    ReportExport.objects.filter(pk=export.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=2)
    )
    report_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.progress) == (ExportStatus.DONE, 100)


def test_api_background_and_at_once(
    world: World, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    controller = world.user("controller")
    client.force_login(controller)
    payload = {"plan": world.plan.pk, "lang": "ru", "format": "xlsx", "period": "2016Q1"}
    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 300
    response = client.post("/api/report-exports/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "done"
    assert body["file_name"] == f"jospar-plan-{world.plan.pk}-2016Q1-ru.xlsx"
    assert body["download_url"].endswith(f"/api/report-exports/{body['id']}/download/")

    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 0
    payload.update(format="pdf", period="", period_start="2016-01-01", period_end="2016-06-30")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/report-exports/", payload, content_type="application/json")
    assert response.status_code == 202, response.content
    queued = response.json()
    assert response["Location"] == queued["status_url"]
    status = client.get(f"/api/report-exports/{queued['id']}/").json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["file_name"] == f"jospar-plan-{world.plan.pk}-2016H1-ru.pdf"
    download = client.get(status["download_url"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert _content(download).startswith(b"%PDF")


def test_api_refuses_bad_input_in_one_shape(world: World, client: Client) -> None:
    client.force_login(world.user("controller"))
    response = client.post(
        "/api/report-exports/",
        {"plan": world.plan.pk, "lang": "ru", "format": "xlsx", "period": "2016Q7"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "period" in body["fields"]
    assert ReportExport.objects.count() == 0


def test_api_download_of_an_unbuilt_export_is_a_conflict(
    world: World, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 0
    controller = world.user("controller")
    with django_capture_on_commit_callbacks(execute=False):
        export = _request(world, controller)
    client.force_login(controller)
    response = client.get(f"/api/report-exports/{export.pk}/download/")
    assert response.status_code == 409
    assert response.json()["code"] == "not_ready"


def test_a_report_of_many_entries_goes_to_the_background(world: World, settings: Any) -> None:
    """Sized by entries, not activities: few activities with many obligations are built by the
    task, not in the web worker (issue #15)."""
    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 300
    settings.REPORT_EXPORT_ASYNC_ENTRIES = 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    export = _request(world, world.user("observer"), format="pdf", lang="ru")
    audit = AuditEvent.objects.get(action="report_export.requested", object_id=str(export.pk))
    after = audit.after or {}
    assert after["background"] is True
    assert after["entries"] >= 1


def test_the_report_reads_region_names_not_boundaries(world: World, settings: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REPORT_EXPORT_ASYNC_ACTIVITIES = 300
    with CaptureQueriesContext(connection) as ctx:
        _request(world, world.user("observer"), format="xlsx", lang="ru")
    assert not [q for q in ctx.captured_queries if "regionboundary" in q["sql"]]
