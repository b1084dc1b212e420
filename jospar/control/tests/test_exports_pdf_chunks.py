"""The long report's PDF, laid out in chunks of rows in parallel and joined: every entry once
and in order, the pages numbered "N / M" across the chunks, each executor named once per
activity, in Kazakh and Russian. Read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import replace

import pytest
from django.utils import translation

from jospar.control.exports import pdf_layout, pdf_writer
from jospar.control.exports.data import ConsolidatedReport, Entry, Row
from jospar.control.exports.render import render_report
from jospar.control.models import ObligationStatus
from jospar.control.tests.exports_world import pdf_font_names, pdf_page_count, pdf_text

ROWS = 48
ACCEPTED_WORD = {"ru": "Принято", "kk": "Қабылданды"}
OVERDUE_WORD = {"ru": "Просрочено", "kk": "Мерзімі өткен"}
AGENCY = {"ru": "Министерство", "kk": "Министрлігі"}


def _report(lang: str) -> ConsolidatedReport:
    rows = []
    for number in range(1, ROWS + 1):
        entries = []
        for executor in range(1, 4):
            # Every third activity has one executor overdue: its mark has two statuses.
            overdue = number % 3 == 0 and executor == 3
            entries.append(
                Entry(
                    label=f"{AGENCY[lang]} Q{number:03d}x{executor}",
                    organisation_id=executor,
                    due_on=dt.date(2016, 3, 25),
                    status=ObligationStatus.OVERDUE if overdue else ObligationStatus.ACCEPTED,
                    text="" if overdue else f"E{number:03d}x{executor} " + "мәтін сөз " * 40,
                    reported=not overdue,
                )
            )
        rows.append(
            Row(
                activity_id=number,
                number=str(number),
                section=f"Бөлім S{(number - 1) // 16 + 1}",
                title=f"Іс-шара A{number:03d}",
                completion_form="Ақпарат",
                executors=tuple(e.label for e in entries),
                deadline_text="25.03.2016",
                entries=tuple(entries),
            )
        )
    return ConsolidatedReport(
        plan_id=1,
        plan_title="Жоспар P",
        approved_on=None,
        approval_number="",
        lang=lang,
        period_start=dt.date(2016, 1, 1),
        period_end=dt.date(2016, 3, 31),
        status_on=dt.date(2016, 4, 20),
        organisation_name="",
        rows=tuple(rows),
    )


def _positions(text: str, pattern: str) -> list[str]:
    return re.findall(pattern, text)


@pytest.mark.parametrize(("lang", "workers"), [("kk", 2), ("ru", 3)])
def test_chunked_pdf_has_every_entry_once_in_order_and_numbered_pages(
    lang: str, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _report(lang)
    chunks = pdf_writer.chunks_of(report.rows, workers)
    assert len(chunks) == workers
    assert chunks[0][0] == 0
    assert chunks[-1][1] == ROWS
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))
    # The chunked path is the one taken, with one chunk per worker.
    calls: list[int] = []
    real = pdf_layout.layout_parallel

    def layout_parallel(parts: list[str], n: int) -> bytes:
        calls.append(len(parts))
        return real(parts, n)

    monkeypatch.setattr(pdf_layout, "worker_count", lambda: workers)
    monkeypatch.setattr(pdf_layout, "layout_parallel", layout_parallel)
    data = render_report(report, "pdf", parallel=True).data
    assert calls == [workers]
    text = pdf_text(data)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read")
    flat = " ".join(text.split())
    # Every activity, every reported entry, every executor: once each, in the report's order.
    assert _positions(flat, r"A\d{3}") == [f"A{n:03d}" for n in range(1, ROWS + 1)]
    entries = [f"E{n:03d}x{e}" for n in range(1, ROWS + 1) for e in range(1, 4)]
    entries = [x for x in entries if not (x.endswith("x3") and int(x[1:4]) % 3 == 0)]
    assert _positions(flat, r"E\d{3}x\d") == entries
    # Each executor's name: once in the executors column, once where its entry stands (its
    # information, or the line of those who gave none), never again under the mark.
    for n in range(1, ROWS + 1):
        for e in range(1, 4):
            assert flat.count(f"Q{n:03d}x{e}") == 2, (n, e)
    # The mark of an activity with two statuses names its entries by number.
    with translation.override(lang):
        assert f"{ACCEPTED_WORD[lang]}: 1, 2" in flat
        assert f"{OVERDUE_WORD[lang]}: 3" in flat
    assert flat.count("Жоспар P") == 1  # the title once, above the first chunk
    assert flat.count("Бөлім S2") == 1  # a section's heading is not repeated by a chunk
    # Pages numbered across the chunks: page i says "i / M".
    pages = text.split("\f")
    count = pdf_page_count(data)
    assert count > workers
    for index, page in enumerate(pages[:count], start=1):
        assert re.search(rf"(?<!\d){index} / {count}(?!\d)", page), (index, page[-200:])
    assert all(name.startswith(("DejaVu", "TimesNewRoman")) for name in pdf_font_names(data))


def test_only_the_background_build_lays_out_in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pdf_layout,
        "layout_parallel",
        lambda parts, n: pytest.fail("a build at once (a web worker's) went to the pool"),
    )
    assert render_report(_report("ru"), "pdf").data.startswith(b"%PDF")


def test_short_report_is_laid_out_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report("kk")
    short = ConsolidatedReport(**{**report.__dict__, "rows": report.rows[:3]})
    monkeypatch.setattr(
        pdf_layout,
        "layout_parallel",
        lambda parts, n: pytest.fail("a short report went to the pool"),
    )
    data = render_report(short, "pdf", parallel=True).data
    text = pdf_text(data)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read")
    count = pdf_page_count(data)
    for index, page in enumerate(text.split("\f")[:count], start=1):
        assert re.search(rf"(?<!\d){index} ?/ ?{count}(?!\d)", page), (index, page[-200:])


def test_few_activities_with_many_entries_go_to_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The largest plan has few activities and many executors' entries: its cost is the entries'
    lines, so it is laid out in parallel though its activities are under the threshold."""
    report = _report("ru")
    # Four activities of fifteen entries each: 64 lines of the table, 4 activities.
    many = tuple(
        replace(row, entries=row.entries * 5, executors=row.executors * 5)
        for row in report.rows[:4]
    )
    wide = ConsolidatedReport(**{**report.__dict__, "rows": many})
    seen: list[int] = []

    def parallel(parts: list[str], workers: int) -> bytes:
        seen.append(len(parts))
        return pdf_layout.layout(parts[0])

    monkeypatch.setattr(pdf_layout, "layout_parallel", parallel)
    monkeypatch.setattr(pdf_layout, "worker_count", lambda: 2)
    render_report(wide, "pdf", parallel=True)
    assert seen == [2]


@pytest.mark.parametrize("heavy", [0, 2, 3, 5])
def test_the_cut_falls_where_the_halves_are_nearest_equal(heavy: int) -> None:
    """One activity may weigh as much as several others: the cut is the one of all possible
    cuts that leaves the two chunks nearest in weight."""
    rows = list(_report("ru").rows[:6])
    rows[heavy] = replace(rows[heavy], entries=rows[heavy].entries * 12)
    weights = [pdf_writer._row_weight(row) for row in rows]
    total = sum(weights)
    ((_, cut), (cut_again, end)) = pdf_writer.chunks_of(rows, 2)
    assert (cut, end) == (cut_again, len(rows))
    best = min(abs(total - 2 * sum(weights[:c])) for c in range(1, len(rows)))
    assert abs(total - 2 * sum(weights[:cut])) == best


def test_numbering_the_pages_keeps_the_file_compressed() -> None:
    text = "".join(f"<p>Жол {n} " + "мәтін сөз " * 30 + "</p>" for n in range(400))
    joined = pdf_layout.join([pdf_layout.layout(f"<html><body>{text}</body></html>")] * 2)
    stamped = pdf_layout.stamp_page_numbers(joined)
    assert len(stamped) < 1.5 * len(joined)
