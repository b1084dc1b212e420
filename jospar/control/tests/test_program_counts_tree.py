"""A program's tree changing (a corrected text that moves, merges or splits base projects) keeps
the program counts equal to a fresh count: control's handler on programs' "tree changed"
rewrites that program's rows inside the import's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jospar.control.models import Obligation
from jospar.control.program_counts import (
    program_counts_check,
    program_counts_repair,
    stored_program_counts,
)
from jospar.control.program_dashboard import program_figures, program_figures_fresh
from jospar.control.status import today
from jospar.core.models import Organisation, OrganisationKind, Role, User
from jospar.programs import extensions
from jospar.programs.models import NodeKind, Program, ProgramNode, ProjectTask
from jospar.programs.services import program_import

SEED = Path(__file__).resolve().parents[2] / "programs" / "demo_seeds" / "002_8999394f61b35e2b.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def program(regions: None, admin: User) -> Program:
    return program_import(
        actor=admin, data=SEED.read_text(encoding="utf-8"), filename=SEED.name
    ).program


def _node(program: Program, kind: str, name: str) -> ProgramNode:
    return ProgramNode.objects.get(program=program, kind=kind, name_kk=name)


def _bodies() -> list[Organisation]:
    """Two regions' akimats (the regions' load makes them)."""
    bodies = list(
        Organisation.objects.filter(kind=OrganisationKind.AKIMAT, region__isnull=False).order_by(
            "pk"
        )[:2]
    )
    assert len(bodies) == 2
    return bodies


def _on_control(program: Program, admin: User, nodes: list[ProgramNode]) -> None:
    """Tasks with obligations (late, pending, on time) on these nodes, counted afresh."""
    bodies = _bodies()
    base = today()
    for n, node in enumerate(nodes):
        deadline = base + dt.timedelta(days=40 * n - 60)
        task = ProjectTask.objects.create(
            program=program,
            node=node,
            region=bodies[n % 2].region,
            required_items=[f"Есеп {n}"],
            deadline=deadline,
            prepared_by_title="Менеджер",
            issued_by=admin,
        )
        for m, body in enumerate(bodies):
            submitted = deadline + dt.timedelta(days=m * 5) if n % 3 == 0 else None
            Obligation.objects.create(
                project_task=task,
                organisation=body,
                region_id=body.region_id,
                due_on=deadline,
                deadline=deadline,
                submitted_on=submitted,
                submitted_at=None if submitted is None else dt.datetime.now(dt.UTC),
            )
    program_counts_repair(program.pk)
    assert program_counts_check(program.pk) == []


def _reimport(program: Program, admin: User, corrections: list[dict[str, Any]]) -> Any:
    return program_import(
        actor=admin,
        data=SEED.read_text(encoding="utf-8"),
        filename="corrected.txt",
        program=program,
        corrections=corrections,
    )


def _fresh(program: Program) -> None:
    assert program_counts_check(program.pk) == []
    kept, fresh = program_figures(program), program_figures_fresh(program)
    assert {k: r.figures for k, r in kept.nodes.items()} == {
        k: r.figures for k, r in fresh.nodes.items()
    }
    assert {k: f for k, f in kept.bodies.items() if f.total} == {
        k: f for k, f in fresh.bodies.items() if f.total
    }


def test_a_moved_base_project_takes_its_counts_to_its_new_sub_program(
    program: Program, admin: User
) -> None:
    moved = _node(program, NodeKind.BASE_PROJECT, "Өлкетану")
    project = ProgramNode.objects.create(
        program=program, parent=moved, kind=NodeKind.PROJECT, position=99, name_kk="Жоба"
    )
    event = moved.children.filter(kind=NodeKind.KEY_EVENT).first()
    assert event is not None
    _on_control(program, admin, [moved, project, event])
    before = stored_program_counts(program.pk)
    outcome = _reimport(program, admin, [{"op": "move", "path": [0, 0], "to": [1]}])
    moved.refresh_from_db()
    atameken = _node(program, NodeKind.SUBPROGRAM, "АТАМЕКЕН")
    assert moved.parent_id == atameken.pk
    assert moved.in_force
    assert outcome.moved == ["Өлкетану"]
    assert stored_program_counts(program.pk) != before
    _fresh(program)


def test_a_merge_and_a_split_keep_the_counts(program: Program, admin: User) -> None:
    merged = _node(program, NodeKind.BASE_PROJECT, "Отаным – тағдырым")
    split = _node(program, NodeKind.BASE_PROJECT, "Өнегелік құндылықтар")
    every_merged_event = list(merged.children.values_list("name_kk", flat=True))
    merged_events = list(merged.children.order_by("position")[:2])
    split_events = list(split.children.order_by("position")[:2])
    project = ProgramNode.objects.create(
        program=program, parent=merged, kind=NodeKind.PROJECT, position=99, name_kk="Жоба"
    )
    _on_control(program, admin, [*merged_events, *split_events, project, merged])
    before = stored_program_counts(program.pk)
    outcome = _reimport(
        program,
        admin,
        [
            {"op": "merge", "path": [0, 1], "into": [0, 0]},
            {"op": "split", "path": [2, 0], "name": "Жаңа жоба", "take": {"key_events": [0]}},
        ],
    )
    merged.refresh_from_db()
    assert merged.in_force is False
    into = _node(program, NodeKind.BASE_PROJECT, "Өлкетану")
    new = _node(program, NodeKind.BASE_PROJECT, "Жаңа жоба")
    for event in merged_events:
        event.refresh_from_db()
        assert event.parent_id == into.pk
        assert event.in_force
    split_events[0].refresh_from_db()
    assert split_events[0].parent_id == new.pk
    expected = [name[:120] for name in [*every_merged_event, split_events[0].name_kk]]
    assert sorted(outcome.moved) == sorted(expected)
    assert stored_program_counts(program.pk) != before
    _fresh(program)


def test_without_the_handler_a_move_leaves_the_counts_wrong(
    program: Program, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = _node(program, NodeKind.BASE_PROJECT, "Өлкетану")
    _on_control(program, admin, [moved])
    called: list[int] = []
    monkeypatch.setattr(extensions, "_TREE_CHANGED", [lambda p: called.append(p.pk)])
    _reimport(program, admin, [{"op": "move", "path": [0, 0], "to": [1]}])
    assert called == [program.pk]
    assert program_counts_check(program.pk) != []


def test_a_renamed_sub_program_takes_its_base_projects_and_their_counts(
    program: Program, admin: User
) -> None:
    # The importer knows a node by its name: the renamed sub-program is a new node, and its
    # base projects (each named once in the text) move under it with their tasks.
    base = _node(program, NodeKind.BASE_PROJECT, "Саналы Азамат")
    _on_control(program, admin, [base])
    outcome = _reimport(program, admin, [{"op": "rename", "path": [0], "name": "Тәрбие"}])
    base.refresh_from_db()
    assert base.parent_id == _node(program, NodeKind.SUBPROGRAM, "Тәрбие").pk
    assert "Саналы Азамат" in outcome.moved
    _fresh(program)


def test_a_text_that_moves_nothing_does_not_recount(
    program: Program, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[int] = []
    monkeypatch.setattr(extensions, "_TREE_CHANGED", [lambda p: called.append(p.pk)])
    target = {"op": "target", "path": [0], "indicator": 0, "value": 90, "unit": "%", "year": 2022}
    outcome = _reimport(program, admin, [target])
    assert outcome.revision is not None
    assert not outcome.moved
    assert called == []
