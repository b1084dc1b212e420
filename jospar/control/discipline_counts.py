"""Keeping ``DisciplineCount``: obligations counted by (controlling department, owing
organisation, region, plan, deadline, bucket), so that the dashboards, the list's tabs and page
count read the counts instead of two million obligations (docs/decisions.md, "Discipline at
scale", and issue #15).

A service that changes obligations takes the counts of the obligations it touches before the
change (``counts_before``) and adds the difference after it (``counts_after``), in its own
transaction. The difference goes into one existing row of the key, or a new row: two
transactions adding to the same new key at once leave two rows, and readers sum rows, so no lock
is needed and a merge of organisations that moves rows keeps the sums right.

Every difference goes to three grains (``discipline.grain_q``): the day's row of the full key,
the month's row by organisation and region (no plan) and the month's row by plan (no
organisation, no region), which the readers sum for every month no boundary of their question
falls inside. All in the same transaction, by the same code.

``discipline_counts_rebuild`` recomputes everything from the obligations (``jospar synth``, the
migrations that made the table and its month rows, ``jospar discipline-counts --repair``);
``discipline_counts_check`` compares the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from jospar.control.discipline import (
    ACCEPTED_LATE,
    ACCEPTED_ON_TIME,
    DAY,
    EPOCH,
    LATE_OPEN,
    MONTH,
    ON_TIME_OPEN,
    PENDING,
    PLAN_MONTH,
    RETURNED_OPEN,
    UNCOUNTED,
    late_days_expression,
    month_start,
)
from jospar.control.models import DisciplineCount, Obligation, ObligationStatus
from jospar.control.program_counts import (
    FineCounts,
    FineKey,
    fine_difference,
    program_counts_add,
    program_counts_replace,
)
from jospar.control.sources import source_in_force_q
from jospar.control.status import status_filter, submitted_late

Key = tuple[int | None, int | None, int | None, int | None, dt.date | None, int]
Values = tuple[int, int]
# A stored row's key: the grain, then the day key's fields (a month's first day, no plan, for a
# month row); its values: obligations, late days, deadline days.
RowKey = tuple[int, int | None, int | None, int | None, int | None, dt.date | None, int]
RowValues = tuple[int, int, int]

_KEY_FIELDS = (
    "grain",
    "controller_organisation_id",
    "organisation_id",
    "region_id",
    "plan_id",
    "deadline",
    "bucket",
)


def _bucket() -> Case:
    """The bucket of an obligation, from the same conditions as its status (none of these
    depend on today's date: a pending obligation becomes overdue when read)."""
    # Any date will do: the statuses used here do not depend on it.
    on = dt.date(2000, 1, 1)
    accepted = status_filter(ObligationStatus.ACCEPTED, on)
    returned = Q(returned_at__isnull=False) & (
        Q(submitted_at__isnull=True) | Q(submitted_at__lt=F("returned_at"))
    )
    return Case(
        When(deadline__isnull=True, then=Value(UNCOUNTED)),
        When(accepted & submitted_late(), then=Value(ACCEPTED_LATE)),
        When(accepted, then=Value(ACCEPTED_ON_TIME)),
        When(
            status_filter(ObligationStatus.SUBMITTED_ON_TIME, on),
            then=Value(ON_TIME_OPEN),
        ),
        When(status_filter(ObligationStatus.SUBMITTED_LATE, on), then=Value(LATE_OPEN)),
        When(returned, then=Value(RETURNED_OPEN)),
        When(submitted_at__isnull=True, then=Value(PENDING)),
        default=Value(UNCOUNTED),
    )


def _counted(obligations: QuerySet[Obligation]) -> QuerySet[Any, Any]:
    on = dt.date(2000, 1, 1)  # as in _bucket: no date enters these
    late = status_filter(ObligationStatus.SUBMITTED_LATE, on) | (
        status_filter(ObligationStatus.ACCEPTED, on) & submitted_late()
    )
    return (
        obligations.filter(source_in_force_q(), in_force=True)
        .order_by()
        .values(
            "organisation_id",
            "region_id",
            "deadline",
            controller=F("activity__plan__controller_organisation_id"),
            plan=F("activity__plan_id"),
            b=_bucket(),
            # A project task's place, for the program's own counts (``program_counts``).
            task_program=F("project_task__program_id"),
            task_node=F("project_task__node_id"),
            task_kind=F("project_task__kind"),
            task_region=F("project_task__region_id"),
        )
        .annotate(
            n=Count("id"),
            days=Coalesce(Sum(late_days_expression(), filter=late), Value(0)),
        )
    )


def counts_of(obligations: QuerySet[Obligation]) -> dict[Key, Values]:
    """What these obligations add to the counts, by key."""
    return _both_of(obligations)[0]


def fine_counts_of(obligations: QuerySet[Obligation]) -> FineCounts:
    """The program counts' fine rows of these obligations (``program_counts``)."""
    return _both_of(obligations.filter(project_task__isnull=False))[1]


def _both_of(obligations: QuerySet[Obligation]) -> tuple[dict[Key, Values], FineCounts]:
    """The discipline counts and the program counts' fine rows, from one query."""
    out: dict[Key, Values] = {}
    fine: FineCounts = {}
    for row in _counted(obligations):
        if row["task_program"] is not None:
            fine_key: FineKey = (
                row["task_program"],
                row["task_node"],
                row["task_kind"],
                row["organisation_id"],
                row["task_region"],
                row["deadline"],
                int(row["b"]),
            )
            fine[fine_key] = fine.get(fine_key, 0) + int(row["n"])
        key: Key = (
            row["controller"],
            row["organisation_id"],
            row["region_id"],
            row["plan"],
            row["deadline"],
            int(row["b"]),
        )
        n, days = out.get(key, (0, 0))
        out[key] = (n + int(row["n"]), days + int(row["days"] or 0))
    return out, fine


def rows_of(counts: dict[Key, Values]) -> dict[RowKey, RowValues]:
    """The stored rows, of both grains, that day keys' counts (or differences) make."""
    out: dict[RowKey, RowValues] = {}
    for (controller, org, region, plan, deadline, bucket), (n, days) in counts.items():
        deadline_days = n * (deadline - EPOCH).days if deadline is not None else 0
        month = month_start(deadline) if deadline is not None else None
        for key in (
            (DAY, controller, org, region, plan, deadline, bucket),
            (MONTH, controller, org, region, None, month, bucket),
            (PLAN_MONTH, controller, None, None, plan, month, bucket),
        ):
            n0, days0, dd0 = out.get(key, (0, 0, 0))
            out[key] = (n0 + n, days0 + days, dd0 + deadline_days)
    return out


def stored_counts() -> dict[RowKey, RowValues]:
    """The table's counts, summed by key (zero sums left out)."""
    out: dict[RowKey, RowValues] = {}
    rows = (
        DisciplineCount.objects.order_by()
        .values(*_KEY_FIELDS)
        .annotate(n=Sum("obligations"), days=Sum("late_days"), dd=Sum("deadline_days"))
    )
    for row in rows:
        if row["n"] or row["days"] or row["dd"]:
            key: RowKey = tuple(row[name] for name in _KEY_FIELDS)
            out[key] = (int(row["n"]), int(row["days"]), int(row["dd"]))
    return out


def _key_filter(key: RowKey) -> dict[str, Any]:
    return dict(zip(_KEY_FIELDS, key, strict=True))


def _in(name: str, values: set[Any]) -> Q:
    """``name`` among ``values``, NULL included when ``None`` is one of them."""
    q = Q(**{f"{name}__in": [v for v in values if v is not None]})
    if None in values:
        q |= Q(**{f"{name}__isnull": True})
    return q


def _existing_rows(keys: list[RowKey]) -> dict[RowKey, int]:
    """The first stored row of each key, read in one query (an import adds to thousands of
    keys: one query per key made saving a plan take seconds)."""
    found: dict[RowKey, int] = {}
    if not keys:
        return found
    where = (
        _in("grain", {k[0] for k in keys})
        & _in("controller_organisation_id", {k[1] for k in keys})
        & _in("organisation_id", {k[2] for k in keys})
        & _in("region_id", {k[3] for k in keys})
        & _in("plan_id", {k[4] for k in keys})
        & _in("bucket", {k[6] for k in keys})
    )
    dates = [k[5] for k in keys if k[5] is not None]
    in_range = Q(deadline__range=(min(dates), max(dates))) if dates else Q(pk__in=[])
    if any(k[5] is None for k in keys):
        in_range |= Q(deadline__isnull=True)
    wanted = set(keys)
    rows = (
        DisciplineCount.objects.filter(where & in_range)
        .order_by("pk")
        .values_list("pk", *_KEY_FIELDS)
    )
    for pk, *fields in rows:
        key: RowKey = tuple(fields)
        if key in wanted and key not in found:
            found[key] = pk
    return found


def _add(difference: dict[Key, Values]) -> None:
    changes = {key: values for key, values in rows_of(difference).items() if any(values)}
    existing = _existing_rows(list(changes))
    new: list[DisciplineCount] = []
    # Rows are updated in the order of their keys: two services adding to the same month rows
    # (shared by thousands of obligations) in different orders deadlocked under load (a
    # submission answered 500 in benchmarks/load.py); one order for everyone makes them wait.
    for key in sorted(changes, key=lambda key: existing.get(key, 0)):
        n, days, deadline_days = changes[key]
        pk = existing.get(key)
        if pk is not None:
            # Relative to the stored value: another transaction may add to the same row.
            updated = DisciplineCount.objects.filter(pk=pk).update(
                obligations=F("obligations") + n,
                late_days=F("late_days") + days,
                deadline_days=F("deadline_days") + deadline_days,
            )
            if updated:
                # A key left with nothing (a plan moved to another department, say) goes.
                DisciplineCount.objects.filter(
                    pk=pk, obligations=0, late_days=0, deadline_days=0
                ).delete()
                continue
        new.append(
            DisciplineCount(
                **_key_filter(key), obligations=n, late_days=days, deadline_days=deadline_days
            )
        )
    DisciplineCount.objects.bulk_create(new, batch_size=2000)


@dataclass
class CountsKept:
    """The counts of a set of obligations before a change."""

    where: Q
    before: dict[Key, Values]
    # The program counts' fine rows before (none for a plan's obligations).
    program_before: FineCounts = field(default_factory=dict)


def counts_before(where: Q) -> CountsKept:
    """Call inside the service's transaction, before it changes the obligations ``where``
    selects (after it has locked them)."""
    before, fine = _both_of(Obligation.objects.filter(where))
    return CountsKept(where=where, before=before, program_before=fine)


def counts_after(kept: CountsKept) -> None:
    """Add to the table what the change did to the counts of the same obligations."""
    after, fine = _both_of(Obligation.objects.filter(kept.where))
    program_counts_add(fine_difference(kept.program_before, fine))
    difference: dict[Key, Values] = {}
    for key in kept.before.keys() | after.keys():
        n0, d0 = kept.before.get(key, (0, 0))
        n1, d1 = after.get(key, (0, 0))
        if n1 != n0 or d1 != d0:
            difference[key] = (n1 - n0, d1 - d0)
    _add(difference)


@contextmanager
def counts_kept(where: Q) -> Iterator[None]:
    """``counts_before`` and ``counts_after`` around a block of one transaction."""
    kept = counts_before(where)
    yield
    counts_after(kept)


_ROW_FIELDS = (*_KEY_FIELDS, "obligations", "late_days", "deadline_days")


def _write(rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert plain rows (``_ROW_FIELDS``): by COPY on PostgreSQL — two million model
    instances took minutes at national scale — the ORM's bulk insert elsewhere."""
    written = 0
    if connection.vendor != "postgresql":
        batch: list[DisciplineCount] = []
        for row in rows:
            batch.append(DisciplineCount(**dict(zip(_ROW_FIELDS, row, strict=True))))
            written += 1
            if len(batch) >= 5000:
                DisciplineCount.objects.bulk_create(batch)
                batch = []
        DisciplineCount.objects.bulk_create(batch)
        return written
    meta = DisciplineCount._meta
    columns = ", ".join(
        connection.ops.quote_name(str(getattr(meta.get_field(f), "column", f))) for f in _ROW_FIELDS
    )
    table = connection.ops.quote_name(meta.db_table)
    # In lots: the rows may stream from a query on the same connection, which cannot fetch
    # while a COPY is open.
    source = iter(rows)
    while lot := list(islice(source, 50_000)):
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in lot:
                copy.write_row(row)
        written += len(lot)
    return written


def _day_rows(obligations: QuerySet[Obligation]) -> Iterator[tuple[Any, ...]]:
    """The day rows of obligations that are no project task's: one grouped row each (their
    key is the query's group), streamed."""
    for row in _counted(obligations.filter(project_task__isnull=True)).iterator(chunk_size=20000):
        n, days, deadline = int(row["n"]), int(row["days"] or 0), row["deadline"]
        yield (
            DAY,
            row["controller"],
            row["organisation_id"],
            row["region_id"],
            row["plan"],
            deadline,
            int(row["b"]),
            n,
            days,
            n * (deadline - EPOCH).days if deadline is not None else 0,
        )


def _month_rows(grain: int, fields: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """The month rows of one grain, summed from the day rows already written; ``fields``: the
    ones it keeps (the others are left empty)."""
    rows = (
        DisciplineCount.objects.filter(grain=DAY)
        .order_by()
        .values("controller_organisation_id", *fields, "bucket", month=TruncMonth("deadline"))
        .annotate(n=Sum("obligations"), days=Sum("late_days"), dd=Sum("deadline_days"))
    )
    for row in rows.iterator(chunk_size=20000):
        if row["n"] or row["days"] or row["dd"]:
            month = row["month"]
            if isinstance(month, dt.datetime):
                month = month.date()
            yield (
                grain,
                row["controller_organisation_id"],
                row.get("organisation_id"),
                row.get("region_id"),
                row.get("plan_id"),
                month,
                row["bucket"],
                int(row["n"]),
                int(row["days"]),
                int(row["dd"]),
            )


def discipline_counts_rebuild() -> int:
    """Recompute the whole table from the obligations; returns the number of rows written.

    The plans' obligations stream from one grouped query straight into the table; the project
    tasks' (a program's, far fewer) are counted with their program counts; the month rows are
    then summed from the day rows in the database."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(DisciplineCount._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        DisciplineCount.objects.all().delete()
        written = _write(_day_rows(Obligation.objects.all()))
        tasks, fine = _both_of(Obligation.objects.filter(project_task__isnull=False))
        written += _write(
            (DAY, *key, n, days, n * (key[4] - EPOCH).days if key[4] is not None else 0)
            for key, (n, days) in tasks.items()
        )
        written += _write(list(_month_rows(MONTH, ("organisation_id", "region_id"))))
        written += _write(list(_month_rows(PLAN_MONTH, ("plan_id",))))
        program_counts_replace(fine)
    return written


@dataclass(frozen=True)
class CountsDifference:
    key: RowKey
    stored: RowValues
    actual: RowValues


def discipline_counts_check() -> list[CountsDifference]:
    """Every key, of either grain, where the table and the obligations disagree (empty when
    they agree)."""
    stored, actual = stored_counts(), rows_of(counts_of(Obligation.objects.all()))
    actual = {key: values for key, values in actual.items() if any(values)}
    zero = (0, 0, 0)
    return [
        CountsDifference(key, stored.get(key, zero), actual.get(key, zero))
        for key in sorted(stored.keys() | actual.keys(), key=repr)
        if stored.get(key, zero) != actual.get(key, zero)
    ]
