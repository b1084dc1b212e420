"""Keeping the figures of Civic Control (``FigureCount``, ``FigureBucket``): what each public
report adds to the program's figures, counted per region, akimat, topic and day (month, year),
so that the figures pages never read the reports (docs/decisions.md, "Citizen side at scale").

A service that changes a report takes what the report adds before the change, under the
report's row lock (``figures_kept``), and adds the difference after it, in its own transaction,
by one upsert per table (``INSERT ... ON CONFLICT DO UPDATE`` on the key's one row, PostgreSQL
and SQLite alike), where it took a read, an update and a delete per key. A change written
behind the services' back (SQL, ``jospar synth``'s COPY, a TRUNCATE, a restore of some tables)
is found by ``figure_counts_check`` and repaired by ``figure_counts_repair`` (``jospar
civic-figures-check --repair``); ``figure_counts_rebuild`` recomputes everything.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from jospar.civic.models import OPEN_STATES, CitizenReport, ReportEvent, ReportState
from jospar.civic.models_figures import FigureBucket, FigureCount, Grain, Measure

ALMATY = ZoneInfo("Asia/Almaty")
# Event kinds that record a problem solved by the citizen, without the akimat.
SELF_SOLVED_EVENT_KINDS = ("solved_by_citizen", "self_resolved")
PUBLIC_Q = Q(hidden=False) & ~Q(state=ReportState.SUBMITTED)

COLUMNS = ("placed", "solved", "promptly", "by_citizens", "submitted", "answered_due", "on_time")
PLACED, SOLVED, PROMPTLY, BY_CITIZENS, SUBMITTED, ANSWERED_DUE, ON_TIME = range(len(COLUMNS))
KEY_FIELDS = ("region_id", "akimat_id", "topic_id", "grain", "day")
BUCKET_FIELDS = (*KEY_FIELDS, "measure", "bucket")

# The lower edges of the buckets of days to solve: each day for two weeks, then wider.
SPAN_EDGES = (*range(14), 14, 21, 30, 45, 60, 90, 120, 180, 365, 730)
LAST_WIDTH = 365

CountKey = tuple[int | None, int | None, int | None, int, dt.date]
BucketKey = tuple[int | None, int | None, int | None, int, dt.date, int, int]
Counts = dict[CountKey, list[int]]
Buckets = Counter[BucketKey]

_FIELDS = (
    "region_id",
    "akimat_id",
    "topic_id",
    "state",
    "submitted_at",
    "published_at",
    "response_due_on",
    "answered_at",
    "resolved_at",
)


def span_bucket(days: float) -> int:
    """The lower edge of the bucket that holds ``days`` (negative spans count as 0)."""
    found = 0
    for edge in SPAN_EDGES:
        if days < edge:
            break
        found = edge
    return found


def span_width(edge: int) -> int:
    at = SPAN_EDGES.index(edge)
    return SPAN_EDGES[at + 1] - edge if at + 1 < len(SPAN_EDGES) else LAST_WIDTH


def histogram_median(hist: dict[int, int]) -> float | None:
    """The median of a histogram of days (``percentile_cont(0.5)`` with the values of a bucket
    spread evenly from its lower edge), to a tenth of a day."""
    total = sum(hist.values())
    if total <= 0:
        return None
    ordered = sorted((edge, n) for edge, n in hist.items() if n > 0)

    def value_at(index: int) -> float:
        seen = 0
        for edge, n in ordered:
            if index < seen + n:
                return edge + span_width(edge) * (index - seen) / n
            seen += n
        edge = ordered[-1][0]
        return float(edge + span_width(edge))

    k = (total - 1) / 2
    low, high = int(k), int(k) + (0 if k == int(k) else 1)
    return round((value_at(low) + value_at(high)) / 2, 1)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ALMATY).date()


def grains(day: dt.date) -> tuple[tuple[int, dt.date], ...]:
    return (
        (Grain.DAY, day),
        (Grain.MONTH, day.replace(day=1)),
        (Grain.YEAR, day.replace(month=1, day=1)),
    )


def _rows(reports: QuerySet[CitizenReport]) -> Iterator[tuple[Any, ...]]:
    by_citizen = Exists(
        ReportEvent.objects.filter(report=OuterRef("pk"), kind__in=SELF_SOLVED_EVENT_KINDS)
    )
    return iter(
        reports.filter(PUBLIC_Q)
        .annotate(by_citizen=by_citizen)
        .order_by()
        .values_list(*_FIELDS, "by_citizen")
    )


def tally(rows: Iterable[tuple[Any, ...]], counts: Counts, buckets: Buckets) -> None:
    """Add what these reports (``_rows``) contribute to ``counts`` and ``buckets``."""
    open_states = {str(s) for s in OPEN_STATES}
    for region, akimat, topic, state, submitted, published, due, answered, resolved, own in rows:
        base = (region, akimat, topic)

        def count(day: dt.date, column: int, base: tuple[Any, ...] = base) -> None:
            for grain, first in grains(day):
                key: CountKey = (*base, grain, first)
                values = counts.get(key)
                if values is None:
                    values = counts[key] = [0] * len(COLUMNS)
                values[column] += 1

        def bucket(
            day: dt.date, measure: int, value: int, scopes: tuple[tuple[Any, ...], ...]
        ) -> None:
            for grain, first in grains(day):
                for scope in scopes:
                    buckets[(*scope, grain, first, measure, value)] += 1

        # The histograms are read per region (all topics: NULL), per topic (all regions) and,
        # on a region's page, per region and topic; the league table's only per akimat.
        everything = (base, (region, akimat, None), (None, None, topic))
        by_akimat = ((region, akimat, None),)
        placed_at = published or submitted
        count(local_day(placed_at), PLACED)
        submitted_day = local_day(submitted)
        count(submitted_day, SUBMITTED)
        if due is not None:
            if answered is not None:
                count(submitted_day, ANSWERED_DUE)
                if local_day(answered) <= due:
                    count(submitted_day, ON_TIME)
            else:
                bucket(submitted_day, Measure.UNANSWERED, due.toordinal(), by_akimat)
                if state in open_states:
                    bucket(submitted_day, Measure.OPEN_UNANSWERED, due.toordinal(), by_akimat)
        if state == ReportState.DONE and resolved is not None:
            solved_day = local_day(resolved)
            count(solved_day, SOLVED)
            if own:
                count(solved_day, BY_CITIZENS)
            elif due is not None and solved_day <= due:
                count(solved_day, PROMPTLY)
            span = span_bucket((resolved - placed_at).total_seconds() / 86400)
            bucket(solved_day, Measure.SPAN_BY_SOLVED, span, everything)
            bucket(submitted_day, Measure.SPAN_BY_SUBMITTED, span, by_akimat)


def contributions(reports: QuerySet[CitizenReport]) -> tuple[Counts, Buckets]:
    counts: Counts = {}
    buckets: Buckets = Counter()
    tally(_rows(reports), counts, buckets)
    return counts, buckets


# --- adding differences ------------------------------------------------------------------------


# The conflict target: the expressions of the unique keys (``models_figures.key_constraint``).
KEY_SQL = "COALESCE(region_id, 0), COALESCE(akimat_id, 0), COALESCE(topic_id, 0), grain, day"
# Rows of one statement: a report's change is one; a repair of many keys is cut in these.
UPSERT_ROWS = 500


def _key_order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    # One order for every transaction: two that add to the same rows take their locks alike.
    return tuple(0 if part is None else part for part in key)


def _upsert(
    model: type[FigureCount] | type[FigureBucket],
    fields: tuple[str, ...],
    conflict: str,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
) -> None:
    """Add ``rows`` (key fields, then the values of ``columns``) to the key's one row, or
    insert it, in one statement per ``UPSERT_ROWS``; a row whose values all come to nothing is
    removed, so the table holds what is counted (the zeros only in the rare case)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(name) for name in (*fields, *columns))
    one = "(" + ", ".join(["%s"] * (len(fields) + len(columns))) + ")"
    # Relative to the stored value: another transaction may add to the same row.
    added = ", ".join(f"{quote(c)} = {table}.{quote(c)} + EXCLUDED.{quote(c)}" for c in columns)
    nothing = " AND ".join(f"{quote(c)} = 0" for c in columns)
    day = fields.index("day")
    rows = sorted(rows, key=_key_order)
    gone: list[int] = []
    with connection.cursor() as cursor:
        for at in range(0, len(rows), UPSERT_ROWS):
            part = rows[at : at + UPSERT_ROWS]
            params = [
                connection.ops.adapt_datefield_value(value) if i == day else value
                for row in part
                for i, value in enumerate(row)
            ]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {added} "
                f"RETURNING id, CASE WHEN {nothing} THEN 1 ELSE 0 END",
                params,
            )
            gone.extend(pk for pk, empty in cursor.fetchall() if empty)
    if gone:
        model.objects.filter(pk__in=gone).delete()


