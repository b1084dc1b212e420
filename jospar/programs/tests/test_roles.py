"""The sixteen roles of Appendix 2: the permission matrix (every role × action × node: its own,
a child, its parent, a sibling, another region, no region), the services and the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import Region, Role, User
from jospar.programs.models import NodeKind, Program, ProgramNode, ProgramRole
from jospar.programs.policy import may, scope_q
from jospar.programs.roles import (
    PROGRAM_WIDE_ROLES,
    REGIONAL_ROLES,
    ROLE_ACTIONS,
    Action,
    ProjectRole,
    role_allows,
)
from jospar.programs.services.roles import program_role_assign, program_role_revoke

pytestmark = pytest.mark.django_db


def _node(program: Program, parent: ProgramNode | None, kind: str, name: str) -> ProgramNode:
    return ProgramNode.objects.create(
        program=program, parent=parent, kind=kind, position=1, name_kk=name
    )


@pytest.fixture
def tree() -> dict[str, Any]:
    program = Program.objects.create(title_kk="Бағдарлама")
    s1 = _node(program, None, NodeKind.SUBPROGRAM, "S1")
    s2 = _node(program, None, NodeKind.SUBPROGRAM, "S2")
    b1 = _node(program, s1, NodeKind.BASE_PROJECT, "B1")
    b2 = _node(program, s1, NodeKind.BASE_PROJECT, "B2")
    p1 = _node(program, b1, NodeKind.PROJECT, "P1")
    e1 = _node(program, p1, NodeKind.KEY_EVENT, "E1")
    r1 = Region.objects.create(code="r1", kind="oblast", name_kk="R1", name_ru="R1", name_en="R1")
    r2 = Region.objects.create(code="r2", kind="oblast", name_kk="R2", name_ru="R2", name_en="R2")
    return {
        "program": program,
        "s1": s1,
        "s2": s2,
        "b1": b1,
        "b2": b2,
        "p1": p1,
        "e1": e1,
        "r1": r1,
        "r2": r2,
    }


def test_every_role_has_its_actions() -> None:
    assert len(ProjectRole.values) == 16
    assert set(ROLE_ACTIONS) == set(ProjectRole.values)
    assert role_allows(ProjectRole.PROJECT_MANAGER, Action.ISSUE_TASK)
    assert role_allows(ProjectRole.MANAGER, Action.REVIEW_TASK)
    assert role_allows(ProjectRole.PROGRAM_CURATOR, Action.APPROVE)
    assert role_allows(ProjectRole.EXPERT, Action.COMMENT)
    assert not role_allows(ProjectRole.EXPERT, Action.ISSUE_TASK)
    assert role_allows(ProjectRole.TASK_EXECUTOR, Action.REPORT_TASK)
    assert not role_allows(ProjectRole.TASK_EXECUTOR, Action.REVIEW_TASK)


def test_permission_matrix(tree: dict[str, Any], make_user: Callable[..., User]) -> None:
    """Each role, held on base project B1 (the customer and the program curator: on the program;
    regional roles: for region R1), against every action on B1 itself, its project P1 and key
    event E1 below, its parent S1, its sibling B2, the other sub-program S2, and B1 for another
    region and for no region."""
    program, b1, r1, r2 = tree["program"], tree["b1"], tree["r1"], tree["r2"]
    wrong: list[str] = []
    for role in ProjectRole.values:
        user = make_user()
        wide = role in PROGRAM_WIDE_ROLES
        regional = role in REGIONAL_ROLES
        ProgramRole.objects.create(
            program=program,
            node=None if wide else b1,
            user=user,
            role=role,
            region=r1 if regional else None,
        )
        for action in Action.values:
            allowed = role_allows(role, action)
            limited = regional and action != Action.VIEW
            expected = {
                "own": allowed,
                "child": allowed,
                "grandchild": allowed,
                "parent": allowed and wide,
                "sibling": allowed and wide,
                "other_subprogram": allowed and wide,
                "other_region": allowed and not limited,
                "no_region": allowed and not limited,
            }
            places = {
                "own": (b1, r1.pk),
                "child": (tree["p1"], r1.pk),
                "grandchild": (tree["e1"], r1.pk),
                "parent": (tree["s1"], r1.pk),
                "sibling": (tree["b2"], r1.pk),
                "other_subprogram": (tree["s2"], r1.pk),
                "other_region": (b1, r2.pk),
                "no_region": (b1, None),
            }
            for place, (node, region_id) in places.items():
                got = may(user, action, node=node, region_id=region_id)
                if got != expected[place]:
                    wrong.append(f"{role} {action} {place}: {got}")
    assert wrong == []


def test_scope_q_matches_may(tree: dict[str, Any], make_user: Callable[..., User]) -> None:
    """The query form of the policy: rows with a node and a region (here: role rows)."""
    program, b1, r1, r2 = tree["program"], tree["b1"], tree["r1"], tree["r2"]
    manager = make_user()
    ProgramRole.objects.create(
        program=program, node=b1, user=manager, role=ProjectRole.REGIONAL_GENERAL_MANAGER, region=r1
    )
    other = make_user()
    rows = {
        (name, region.pk): ProgramRole.objects.create(
            program=program, node=tree[name], user=other, role=ProjectRole.EXPERT, region=region
        ).pk
        for name in ("b1", "p1", "e1", "s1", "b2")
        for region in (r1, r2)
    }
    q = scope_q(manager, Action.REVIEW_TASK, node_field="node_id", region_field="region_id")
    assert q is not None
    got = set(ProgramRole.objects.filter(q, user=other).values_list("pk", flat=True))
    assert got == {rows[(n, r1.pk)] for n in ("b1", "p1", "e1")}
    assert scope_q(make_user(), Action.REVIEW_TASK, node_field="n", region_field="r") is None


def test_assign_and_revoke(tree: dict[str, Any], make_user: Callable[..., User]) -> None:
    program, b1, p1, r1, r2 = tree["program"], tree["b1"], tree["p1"], tree["r1"], tree["r2"]
    staff = make_user(Role.ADMINISTRATOR)
    curator = make_user()
    program_role_assign(
        actor=staff, program=program, node=None, user=curator, role=ProjectRole.PROGRAM_CURATOR
    )
    manager = make_user()
    grant = program_role_assign(
        actor=curator, program=program, node=p1, user=manager, role=ProjectRole.PROJECT_MANAGER
    )
    with pytest.raises(PermissionRefused):  # a manager assigns no roles
        program_role_assign(
            actor=manager, program=program, node=p1, user=make_user(), role=ProjectRole.EXPERT
        )
    with pytest.raises(ServiceError):  # twice
        program_role_assign(
            actor=curator, program=program, node=p1, user=manager, role=ProjectRole.PROJECT_MANAGER
        )
    with pytest.raises(ServiceError):  # a regional role needs its region
        program_role_assign(
            actor=curator, program=program, node=b1, user=manager, role=ProjectRole.REGIONAL_HEAD
        )
    with pytest.raises(ServiceError):  # the customer stands for the whole program
        program_role_assign(
            actor=staff, program=program, node=b1, user=manager, role=ProjectRole.CUSTOMER
        )
    akim = make_user()
    program_role_assign(
        actor=staff,
        program=program,
        node=b1,
        user=akim,
        role=ProjectRole.REGIONAL_CURATOR,
        region=r1,
    )
    program_role_assign(
        actor=akim,
        program=program,
        node=p1,
        user=make_user(),
        role=ProjectRole.REGIONAL_ADMINISTRATOR,
        region=r1,
    )
    with pytest.raises(PermissionRefused):  # not in another region
        program_role_assign(
            actor=akim,
            program=program,
            node=p1,
            user=make_user(),
            role=ProjectRole.REGIONAL_ADMINISTRATOR,
            region=r2,
        )
    program_role_revoke(actor=curator, grant=grant)
    grant.refresh_from_db()
    assert not grant.in_force


def test_roles_page(tree: dict[str, Any], make_user: Callable[..., User], client: Client) -> None:
    staff = make_user(Role.ADMINISTRATOR)
    person = make_user(username="manager-one")
    client.force_login(staff)
    url = reverse("programs:node-roles", args=[tree["p1"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": "manager-one", "role": ProjectRole.PROJECT_MANAGER})
    assert response.status_code == 302
    assert ProgramRole.objects.filter(user=person, node=tree["p1"], in_force=True).exists()
    bad = client.post(url, {"username": "nobody", "role": ProjectRole.PROJECT_MANAGER})
    assert bad.status_code == 400
    assert client.get(reverse("programs:roles", args=[tree["program"].pk])).status_code == 200
    # The manager now reads the program, and its list, without any site role.
    client.force_login(person)
    assert client.get(reverse("programs:node", args=[tree["p1"].pk])).status_code == 200
    assert client.get(reverse("programs:list")).status_code == 200
    outsider = make_user()
    client.force_login(outsider)
    assert client.get(reverse("programs:node", args=[tree["p1"].pk])).status_code == 404
