"""Control-loop queries at national scale: the discipline dashboard and an executor's list.

Needs the synthetic data set on PostgreSQL (`jospar synth` on the database DATABASE_URL names,
by default postgres://postgres@127.0.0.1:5432/jospar_bench). Prints, for

- the discipline dashboard a controller opens (the overview's selector, `discipline_dashboard`,
  evaluated: its GROUP BY query, the names of the organisations and regions, the roll-up);
- the obligation list of the executor organisation with the most obligations (first page of 50
  with its computed status, and the page's count, as `Paginator` evaluates them),

the median and 95th-percentile time of N warm runs, each beside a hand-written SQL query that
returns the same answer in the same run (the answers are asserted equal), the ratio of the two,
(jospar reads the counts kept in ``DisciplineCount``; the hand-written queries read the tables of
record, so the equality also checks the counts),
and the targets: dashboard median < 100 ms, list median < 30 ms, ratio < 1.5. Beside each, the
CPU time the run cost this process and its PostgreSQL backend (parallel workers not counted),
which does not grow when other work shares the machine; the load average is printed too.

Run: DATABASE_URL=... .venv/bin/python benchmarks/control.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jospar_bench")
# A database URL means production to the settings, which then want their own key; a
# benchmark's throw-away key will do (its app servers inherit it).
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from timing import Runs, p95, timed  # noqa: E402

from jospar.control.discipline import (  # noqa: E402
    ACCEPTED_LATE,
    ACCEPTED_ON_TIME,
    FIGURE_FIELDS,
    LATE_OPEN,
    ON_TIME_OPEN,
    PENDING,
    DisciplineFilter,
    Figures,
    default_period,
    discipline_dashboard,
    quarter_number,
    quarter_start,
)
from jospar.control.models import Obligation  # noqa: E402
from jospar.control.selectors.obligations import ObligationFilter, obligation_list_for  # noqa: E402
from jospar.control.status import due_soon_days, today  # noqa: E402
from jospar.core.models import Role, User  # noqa: E402

PAGE_SIZE = 50
TARGETS = {"dashboard": 100.0, "list": 30.0}
RATIO = 1.5


def sql(query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall())


# --- the dashboard ------------------------------------------------------------------------------


def orm_dashboard(user: User, filters: DisciplineFilter, on: dt.date) -> dict[str, Any]:
    board = discipline_dashboard(user, filters, on=on)
    return {
        "totals": board.totals,
        "organisation": {g.key: g.figures for g in board.organisations},
        "region": {g.key: g.figures for g in board.regions},
        "quarter": {g.key: g.figures for g in board.quarters},
    }


DASHBOARD_SQL = """
SELECT GROUPING(s.org), GROUPING(s.region), GROUPING(s.q), s.org, s.region, s.q,
       count(*) FILTER (WHERE s.b = 1), count(*) FILTER (WHERE s.b = 2),
       count(*) FILTER (WHERE s.b = 3), count(*) FILTER (WHERE s.b = 4),
       count(*) FILTER (WHERE s.b = 5),
       sum(s.days) FILTER (WHERE s.b IN (2, 4)), sum(s.days) FILTER (WHERE s.b = 5)
