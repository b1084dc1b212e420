"""Upload → check → correct → save through the web pages, and every refusal on the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from jospar.control.models import Obligation
from jospar.core.models import AuditEvent, User
from jospar.planparser import parse_plan
from jospar.planparser.corrections import apply_corrections
from jospar.plans.models import Plan, PlanRevision, PlanUpload, PlanUploadStatus
from jospar.plans.tests.conftest import seed, snapshot, upload_file

pytestmark = pytest.mark.django_db


def _activity(upload: PlanUpload, number: str) -> dict[str, Any]:
    return next(a for a in upload.parsed["activities"] if a["number"] == number)


def correct(
    client: Client, upload: PlanUpload, number: str, field: str, value: str, *, htmx: bool = True
) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("plans:upload-correct", args=[upload.pk]),
        {"activity": number, "field": field, "value": value},
        headers=headers,
    )


def test_upload_creates_a_draft_and_shows_the_review(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    assert draft_003.status == PlanUploadStatus.DRAFT
    assert draft_003.lang == "kk"
    assert len(draft_003.parsed["activities"]) == 18
    assert AuditEvent.objects.filter(action="plan_upload.created").count() == 1
    assert Plan.objects.count() == 0
    page = importer_client.get(reverse("plans:upload-review", args=[draft_003.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # Every activity is a row, with its source cells beside it.
    assert html.count('<tbody id="act-') == 18
    assert "2016 ж., 1-ші наурызға дейін" in html
    assert 'datetime="2016-03-01"' in html
    assert "Қазақстан Республикасы Мәдениет және спорт министрлігі" in html  # glossary name


def test_review_filter_shows_only_activities_with_warnings(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    correct(importer_client, draft_003, "4", "deadline_text", "қашан болса да")
    page = importer_client.get(
        reverse("plans:upload-review", args=[draft_003.pk]), {"warnings": "1"}
    )
    html = page.content.decode()
    assert html.count('<tbody id="act-') == 1
    assert 'data-number="4"' in html


def test_cell_form_opens_with_the_cell_as_printed(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    response = importer_client.get(
        reverse("plans:upload-cell", args=[draft_003.pk]),
        {"activity": "5", "field": "executors"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<textarea" in html
    assert "МСМ, ЖАО</textarea>" in html


def test_correcting_a_deadline_rederives_the_dates(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    response = correct(importer_client, draft_003, "4", "deadline_text", "2016 ж., 15 наурызға")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "corrected"
    html = response.content.decode()
    assert html.lstrip().startswith("<tbody")
    assert 'datetime="2016-03-15"' in html
    draft_003.refresh_from_db()
    activity = _activity(draft_003, "4")
    assert activity["reports"] == ["2016-03-15"]
    assert activity["window"]["end"] == "2016-03-15"
    assert draft_003.corrections == [
        {"activity": "4", "field": "deadline_text", "value": "2016 ж., 15 наурызға"}
    ]
    assert AuditEvent.objects.filter(action="plan_upload.corrected").count() == 1


def test_stored_parse_is_the_original_parse_with_the_corrections_replayed(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    correct(importer_client, draft_003, "4", "deadline_text", "2016 ж., 15 наурызға")
    correct(importer_client, draft_003, "5", "executors", "МСМ (жинақтау), ЖАО")
    correct(importer_client, draft_003, "6", "completion_form", "ПӘ-ге ақпарат")
    correct(importer_client, draft_003, "2", "number", "2а")
    correct(importer_client, draft_003, "2а", "title", "Жаңа атауы")
    draft_003.refresh_from_db()
    original = parse_plan(seed("003").read_bytes(), filename=seed("003").name).to_json()
    assert apply_corrections(original, draft_003.corrections) == draft_003.parsed
    assert _activity(draft_003, "6")["reports"] == ["2016-06-30"]
    assert _activity(draft_003, "5")["executors"][0]["lead"] is True
    assert _activity(draft_003, "2а")["title"] == "Жаңа атауы"


def test_correction_without_javascript_redirects_back_to_the_row(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    response = correct(importer_client, draft_003, "4", "title", "Жаңа", htmx=False)
    assert response.status_code == 302
    assert response["Location"].endswith("#act-3")
    page = importer_client.get(
        reverse("plans:upload-review", args=[draft_003.pk]), {"edit": "3", "field": "title"}
    )
    assert 'name="value"' in page.content.decode()


@pytest.mark.parametrize(
    ("number", "field", "value", "code_text"),
    [
        ("4", "colour", "қызыл", "is not a cell that can be corrected"),
        ("99", "title", "Атауы", "no activity numbered 99"),
        ("4", "title", "   ", "needs a title"),
        ("4", "number", "5", "already numbered 5"),
        ("4", "executors", "", "at least one executor"),
    ],
)
def test_refused_correction_keeps_the_text_and_writes_nothing(
    importer_client: Client,
    draft_003: PlanUpload,
    number: str,
    field: str,
    value: str,
    code_text: str,
) -> None:
    before = snapshot()
    parsed_before = PlanUpload.objects.get().parsed
    with_htmx = correct(importer_client, draft_003, number, field, value)
    assert with_htmx.status_code == 422
    html = with_htmx.content.decode()
    assert code_text in html
    without = correct(importer_client, draft_003, number, field, value, htmx=False)
    assert without.status_code == 400
    page = without.content.decode()
    assert code_text in page
    if field != "colour" and number != "99":
        # The person's text is still in the field, with the reason beside it.
        assert f">{value}</textarea>" in page
        assert 'aria-invalid="true"' in page
    assert snapshot() == before
    draft_003.refresh_from_db()
    assert draft_003.parsed == parsed_before
    assert draft_003.corrections == []


def test_save_creates_the_plan_with_the_corrections(
    importer_client: Client, draft_003: PlanUpload, importer: User
) -> None:
    correct(importer_client, draft_003, "4", "deadline_text", "2016 ж., 15 наурызға")
    response = importer_client.post(reverse("plans:upload-save", args=[draft_003.pk]))
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    draft_003.refresh_from_db()
    assert draft_003.status == PlanUploadStatus.SAVED
    assert draft_003.saved_revision is not None
    assert draft_003.saved_revision.corrections == draft_003.corrections
    activity = plan.activities.get(number="4")
    assert activity.report_dates == ["2016-03-15"]
    assert Obligation.objects.filter(activity=activity, due_on=dt.date(2016, 3, 15)).count() == 1
    page = importer_client.get(response["Location"])
    assert "was created" in page.content.decode() or "құрылды" in page.content.decode()
    assert 'datetime="2016-03-15"' in page.content.decode()
    # A saved draft is closed: no more corrections, no second save.
    before = snapshot()
    assert correct(importer_client, draft_003, "4", "title", "Тағы").status_code == 422
    again = importer_client.post(reverse("plans:upload-save", args=[draft_003.pk]))
    assert again.status_code == 400
    assert snapshot() == before


def test_saving_the_same_text_again_changes_nothing(
    importer_client: Client, draft_003: PlanUpload
) -> None:
    importer_client.post(reverse("plans:upload-save", args=[draft_003.pk]))
    upload_file(importer_client, seed("003").read_bytes(), seed("003").name)
    second = PlanUpload.objects.filter(status=PlanUploadStatus.DRAFT).get()
    response = importer_client.post(reverse("plans:upload-save", args=[second.pk]), follow=True)
    assert Plan.objects.count() == 1
    assert PlanRevision.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[Plan.objects.get().pk])


def test_saving_a_language_version_that_disagrees_is_refused_and_loses_nothing(
    importer_client: Client, saved_000: Plan
) -> None:
    path = seed("001")
    upload_file(importer_client, path.read_bytes(), path.name)
    upload = PlanUpload.objects.get()
    correct(importer_client, upload, "1", "deadline_text", "к 20 декабря 2015 года")
    before = snapshot()
    response = importer_client.post(reverse("plans:upload-save", args=[upload.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "activity 1 has other dates" in html
    assert snapshot() == before
    upload.refresh_from_db()
    assert upload.status == PlanUploadStatus.DRAFT
    assert len(upload.corrections) == 1
    assert _activity(upload, "1")["reports"] == ["2015-12-20"]
    # Putting the date back lets the Russian version join the plan.
    correct(importer_client, upload, "1", "deadline_text", "до 16 ноября 2015 года")
    response = importer_client.post(reverse("plans:upload-save", args=[upload.pk]))
    assert response.status_code == 302
    assert Plan.objects.count() == 1
    assert set(saved_000.revisions.values_list("lang", flat=True)) == {"kk", "ru"}


def test_discard_closes_the_draft(importer_client: Client, draft_003: PlanUpload) -> None:
    response = importer_client.post(reverse("plans:upload-discard", args=[draft_003.pk]))
    assert response.status_code == 302
    draft_003.refresh_from_db()
    assert draft_003.status == PlanUploadStatus.DISCARDED
    assert Plan.objects.count() == 0
    before = snapshot()
    assert (
        importer_client.post(reverse("plans:upload-save", args=[draft_003.pk])).status_code == 400
    )
    assert snapshot() == before


def test_a_damaged_pdf_is_refused_by_the_background_reader(
    importer_client: Client, importer: User, django_capture_on_commit_callbacks: Any
) -> None:
    """A PDF is always read in the background (its layout takes seconds a page): the refusal
    is kept on the upload, and no plan, revision or obligation is written."""
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_file(importer_client, b"%PDF-1.4 damaged", "plan.pdf")
    assert response.status_code == 302
    upload = PlanUpload.objects.get()
    assert upload.status == PlanUploadStatus.FAILED
    page = importer_client.get(response["Location"]).content.decode()
    assert "PDF" in page
    after = snapshot()
    assert {k: v for k, v in after.items() if k not in ("uploads", "audit")} == {
        k: v for k, v in before.items() if k not in ("uploads", "audit")
    }


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (bytes(range(256)) * 64, "plan.txt", "binary"),
        (b"", "plan.txt", "empty"),
        (b"Just a letter, not a plan at all.\n" * 20, "plan.txt", "plan"),
        (b"\xd0\x9f\xd0\xbb\xd0\xb0\xd0\xbd", "plan.doc", ".doc"),
    ],
)
def test_unreadable_files_are_refused_and_nothing_is_written(
    importer_client: Client, importer: User, data: bytes, name: str, message: str
) -> None:
    before = snapshot()
    response = upload_file(importer_client, data, name)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html.lower()
    assert snapshot() == before


def test_file_over_the_limit_is_refused(importer_client: Client, settings: Any) -> None:
    settings.PLAN_UPLOAD_MAX_BYTES = 1000
    before = snapshot()
    response = upload_file(importer_client, seed("003").read_bytes(), seed("003").name)
    assert response.status_code == 400
    assert "MB" in response.content.decode()
    assert snapshot() == before


def test_period_must_be_whole_and_in_order(importer_client: Client) -> None:
    before = snapshot()
    response = upload_file(
        importer_client,
        seed("003").read_bytes(),
        seed("003").name,
        period_start="2016-12-31",
        period_end="2016-01-01",
    )
    assert response.status_code == 400
    assert "The end is before the start" in response.content.decode()
    response = upload_file(
        importer_client, seed("003").read_bytes(), seed("003").name, period_start="2016-01-01"
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_large_file_is_read_in_the_background(
    importer_client: Client,
    regions: None,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Any,
) -> None:
    settings.PLAN_UPLOAD_ASYNC_BYTES = 1000
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload_file(importer_client, seed("003").read_bytes(), seed("003").name)
    upload = PlanUpload.objects.get()
    assert response.status_code == 302
    assert upload.status == PlanUploadStatus.PARSING
    page = importer_client.get(reverse("plans:upload-review", args=[upload.pk]))
    assert "<progress" in page.content.decode()
    status = importer_client.get(
        reverse("plans:upload-status", args=[upload.pk]), headers={"HX-Request": "true"}
    )
    assert status.status_code == 200
    assert 'hx-trigger="every 2s"' in status.content.decode()
    # Once the upload is committed its file is adopted (it was written under a temporary
    # name), then the task runs (eagerly, as with no broker).
    assert str(upload.source_file.name).startswith("pending/plan_uploads/")
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    upload.refresh_from_db()
    assert str(upload.source_file.name).startswith("plan_uploads/")
    assert upload.status == PlanUploadStatus.DRAFT
    assert len(upload.parsed["activities"]) == 18
    status = importer_client.get(reverse("plans:upload-status", args=[upload.pk]))
    assert status["HX-Redirect"] == reverse("plans:upload-review", args=[upload.pk])
    # Running the task again changes nothing.
    from jospar.plans.tasks import parse_upload

    assert parse_upload(upload.pk) == PlanUploadStatus.DRAFT
    assert AuditEvent.objects.filter(action="plan_upload.parsed").count() == 1


def test_large_unreadable_file_fails_in_the_background(
    importer_client: Client, settings: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any
) -> None:
    settings.PLAN_UPLOAD_ASYNC_BYTES = 1000
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        upload_file(importer_client, bytes(range(256)) * 64, "plan.txt")
    upload = PlanUpload.objects.get()
    assert upload.status == PlanUploadStatus.FAILED
    assert upload.error is not None
    page = importer_client.get(reverse("plans:upload-review", args=[upload.pk]))
    assert escape(upload.error["message"]) in page.content.decode()
    assert Plan.objects.count() == 0
