"""The program dashboard at national scale: a program of 4 sub-programs, 20 base projects,
2,000 projects and 200,000 project tasks on control across the regions.

Needs `jospar synth --program` (or `--program-only`) on the PostgreSQL database DATABASE_URL
names (default postgres://postgres@127.0.0.1:5432/jospar_bench). Prints, for the dashboard of
the whole program as it opens (`program_figures`: the tree with each node's figures and light,
what is overdue by body and by region, tasks and key events apart, and the trend by quarter),
the median and 95th-percentile time of N warm runs beside

- hand-written SQL over the same tables (the shown nodes, the nodes' parents, the counts kept
  in ``ProgramCount`` for the shown nodes and the other grains in one statement, and this
  month's overdue obligations): the like-for-like query the ratio target is measured against;
- hand-written SQL computing the same answer from the obligations and their tasks (one pass
  with grouping sets), which also checks the kept counts,

with the answers asserted equal, and the targets: median < 100 ms, ratio < 1.5. CPU time of
this process and its PostgreSQL backend is printed beside each, and the load average.

Run: DATABASE_URL=... .venv/bin/python benchmarks/programs.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jospar_bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from control import line, sql  # noqa: E402
from django.db import connection  # noqa: E402
from timing import Runs, timed  # noqa: E402

from jospar.control.program_counts import (  # noqa: E402
    LATE,
    ON_TIME,
    PENDING,
    ancestry_in,
    month_index,
    quarter_index,
)
from jospar.control.program_dashboard import (  # noqa: E402
    Figures,
    NodeRow,
    ProgramFigures,
    _light_up,
    program_figures,
)
from jospar.control.status import today  # noqa: E402
from jospar.programs.models import Program  # noqa: E402

TARGET = 100.0

NODES_SQL = """
SELECT n.id, n.parent_id, n.kind, n.printed_number, n.name_kk, n.name_ru
FROM programs_programnode n LEFT JOIN programs_programnode p ON p.id = n.parent_id
WHERE n.program_id = %(program)s AND n.in_force AND (n.parent_id IS NULL OR p.parent_id IS NULL)
ORDER BY n.parent_id, n.position, n.id
"""

PARENTS_SQL = "SELECT id, parent_id FROM programs_programnode WHERE program_id = %(program)s"

OVERDUE_SQL = """
SELECT t.node_id, t.kind, o.organisation_id, t.region_id, count(*)
FROM control_obligation o JOIN programs_projecttask t ON t.id = o.project_task_id
WHERE t.program_id = %(program)s AND o.project_task_id IS NOT NULL AND o.in_force
  AND o.accepted_at IS NULL AND o.deadline >= %(month_start)s AND o.deadline < %(on)s
  AND ((o.submitted_at IS NULL AND o.returned_at IS NULL)
       OR (o.returned_at IS NOT NULL
           AND (o.submitted_at IS NULL OR o.submitted_at < o.returned_at)))
GROUP BY 1, 2, 3, 4
"""

_SUMS = """
       sum(obligations) FILTER (WHERE bucket = %(on_time)s),
       sum(obligations) FILTER (WHERE bucket = %(late)s),
       sum(obligations) FILTER (WHERE bucket = %(pending)s AND period < %(month)s),
       sum(obligations) FILTER (WHERE bucket = %(pending)s AND period = %(month)s),
       sum(obligations) FILTER (WHERE bucket = %(pending)s AND period > %(month)s)
"""

# The shown nodes' rows along the node index, then the other grains along the grain index.
COUNTS_SQL = f"""
SELECT 'n'::text, node_id, NULL::text, NULL::bigint, NULL::bigint, NULL::int, {_SUMS}
FROM control_programcount
WHERE program_id = %(program)s AND grain = 'n' AND node_id = ANY(%(shown)s)
GROUP BY node_id
UNION ALL
SELECT grain::text, NULL::bigint, CASE WHEN grain IN ('o', 'r') THEN kind::text END,
       organisation_id, region_id, CASE WHEN grain = 'm' THEN period / 3 END, {_SUMS}
