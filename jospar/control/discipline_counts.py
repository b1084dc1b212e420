"""Keeping ``DisciplineCount``: obligations counted by (controlling department, owing
organisation, region, plan, deadline, bucket), so that the dashboards, the list's tabs and page
count read the counts instead of two million obligations (docs/decisions.md, "Discipline at
scale", and issue #15).

A service that changes obligations takes the counts of the obligations it touches before the
change (``counts_before``) and adds the difference after it (``counts_after``), in its own
transaction. The difference goes into one existing row of the key, or a new row: two
transactions adding to the same new key at once leave two rows, and readers sum rows, so no lock
is needed and a merge of organisations that moves rows keeps the sums right.

``discipline_counts_rebuild`` recomputes everything from the obligations (``jospar synth``, the
migration that made the table); ``discipline_counts_check`` compares the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from jospar.control.discipline import (
    ACCEPTED_LATE,
    ACCEPTED_ON_TIME,
    LATE_OPEN,
    ON_TIME_OPEN,
    PENDING,
    RETURNED_OPEN,
    UNCOUNTED,
    late_days_expression,
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

_KEY_FIELDS = (
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


def stored_counts() -> dict[Key, Values]:
    """The table's counts, summed by key (zero sums left out)."""
    out: dict[Key, Values] = {}
    rows = (
        DisciplineCount.objects.order_by()
        .values(*_KEY_FIELDS)
        .annotate(n=Sum("obligations"), days=Sum("late_days"))
    )
    for row in rows:
        if row["n"] or row["days"]:
            key: Key = tuple(row[name] for name in _KEY_FIELDS)
            out[key] = (int(row["n"]), int(row["days"]))
    return out


def _key_filter(key: Key) -> dict[str, Any]:
    return dict(zip(_KEY_FIELDS, key, strict=True))


def _in(name: str, values: set[Any]) -> Q:
    """``name`` among ``values``, NULL included when ``None`` is one of them."""
    q = Q(**{f"{name}__in": [v for v in values if v is not None]})
    if None in values:
        q |= Q(**{f"{name}__isnull": True})
    return q


def _existing_rows(keys: list[Key]) -> dict[Key, int]:
    """The first stored row of each key, read in one query (an import adds to thousands of
    keys: one query per key made saving a plan take seconds)."""
    found: dict[Key, int] = {}
    if not keys:
        return found
    where = (
        _in("controller_organisation_id", {k[0] for k in keys})
        & _in("organisation_id", {k[1] for k in keys})
        & _in("region_id", {k[2] for k in keys})
        & _in("plan_id", {k[3] for k in keys})
        & _in("bucket", {k[5] for k in keys})
    )
    dates = [k[4] for k in keys if k[4] is not None]
    in_range = Q(deadline__range=(min(dates), max(dates))) if dates else Q(pk__in=[])
    if any(k[4] is None for k in keys):
        in_range |= Q(deadline__isnull=True)
    wanted = set(keys)
    rows = (
        DisciplineCount.objects.filter(where & in_range)
        .order_by("pk")
        .values_list("pk", *_KEY_FIELDS)
    )
    for pk, *fields in rows:
        key: Key = tuple(fields)
        if key in wanted and key not in found:
            found[key] = pk
    return found


def _add(difference: dict[Key, Values]) -> None:
    changes = {key: values for key, values in difference.items() if any(values)}
    existing = _existing_rows(list(changes))
    new: list[DisciplineCount] = []
    for key, (n, days) in changes.items():
        pk = existing.get(key)
        if pk is not None:
            # Relative to the stored value: another transaction may add to the same row.
            updated = DisciplineCount.objects.filter(pk=pk).update(
                obligations=F("obligations") + n, late_days=F("late_days") + days
            )
            if updated:
                # A key left with nothing (a plan moved to another department, say) goes.
                DisciplineCount.objects.filter(pk=pk, obligations=0, late_days=0).delete()
                continue
        new.append(DisciplineCount(**_key_filter(key), obligations=n, late_days=days))
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


def discipline_counts_rebuild() -> int:
    """Recompute the whole table from the obligations; returns the number of rows written."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(DisciplineCount._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        DisciplineCount.objects.all().delete()
        counts, fine = _both_of(Obligation.objects.all())
        rows = [
            DisciplineCount(**_key_filter(key), obligations=n, late_days=days)
            for key, (n, days) in counts.items()
        ]
        DisciplineCount.objects.bulk_create(rows, batch_size=5000)
        program_counts_replace(fine)
    return len(rows)


@dataclass(frozen=True)
class CountsDifference:
    key: Key
    stored: Values
    actual: Values


def discipline_counts_check() -> list[CountsDifference]:
    """Every key where the table and the obligations disagree (empty when they agree)."""
    stored, actual = stored_counts(), counts_of(Obligation.objects.all())
    return [
        CountsDifference(key, stored.get(key, (0, 0)), actual.get(key, (0, 0)))
        for key in sorted(stored.keys() | actual.keys(), key=repr)
        if stored.get(key, (0, 0)) != actual.get(key, (0, 0))
    ]