def _add_counts(difference: Counts) -> None:
    _upsert(
        FigureCount,
        KEY_FIELDS,
        KEY_SQL,
        COLUMNS,
        [(*key, *values) for key, values in difference.items() if any(values)],
    )


def _add_buckets(difference: Buckets) -> None:
    _upsert(
        FigureBucket,
        BUCKET_FIELDS,
        f"{KEY_SQL}, measure, bucket",
        ("n",),
        [(*key, n) for key, n in difference.items() if n],
    )


def _difference(
    before: tuple[Counts, Buckets], after: tuple[Counts, Buckets]
) -> tuple[Counts, Buckets]:
    counts: Counts = {}
    for key in before[0].keys() | after[0].keys():
        old = before[0].get(key, [0] * len(COLUMNS))
        now = after[0].get(key, [0] * len(COLUMNS))
        if old != now:
            counts[key] = [b - a for a, b in zip(old, now, strict=True)]
    buckets: Buckets = Counter()
    for bucket_key in before[1].keys() | after[1].keys():
        change = after[1].get(bucket_key, 0) - before[1].get(bucket_key, 0)
        if change:
            buckets[bucket_key] = change
    return counts, buckets


def _apply(difference: tuple[Counts, Buckets]) -> None:
    _add_counts(difference[0])
    _add_buckets(difference[1])


