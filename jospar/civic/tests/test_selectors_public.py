"""Public lists, the map's clusters, one report, the program's figures, and `synth-civic`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jospar.civic.figure_counts import figure_counts_check, figure_counts_rebuild
from jospar.civic.figures_raw import figures_raw, league_table_raw
from jospar.civic.models import CitizenReport, ReportEvent, ReportState
from jospar.civic.selectors import reports as selectors
from jospar.civic.selectors.reports import Period, ReportFilters
from jospar.civic.synth import MARK
from jospar.core.selectors.directory import region_at

from .conftest import ASTANA, World

pytestmark = pytest.mark.django_db
ALMATY_TZ = ZoneInfo("Asia/Almaty")


@pytest.fixture
def make(world: World) -> Callable[..., CitizenReport]:
    def create(**fields: Any) -> CitizenReport:
        at = fields.pop("submitted_at", timezone.now() - dt.timedelta(days=3))
        values: dict[str, Any] = {
            "topic": world.roads,
            "description": "Яма",
            "public_description": "Яма на дороге",
            "latitude": 43.238,
            "longitude": 76.945,
            "region": world.almaty,
            "akimat": world.almaty_akimat,
            "state": ReportState.PUBLISHED,
            "submitted_at": at,
            "published_at": at,
            "updated_at": at,
        }
        values.update(fields)
        return CitizenReport.objects.create(**values)

    return create


def test_public_reports_exclude_what_is_not_public_and_filter(
    world: World, make: Callable[..., CitizenReport]
) -> None:
    shown = make()
    make(state=ReportState.SUBMITTED)
    make(state=ReportState.SUBMITTED, held=True)
    make(hidden=True)
    lit = make(topic=world.lighting, state=ReportState.DONE, public_description="Фонарь погас")
    astana = make(
        region=world.astana,
        akimat=world.astana_akimat,
        latitude=ASTANA[0],
        longitude=ASTANA[1],
        submitted_at=timezone.now() - dt.timedelta(days=40),
    )
    assert set(selectors.public_reports()) == {shown, lit, astana}
    assert list(selectors.public_reports({"topics": ["lighting"]})) == [lit]
    assert list(selectors.public_reports({"topic": world.lighting.pk})) == [lit]
    assert list(selectors.public_reports({"states": [ReportState.DONE]})) == [lit]
    assert list(selectors.public_reports({"region": "astana"})) == [astana]
    assert list(selectors.public_reports({"region": world.astana.pk})) == [astana]
    month = Period(timezone.localdate() - dt.timedelta(days=30), None)
    assert astana not in selectors.public_reports({"period": month})
    assert list(selectors.public_reports({"bbox": (50.5, 70.5, 51.5, 72.0)})) == [astana]
    assert list(selectors.public_reports({"text": "погас"})) == [lit]


def test_report_public_detail(world: World, make: Callable[..., CitizenReport]) -> None:
    shown, hidden = make(), make(hidden=True)
    detail = selectors.report_public_detail(shown.pk)
    assert detail == shown
    assert getattr(detail, "public_media", None) == []
    assert getattr(detail, "public_comments", None) == []
    assert selectors.report_public_detail(hidden.pk) is None
    assert selectors.report_public_detail("nope") is None


def test_map_clusters_group_on_a_global_grid(
    world: World, make: Callable[..., CitizenReport]
) -> None:
    a = make(latitude=43.2380, longitude=76.9450)
    make(latitude=43.2381, longitude=76.9451, state=ReportState.DONE)
    make(latitude=43.2382, longitude=76.9452, state=ReportState.REJECTED)
    far = make(latitude=43.30, longitude=76.80, state=ReportState.IN_PROGRESS)
    make(latitude=43.2380, longitude=76.9450, hidden=True)
    make(latitude=43.2380, longitude=76.9450, state=ReportState.SUBMITTED)
    make(latitude=43.2380, longitude=76.9450, location_is_approximate=True)
    make(region=world.astana, akimat=world.astana_akimat, latitude=ASTANA[0], longitude=ASTANA[1])
    city = (43.0, 76.6, 43.5, 77.2)
    clusters = selectors.map_clusters(city, 11)
    assert sorted(c["count"] for c in clusters) == [1, 3]
    big = next(c for c in clusters if c["count"] == 3)
    assert big["red"] == 1
    assert big["green"] == 1
    assert big["report_id"] is None
    assert big["lat"] == pytest.approx(43.2381)
    assert big["lon"] == pytest.approx(76.9451)
    single = next(c for c in clusters if c["count"] == 1)
    assert single["report_id"] == far.pk
    assert single["red"] == 1
    # Far enough in, every report is its own cluster; from afar, one.
    assert len(selectors.map_clusters(city, 20)) == 4
    assert selectors.map_clusters(city, 3)[0]["count"] == 4
    assert selectors.map_clusters(city, 11, {"states": ["done"]})[0]["count"] == 1
    whole = selectors.map_clusters((40.0, 46.0, 56.0, 88.0), 4)
    assert sum(c["count"] for c in whole) == 5
    # The grid is global: panning does not move a cluster.
    moved = selectors.map_clusters((43.1, 76.7, 43.45, 77.1), 11)
    assert {c["cell"] for c in moved} == {c["cell"] for c in clusters}
    assert a.pk not in [c["report_id"] for c in clusters]


def test_figures_and_league_table(world: World, make: Callable[..., CitizenReport]) -> None:
    day = dt.date(2026, 3, 2)
    at = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ALMATY_TZ)
    due = day + dt.timedelta(days=14)
    prompt = make(
        state=ReportState.DONE,
        submitted_at=at,
        published_at=at,
        response_due_on=due,
        answered_at=at + dt.timedelta(days=2),
        resolved_at=at + dt.timedelta(days=4),
    )
    make(
        state=ReportState.DONE,
        submitted_at=at,
        published_at=at,
        response_due_on=due,
        answered_at=at + dt.timedelta(days=20),
        resolved_at=at + dt.timedelta(days=30),
    )
    by_citizen = make(
        state=ReportState.DONE,
        submitted_at=at,
        published_at=at,
        response_due_on=due,
        resolved_at=at + dt.timedelta(days=6),
    )
    assert by_citizen.resolved_at is not None
    ReportEvent.objects.create(
        report=by_citizen, at=by_citizen.resolved_at, kind="solved_by_citizen", to_state="done"
    )
    make(state=ReportState.PUBLISHED, submitted_at=at, published_at=at, response_due_on=due)
    make(
        region=world.astana,
        akimat=world.astana_akimat,
        state=ReportState.IN_PROGRESS,
        submitted_at=at + dt.timedelta(days=40),
        published_at=at + dt.timedelta(days=40),
        response_due_on=day + dt.timedelta(days=50),
        answered_at=at + dt.timedelta(days=41),
    )
    # Written behind the services' back: the kept figures are recomputed.
    assert figure_counts_check()
    figure_counts_rebuild()
    assert figure_counts_check() == []
    with CaptureQueriesContext(connection) as queries:
        found = selectors.figures(period=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert found == figures_raw(period=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert found["solved_promptly"] == 1
    assert found["solved_by_citizens"] == 1
    assert found["published_by_month"] == [
        {"month": dt.date(2026, 3, 1), "count": 4},
        {"month": dt.date(2026, 4, 1), "count": 1},
    ]
    almaty = next(r for r in found["resolution_by_region"] if r["code"] == "almaty")
    assert almaty["count"] == 3
    assert almaty["median_days"] == 6.0
    assert found["resolution_by_topic"][0]["code"] == "roads"
    assert len(queries) <= 6
    assert selectors.figures(region="astana")["solved_promptly"] == 0
    assert prompt.pk

    table = selectors.league_table(
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)), today=day + dt.timedelta(days=60)
    )
    assert table == league_table_raw(
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)), today=day + dt.timedelta(days=60)
    )
    rows = {row["akimat_id"]: row for row in table}
    almaty_row = rows[world.almaty_akimat.pk]
    assert almaty_row["reports"] == 4
    assert almaty_row["due"] == 4
    assert almaty_row["on_time"] == 1
    assert almaty_row["share_on_time"] == 0.25
    assert almaty_row["open_overdue"] == 1
    assert almaty_row["median_resolution_days"] == 6.0
    astana_row = rows[world.astana_akimat.pk]
    assert astana_row["share_on_time"] == 1.0
    assert astana_row["open_overdue"] == 0
    assert table[0]["akimat_id"] == world.astana_akimat.pk


def test_synth_civic_small(world: World) -> None:
    call_command("synth_civic", "--small", "--reports", "300")
    reports = CitizenReport.objects.filter(description__startswith=MARK)
    assert reports.count() == 300
    assert (
        reports.exclude(state=ReportState.SUBMITTED).filter(response_due_on__isnull=True).count()
        == 0
    )
    assert (
        ReportEvent.objects.filter(kind="rejected", report__in=reports).count()
        == reports.filter(state=ReportState.REJECTED).count()
    )
    for report in reports.order_by("?")[:25]:
        on = timezone.localtime(report.submitted_at).date()
        found = region_at(report.latitude, report.longitude, on)
        assert found is not None, report.pk
        assert found.pk == report.region_id, report.pk
    assert reports.filter(submitted_at__year__lt=2019).exists() or reports.count() < 1000
    call_command("synth_civic", "--reset-only")
    assert not CitizenReport.objects.filter(description__startswith=MARK).exists()


def test_synth_civic_refuses_a_million_on_sqlite(db: None) -> None:
    from django.core.management.base import CommandError

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL takes the full build; this checks the refusal elsewhere")
    with pytest.raises(CommandError):
        call_command("synth_civic")


def test_filters_accept_a_mapping_or_the_dataclass() -> None:
    assert ReportFilters.of({"topic": "roads", "states": "done"}) == ReportFilters(
        topics=("roads",), states=("done",)
    )
    assert ReportFilters.of(None) == ReportFilters()


def test_map_cache_follows_every_change(world: World, make: Callable[..., CitizenReport]) -> None:
    """On PostgreSQL zooms up to 12 read the trigger-kept cell counts: after inserts, state
    changes, a move, hiding and deleting they equal the reports grouped directly (a text
    filter makes `map_clusters` group the reports themselves)."""
    reports = [
        make(latitude=43.2 + i * 0.003, longitude=76.9 + i * 0.004, public_description="Яма")
        for i in range(12)
    ]
    reports[0].state = ReportState.DONE
    reports[0].save()
    reports[1].hidden = True
    reports[1].save()
    reports[2].latitude, reports[2].longitude = ASTANA
    reports[2].save()
    reports[3].delete()
    reports[4].state = ReportState.SUBMITTED
    reports[4].save()
    reports[5].updated_at = timezone.now()
    reports[5].save()
    for box, zoom in (((43.0, 76.6, 43.5, 77.2), 11), ((40.0, 46.0, 56.0, 88.0), 5)):
        for filters in ({}, {"states": ["done"]}, {"topics": ["roads"], "region": "almaty"}):
            cached = selectors.map_clusters(box, zoom, filters)
            direct = selectors.map_clusters(box, zoom, {**filters, "text": "Яма"})
            assert [
                (c["cell"], c["count"], c["red"], c["green"], c["report_id"]) for c in cached
            ] == [(c["cell"], c["count"], c["red"], c["green"], c["report_id"]) for c in direct]
            for a, b in zip(cached, direct, strict=True):
                assert a["lat"] == pytest.approx(b["lat"])
                assert a["lon"] == pytest.approx(b["lon"])


def test_map_cache_is_emptied_when_the_reports_table_is_truncated(
    world: World, make: Callable[..., CitizenReport]
) -> None:
    """TRUNCATE fires no row trigger: a restore or a flushed test database once left the cells
    counting reports that no longer existed, and the map showed pins with nothing behind them."""
    if connection.vendor != "postgresql":
        pytest.skip("the kept cell counts exist on PostgreSQL only")
    make(latitude=43.25, longitude=76.95)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM civic_mapcell")
        assert cursor.fetchone()[0] > 0
        # Django's foreign keys are deferred; TRUNCATE refuses a table with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE civic_citizenreport CASCADE")
        cursor.execute("SELECT count(*) FROM civic_mapcell")
        assert cursor.fetchone()[0] == 0
    assert selectors.map_clusters((40.0, 46.0, 56.0, 88.0), 5, {}) == []
