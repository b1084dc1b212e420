"""The public list as open data: a CSV of the reports the filters select, in the reader's
language. It carries exactly what the public pages show — the masked text, never the author —
because it is built from the same public rows (``selectors.public_report_rows``). Text typed by
people is written so that no spreadsheet program computes it (``jospar.core.spreadsheet``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jospar.civic.models import ReportState
from jospar.civic.selectors import public_report_rows
from jospar.civic.views_common import filter_form
from jospar.core.spreadsheet import csv_text

BATCH = 1000
# A file for a spreadsheet, not a dump of the whole portal: narrow the filters for more.
MAX_ROWS = 50_000


class _Echo:
    def write(self, value: str) -> str:
        return value


def _localised(row: dict[str, Any], field: str, lang: str) -> str:
    return str(row.get(f"{field}__name_{lang}") or row.get(f"{field}__name_ru") or "")


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _lines(request: HttpRequest, filters: Any, lang: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    states = dict(ReportState.choices)
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(
        [
            _("Number"),
            _("Topic"),
            _("State"),
            _("Akimat"),
            _("Filed"),
            _("Answer due"),
            _("Closed"),
            _("Address"),
            _("Latitude"),
            _("Longitude"),
            _("Location is approximate"),
            _("What is wrong"),
            _("Page"),
        ]
    )
    sent = 0
    while sent < MAX_ROWS:
        rows = public_report_rows(filters, offset=sent, limit=min(BATCH, MAX_ROWS - sent))
        for row in rows:
            yield writer.writerow(
                [
                    row["id"],
                    csv_text(_localised(row, "topic", lang)),
                    csv_text(states.get(row["state"], row["state"])),
                    csv_text(_localised(row, "akimat", lang)),
                    _when(row["submitted_at"]),
                    row["response_due_on"].isoformat() if row["response_due_on"] else "",
                    _when(row["closed_at"]),
                    csv_text(row["address"]),
                    row["latitude"] if row["latitude"] is not None else "",
                    row["longitude"] if row["longitude"] is not None else "",
                    _("yes") if row["location_is_approximate"] else _("no"),
                    csv_text(row["public_description"]),
                    request.build_absolute_uri(reverse("civic:report", args=[row["id"]])),
                ]
            )
        sent += len(rows)
        if len(rows) < BATCH:
            return


@require_GET
def report_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = filter_form(request)
    filters = form.filters()
    lang = translation.get_language() or "kk"
    lang = lang[:2] if lang[:2] in ("kk", "ru", "en") else "kk"

    def stream() -> Iterator[str]:
        # The rows are written after the view returns: keep the reader's language for them.
        with translation.override(lang):
            yield from _lines(request, filters, lang)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="jospar-reports-{stamp}.csv"'
    return response
