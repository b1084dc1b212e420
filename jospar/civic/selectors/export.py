"""The public reports as open data, read by keyset: each batch is the next ``limit`` reports
after the last id sent, in id order, so that every batch costs the same (an index range from
the last id) however deep into the export it is — an offset made each batch slower than the
last. Only public columns are selected, and no region's boundary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connection

from jospar.civic.selectors.reports import ReportFilters, _aware, _rows_where

EXPORT_FIELDS = (
    "id",
    "state",
    "topic__name_kk",
    "topic__name_ru",
    "topic__name_en",
    "akimat__name_kk",
    "akimat__name_ru",
    "akimat__name_en",
    "submitted_at",
    "closed_at",
    "response_due_on",
    "address",
    "latitude",
    "longitude",
    "location_is_approximate",
    "public_description",
)

_EXPORT_SQL = """
SELECT r.id, r.state, t.name_kk, t.name_ru, t.name_en, o.name_kk, o.name_ru, o.name_en,
       r.submitted_at, r.closed_at, r.response_due_on, r.address, r.latitude, r.longitude,
       r.location_is_approximate, r.public_description
FROM civic_citizenreport r
JOIN civic_topic t ON t.id = r.topic_id
JOIN core_organisation o ON o.id = r.akimat_id
WHERE NOT r.hidden AND NOT (r.state = 'submitted'){where} AND r.id > %s
ORDER BY r.id
LIMIT %s
"""

_COUNT_SQL = """
SELECT COUNT(*) FROM (
  SELECT 1 FROM civic_citizenreport r JOIN civic_topic t ON t.id = r.topic_id
  WHERE NOT r.hidden AND NOT (r.state = 'submitted'){where}
  LIMIT %s
) AS found
"""


def public_export_rows(
    filters: ReportFilters | Mapping[str, Any] | None = None, *, after: int = 0, limit: int = 1000
) -> list[dict[str, Any]]:
    """The next ``limit`` public reports with an id above ``after``, by id; one query."""
    where, params = _rows_where(ReportFilters.of(filters))
    with connection.cursor() as cursor:
        cursor.execute(_EXPORT_SQL.format(where=where), [*params, int(after), int(limit)])
        fetched = cursor.fetchall()
    rows = []
    for values in fetched:
        row = dict(zip(EXPORT_FIELDS, values, strict=True))
        for name in ("submitted_at", "closed_at"):
            row[name] = _aware(row[name])
        due = row["response_due_on"]
        if isinstance(due, str) and due:
            row["response_due_on"] = dt.date.fromisoformat(due)
        row["location_is_approximate"] = bool(row["location_is_approximate"])
        rows.append(row)
    return rows


def public_export_count(
    filters: ReportFilters | Mapping[str, Any] | None = None, *, up_to: int
) -> int:
    """How many public reports the filters select, counting no further than ``up_to``: the
    answer to "is this export larger than N rows" costs at most N index entries."""
    where, params = _rows_where(ReportFilters.of(filters))
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL.format(where=where), [*params, int(up_to)])
        row = cursor.fetchone()
    return int(row[0]) if row else 0
