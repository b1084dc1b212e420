"""The report as PDF: the HTML template ``control/exports/report.html`` laid out by WeasyPrint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.template.loader import render_to_string

from jospar.control.exports import labels
from jospar.control.exports.data import ConsolidatedReport, Row

Progress = Callable[[int, int], None]

# Shares of the page's width. Wider mark column than in Word: DejaVu Serif is wider than Times,
# and a status word («Қабылданды») must not break. Strings: a number in a template is written
# with the locale's decimal comma, which CSS refuses.
COLUMN_WIDTHS = ("4", "22", "10.5", "13", "11", "27.5", "12")


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Nothing is fetched while laying out: the template needs no file, and a report's text
    must not make the server read a local file or call an address."""
    raise ValueError(f"not fetched: {url[:80]}")


def _blocks(row: Row) -> list[dict[str, Any]]:
    blocks = []
    for entry in row.reported:
        blocks.append(
            {
                "label": row.entry_label(entry),
                "paragraphs": entry.paragraphs,
                "links": [
                    {
                        "url": link.url,
                        "text": link.title or link.url,
                        "safe": urlsplit(link.url).scheme.lower() in ("http", "https"),
                    }
                    for link in entry.links
                ],
                "attachments": labels.attachments_line(entry.attachments)
                if entry.attachments
                else "",
                "evidence": list(entry.evidence),
            }
        )
    return blocks


def report_html(report: ConsolidatedReport) -> str:
    items: list[dict[str, Any]] = []
    section = ""
    for row in report.rows:
        if row.section and row.section != section:
            items.append({"section": row.section})
        section = row.section
        missing = row.not_reported
        items.append(
            {
                "row": row,
                "blocks": _blocks(row),
                "missing": labels.not_reported_line(missing) if missing else "",
                "statuses": [
                    (str(status.label), ", ".join(names)) for status, names in row.status_groups()
                ],
            }
        )
    return render_to_string(
        "control/exports/report.html",
        {
            "report": report,
            "heading": labels.report_heading(report),
            "approval": labels.approval_line(report),
            "period": labels.period_line(report),
            "organisation": labels.organisation_line(report),
            "status_date": labels.status_date_line(report),
            "headings": labels.column_headings(report),
            "widths": COLUMN_WIDTHS,
            "items": items,
            "no_rows": labels.no_rows_line(report),
        },
    )


def write_pdf(report: ConsolidatedReport, progress: Progress | None = None) -> bytes:
    """The report as PDF bytes. Call it with the report's language active."""
    from weasyprint import HTML

    html = report_html(report)
    total = max(len(report.rows), 1)
    if progress is not None:
        progress(total // 4, total)
    document = HTML(string=html, url_fetcher=_refuse_fetch).render()
    if progress is not None:
        progress(total * 3 // 4, total)
    data: bytes = document.write_pdf()
    if progress is not None:
        progress(total, total)
    return data
