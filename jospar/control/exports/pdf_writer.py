"""The report as PDF: the HTML template ``control/exports/report.html`` laid out by WeasyPrint."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.template.loader import render_to_string

from jospar.control.exports import labels, pdf_layout
from jospar.control.exports.data import ConsolidatedReport, Row

Progress = Callable[[int, int], None]

# Shares of the page's width. Wider mark column than in Word: DejaVu Serif is wider than Times,
# and a status word («Қабылданды») must not break. Strings: a number in a template is written
# with the locale's decimal comma, which CSS refuses.
COLUMN_WIDTHS = ("4", "22", "10.5", "13", "11", "27.5", "12")

# Below this many rows the report is laid out in one process: starting the pool costs more
# than it saves.
# A report is laid out in parallel from this many lines of its table (an activity, and each of
# its executors' entries): its cost is per line, so the count of activities alone would keep
# the largest plan (19 activities, 1,752 entries) in one process.
PARALLEL_FROM_LINES = 40


def _blocks(row: Row, numbers: dict[int, str]) -> list[dict[str, Any]]:
    blocks = []
    for index, entry in enumerate(row.entries):
        if not entry.reported:
            continue
        blocks.append(
            {
                "number": numbers.get(index, ""),
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


def _marks(row: Row) -> tuple[dict[int, str], list[tuple[str, str]]]:
    """The execution mark of an activity, each executor named once on the page.

    One status for the whole activity: the status alone (as before). Several: the entries are
    numbered where their names already stand (the information column, or the line of those who
    gave none), and the mark column gives each status with the numbers of its entries — the
    same meaning as each status followed by the names, without printing every name twice (the
    names were about a third of the report's text, and the layout's cost is per line)."""
    if len({entry.status for entry in row.entries}) <= 1:
        return {}, [(str(entry.status.label), "") for entry in row.entries[:1]]
    numbers = {index: str(index + 1) for index in range(len(row.entries))}
    groups: dict[str, list[str]] = {}
    for index, entry in enumerate(row.entries):
        groups.setdefault(str(entry.status.label), []).append(numbers[index])
    return numbers, [(status, ", ".join(refs)) for status, refs in groups.items()]


def _missing_line(row: Row, numbers: dict[int, str]) -> str:
    names = [
        f"{numbers[index]}) {row.entry_label(entry)}" if numbers else row.entry_label(entry)
        for index, entry in enumerate(row.entries)
        if not entry.reported
    ]
    return labels.not_reported_line(names) if names else ""


def _items(rows: Sequence[Row], section: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for row in rows:
        if row.section and row.section != section:
            items.append({"section": row.section})
        section = row.section
        numbers, marks = _marks(row)
        items.append(
            {
                "row": row,
                "blocks": _blocks(row, numbers),
                "missing": _missing_line(row, numbers),
                "statuses": marks,
            }
        )
    return items


def report_html(
    report: ConsolidatedReport,
    rows: Sequence[Row] | None = None,
    *,
    first: bool = True,
    page_numbers: bool = True,
    section: str = "",
) -> str:
    """The report as HTML, or one chunk of it: ``rows`` a run of the report's rows, ``first``
    whether the title goes above them, ``section`` the section the previous chunk ended in
    (a chunk that starts inside it does not print its heading again)."""
    chosen = report.rows if rows is None else rows
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
            "items": _items(chosen, section),
            "no_rows": labels.no_rows_line(report),
            "first": first,
            "page_numbers": page_numbers,
        },
    )


def _row_weight(row: Row) -> int:
    """About how much a row costs to lay out, in characters (a line's worth for each entry,
    link and evidence line): the layout's cost is per line of text."""
    text = sum(
        len(entry.text) + 60 * (1 + len(entry.links) + len(entry.evidence)) for entry in row.entries
    )
    return 200 + len(row.title) + text


def chunks_of(rows: Sequence[Row], count: int) -> list[tuple[int, int]]:
    """``count`` runs of consecutive rows (start, end) of about equal weight, none empty.

    Each cut is put where the weight before it is nearest its share: an activity is one row
    and may weigh a third of the report, so a cut at the first row that passes the share (as
    before) gave the largest plan's two chunks 88,000 and 49,000 characters, and its PDF the
    longer chunk's time."""
    count = max(1, min(count, len(rows)))
    prefix = list(itertools.accumulate(_row_weight(row) for row in rows))
    total = prefix[-1] if prefix else 0
    cuts: list[int] = []
    for k in range(1, count):
        share = total * k / count
        first = (cuts[-1] if cuts else 0) + 1
        last = len(rows) - (count - k)
        cuts.append(min(range(first, last + 1), key=lambda end: abs(prefix[end - 1] - share)))
    return list(zip([0, *cuts], [*cuts, len(rows)], strict=True))


def write_pdf(
    report: ConsolidatedReport, progress: Progress | None = None, *, workers: int | None = None
) -> bytes:
    """The report as PDF bytes. Call it with the report's language active.

    With ``workers`` over 1 (None: the cores this process may use), a long report is laid out
    in chunks of rows, one process each (:mod:`pdf_layout`), joined and numbered after; a short
    one, or any with ``workers=1``, in this process as one document."""
    workers = pdf_layout.worker_count() if workers is None else workers
    total = max(len(report.rows), 1)
    if progress is not None:
        progress(total // 4, total)
    lines = sum(1 + len(row.entries) for row in report.rows)
    if workers < 2 or len(report.rows) < 2 or lines < PARALLEL_FROM_LINES:
        data = pdf_layout.layout(report_html(report))
    else:
        parts = []
        for start, end in chunks_of(report.rows, workers):
            section = report.rows[start - 1].section if start else ""
            parts.append(
                report_html(
                    report,
                    report.rows[start:end],
                    first=start == 0,
                    page_numbers=False,
                    section=section,
                )
            )
        data = pdf_layout.layout_parallel(parts, workers)
    if progress is not None:
        progress(total, total)
    return data