FROM control_programcount WHERE program_id = %(program)s AND grain IN ('o', 'r', 'm')
GROUP BY 1, 2, 3, 4, 5, 6
"""

FRESH_SQL = """
SELECT GROUPING(t.node_id), GROUPING(o.organisation_id), GROUPING(t.region_id),
       t.node_id, t.kind, o.organisation_id, t.region_id, q.quarter,
       count(*) FILTER (WHERE o.submitted_at IS NOT NULL AND (o.accepted_at IS NOT NULL OR
           o.returned_at IS NULL OR o.submitted_at >= o.returned_at)
           AND o.submitted_on <= o.deadline AND COALESCE(o.first_late_days, 0) <= 0),
       count(*) FILTER (WHERE o.submitted_at IS NOT NULL AND (o.accepted_at IS NOT NULL OR
           o.returned_at IS NULL OR o.submitted_at >= o.returned_at)
           AND (o.submitted_on > o.deadline OR COALESCE(o.first_late_days, 0) > 0)),
       count(*) FILTER (WHERE o.accepted_at IS NULL AND o.deadline < %(on)s AND
           ((o.submitted_at IS NULL AND o.returned_at IS NULL) OR (o.returned_at IS NOT NULL
            AND (o.submitted_at IS NULL OR o.submitted_at < o.returned_at)))),
       count(*) FILTER (WHERE o.accepted_at IS NULL AND o.deadline >= %(on)s AND
           ((o.submitted_at IS NULL AND o.returned_at IS NULL) OR (o.returned_at IS NOT NULL
            AND (o.submitted_at IS NULL OR o.submitted_at < o.returned_at))))
FROM control_obligation o JOIN programs_projecttask t ON t.id = o.project_task_id
CROSS JOIN LATERAL (SELECT (extract(year FROM o.deadline)::int * 4
                            + (extract(month FROM o.deadline)::int - 1) / 3) AS quarter) q
WHERE t.program_id = %(program)s AND o.in_force
GROUP BY GROUPING SETS ((t.node_id), (t.kind, o.organisation_id), (t.kind, t.region_id),
                        (q.quarter))
