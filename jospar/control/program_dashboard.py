"""The program dashboard's figures: each shown node of the tree (the focus and two levels
under it) with its traffic light, what is overdue by owing body and by region (tasks and key
events apart), and the trend by quarter of the deadline (reported on time, reported late,
overdue).

Read in a fixed number of queries whatever the size of the tree. For the whole program or a
sub-program the figures come from ``ProgramCount`` (kept by the services, ``program_counts``):
a node's row there is its whole subtree's, so only the shown nodes' rows are read. Pending
obligations are split into overdue and not yet due when read: a pending obligation of an
earlier month is overdue, of a later one is not, and this month's are read from the obligations
themselves (an index holds the open ones by deadline). Below a sub-program the subtree's
obligations are few and are read directly; ``program_figures_fresh`` does the same for any
scope, and the tests hold the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from jospar.control.discipline import QuarterNumber
from jospar.control.models import Obligation, ObligationStatus
from jospar.control.models_programs import ProgramCount, ProgramCountGrain
from jospar.control.program_counts import (
    LATE,
    ON_TIME,
    PENDING,
    ancestry_in,
    month_index,
    quarter_index,
)
from jospar.control.status import OUTCOMES, outcome_filter, status_filter, today
from jospar.programs.models import NodeKind, Program, ProgramNode, ProjectTaskKind

TASK = str(ProjectTaskKind.TASK)
KEY_EVENT = str(ProjectTaskKind.KEY_EVENT)

# The share of due obligations overdue at which a node turns amber, and red.
AMBER_FROM = 0.10
RED_FROM = 0.25
LIGHTS = ("none", "green", "amber", "red")
# A project's declared status (on track / at risk / off track) as a light.
DECLARED_LIGHTS = {"on_track": "green", "at_risk": "amber", "off_track": "red"}


@dataclass(frozen=True)
class Figures:
    """Obligations of project tasks (one per body a task goes to) by what became of them."""

    on_time: int = 0  # reported on time (awaiting review or accepted)
    late: int = 0  # reported late
    overdue: int = 0  # nothing standing reported, the deadline passed
    open: int = 0  # nothing reported yet, not yet due

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.on_time + other.on_time,
            self.late + other.late,
            self.overdue + other.overdue,
            self.open + other.open,
        )

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def total(self) -> int:
        return self.due + self.open

    @property
    def share_overdue(self) -> float | None:
        return self.overdue / self.due if self.due else None

    @property
    def percent_overdue(self) -> float | None:
        share = self.share_overdue
        return None if share is None else round(share * 100, 1)


def traffic_light(figures: Figures, declared: str | None = None) -> str:
    """A node's light: "green", "amber", "red" or "none" (nothing due yet), from the share of
    its due obligations (its own and those of every node under it) that are overdue; with a
    declared status (on_track / at_risk / off_track), the worse of the two."""
    share = figures.share_overdue
    if share is None:
        computed = "none"
    elif share >= RED_FROM:
        computed = "red"
    elif share >= AMBER_FROM:
        computed = "amber"
    else:
        computed = "green"
    stated = DECLARED_LIGHTS.get(declared or "")
    if stated is None:
        return computed
    return max(computed, stated, key=LIGHTS.index)


@dataclass
class NodeRow:
    id: int
    parent_id: int | None
    kind: str
    number: str
    name: str
    depth: int = 0
    own: Figures = field(default_factory=Figures)
    figures: Figures = field(default_factory=Figures)  # with every node under it
    light: str = "none"


@dataclass
class ProgramFigures:
    """What the dashboard shows, before labels and links."""

    nodes: dict[int, NodeRow]
    # (organisation, kind) and (region of the task, kind) → figures
    bodies: dict[tuple[int | None, str], Figures]
    regions: dict[tuple[int | None, str], Figures]
    # quarter number (year × 4 + quarter − 1) → figures
    quarters: dict[int, Figures]
    on: dt.date

    @property
    def totals(self) -> Figures:
        return sum((f for f in self.quarters.values()), Figures())


# How many levels under the focus (or under the program) the dashboard shows.
SHOWN_LEVELS = 2


def _node_rows(program: Program, focus: ProgramNode | None) -> dict[int, NodeRow]:
    """The shown nodes in force: the focus and two levels under it, or the program's top two
    levels."""
    if focus is None:
        shown = Q(parent__isnull=True) | Q(parent__parent__isnull=True)
    else:
        shown = Q(pk=focus.pk) | Q(parent_id=focus.pk) | Q(parent__parent_id=focus.pk)
    rows: dict[int, NodeRow] = {}
    russian = _russian()
    for pk, parent, kind, number, name_kk, name_ru in (
        ProgramNode.objects.filter(shown, program=program, in_force=True)
        .order_by("parent_id", "position", "id")
        .values_list("id", "parent_id", "kind", "printed_number", "name_kk", "name_ru")
    ):
        name = (name_ru or name_kk) if russian else (name_kk or name_ru)
        rows[pk] = NodeRow(pk, parent, kind, number, name)
    shown_parents = {pk: row.parent_id for pk, row in rows.items()}
    for pk, row in rows.items():
        row.depth = len(ancestry_in(shown_parents, pk)) - 1
    return rows


def _parents(program: Program) -> dict[int, int | None]:
    """Every node's parent (in force or not), to find which shown nodes a task counts in.
    Fetched at once: thousands of pairs, which the ORM's chunked fetch reads forty times
    slower."""
    query = ProgramNode.objects.filter(program=program).order_by().values_list("id", "parent_id")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _russian() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "kk")[:2] == "ru"


def _light_up(nodes: dict[int, NodeRow], declared: dict[int, str] | None) -> None:
    """Each node's light from its figures (its own and every node's under it)."""
    for row in nodes.values():
        row.light = traffic_light(row.figures, (declared or {}).get(row.id))


def _roll_up(
    nodes: dict[int, NodeRow], own: dict[int, Figures], parents: dict[int, int | None]
) -> None:
    """Each shown node's figures: the own figures of every node in its subtree."""
    for pk, f in own.items():
        for above in ancestry_in(parents, pk):
            row = nodes.get(above)
            if row is not None:
                row.figures = row.figures + f
        row = nodes.get(pk)
        if row is not None:
            row.own = row.own + f


