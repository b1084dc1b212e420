"""The program counts kept by ancestor against a fresh count from the obligations: for trees,
tasks and changes hypothesis makes up, adding the difference of a change (as the services do)
leaves the table equal to a count from scratch, and the dashboard read from it equals the one
read from the obligations on any day. A node moved to another parent is found by the check and
put right by the repair."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.control.discipline_counts import fine_counts_of
from jospar.control.models import Obligation
from jospar.control.program_counts import (
    fine_difference,
    program_counts_add,
    program_counts_check,
    program_counts_repair,
)
from jospar.control.program_dashboard import (
    ProgramFigures,
    _light_up,
    program_figures,
    program_figures_fresh,
)
from jospar.control.status import today
from jospar.control.synth_programs import ProgramSpec, synth_program_build
from jospar.programs.extensions import tree_changed
from jospar.programs.models import NodeKind, Program

pytestmark = pytest.mark.django_db

OUTCOMES = ("pending", "on_time", "late", "returned", "accepted", "withdrawn", "moved")


def _program(subprograms: int, projects: int, tasks: int, seed: int) -> Program:
    year = today().year
    spec = ProgramSpec(
        subprograms=subprograms,
        base_projects=subprograms * 2,
        projects=projects,
        tasks=tasks,
        first_year=year - 1,
        last_year=year + 1,
        seed=seed,
    )
    result = synth_program_build(actor=None, spec=spec, reset=False)
    return Program.objects.get(pk=result.program_id)


def _task_obligations(program: Program) -> Any:
    return Obligation.objects.filter(project_task__program=program)


def _change(obligation_id: int, outcome: str, shift: int) -> None:
    """Give one obligation new facts directly (what a service would leave behind)."""
    o = Obligation.objects.get(pk=obligation_id)
    deadline = o.deadline or o.due_on
    now = timezone.now()
    cleared: dict[str, Any] = {
        "submitted_at": None,
        "submitted_on": None,
        "accepted_at": None,
        "returned_at": None,
        "first_late_days": None,
    }
    if outcome == "pending":
        facts = cleared
    elif outcome in ("on_time", "accepted"):
        facts = {**cleared, "submitted_at": now, "submitted_on": deadline, "first_late_days": 0}
        if outcome == "accepted":
            facts["accepted_at"] = now
    elif outcome == "late":
        late_on = deadline + dt.timedelta(days=3)
        facts = {**cleared, "submitted_at": now, "submitted_on": late_on, "first_late_days": 3}
    elif outcome == "returned":
        facts = {
            **cleared,
            "submitted_at": now - dt.timedelta(hours=1),
            "submitted_on": deadline,
            "returned_at": now,
            "first_late_days": 0,
        }
    elif outcome == "withdrawn":
        facts = {"in_force": False}
    else:
        facts = {"deadline": deadline + dt.timedelta(days=shift)}
    Obligation.objects.filter(pk=obligation_id).update(**facts)


def _answer(figures: ProgramFigures) -> dict[str, Any]:
    _light_up(figures.nodes, None)
    return {
        "nodes": {pk: (row.figures, row.light) for pk, row in figures.nodes.items()},
        "bodies": {k: f for k, f in figures.bodies.items() if f.total},
        "regions": {k: f for k, f in figures.regions.items() if f.total},
        "quarters": {k: f for k, f in figures.quarters.items() if f.total},
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    shape=st.tuples(
        st.integers(min_value=1, max_value=3),  # sub-programs
        st.integers(min_value=1, max_value=6),  # projects
        st.integers(min_value=1, max_value=8),  # tasks per project
        st.integers(min_value=0, max_value=10_000),  # seed
    ),
    changes=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.sampled_from(OUTCOMES),
            st.integers(min_value=-400, max_value=400),
        ),
        max_size=12,
    ),
    moves=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=1000), st.integers(min_value=0, max_value=1000)
        ),
        max_size=3,
    ),
    day=st.integers(min_value=-500, max_value=500),
)
def test_kept_counts_equal_a_fresh_count(
    regions: None,
    shape: tuple[int, int, int, int],
    changes: list[tuple[int, str, int]],
    moves: list[tuple[int, int]],
    day: int,
) -> None:
    subprograms, projects, per_project, seed = shape
    program = _program(subprograms, max(projects, subprograms * 2), projects * per_project, seed)
    assert program_counts_check(program.pk) == []
    ids = list(_task_obligations(program).order_by("pk").values_list("pk", flat=True))
    before = fine_counts_of(_task_obligations(program))
    for index, outcome, shift in changes:
        _change(ids[index % len(ids)], outcome, shift)
    # What every service does: the difference of the touched obligations' fine rows.
    program_counts_add(fine_difference(before, fine_counts_of(_task_obligations(program))))
    assert program_counts_check(program.pk) == []
    # Projects moved to other base projects, as a tree editor would, telling programs'
    # extension point in its transaction: control's handler rewrites the counts.
    movable = list(program.nodes.filter(kind=NodeKind.PROJECT).order_by("pk"))
    bases = list(program.nodes.filter(kind=NodeKind.BASE_PROJECT).order_by("pk"))
    for project_index, base_index in moves:
        with transaction.atomic():
            project = movable[project_index % len(movable)]
            project.parent = bases[base_index % len(bases)]
            project.save(update_fields=["parent"])
            tree_changed(program)
        assert program_counts_check(program.pk) == []
    on = today() + dt.timedelta(days=day)
    for focus in [None, *program.nodes.filter(kind=NodeKind.SUBPROGRAM)]:
        kept = _answer(program_figures(program, focus, on=on))
        fresh = _answer(program_figures_fresh(program, focus, on=on))
        assert kept == fresh, (on, focus)
        shown = 1 if focus is not None else 0
        assert all(row.depth <= shown + 1 for row in program_figures(program, focus).nodes.values())


def test_a_moved_node_is_found_and_repaired(regions: None) -> None:
    program = _program(2, 4, 40, 7)
    bases = list(program.nodes.filter(kind=NodeKind.BASE_PROJECT).order_by("pk"))
    project = program.nodes.filter(kind=NodeKind.PROJECT, parent=bases[0]).first()
    other = next(b for b in bases if b.parent_id != bases[0].parent_id)
    assert project is not None
    # A re-import moved the project under a base project of the other sub-program.
    type(project).objects.filter(pk=project.pk).update(parent=other)
    wrong = program_counts_check(program.pk)
    assert wrong
    out = io.StringIO()
    call_command("program_counts", stdout=out)
    assert f"{len(wrong)} counts disagree, in 1 programs" in out.getvalue()
    assert program_counts_check(program.pk) == wrong  # a check changes nothing
    call_command("program_counts", "--repair", stdout=out)
    assert program_counts_check(program.pk) == []
    type(project).objects.filter(pk=project.pk).update(parent=bases[0])
    assert program_counts_repair(program.pk) > 0
    assert program_counts_check(program.pk) == []
    assert program_counts_check() == []
    whole = _answer(program_figures(program))
    assert whole == _answer(program_figures_fresh(program))
