"""The kept figures (``figure_counts``) equal a fresh count of the reports after any sequence of
the lifecycle services, are cleared by a TRUNCATE and repaired by the check command, and the
figures pages read them in a constant number of queries."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.civic import services
from jospar.civic.figure_counts import (
    figure_counts_check,
    figure_counts_rebuild,
    histogram_median,
    span_bucket,
)
from jospar.civic.figures_raw import figures_raw, league_table_raw
from jospar.civic.models import CitizenReport, FigureBucket, FigureCount
from jospar.civic.selectors.figures import cover
from jospar.civic.selectors.reports import figures, league_table
from jospar.civic.tests.conftest import ASTANA, World
from jospar.core.errors import ServiceError

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 28, 6, 0, tzinfo=dt.UTC)
ACTIONS = (
    "file",
    "file_astana",
    "start",
    "answer",
    "done",
    "done_with_text",
    "reject",
    "duplicate",
    "dispute",
    "confirm",
    "solved",
    "hide",
    "unhide",
)
steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=40),
    ),
    min_size=1,
    max_size=14,
)


def _act(world: World, file_report: Callable[..., CitizenReport], action: str, n: int) -> None:
    reports = list(CitizenReport.objects.order_by("pk"))
    if action == "file":
        file_report()
        return
    if action == "file_astana":
        file_report(point=ASTANA)
        return
    if not reports:
        return
    report = reports[n % len(reports)]
    official = world.astana_official if report.region_id == world.astana.pk else world.official
    calls: dict[str, Callable[[], Any]] = {
        "start": lambda: services.report_start(actor=official, report=report),
        "answer": lambda: services.report_answer(
            actor=official, report=report, text="Repair planned."
        ),
        "done": lambda: services.report_mark_done(actor=official, report=report),
        "done_with_text": lambda: services.report_mark_done(
            actor=official, report=report, text="Repaired."
        ),
        "reject": lambda: services.report_reject(actor=official, report=report, reason="Not ours."),
        "duplicate": lambda: services.report_mark_duplicate(
            actor=official, report=report, original=reports[0]
        ),
        "dispute": lambda: services.report_dispute(
            actor=world.citizen, report=report, reason="Still there."
        ),
        "confirm": lambda: services.report_confirm(actor=world.citizen, report=report),
        "solved": lambda: services.report_mark_solved_by_citizen(
            actor=world.citizen, report=report
        ),
        "hide": lambda: services.moderation_hide(
            actor=world.moderator, report=report, reason="Insults."
        ),
        "unhide": lambda: services.moderation_unhide(
            actor=world.moderator, report=report, reason="Fine."
        ),
    }
    with contextlib.suppress(ServiceError):  # refused: nothing changed, the figures neither
        calls[action]()


def _counts(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "promptly": found["solved_promptly"],
        "by_citizens": found["solved_by_citizens"],
        "months": found["published_by_month"],
        "regions": [(r["id"], r["count"]) for r in found["resolution_by_region"]],
        "topics": sorted((r["id"], r["count"]) for r in found["resolution_by_topic"]),
    }


def _league(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted(
        (r["akimat_id"], r["reports"], r["due"], r["on_time"], r["open_overdue"]) for r in rows
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_kept_figures_equal_a_fresh_count_after_any_lifecycle(
    plan: list[tuple[str, int, int]],
    world: World,
    route_roads: Any,
    file_report: Callable[..., CitizenReport],
) -> None:
    for action, n, days in plan:
        # Each step on its own day (hours apart across midnight in Almaty too).
        moment = START + dt.timedelta(days=days, hours=7 * n)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            _act(world, file_report, action, n)
    assert figure_counts_check() == []
    for period in (None, (dt.date(2026, 1, 29), dt.date(2026, 3, 3))):
        assert _counts(figures(period=period)) == _counts(figures_raw(period=period))
        assert _counts(figures(world.almaty, period)) == _counts(figures_raw(world.almaty, period))
        today = dt.date(2026, 2, 20)
        assert _league(league_table(period, today=today)) == _league(
            league_table_raw(period, today=today)
        )


def test_truncate_clears_and_the_check_repairs(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    services.report_mark_done(actor=world.official, report=report, text="Repaired.")
    assert FigureCount.objects.exists()
    assert figure_counts_check() == []
    if connection.vendor == "postgresql":
        # A TRUNCATE (a restore of the table, a flush) fires no row trigger; the statement
        # trigger clears the counts, so they never count reports that are gone.
        rows = list(CitizenReport.objects.values())
        with connection.cursor() as cursor:
            # The test's transaction holds deferred key checks: run them before the TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE civic_citizenreport CASCADE")
        assert not FigureCount.objects.exists()
        assert not FigureBucket.objects.exists()
        # The rows come back behind the services' back (as a restore of one table would).
        CitizenReport.objects.bulk_create([CitizenReport(**row) for row in rows])
    else:
        FigureCount.objects.all().delete()
    assert figure_counts_check()
    with pytest.raises(CommandError):
        call_command("civic_figures_check")
    call_command("civic_figures_check", "--repair")
    assert figure_counts_check() == []
    assert figures()["solved_promptly"] == 1


def test_check_finds_and_repairs_a_wrong_count(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    file_report()
    FigureCount.objects.filter(grain=1).update(placed=7)
    found = figure_counts_check()
    assert [d.table for d in found] == ["count"]
    call_command("civic_figures_check", "--repair")
    assert figure_counts_check() == []
    assert figure_counts_rebuild() > 0
    assert figure_counts_check() == []


def test_refused_service_changes_no_figure(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    before = list(FigureCount.objects.order_by("pk").values())
    with pytest.raises(ServiceError):
        services.report_mark_done(actor=world.astana_official, report=report, text="x")
    assert list(FigureCount.objects.order_by("pk").values()) == before


def test_a_report_change_keeps_the_figures_in_one_upsert_per_table(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    report.refresh_from_db()
    with CaptureQueriesContext(connection) as kept:
        services.report_mark_done(actor=world.official, report=report, text="Repaired.")
    writes = [
        q["sql"]
        for q in kept.captured_queries
        if "civic_figure" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    upserts = [sql for sql in writes if sql.startswith("INSERT") and "ON CONFLICT" in sql]
    deletes = [sql for sql in writes if sql.startswith("DELETE")]
    # Solving adds to several keys (solved, promptly, the histograms at three grains) and takes
    # the report out of the unanswered buckets: one upsert for each table, and one delete of
    # the bucket rows that came to nothing.
    assert len(upserts) == 2, writes
    assert len(deletes) == 1, writes
    assert len(writes) == 3, writes
    assert figure_counts_check() == []
    assert not FigureCount.objects.filter(
        placed=0, solved=0, promptly=0, by_citizens=0, submitted=0, answered_due=0, on_time=0
    ).exists()
    assert not FigureBucket.objects.filter(n=0).exists()


def test_cover_reads_years_months_and_edge_days() -> None:
    ranges = cover(dt.date(2024, 11, 15), dt.date(2026, 2, 3))
    assert ranges == [
        (2, dt.date(2025, 1, 1), dt.date(2025, 1, 1)),
        (1, dt.date(2024, 12, 1), dt.date(2024, 12, 1)),
        (0, dt.date(2024, 11, 15), dt.date(2024, 11, 30)),
        (1, dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        (0, dt.date(2026, 2, 1), dt.date(2026, 2, 3)),
    ]
    assert cover(dt.date(2026, 2, 3), dt.date(2026, 2, 3)) == [
        (0, dt.date(2026, 2, 3), dt.date(2026, 2, 3))
    ]
    assert cover(dt.date(2026, 2, 4), dt.date(2026, 2, 3)) == []
    # Every day of a long stretch is covered exactly once.
    start, end = dt.date(2023, 2, 27), dt.date(2025, 3, 2)
    covered: list[dt.date] = []
    for grain, lo, hi in cover(start, end):
        first = lo
        while first <= hi:
            if grain == 0:
                covered.append(first)
                first += dt.timedelta(days=1)
                continue
            last = (
                first.replace(year=first.year + 1)
                if grain == 2
                else (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            )
            day = first
            while day < last:
                covered.append(day)
                day += dt.timedelta(days=1)
            first = last
    assert sorted(covered) == [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def test_histogram_median() -> None:
    assert histogram_median({}) is None
    assert histogram_median({4: 1, 6: 1, 30: 1}) == 6.0
    assert histogram_median({2: 3}) == 2.3  # 2, 2⅓, 2⅔
    assert span_bucket(-1) == 0
    assert span_bucket(13.9) == 13
    assert span_bucket(16) == 14
    assert span_bucket(5000) == 730


def test_figures_pages_read_a_constant_number_of_queries(
    world: World,
    file_report: Callable[..., CitizenReport],
    django_assert_max_num_queries: Any,
) -> None:
    client = Client()
    pages = [
        reverse("civic:figures"),
        reverse("civic:figures") + "?from=2025-03-04&to=2026-12-30",
        reverse("civic:region", kwargs={"region_id": world.almaty.pk}),
    ]
    counts = []
    for extra in range(1, 4):
        for _n in range(extra * 2):
            report = file_report()
            services.report_mark_done(actor=world.official, report=report, text="Done.")
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    # The same queries with 2, 6 and 12 reports solved (more rows, not more queries).
    assert counts[:3] == counts[3:6] == counts[6:9]
    with django_assert_max_num_queries(14):
        client.get(pages[0])


def test_figures_pages_read_no_report_row(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    services.report_mark_done(actor=world.official, report=report, text="Done.")
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(reverse("civic:figures")).status_code == 200
    assert not [q for q in queries.captured_queries if "civic_citizenreport" in q["sql"]]