# --- the obligations behind ---------------------------------------------------------------


def task_obligations(program: Program, node_ids: Iterable[int] | None) -> QuerySet[Obligation]:
    """The obligations of the program's project tasks in force (of the nodes given, if any)."""
    qs = Obligation.objects.filter(project_task__program=program, in_force=True)
    if node_ids is not None:
        qs = qs.filter(project_task__node_id__in=sorted(node_ids))
    return qs.order_by()


def _fine_rows(qs: QuerySet[Obligation], on: dt.date) -> QuerySet[Any, Any]:
    return qs.values(
        "organisation_id",
        node=F("project_task__node_id"),
        kind=F("project_task__kind"),
        task_region=F("project_task__region_id"),
        quarter=QuarterNumber(F("deadline")),
    ).annotate(**{name: Count("id", filter=outcome_filter(name, on)) for name in OUTCOMES})


def _from_fine(
    rows: Iterable[dict[str, Any]],
    nodes: dict[int, NodeRow],
    parents: dict[int, int | None],
    on: dt.date,
) -> ProgramFigures:
    figures = ProgramFigures(nodes=nodes, bodies={}, regions={}, quarters={}, on=on)
    own: dict[int, Figures] = {}
    for row in rows:
        f = Figures(*(int(row[name] or 0) for name in OUTCOMES))
        _add(own, row["node"], f)
        _add(figures.bodies, (row["organisation_id"], row["kind"]), f)
        _add(figures.regions, (row["task_region"], row["kind"]), f)
        if row["quarter"] is not None:
            _add(figures.quarters, int(row["quarter"]), f)
    _roll_up(nodes, own, parents)
    return figures


def _add(target: dict[Any, Figures], key: Any, f: Figures) -> None:
    target[key] = target.get(key, Figures()) + f


def program_figures_fresh(
    program: Program, focus: ProgramNode | None = None, *, on: dt.date | None = None
) -> ProgramFigures:
    """The figures read from the obligations themselves (below a sub-program; tests); lights
    not yet set."""
    on = on or today()
    nodes = _node_rows(program, focus)
    parents = _parents(program)
    scope = None
    if focus is not None:
        scope = {pk for pk in parents if focus.pk in ancestry_in(parents, pk)}
    return _from_fine(_fine_rows(task_obligations(program, scope), on), nodes, parents, on)


def _overdue_this_month(program: Program, on: dt.date) -> QuerySet[Any, Any]:
    """This month's obligations already overdue, by node, kind, body and region of the task
    (an index holds the open ones by deadline)."""
    qs = task_obligations(program, None).filter(
        status_filter(ObligationStatus.OVERDUE, on), deadline__gte=on.replace(day=1)
    )
    return qs.values_list(
        "project_task__node_id",
        "project_task__kind",
        "organisation_id",
        "project_task__region_id",
    ).annotate(n=Count("id"))


Sums = tuple[int, int, int, int, int]


def _split(sums: Sums, overdue_now: int) -> Figures:
    """Figures of counted rows (on time, late, pending of an earlier, this and a later
    period): pending of an earlier period is overdue, of a later one is not; of this period,
    ``overdue_now`` of them are overdue."""
    on_time, late, past, now, future = sums
    return Figures(on_time, late, past + overdue_now, future + now - overdue_now)


def _ints(values: list[Any]) -> Sums:
    a, b, c, d, e = (int(v or 0) for v in values)
    return a, b, c, d, e


