"""Keeping ``ProgramCount``: the obligations of a program's project tasks counted at four
grains (per node; per sub-program and owing body; per sub-program and region — pending ones by
the deadline's year; per sub-program and quarter),
so that the program dashboard reads tens of thousands of counts instead of two hundred thousand
obligations joined to their tasks (docs/decisions.md, "Program dashboard").

The counts ride on ``discipline_counts``: the one query that counts the obligations a service
touches, before and after its change, also gives each project task's place (program, node,
kind, region), so every service that keeps the discipline counts keeps these too, with no query
of its own unless a project task's obligation changed. ``program_counts_check`` lists where the
table and the obligations disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, Sum

from jospar.control.models_programs import ProgramCount, ProgramCountGrain
from jospar.programs.models import NodeKind, ProgramNode

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


def fine_difference(before: FineCounts, after: FineCounts) -> FineCounts:
    out: FineCounts = {}
    for key in before.keys() | after.keys():
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            out[key] = change
    return out


def subprogram_of(program_ids: set[int]) -> dict[int, int | None]:
    """Each node's sub-program (the ancestor standing directly under the program)."""
    parents = dict(
        ProgramNode.objects.filter(program_id__in=sorted(program_ids)).values_list(
            "id", "parent_id"
        )
    )
    out: dict[int, int] = {}
    for pk in parents:
        top, steps = pk, 0
        while (parent := parents.get(top)) is not None and steps < 64:
            top, steps = parent, steps + 1
        out[pk] = top
    kinds = dict(
        ProgramNode.objects.filter(pk__in=sorted(set(out.values()))).values_list("id", "kind")
    )
    return {pk: (top if kinds.get(top) == NodeKind.SUBPROGRAM else None) for pk, top in out.items()}


def grains_of(fine: FineCounts) -> dict[GrainKey, int]:
    """The four grains' counts of fine rows."""
    out: dict[GrainKey, int] = {}
    if not fine:
        return out
    branch = subprogram_of({key[0] for key in fine})

    def add(key: GrainKey, n: int) -> None:
        out[key] = out.get(key, 0) + n

    for (program, node, kind, org, region, deadline, bucket), n in fine.items():
        kept = _BUCKETS.get(bucket)
        if kept is None or deadline is None:
            continue
        sub = branch.get(node)
        year = deadline.year if kept == PENDING else 0
        add((program, ProgramCountGrain.NODE, node, kind, None, None, year, kept), n)
        add((program, ProgramCountGrain.ORGANISATION, sub, kind, org, None, year, kept), n)
        add((program, ProgramCountGrain.REGION, sub, kind, None, region, year, kept), n)
        quarter = quarter_index(deadline)
        add((program, ProgramCountGrain.QUARTER, sub, kind, None, None, quarter, kept), n)
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
    for key, n in changes.items():
        pk = found.get(key)
        if pk is not None and ProgramCount.objects.filter(pk=pk).update(
            obligations=F("obligations") + n
        ):
            ProgramCount.objects.filter(pk=pk, obligations=0).delete()
            continue
        new.append(ProgramCount(**dict(zip(_KEY_FIELDS, key, strict=True)), obligations=n))
    ProgramCount.objects.bulk_create(new, batch_size=2000)


def program_counts_replace(fine: FineCounts) -> int:
    """The whole table again from the fine rows of every obligation (a rebuild)."""
    ProgramCount.objects.all().delete()
    rows = [
        ProgramCount(**dict(zip(_KEY_FIELDS, key, strict=True)), obligations=n)
        for key, n in grains_of(fine).items()
        if n
    ]
    ProgramCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def stored_program_counts() -> dict[GrainKey, int]:
    out: dict[GrainKey, int] = {}
    for row in ProgramCount.objects.order_by().values(*_KEY_FIELDS).annotate(n=Sum("obligations")):
        if row["n"]:
            out[tuple(row[name] for name in _KEY_FIELDS)] = int(row["n"])
    return out


def program_counts_check() -> list[tuple[GrainKey, int, int]]:
    """Every key where the table and the obligations disagree: (key, stored, actual)."""
    from jospar.control.discipline_counts import fine_counts_of
    from jospar.control.models import Obligation

    stored = stored_program_counts()
    actual = {k: n for k, n in grains_of(fine_counts_of(Obligation.objects.all())).items() if n}
    return [
        (key, stored.get(key, 0), actual.get(key, 0))
        for key in sorted(stored.keys() | actual.keys(), key=repr)
        if stored.get(key, 0) != actual.get(key, 0)
    ]
