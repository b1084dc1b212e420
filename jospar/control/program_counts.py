"""Keeping ``ProgramCount``: the obligations of a program's project tasks counted at four
grains (per node, each obligation counted on its task's node and on every node above it, so
that a node's row is its whole subtree's; per sub-program and owing body; per sub-program and
region; per sub-program and month of the deadline, summed into quarters for the trend), so that
the program dashboard reads the few rows of the nodes it shows instead of two hundred thousand
obligations joined to their tasks (docs/decisions.md, "Program dashboard").

Pending obligations are keyed by the deadline's month (the other buckets do not depend on the
date and carry no period, but for the month grain): whether one is overdue is decided when read,
and only this month's need reading from the obligations.

The counts ride on ``discipline_counts``: the one query that counts the obligations a service
touches, before and after its change, also gives each project task's place (program, node,
kind, region), so every service that keeps the discipline counts keeps these too, with no query
of its own unless a project task's obligation changed. ``program_counts_check`` lists where the
table and the obligations disagree; ``program_counts_repair`` rewrites one program's rows (a
node moved to another parent by a re-import changes whose subtree its tasks count in), and
runs, through ``programs.extensions.register_tree_changed``, inside every programs service that
moves a node (``program_counts_on_tree_change``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import F, Q, Sum

from jospar.control.models_programs import ProgramCount, ProgramCountGrain
from jospar.programs.models import NodeKind, Program, ProgramNode

# (program, node, kind, organisation, region of the task, deadline, discipline bucket)
FineKey = tuple[int, int, str, int | None, int | None, dt.date | None, int]
FineCounts = dict[FineKey, int]
# (program, grain, node, kind, organisation, region, period, bucket)
GrainKey = tuple[int, str, int | None, str, int | None, int | None, int, int]

ON_TIME, LATE, PENDING = 1, 2, 5
# The discipline buckets (``discipline.ON_TIME_OPEN`` …) as the program counts keep them; an
# obligation returned for revision (``RETURNED_OPEN``) is open, as a pending one.
_BUCKETS = {1: ON_TIME, 3: ON_TIME, 2: LATE, 4: LATE, 5: PENDING, 6: PENDING}
_FIELDS = ("program_id", "grain", "node_id", "kind", "organisation_id", "region_id", "period")
_KEY_FIELDS = (*_FIELDS, "bucket")


def quarter_index(day: dt.date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def month_index(day: dt.date) -> int:
    """The month numbered year × 12 + (month − 1); ``month_index(d) // 3 == quarter_index(d)``."""
    return day.year * 12 + day.month - 1


def fine_difference(before: FineCounts, after: FineCounts) -> FineCounts:
    out: FineCounts = {}
    for key in before.keys() | after.keys():
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            out[key] = change
    return out


def ancestry_of(program_ids: set[int]) -> dict[int, tuple[int, ...]]:
    """Each node of these programs with every node above it, itself first (nodes in force or
    not: a task's obligations count where its node stands in the tree)."""
    parents = dict(
        ProgramNode.objects.filter(program_id__in=sorted(program_ids))
        .order_by()
        .values_list("id", "parent_id")
    )
    return {pk: ancestry_in(parents, pk) for pk in parents}