def program_figures(
    program: Program,
    focus: ProgramNode | None = None,
    *,
    on: dt.date | None = None,
    declared: dict[int, str] | None = None,
) -> ProgramFigures:
    """The dashboard's figures for the whole program (``focus`` None) or one node's subtree,
    with the shown nodes' lights (``declared``: a node's declared status, the worse light
    wins)."""
    on = on or today()
    if focus is not None and focus.kind != NodeKind.SUBPROGRAM:
        figures = program_figures_fresh(program, focus, on=on)
        _light_up(figures.nodes, declared)
        return figures
    nodes = _node_rows(program, focus)
    this_month = month_index(on)
    # This month's pending obligations already overdue, counted on each shown node above
    # their task's node (and, with a sub-program as the focus, only those under it).
    parents = _parents(program)
    overdue_shown: dict[int, int] = {}
    by_org: dict[tuple[int | None, str], int] = {}
    by_region: dict[tuple[int | None, str], int] = {}
    overdue_month = 0
    for node_id, kind, org, region, n in _overdue_this_month(program, on):
        chain = ancestry_in(parents, node_id)
        if focus is not None and focus.pk not in chain:
            continue
        for above in chain:
            if above in nodes:
                overdue_shown[above] = overdue_shown.get(above, 0) + n
        by_org[(org, kind)] = by_org.get((org, kind), 0) + n
        by_region[(region, kind)] = by_region.get((region, kind), 0) + n
        overdue_month += n
    # The shown nodes' rows (each its subtree's) along the node index; the body, region and
    # month grains along the grain index: one statement.
    by_node: dict[int, Sums] = {}
    by_body: dict[tuple[int | None, str], Sums] = {}
    by_place: dict[tuple[int | None, str], Sums] = {}
    by_quarter: dict[int, Sums] = {}
    for grain, node_id, kind, org, region, period, *sums in _kept_rows(
        program, sorted(nodes), focus.pk if focus is not None else None, this_month
    ):
        if grain == ProgramCountGrain.NODE:
            _add_sums(by_node, node_id, _ints(sums))
        elif grain == ProgramCountGrain.ORGANISATION:
            _add_sums(by_body, (org, kind), _ints(sums))
        elif grain == ProgramCountGrain.REGION:
            _add_sums(by_place, (region, kind), _ints(sums))
        else:
            _add_sums(by_quarter, int(period) // 3, _ints(sums))
    for node_id, kept in by_node.items():
        if node_id in nodes:
            nodes[node_id].figures = _split(kept, overdue_shown.get(node_id, 0))
    figures = ProgramFigures(nodes=nodes, bodies={}, regions={}, quarters={}, on=on)
    for key, kept in by_body.items():
        figures.bodies[key] = _split(kept, by_org.get(key, 0))
    for key, kept in by_place.items():
        figures.regions[key] = _split(kept, by_region.get(key, 0))
    this_quarter = quarter_index(on)
    for quarter, kept in by_quarter.items():
        # Pending of an earlier month is overdue; of this one, as read above.
        figures.quarters[quarter] = _split(kept, overdue_month if quarter == this_quarter else 0)
    _light_up(nodes, declared)
    return figures


def _kept_rows(
    program: Program, shown: list[int], focus_id: int | None, month: int
) -> list[tuple[Any, ...]]:
    """The kept counts the dashboard shows, summed by bucket: the shown nodes' rows, then the
    body, region and month grains (of the focus sub-program, or of all). One statement written
    out, as the ORM's two queries cost as much to build as to run (``benchmarks/programs.py``)."""
    if not shown:
        shown = [0]
    table = connection.ops.quote_name(ProgramCount._meta.db_table)
    sums = """
        SUM(CASE WHEN bucket = %s THEN obligations END),
        SUM(CASE WHEN bucket = %s THEN obligations END),
        SUM(CASE WHEN bucket = %s AND period < %s THEN obligations END),
        SUM(CASE WHEN bucket = %s AND period = %s THEN obligations END),
        SUM(CASE WHEN bucket = %s AND period > %s THEN obligations END)"""
    sums_params = [ON_TIME, LATE, PENDING, month, PENDING, month, PENDING, month]
    in_shown = ", ".join(["%s"] * len(shown))
    branch = " AND node_id = %s" if focus_id is not None else ""
    query = f"""
        SELECT grain, node_id, NULL, NULL, NULL, NULL, {sums}
        FROM {table}
        WHERE program_id = %s AND grain = %s AND node_id IN ({in_shown})
        GROUP BY grain, node_id
        UNION ALL
        SELECT grain, NULL, kind, organisation_id, region_id,
               CASE WHEN grain = %s THEN period END, {sums}
        FROM {table}
        WHERE program_id = %s AND grain IN (%s, %s, %s){branch}
        GROUP BY grain, kind, organisation_id, region_id, CASE WHEN grain = %s THEN period END
    """
    month_grain = ProgramCountGrain.MONTH.value
    params: list[Any] = [*sums_params, program.pk, ProgramCountGrain.NODE.value, *shown]
    params += [month_grain, *sums_params, program.pk]
    params += [ProgramCountGrain.ORGANISATION.value, ProgramCountGrain.REGION.value, month_grain]
    params += [focus_id] if focus_id is not None else []
    params.append(month_grain)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall())


def _add_sums(target: dict[Any, Sums], key: Any, sums: Sums) -> None:
    a = target.get(key, (0, 0, 0, 0, 0))
    target[key] = (a[0] + sums[0], a[1] + sums[1], a[2] + sums[2], a[3] + sums[3], a[4] + sums[4])
