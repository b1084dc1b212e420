"""The national indicators dashboard at national scale.

Needs the synthetic indicators on PostgreSQL (`jospar synth-indicators`, or `jospar synth
--indicators-only`, on the database DATABASE_URL names, by default
postgres://postgres@127.0.0.1:5432/jospar_bench): 300 indicators, their targets, and their
values for the regions of each of 40 quarters. Prints, for the national dashboard's selector
(`jospar.indicators.selectors.national_dashboard`: each indicator in use with its latest national
value — approved values only, summed, weighted by population or entered nationally —, the year's
target and the light, grouped by sub-program), the median and 95th-percentile time of N warm
runs beside a hand-written SQL query on the same tables that returns the same answer in the
same run (the answers are asserted equal), the ratio of the two, and the targets: median
< 100 ms and at most 1.5 × the hand SQL. Beside each, the CPU time of this process and its
PostgreSQL backend, which does not grow when other work shares the machine, and the load
average.

Run: DATABASE_URL=... .venv/bin/python benchmarks/indicators.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jospar_bench")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from timing import Runs, p95, timed  # noqa: E402

from jospar.indicators.latest import latest_national  # noqa: E402
from jospar.indicators.models import DataValue, Indicator  # noqa: E402
from jospar.indicators.selectors import national_dashboard  # noqa: E402

TARGET_MS = 100.0
RATIO = 1.5
PLACES = Decimal("0.0001")

# Per indicator in use: its latest approved period (one probe of the index on (indicator,
# state, period start, period) each), the national value of that period by the indicator's
# rule over the regions that existed at the period's end, how many of those have not
# reported, the year's national target, and the sub-program it belongs to — one round trip.
HAND_SQL = """
WITH latest AS (
  SELECT i.id, i.code, i.aggregation, i.method, i.node_id, l.period, l.period_start,
    (l.period_start + CASE l.period_type WHEN 'yearly' THEN interval '12 months'
      WHEN 'six_monthly' THEN interval '6 months' WHEN 'quarterly' THEN interval '3 months'
      ELSE interval '1 month' END - interval '1 day')::date AS period_end
  FROM indicators_indicator i
  LEFT JOIN LATERAL (
    SELECT d.period, d.period_start, d.period_type FROM indicators_datavalue d
    WHERE d.indicator_id = i.id AND d.state = 'approved'
    ORDER BY d.period_start DESC, d.period DESC LIMIT 1
  ) l ON true
  WHERE i.active
),
expected AS (
  SELECT e.period_end, count(r.id) AS regions
  FROM (SELECT DISTINCT period_end FROM latest WHERE period_end IS NOT NULL) e
  JOIN core_region r ON (r.valid_from IS NULL OR r.valid_from <= e.period_end)
    AND (r.valid_to IS NULL OR r.valid_to >= e.period_end)
  GROUP BY e.period_end
)
SELECT l.code, l.period,
  CASE
    WHEN l.aggregation = 'none' OR l.method = 'computed' THEN
      max(COALESCE(v.corrected_value, v.value)) FILTER (WHERE v.region_id IS NULL)
    WHEN l.aggregation = 'sum' THEN
      sum(COALESCE(v.corrected_value, v.value)) FILTER (WHERE r.id IS NOT NULL)
    ELSE
      sum(COALESCE(v.corrected_value, v.value) * r.population) FILTER (WHERE r.population > 0)
      / NULLIF(sum(r.population) FILTER (WHERE r.population > 0), 0)
  END AS national,
  CASE
    WHEN l.period IS NULL THEN NULL
    WHEN l.aggregation = 'none' OR l.method = 'computed' THEN 0
    ELSE x.regions - count(r.id)
  END AS missing,
  t.value, t.comparator, COALESCE(sub.name_kk, node.name_kk)
FROM latest l
LEFT JOIN expected x ON x.period_end = l.period_end
LEFT JOIN indicators_datavalue v
  ON v.indicator_id = l.id AND v.state = 'approved' AND v.period_start = l.period_start
  AND v.period = l.period
LEFT JOIN core_region r ON r.id = v.region_id
  AND (r.valid_from IS NULL OR r.valid_from <= l.period_end)
  AND (r.valid_to IS NULL OR r.valid_to >= l.period_end)
LEFT JOIN indicators_target t ON t.indicator_id = l.id AND t.region_id IS NULL
  AND t.year = EXTRACT(YEAR FROM l.period_start)
LEFT JOIN programs_programnode node ON node.id = l.node_id
LEFT JOIN programs_programnode sub ON sub.id = node.parent_id AND sub.kind = 'subprogram'
GROUP BY l.id, l.code, l.aggregation, l.method, l.period, x.regions, t.value, t.comparator,
  sub.name_kk, node.name_kk
"""


def _rounded(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(PLACES)


def orm_answer() -> dict[str, tuple[Any, ...]]:
    out = {}
    for group in national_dashboard():
        for row in group.rows:
            out[row.indicator.code] = (
                row.period or None,
                _rounded(row.value),
                row.national.missing if row.national else None,
                _rounded(row.target.value) if row.target else None,
                row.target.comparator if row.target else None,
            )
    return out


def sql_answer() -> dict[str, tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL)
        rows = cursor.fetchall()
    return {
        code: (period, _rounded(value), missing, _rounded(target), comparator)
        for code, period, value, missing, target, comparator, _sub in rows
    }


def line(name: str, orm: Runs, raw: Runs, statement: Runs) -> bool:
    """The selector against the faster of two hand baselines: the benchmark's own hand SQL and
    the selector's statement run bare on a cursor (rows fetched, nothing built from them), so
    that the ratio measures what jospar adds, not a slower query chosen as the yardstick."""
    median = statistics.median(orm.wall)
    ratio = median / min(statistics.median(raw.wall), statistics.median(statement.wall))
    ok = median < TARGET_MS and ratio <= RATIO
    print(f"{name}: {'OK' if ok else 'MISSED'}")
    for label, runs in (
        ("jospar (selector)     ", orm),
        ("hand SQL, same tables ", raw),
        ("its statement, bare   ", statement),
    ):
        print(
            f"  {label}  median {statistics.median(runs.wall):7.1f} ms   "
            f"p95 {p95(runs.wall):7.1f} ms   (CPU, app + database: median "
            f"{statistics.median(runs.cpu):6.1f} ms)"
        )
    print(
        f"  ratio to the faster hand baseline {ratio:4.2f} (target ≤ {RATIO}); "
        f"median target < {TARGET_MS:.0f} ms"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("benchmarks/indicators.py needs PostgreSQL (DATABASE_URL)")
    indicators = Indicator.objects.filter(active=True).count()
    values = DataValue.objects.count()
    if indicators < 300 or values < 200_000:
        sys.exit(
            f"{indicators} indicators and {values} values: run `jospar synth-indicators` first"
        )
    print(
        f"{indicators} indicators, {values} values; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    orm_runs, orm = timed(orm_answer, args.runs)
    raw_runs, raw = timed(sql_answer, args.runs)
    statement_runs, _rows = timed(latest_national, args.runs)
    differ = [(k, orm.get(k), raw.get(k)) for k in sorted(set(orm) | set(raw))]
    differ = [d for d in differ if d[1] != d[2]]
    assert not differ, f"the dashboard and the hand-written query disagree: {differ[:5]}"
    ok = line("national indicators dashboard", orm_runs, raw_runs, statement_runs)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
