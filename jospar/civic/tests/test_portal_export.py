"""The public list as a CSV file: the same reports as the list, the masked text only, never
an anonymous author's name nor anyone's contact details; batches, not a query per report."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.civic import export_csv
from jospar.civic.models import CitizenReport
from jospar.civic.tests.conftest import ALMATY, World

pytestmark = pytest.mark.django_db

IIN = "880101300123"  # a valid IIN: its check digit fits


def _rows(params: dict[str, Any] | None = None, lang: str = "kk") -> list[list[str]]:
    response = Client(HTTP_ACCEPT_LANGUAGE=lang).get(reverse("civic:list-csv"), params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="jospar-reports-')
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_file_holds_the_public_copy_only(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    secret = file_report(
        description=f"Жарық жоқ. ЖСН {IIN}, тел. +7 701 123 45 67, aigerim@mail.kz",
        is_anonymous=True,
        topic=world.lighting,
        survey={},
    )
    named = file_report(description="A deep pothole at Abai and Dostyk.")
    rows = _rows()
    header, body = rows[0], rows[1:]
    assert header[0] == "Нөмірі"
    by_id = {row[0]: row for row in body}
    assert set(by_id) == {str(secret.pk), str(named.pk)}
    text = "\n".join(",".join(row) for row in rows)
    for private in (IIN, "701 123 45 67", "aigerim@mail.kz", "Айгерім", "Сейітқызы"):
        assert private not in text
    assert "[***]" in by_id[str(secret.pk)][11]
    assert by_id[str(named.pk)][12].endswith(f"/civic/reports/{named.pk}/")


def test_the_filters_of_the_list_apply(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    lighting = file_report(topic=world.lighting, description="No light in the yard.", survey={})
    file_report(description="A deep pothole at Abai and Dostyk.")
    rows = _rows({"topic": world.lighting.code}, lang="ru")
    assert rows[0][0] == "Номер"
    assert [row[0] for row in rows[1:]] == [str(lighting.pk)]


def test_the_file_is_read_in_batches(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from jospar.civic.tests.test_portal_pages import _many

    monkeypatch.setattr(export_csv, "BATCH", 10)
    _many(world, 25)
    with CaptureQueriesContext(connection) as captured:
        rows = _rows()
    assert len(rows) == 1 + 25
    # The form's topics and regions, then three batches of rows (10, 10, 5): not one a report.
    assert len(captured) <= 8
    assert rows[1][0] != rows[2][0]
    assert ALMATY[0] == pytest.approx(float(rows[1][8]), abs=0.05)


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/x","Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,2)",
        "\t=1+1",
        "\r=1+1",
        '\uff1dHYPERLINK("http://evil.example")',
    ],
)
def test_text_that_begins_like_a_formula_is_written_as_text(
    world: World, file_report: Callable[..., CitizenReport], typed: str
) -> None:
    report = file_report(description=f"{typed} — жол бұзылған")
    CitizenReport.objects.filter(pk=report.pk).update(address=typed)
    report.refresh_from_db()
    rows = _rows()
    row = next(row for row in rows[1:] if row[0] == str(report.pk))
    # The form strips leading blanks; what is left still begins like a formula.
    assert report.public_description[:1] in "=+-@\uff1d"
    assert row[11] == "'" + report.public_description
    assert row[7] == "'" + typed
    # Numbers stay numbers, and plain text is not touched.
    assert not row[8].startswith("'")
    assert float(row[8]) > 0


def test_one_rule_for_csv_and_xlsx() -> None:
    from jospar.control.exports import xlsx_writer
    from jospar.core.spreadsheet import csv_text, starts_like_formula

    assert xlsx_writer.starts_like_formula is starts_like_formula  # type: ignore[attr-defined]
    assert csv_text("Жол жөндеу") == "Жол жөндеу"
    assert csv_text("\uff20cmd") == "'\uff20cmd"
    assert csv_text(None) == ""


def test_keyset_batches_in_order_without_duplicates_or_gaps(
    world: World, monkeypatch: pytest.MonkeyPatch, file_report: Callable[..., CitizenReport]
) -> None:
    from jospar.civic.tests.test_portal_pages import _many

    monkeypatch.setattr(export_csv, "BATCH", 10)
    _many(world, 30)  # three full batches: the last one is empty
    hidden = CitizenReport.objects.order_by("pk")[9]  # at a batch's edge
    CitizenReport.objects.filter(pk=hidden.pk).update(hidden=True)
    expected = list(
        CitizenReport.objects.filter(hidden=False).order_by("pk").values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as captured:
        rows = _rows()
    ids = [int(row[0]) for row in rows[1:]]
    assert ids == expected  # in id order, none twice, none missing across the edges
    batches = [q["sql"] for q in captured.captured_queries if "r.id >" in q["sql"]]
    assert len(batches) == 3  # 10, 10 and 9 rows: a short batch ends the file
    # Every batch is the same statement (only the last id differs): no OFFSET growing.
    assert len({sql.split("r.id >")[0] for sql in batches}) == 1
    assert "OFFSET" not in batches[-1].upper()


def test_a_large_export_goes_to_the_background(
    world: World,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    file_report: Callable[..., CitizenReport],
) -> None:
    from jospar.civic.models import ExportState, ReportCsvExport
    from jospar.civic.tests.test_portal_pages import _many, client_for

    settings.CIVIC_EXPORT_IN_BACKGROUND_OVER = 5
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _many(world, 7)
    url = reverse("civic:list-csv")
    page = Client().get(url, {"topic": world.roads.code})
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert b"export-large" in page.content
    # Nobody signed in: sent to sign in, nothing asked for.
    anonymous = Client().post(reverse("civic:export-request"), {"query": "topic=roads"})
    assert anonymous.status_code == 302
    assert reverse("civic:login") in anonymous["Location"]
    assert not ReportCsvExport.objects.exists()
    citizen = client_for(world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        asked = citizen.post(reverse("civic:export-request"), {"query": "topic=roads"})
    export = ReportCsvExport.objects.get()
    assert asked["Location"] == reverse("civic:export", kwargs={"export_id": export.pk})
    from jospar.civic.services.exports import report_csv_export_build

    built = report_csv_export_build(export_id=export.pk)
    assert built is not None
    assert built.state == ExportState.DONE
    assert built.rows == 7
    assert b"export-download" in citizen.get(asked["Location"]).content
    download = citizen.get(reverse("civic:export-file", kwargs={"export_id": export.pk}))
    body = download.getvalue().decode("utf-8")
    assert len(list(csv.reader(io.StringIO(body[1:])))) == 1 + 7
    # Another person, an official, a moderator, nobody: 404, and nothing changed.
    for who in (world.neighbour, world.official, world.moderator, None):
        client = client_for(who) if who is not None else Client()
        for name in ("civic:export", "civic:export-file"):
            response = client.get(reverse(name, kwargs={"export_id": export.pk}))
            assert response.status_code == 404
    assert ReportCsvExport.objects.get().state == ExportState.DONE
    # At most three waiting at once per person.
    for _n in range(3):
        citizen.post(reverse("civic:export-request"), {"query": ""})
    refused = citizen.post(reverse("civic:export-request"), {"query": ""})
    assert refused.status_code == 302
    assert ReportCsvExport.objects.count() == 4
