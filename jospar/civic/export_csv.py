"""The lines of the public CSV of reports, in the reader's language: the same for the file
streamed to the browser and the one a worker writes in the background. It carries exactly what
the public pages show — the masked text, never the author. Text typed by people is written so
that no spreadsheet program computes it (``jospar.core.spreadsheet``)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.civic.models import ReportState
from jospar.civic.selectors.export import public_export_rows
from jospar.civic.selectors.reports import ReportFilters
from jospar.core.spreadsheet import csv_text

BATCH = 1000


class _Echo:
    def write(self, value: str) -> str:
        return value


def _localised(row: dict[str, Any], field: str, lang: str) -> str:
    return str(row.get(f"{field}__name_{lang}") or row.get(f"{field}__name_ru") or "")


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def csv_lines(
    filters: ReportFilters, lang: str, page_url: Callable[[int], str], batch: int | None = None
) -> Iterator[str]:
    """The header, then every public report the filters select, by id, in keyset batches."""
    batch = batch or BATCH
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
    last = 0
    while True:
        rows = public_export_rows(filters, after=last, limit=batch)
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
                    page_url(int(row["id"])),
                ]
            )
        if len(rows) < batch:
            return
        last = int(rows[-1]["id"])