def ancestry_in(parents: Mapping[int, int | None], pk: int) -> tuple[int, ...]:
    chain = [pk]
    while (parent := parents.get(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return tuple(chain)


def grains_of(fine: FineCounts) -> dict[GrainKey, int]:
    """The four grains' counts of fine rows."""
    out: dict[GrainKey, int] = {}
    if not fine:
        return out
    ancestry = ancestry_of({key[0] for key in fine})
    tops = {chain[-1] for chain in ancestry.values()}
    kinds = dict(ProgramNode.objects.filter(pk__in=sorted(tops)).values_list("id", "kind"))

    def add(key: GrainKey, n: int) -> None:
        out[key] = out.get(key, 0) + n

    for (program, node, kind, org, region, deadline, bucket), n in fine.items():
        kept = _BUCKETS.get(bucket)
        if kept is None or deadline is None:
            continue
        chain = ancestry.get(node, (node,))
        sub = chain[-1] if kinds.get(chain[-1]) == NodeKind.SUBPROGRAM else None
        month = month_index(deadline)
        period = month if kept == PENDING else 0
        for above in chain:
            add((program, ProgramCountGrain.NODE, above, kind, None, None, period, kept), n)
        add((program, ProgramCountGrain.ORGANISATION, sub, kind, org, None, period, kept), n)
        add((program, ProgramCountGrain.REGION, sub, kind, None, region, period, kept), n)
        add((program, ProgramCountGrain.MONTH, sub, kind, None, None, month, kept), n)
    return out


def _in(name: str, values: set[Any]) -> Q:
    q = Q(**{f"{name}__in": [v for v in values if v is not None]})
    if None in values:
        q |= Q(**{f"{name}__isnull": True})
    return q


def program_counts_add(fine: FineCounts) -> None:
    """Add a difference of fine rows to the table (one query to find the rows to add to)."""
    changes = {k: n for k, n in grains_of(fine).items() if n}
    if not changes:
        return
    where = Q()
    for index, name in enumerate(_KEY_FIELDS):
        where &= _in(name, {key[index] for key in changes})
    found: dict[GrainKey, int] = {}
    for pk, *fields in (
        ProgramCount.objects.filter(where).order_by("pk").values_list("pk", *_KEY_FIELDS)
    ):
        key = tuple(fields)
        if key in changes and key not in found:
            found[key] = pk
    new = []
    # In the order of the rows' keys, as the discipline counts are added: one order of row
    # locks for every transaction, so that two of them wait instead of deadlocking.
    for key in sorted(changes, key=lambda key: found.get(key, 0)):
        n = changes[key]
        pk = found.get(key)
        if pk is not None and ProgramCount.objects.filter(pk=pk).update(
            obligations=F("obligations") + n
        ):
            ProgramCount.objects.filter(pk=pk, obligations=0).delete()
            continue
        new.append(ProgramCount(**dict(zip(_KEY_FIELDS, key, strict=True)), obligations=n))
    ProgramCount.objects.bulk_create(new, batch_size=2000)


def program_counts_replace(fine: FineCounts, program_id: int | None = None) -> int:
    """The whole table again from the fine rows of every obligation (a rebuild), or one
    program's rows from its obligations' fine rows."""
    if program_id is None:
        ProgramCount.objects.all().delete()
    else:
        ProgramCount.objects.filter(program_id=program_id).delete()
    rows = [
        ProgramCount(**dict(zip(_KEY_FIELDS, key, strict=True)), obligations=n)
        for key, n in grains_of(fine).items()
        if n
    ]
    ProgramCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def stored_program_counts(program_id: int | None = None) -> dict[GrainKey, int]:
    out: dict[GrainKey, int] = {}
    rows = ProgramCount.objects.order_by()
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    for row in rows.values(*_KEY_FIELDS).annotate(n=Sum("obligations")):
        if row["n"]:
            out[tuple(row[name] for name in _KEY_FIELDS)] = int(row["n"])
    return out


def program_counts_check(program_id: int | None = None) -> list[tuple[GrainKey, int, int]]:
    """Every key where the table and the obligations disagree: (key, stored, actual)."""
    stored = stored_program_counts(program_id)
    actual = {k: n for k, n in grains_of(_fine_of(program_id)).items() if n}
    return [
        (key, stored.get(key, 0), actual.get(key, 0))
        for key in sorted(stored.keys() | actual.keys(), key=repr)
        if stored.get(key, 0) != actual.get(key, 0)
    ]


def _fine_of(program_id: int | None) -> FineCounts:
    from jospar.control.discipline_counts import fine_counts_of
    from jospar.control.models import Obligation

    obligations = Obligation.objects.all()
    if program_id is not None:
        obligations = obligations.filter(project_task__program_id=program_id)
    return fine_counts_of(obligations)


def program_counts_repair(program_id: int) -> int:
    """Rewrite one program's counts from its obligations, in one transaction with the table's
    rows of that program locked against the services; returns the number of rows written."""
    from django.db import transaction

    with transaction.atomic():
        list(ProgramCount.objects.select_for_update().filter(program_id=program_id).values("pk"))
        return program_counts_replace(_fine_of(program_id), program_id)


def program_counts_on_tree_change(program: Program) -> None:
    """A node of ``program`` changed place: its rows again, in the moving service's transaction
    (the repair locks the program's count rows until that transaction ends)."""
    program_counts_repair(program.pk)