FROM (
  SELECT o.organisation_id AS org,
         COALESCE(o.region_id, og.region_id) AS region,
         width_bucket(o.deadline, %(starts)s::date[]) AS q,
         CASE WHEN o.accepted_at IS NOT NULL
                THEN CASE WHEN o.submitted_on > o.deadline OR o.first_late_days > 0 THEN 4
                          ELSE 3 END
              WHEN o.submitted_at IS NOT NULL
                   AND (o.returned_at IS NULL OR o.submitted_at >= o.returned_at)
                THEN CASE WHEN o.submitted_on > o.deadline OR o.first_late_days > 0 THEN 2
                          WHEN o.submitted_on <= o.deadline THEN 1 END
              WHEN o.deadline < %(on)s THEN 5
         END AS b,
         CASE WHEN o.accepted_at IS NULL
                   AND (o.submitted_at IS NULL
                        OR (o.returned_at IS NOT NULL AND o.submitted_at < o.returned_at))
                THEN %(on)s - o.deadline
              WHEN o.first_late_days > 0 THEN o.first_late_days
              ELSE o.submitted_on - o.deadline
         END AS days
  FROM control_obligation o
  JOIN plans_activity a ON a.id = o.activity_id
  JOIN plans_plan p ON p.id = a.plan_id
  LEFT JOIN core_organisation og ON og.id = o.organisation_id
  WHERE o.in_force AND a.in_force
    AND (p.controller_organisation_id IS NULL OR p.controller_organisation_id = %(department)s)
    AND o.deadline BETWEEN %(start)s AND %(end)s
) s
GROUP BY GROUPING SETS ((), (s.org), (s.region), (s.q))
"""


def sql_dashboard(user: User, filters: DisciplineFilter, on: dt.date) -> dict[str, Any]:
    """The same figures for a controller, by hand: one pass with grouping sets."""
    assert filters.date_from
    assert filters.date_to
    first, last = quarter_number(filters.date_from), quarter_number(filters.date_to)
    rows = sql(
        DASHBOARD_SQL,
        {
            "starts": [quarter_start(n) for n in range(first, last + 1)],
            "on": on,
            "department": user.organisation_id,
            "start": filters.date_from,
            "end": filters.date_to,
        },
    )
    return _dashboard_answer(rows, first)


COUNTS_DASHBOARD_SQL = """
SELECT GROUPING(s.org), GROUPING(s.region), GROUPING(s.q), s.org, s.region, s.q,
       sum(s.n) FILTER (WHERE s.b = %(on_time_open)s), sum(s.n) FILTER (WHERE s.b = %(late_open)s),
       sum(s.n) FILTER (WHERE s.b = %(accepted_on_time)s),
       sum(s.n) FILTER (WHERE s.b = %(accepted_late)s),
       sum(s.n) FILTER (WHERE s.b = %(pending)s AND s.deadline < %(on)s),
       sum(s.late_days) FILTER (WHERE s.b IN (%(late_open)s, %(accepted_late)s)),
       sum(s.n * (%(on)s - s.deadline)) FILTER (WHERE s.b = %(pending)s AND s.deadline < %(on)s)
FROM (
  SELECT c.organisation_id AS org, COALESCE(c.region_id, og.region_id) AS region,
         width_bucket(c.deadline, %(starts)s::date[]) AS q, c.bucket AS b, c.obligations AS n,
         c.late_days, c.deadline
  FROM control_disciplinecount c
  LEFT JOIN core_organisation og ON og.id = c.organisation_id
  WHERE (c.controller_organisation_id IS NULL OR c.controller_organisation_id = %(department)s)
    AND c.deadline BETWEEN %(start)s AND %(end)s
) s
GROUP BY GROUPING SETS ((), (s.org), (s.region), (s.q))
HAVING sum(s.n) > 0
"""


def counts_dashboard(user: User, filters: DisciplineFilter, on: dt.date) -> dict[str, Any]:
    """The same figures by hand from the counts table jospar reads: the like-for-like query,
    whose time the ratio target is measured against."""
    assert filters.date_from
    assert filters.date_to
    first, last = quarter_number(filters.date_from), quarter_number(filters.date_to)
    rows = sql(
        COUNTS_DASHBOARD_SQL,
        {
            "starts": [quarter_start(n) for n in range(first, last + 1)],
            "on": on,
            "department": user.organisation_id,
            "start": filters.date_from,
            "end": filters.date_to,
            "on_time_open": ON_TIME_OPEN,
            "late_open": LATE_OPEN,
            "accepted_on_time": ACCEPTED_ON_TIME,
            "accepted_late": ACCEPTED_LATE,
            "pending": PENDING,
        },
    )
    return _dashboard_answer(rows, first)


def _dashboard_answer(rows: list[tuple[Any, ...]], first: int) -> dict[str, Any]:
    answer: dict[str, Any] = {"totals": Figures(), "organisation": {}, "region": {}, "quarter": {}}
    for g_org, g_region, g_q, org, region, q, *values in rows:
        figures = Figures(**{n: int(v or 0) for n, v in zip(FIGURE_FIELDS, values, strict=True)})
        if g_org and g_region and g_q:
            answer["totals"] = figures
        elif not g_org and org is not None:
            answer["organisation"][org] = figures
        elif not g_region and region is not None:
            answer["region"][region] = figures
        elif not g_q:
            answer["quarter"][first + q - 1] = figures
    return answer


# --- the executor's obligation list ------------------------------------------------------------


def orm_list(user: User) -> tuple[int, list[tuple[Any, ...]]]:
    page = Paginator(obligation_list_for(user, ObligationFilter()), PAGE_SIZE).get_page(1)
    rows = [
        (
            o.pk,
            o.status,  # type: ignore[attr-defined]
            o.deadline,
            o.activity.number,
            o.activity.plan.title,
            o.executor.code,
            o.organisation.name if o.organisation else None,
            o.region.name if o.region else None,
            o.executor.lead,
            # The co-executor's badge and the lead executor it reports to.
            o.lead_obligation.organisation.name
            if o.lead_obligation and o.lead_obligation.organisation
            else None,
        )
        for o in page.object_list
    ]
    return page.paginator.count, rows


LIST_COUNT_SQL = """
SELECT count(*) FROM control_obligation o JOIN plans_activity a ON a.id = o.activity_id
WHERE o.organisation_id = %(org)s AND o.in_force AND a.in_force
"""
LIST_PAGE_SQL = """
SELECT o.id,
       CASE WHEN o.accepted_at IS NOT NULL THEN 'accepted'
            WHEN o.returned_at IS NOT NULL
                 AND (o.submitted_at IS NULL OR o.submitted_at < o.returned_at)
              THEN CASE WHEN o.deadline < %(on)s THEN 'overdue' ELSE 'returned' END
            WHEN o.submitted_at IS NOT NULL AND o.submitted_on <= o.deadline
                 AND COALESCE(o.first_late_days, 0) <= 0
              THEN 'submitted_on_time'
            WHEN o.submitted_at IS NOT NULL THEN 'submitted_late'
            WHEN o.deadline < %(on)s THEN 'overdue'
            WHEN o.deadline <= %(soon)s THEN 'due_soon'
            ELSE 'not_yet_due' END,
       o.deadline, a.number, p.title_kk, p.title_ru, e.code_kk, e.code_ru,
       og.name_kk, og.name_ru, r.name_kk, r.name_ru, e.lead, lo.name_kk, lo.name_ru