@contextmanager
def figures_kept(report_ids: Iterable[int]) -> Iterator[None]:
    """Inside a service's transaction: lock the reports, take what they add to the figures,
    run the block, and add the difference. A report created in the block is passed to
    ``figures_added`` instead."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("figures_kept() must be called inside the service's transaction")
    ids = sorted({int(pk) for pk in report_ids})
    # The lock first: what is read as "before" must be what the change starts from.
    list(CitizenReport.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
    before = contributions(CitizenReport.objects.filter(pk__in=ids))
    yield
    _apply(_difference(before, contributions(CitizenReport.objects.filter(pk__in=ids))))


def figures_added(report_id: int) -> None:
    """A report created in this transaction adds to the figures (nothing while unpublished)."""
    _apply(contributions(CitizenReport.objects.filter(pk=report_id)))


# --- check, repair, rebuild --------------------------------------------------------------------


def fresh_counts(batch: int = 20_000) -> tuple[Counts, Buckets]:
    """What every public report adds, read from the reports by id in batches."""
    counts: Counts = {}
    buckets: Buckets = Counter()
    last = 0
    while True:
        ids = list(
            CitizenReport.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        tally(_rows(CitizenReport.objects.filter(pk__gte=ids[0], pk__lte=ids[-1])), counts, buckets)
        last = ids[-1]
    return counts, buckets


def stored_counts() -> tuple[Counts, Buckets]:
    """The tables summed by key (keys that sum to nothing left out)."""
    counts: Counts = {}
    for row in (
        FigureCount.objects.order_by()
        .values(*KEY_FIELDS)
        .annotate(**{f"s_{name}": Sum(name) for name in COLUMNS})
    ):
        values = [int(row[f"s_{name}"] or 0) for name in COLUMNS]
        if any(values):
            counts[tuple(row[name] for name in KEY_FIELDS)] = values
    buckets: Buckets = Counter()
    for row in FigureBucket.objects.order_by().values(*BUCKET_FIELDS).annotate(s=Sum("n")):
        if row["s"]:
            buckets[tuple(row[name] for name in BUCKET_FIELDS)] = int(row["s"])
    return counts, buckets


def _lock_tables() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            names = ", ".join(
                connection.ops.quote_name(model._meta.db_table)
                for model in (FigureCount, FigureBucket)
            )
            cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


@dataclass(frozen=True)
class FiguresDifference:
    table: str
    key: tuple[Any, ...]
    stored: Any
    actual: Any


def figure_counts_check() -> list[FiguresDifference]:
    """Every key where the kept figures and the reports disagree (empty when they agree)."""
    with transaction.atomic():
        _lock_tables()
        stored, actual = stored_counts(), fresh_counts()
    return _differences(stored, actual)


def _differences(
    stored: tuple[Counts, Buckets], actual: tuple[Counts, Buckets]
) -> list[FiguresDifference]:
    zero = [0] * len(COLUMNS)
    out = [
        FiguresDifference("count", key, stored[0].get(key, zero), actual[0].get(key, zero))
        for key in sorted(stored[0].keys() | actual[0].keys(), key=repr)
        if stored[0].get(key, zero) != actual[0].get(key, zero)
    ]
    out.extend(
        FiguresDifference("bucket", key, stored[1].get(key, 0), actual[1].get(key, 0))
        for key in sorted(stored[1].keys() | actual[1].keys(), key=repr)
        if stored[1].get(key, 0) != actual[1].get(key, 0)
    )
    return out


def figure_counts_repair() -> list[FiguresDifference]:
    """Add to the tables what they miss against the reports; returns what was wrong. The
    tables are locked against the services' additions meanwhile (their changes to reports are
    either seen whole or added after)."""
    with transaction.atomic():
        _lock_tables()
        stored, actual = stored_counts(), fresh_counts()
        found = _differences(stored, actual)
        _apply(_difference(stored, actual))
    return found


def figure_counts_rebuild() -> int:
    """Recompute both tables from the reports; returns the number of rows written."""
    with transaction.atomic():
        _lock_tables()
        FigureCount.objects.all().delete()
        FigureBucket.objects.all().delete()
        counts, buckets = fresh_counts()
        # In the order pages read them (grain, day): neighbours share pages on disk.
        _write_rows(
            FigureCount,
            (*KEY_FIELDS, *COLUMNS),
            (
                (*key, *values)
                for key, values in sorted(counts.items(), key=lambda kv: (kv[0][3], kv[0][4]))
            ),
        )
        _write_rows(
            FigureBucket,
            (*BUCKET_FIELDS, "n"),
            (
                (*key, n)
                for key, n in sorted(
                    buckets.items(), key=lambda kv: (kv[0][5], kv[0][3], kv[0][2] is None, kv[0][4])
                )
            ),
        )
    return len(counts) + len(buckets)


def _write_rows(model: Any, fields: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert plain rows: by COPY on PostgreSQL, the ORM's bulk insert elsewhere.

    At national scale (a million reports) the tables hold millions of rows: a model instance
    each took the rebuild, and so `jospar synth --civic`, over ten minutes on this machine.
    """
    plain = ([v.value if isinstance(v, enum.Enum) else v for v in row] for row in rows)
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in plain), batch_size=5000
        )
        return
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in plain:
            copy.write_row(row)