"""


def _nodes(program: Program) -> dict[int, NodeRow]:
    return {
        pk: NodeRow(pk, parent, kind, number, name_kk or name_ru)
        for pk, parent, kind, number, name_kk, name_ru in sql(NODES_SQL, {"program": program.pk})
    }


def _parents(program: Program) -> dict[int, int | None]:
    return dict(sql(PARENTS_SQL, {"program": program.pk}))


def _answer(figures: ProgramFigures) -> dict[str, Any]:
    return {
        "nodes": {pk: (row.figures, row.light) for pk, row in figures.nodes.items()},
        "bodies": {k: f for k, f in figures.bodies.items() if f.total},
        "regions": {k: f for k, f in figures.regions.items() if f.total},
        "quarters": {k: f for k, f in figures.quarters.items() if f.total},
    }


def orm(program: Program, on: dt.date) -> dict[str, Any]:
    return _answer(program_figures(program, on=on))


def counts_by_hand(program: Program, on: dt.date) -> dict[str, Any]:
    nodes = _nodes(program)
    parents = _parents(program)
    params = {"program": program.pk, "on": on, "month_start": on.replace(day=1)}
    by_node: dict[int, int] = {}
    by_org: dict[tuple[Any, str], int] = {}
    by_region: dict[tuple[Any, str], int] = {}
    in_month = 0
    for node, kind, org, region, n in sql(OVERDUE_SQL, params):
        for above in ancestry_in(parents, node):
            if above in nodes:
                by_node[above] = by_node.get(above, 0) + n
        by_org[(org, kind)] = by_org.get((org, kind), 0) + n
        by_region[(region, kind)] = by_region.get((region, kind), 0) + n
        in_month += n
    figures = ProgramFigures(nodes=nodes, bodies={}, regions={}, quarters={}, on=on)
    rows = sql(
        COUNTS_SQL,
        {
            **params,
            "on_time": ON_TIME,
            "late": LATE,
            "pending": PENDING,
            "month": month_index(on),
            "shown": sorted(nodes),
        },
    )
    this_quarter = quarter_index(on)
    for grain, node, kind, org, region, quarter, *values in rows:
        on_time, late, past, now, future = (int(v or 0) for v in values)

        def split(overdue_now: int) -> Figures:
            return Figures(on_time, late, past + overdue_now, future + now - overdue_now)  # noqa: B023

        if grain == "n" and node in nodes:
            nodes[node].figures = split(by_node.get(node, 0))
        elif grain == "o":
            figures.bodies[(org, kind)] = split(by_org.get((org, kind), 0))
        elif grain == "r":
            figures.regions[(region, kind)] = split(by_region.get((region, kind), 0))
        elif grain == "m":
            figures.quarters[quarter] = split(in_month if quarter == this_quarter else 0)
    _light_up(nodes, None)
    return _answer(figures)


def obligations_by_hand(program: Program, on: dt.date) -> dict[str, Any]:
    nodes = _nodes(program)
    parents = _parents(program)
    figures = ProgramFigures(nodes=nodes, bodies={}, regions={}, quarters={}, on=on)
    for g_node, g_org, g_region, node, kind, org, region, quarter, *values in sql(
        FRESH_SQL, {"program": program.pk, "on": on}
    ):
        f = Figures(*(int(v or 0) for v in values))
        if not g_node:
            for above in ancestry_in(parents, node):
                if above in nodes:
                    nodes[above].figures = nodes[above].figures + f
        elif not g_org:
            figures.bodies[(org, kind)] = f
        elif not g_region:
            figures.regions[(region, kind)] = f
        else:
            figures.quarters[quarter] = f
    _light_up(nodes, None)
    return _answer(figures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("benchmarks/programs.py needs PostgreSQL (DATABASE_URL)")
    from django.utils import translation

    translation.activate("kk")
    program = Program.objects.filter(title_ru__startswith="[synth]").order_by("-pk").first()
    if program is None:
        raise SystemExit("No synthetic program: run `jospar synth --program-only` first.")
    on = today()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print("jospar program dashboard benchmark")
    print(
        f"python {sys.version.split()[0]}, PostgreSQL {version[0] if version else '?'}, "
        f"{os.cpu_count()} CPUs, load average {load}"
    )
    tasks = program.project_tasks.count()
    nodes = program.nodes.count()
    print(f"data: program {program.pk}, {nodes} nodes, {tasks} project tasks; today {on}; "
          f"{args.runs} warm runs each")  # fmt: skip
    print()
    orm_runs: Runs
    orm_runs, orm_answer = timed(lambda: orm(program, on), args.runs)
    like_runs, like_answer = timed(lambda: counts_by_hand(program, on), args.runs)
    raw_runs, raw_answer = timed(lambda: obligations_by_hand(program, on), max(args.runs // 3, 5))
    assert orm_answer == like_answer, "the dashboard and the hand-written counts disagree"
    assert orm_answer == raw_answer, "the dashboard and the hand-written obligations disagree"
    root = [f for pk, (f, _light) in orm_answer["nodes"].items() if pk in orm_answer["nodes"]]
    total = sum(
        (f for pk, (f, _l) in orm_answer["nodes"].items() if program_figures_is_top(program, pk)),
        Figures(),
    )
    print(
        f"program dashboard: {len(root)} nodes, {total.due} due of which {total.overdue} "
        f"overdue; {len(orm_answer['bodies'])} (body, kind), {len(orm_answer['regions'])} "
        f"(region, kind), {len(orm_answer['quarters'])} quarters"
    )
    ok = line(
        "  (program_figures; jospar reads ProgramCount for the shown nodes and this month's "
        "open obligations)",
        orm_runs,
        like_runs,
        raw_runs,
        TARGET,
    )
    sys.exit(0 if ok else 1)


_TOP: dict[int, set[int]] = {}


def program_figures_is_top(program: Program, pk: int) -> bool:
    if program.pk not in _TOP:
        _TOP[program.pk] = set(
            program.nodes.filter(parent__isnull=True).values_list("pk", flat=True)
        )
    return pk in _TOP[program.pk]


if __name__ == "__main__":
    main()