FROM control_obligation o
JOIN plans_activity a ON a.id = o.activity_id
JOIN plans_plan p ON p.id = a.plan_id
JOIN plans_activityexecutor e ON e.id = o.executor_id
LEFT JOIN core_organisation og ON og.id = o.organisation_id
LEFT JOIN core_region r ON r.id = o.region_id
LEFT JOIN control_obligation l ON l.id = o.lead_obligation_id
LEFT JOIN core_organisation lo ON lo.id = l.organisation_id
WHERE o.organisation_id = %(org)s AND o.in_force AND a.in_force
ORDER BY o.deadline, o.due_on, a.plan_id, a.position, e.position, r.name_en, o.id
LIMIT %(limit)s
"""


LIST_COUNTS_SQL = """
SELECT coalesce(sum(c.obligations), 0) FROM control_disciplinecount c
WHERE c.organisation_id = %(org)s
"""


def sql_list(
    organisation_id: int, on: dt.date, *, from_counts: bool = False
) -> tuple[int, list[tuple[Any, ...]]]:
    """The list by hand; ``from_counts`` takes the count from the counts table, as jospar does
    (the like-for-like query), otherwise from the obligations."""
    params = {
        "org": organisation_id,
        "on": on,
        "soon": on + dt.timedelta(days=due_soon_days()),
        "limit": PAGE_SIZE,
    }
    count = int(sql(LIST_COUNTS_SQL if from_counts else LIST_COUNT_SQL, params)[0][0])
    rows = [
        (
            row[0],
            row[1],
            row[2],
            row[3],
            row[4] or row[5],
            row[6] or row[7],
            row[8] or row[9],
            row[10] or row[11],
            row[12],
            row[13] or row[14],
        )
        for row in sql(LIST_PAGE_SQL, params)
    ]
    return count, rows


# --- the report ---------------------------------------------------------------------------------


def line(name: str, orm: Runs, like: Runs, raw: Runs, target: float) -> bool:
    """``like``: the hand SQL reading what jospar reads (the ratio target is against it);
    ``raw``: the hand SQL computing the same answer from the obligations themselves."""
    median = statistics.median(orm.wall)
    ratio = median / statistics.median(like.wall)
    raw_ratio = median / statistics.median(raw.wall)
    ok = median < target and ratio < RATIO
    print(f"{name}")
    for label, runs in (
        ("jospar               ", orm),
        ("hand SQL, same tables", like),
        ("hand SQL, obligations", raw),
    ):
        print(
            f"  {label}  median {statistics.median(runs.wall):7.1f} ms   "
            f"p95 {p95(runs.wall):7.1f} ms   (CPU, app + database: median "
            f"{statistics.median(runs.cpu):6.1f} ms)"
        )
    print(
        f"  ratio to the same-table hand SQL {ratio:4.2f} (target < {RATIO}); to the hand SQL "
        f"over the obligations {raw_ratio:4.2f}; median target < {target:.0f} ms   "
        f"{'OK' if ok else 'MISSED'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("benchmarks/control.py needs PostgreSQL (DATABASE_URL)")
    # Kazakh names, as the pages show them by default.
    from django.utils import translation

    translation.activate("kk")
    on = today()
    total = Obligation.objects.count()
    if total < 1000:
        raise SystemExit("No synthetic data: run `jospar synth` on this database first.")
    controller = (
        User.objects.filter(username="synth-controller").first()
        or User.objects.filter(role_grants__role=Role.CONTROLLER, is_active=True).first()
    )
    assert controller is not None, "no controller"
    busiest = (
        Obligation.objects.filter(in_force=True, organisation__isnull=False)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    organisation_id = busiest["organisation_id"]
    executor = User.objects.filter(
        organisation_id=organisation_id, role_grants__role=Role.EXECUTOR, is_active=True
    ).first()
    assert executor is not None, f"no executor of organisation {organisation_id}"

    print("jospar control benchmark")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"python {sys.version.split()[0]}, PostgreSQL {version[0] if version else '?'}, "
        f"{os.cpu_count()} CPUs, load average {load}"
    )
    print(
        f"data: {total} obligations, {Obligation.objects.filter(in_force=True).count()} in force; "
        f"today {on}; {args.runs} warm runs each"
    )
    print()

    start, end = default_period(on)
    filters = DisciplineFilter(date_from=start, date_to=end)
    orm_times, orm_answer = timed(lambda: orm_dashboard(controller, filters, on), args.runs)
    sql_times, sql_answer = timed(lambda: sql_dashboard(controller, filters, on), args.runs)
    like_times, like_answer = timed(lambda: counts_dashboard(controller, filters, on), args.runs)
    assert orm_answer == sql_answer, "the dashboard and the hand-written query disagree"
    assert orm_answer == like_answer, "the dashboard and the hand-written counts disagree"
    totals = orm_answer["totals"]
    print(
        f"discipline dashboard: controller {controller.username}, deadlines {start} – {end} "
        f"(the overview's default), {totals.counted + 0} counted of which "
        f"{totals.percent_on_time} % on time, {totals.overdue} overdue; "
        f"{len(orm_answer['organisation'])} organisations, {len(orm_answer['region'])} regions, "
        f"{len(orm_answer['quarter'])} quarters"
    )
    ok = line(
        "  (overview selector; jospar reads the counts table DisciplineCount)",
        orm_times,
        like_times,
        sql_times,
        TARGETS["dashboard"],
    )
    print()

    orm_times, orm_answer = timed(lambda: orm_list(executor), args.runs)
    sql_times, sql_answer = timed(lambda: sql_list(organisation_id, on), args.runs)
    like_times, like_answer = timed(
        lambda: sql_list(organisation_id, on, from_counts=True), args.runs
    )
    assert orm_answer == sql_answer, "the list and the hand-written query disagree"
    assert orm_answer == like_answer, "the list and the hand-written counts disagree"
    print(
        f"executor's obligation list: {executor.username} (organisation {organisation_id}, "
        f"{orm_answer[0]} obligations in force, the most of any), first page of {PAGE_SIZE} "
        "with status, and the count"
    )
    ok = (
        line(
            "  (obligation_list_for + Paginator; jospar's page count is read from DisciplineCount)",
            orm_times,
            like_times,
            sql_times,
            TARGETS["list"],
        )
        and ok
    )
    print()
    print("all targets met" if ok else "some targets MISSED")


if __name__ == "__main__":
    main()
