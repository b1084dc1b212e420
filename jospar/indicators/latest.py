"""Every indicator's latest national figures in one statement (the national dashboard, the
program tree's achievement).

For each indicator in use: its latest period with an approved value (one probe of the index on
(indicator, state, period start, period)), the sums ``aggregation.tally`` needs over that
period's approved values (the national row; the regions that existed at the period's **end**:
how many reported, how many have no population, their total, Σ v·population, Σ population),
how many regions existed at that end, the year's national target, and the sub-program above the
indicator's node (up to three levels up, as the tree is at most four deep). One round trip: the
ORM's five queries cost more in Python than the database spent on them
(``benchmarks/indicators.py``; docs/decisions.md).

The statement is the same on PostgreSQL and SQLite but for two fragments: the probe of the
latest period (a ``LATERAL`` join giving period and start at once on PostgreSQL, two scalar
subqueries on SQLite) and the period's last day (date arithmetic). The period's length is read
from its ISO form (``2024``, ``2024S1``, ``2024Q3``, ``202405``), as ``parse_period`` does.
Table names come from the models; every value is a parameter.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from jospar.core.models import Region
from jospar.indicators.models import DataValue, Indicator, Target, ValueState
from jospar.programs.models import NodeKind, ProgramNode

# The columns of a row, in order.
COLUMNS = (
    # the indicator (IndicatorBrief's fields, then its rule)
    "pk",
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "unit",
    "direction",
    "node_id",
    "aggregation",
    "method",
    # its latest approved period ("" none) and the sums over that period (None: no counted value)
    "period",
    "reported",
    "unweighted",
    "national",
    "total",
    "weighted_total",
    "weights",
    "expected",  # the regions that existed at the period's end
    # the year's national target (None: none)
    "target_value",
    "target_comparator",
    # the sub-program above the node (None: none)
    "sub_pk",
    "sub_name_kk",
    "sub_name_ru",
    "sub_printed_number",
    "sub_position",
    "sub_program_id",
)

_MONTHS = """(CASE WHEN length(p.period) = 4 THEN 12 WHEN substr(p.period, 5, 1) = 'S' THEN 6
    WHEN substr(p.period, 5, 1) = 'Q' THEN 3 ELSE 1 END)"""

_INDICATOR = """i.id, i.code, i.name_kk, i.name_ru, i.name_en, i.unit, i.direction, i.node_id,
    i.aggregation, i.method"""

_NEWEST = """FROM {value} d WHERE d.indicator_id = i.id AND d.state = %(approved)s
      ORDER BY d.period_start DESC, d.period DESC LIMIT 1"""

_PROBE = {
    "postgresql": f"""
  SELECT {_INDICATOR}, l.period, l.period_start
  FROM {{indicator}} i
  LEFT JOIN LATERAL (SELECT d.period, d.period_start {_NEWEST}) l ON true
  WHERE {{where}}""",
    "sqlite": f"""
  SELECT {_INDICATOR},
    (SELECT d.period {_NEWEST}) AS period,
    (SELECT d.period_start {_NEWEST}) AS period_start
  FROM {{indicator}} i
  WHERE {{where}}""",
}

_PERIOD_END = {
    "postgresql": f"(p.period_start + {_MONTHS} * interval '1 month' - interval '1 day')::date",
    "sqlite": f"date(p.period_start, '+' || {_MONTHS} || ' months', '-1 day')",
}

_STATEMENT = """
WITH probe AS ({probe}
),
latest AS (
  SELECT p.*, {period_end} AS period_end FROM probe p
),
counted AS (
  SELECT e.period_end, r.id, r.population
  FROM (SELECT DISTINCT period_end FROM latest WHERE period_end IS NOT NULL) e
  JOIN {region} r ON (r.valid_from IS NULL OR r.valid_from <= e.period_end)
    AND (r.valid_to IS NULL OR r.valid_to >= e.period_end)
),
expected AS (
  SELECT period_end, COUNT(*) AS regions FROM counted GROUP BY period_end
),
rolled AS (
  SELECT l.id,
    COUNT(c.id) AS reported,
    COUNT(CASE WHEN c.id IS NOT NULL AND (c.population IS NULL OR c.population <= 0)
      THEN 1 END) AS unweighted,
    MAX(CASE WHEN v.region_id IS NULL THEN COALESCE(v.corrected_value, v.value) END)
      AS national,
    SUM(CASE WHEN c.id IS NOT NULL THEN COALESCE(v.corrected_value, v.value) END) AS total,
    SUM(CASE WHEN c.population > 0 THEN COALESCE(v.corrected_value, v.value) * c.population
      END) AS weighted_total,
    SUM(CASE WHEN c.population > 0 THEN c.population END) AS weights
  FROM latest l
  JOIN {value} v ON v.indicator_id = l.id AND v.state = %(approved)s
    AND v.period_start = l.period_start AND v.period = l.period
  LEFT JOIN counted c ON c.id = v.region_id AND c.period_end = l.period_end
  WHERE v.region_id IS NULL OR c.id IS NOT NULL
  GROUP BY l.id
)
SELECT l.id, l.code, l.name_kk, l.name_ru, l.name_en, l.unit, l.direction, l.node_id,
  l.aggregation, l.method, l.period,
  ro.reported, ro.unweighted, ro.national, ro.total, ro.weighted_total, ro.weights,
  x.regions,
  t.value, t.comparator,
  sub.id, sub.name_kk, sub.name_ru, sub.printed_number, sub.position, sub.program_id
FROM latest l
LEFT JOIN rolled ro ON ro.id = l.id
LEFT JOIN expected x ON x.period_end = l.period_end
LEFT JOIN {target} t ON t.indicator_id = l.id AND t.region_id IS NULL
  AND t.year = CAST(substr(l.period, 1, 4) AS integer)
LEFT JOIN {node} n0 ON n0.id = l.node_id
LEFT JOIN {node} n1 ON n1.id = n0.parent_id
LEFT JOIN {node} n2 ON n2.id = n1.parent_id
LEFT JOIN {node} n3 ON n3.id = n2.parent_id
LEFT JOIN {node} sub ON sub.id = CASE WHEN n0.kind = %(sub)s THEN n0.id
  WHEN n1.kind = %(sub)s THEN n1.id WHEN n2.kind = %(sub)s THEN n2.id
  WHEN n3.kind = %(sub)s THEN n3.id END
ORDER BY l.code
"""


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def latest_national(*, program_id: int | None = None) -> list[tuple[Any, ...]]:
    """The rows (``COLUMNS``) of the indicators in use — of one program's nodes where
    ``program_id`` is given —, by code."""
    where = "i.active = %(active)s"
    params: dict[str, Any] = {
        "active": True,
        "approved": ValueState.APPROVED.value,
        "sub": NodeKind.SUBPROGRAM.value,
    }
    node = _table(ProgramNode)
    if program_id is not None:
        where += (
            f" AND i.node_id IN (SELECT pn.id FROM {node} pn WHERE pn.program_id = %(program)s)"
        )
        params["program"] = program_id
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    value = _table(DataValue)
    query = _STATEMENT.format(
        probe=_PROBE[vendor].format(indicator=_table(Indicator), value=value, where=where),
        period_end=_PERIOD_END[vendor],
        region=_table(Region),
        value=value,
        target=_table(Target),
        node=node,
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall())
