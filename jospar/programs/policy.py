"""May this person do this action on this node of a program? One answer for every page,
service and query that asks (`002_*` Appendix 2; the roles and their actions: `roles.py`).

- A role given on a node holds on that node and everything under it, never on its parent or a
  sibling; a role given on no node (the customer, the program's curator) holds on the program.
- A regional role holds only for its region: an action whose subject is in another region, or
  in no region at all (a task to a ministry), is not its to do. Reading the tree is the one
  exception: a regional role reads the nodes it holds whatever the region.
- Site administrators (staff) read every program and assign roles on it; they issue, accept
  and report nothing by their staff role alone. The readers of `access.py` (controllers,
  observers, executors) read the tree as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from jospar.core.models import User
from jospar.programs.models import Program, ProgramNode, ProgramRole
from jospar.programs.roles import REGIONAL_ROLES, Action, role_allows


@dataclass(frozen=True)
class Grant:
    role: str
    node_id: int | None
    region_id: int | None


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


RoleRow = tuple[int, str, int | None, int | None]


def roles_in_force(user: User) -> tuple[RoleRow, ...]:
    """(program, role, node, region) of each role the user holds in force, read once per user
    object, that is once per request (a page asks on behalf of its lists, counts and menu
    three to six times), as ``User.has_role`` reads the site roles."""
    if not _active(user):
        return ()
    rows: tuple[RoleRow, ...] | None = user.__dict__.get("_program_roles")
    if rows is None:
        rows = tuple(
            ProgramRole.objects.filter(user=user, in_force=True).values_list(
                "program_id", "role", "node_id", "region_id"
            )
        )
        user.__dict__["_program_roles"] = rows
    return rows


def grants(user: User, program_id: int) -> list[Grant]:
    """The user's roles in force on one program."""
    return [
        Grant(role, node_id, region_id)
        for program, role, node_id, region_id in roles_in_force(user)
        if program == program_id
    ]


def ancestry(node: ProgramNode) -> list[int]:
    """The node's id and those of every node above it, nearest first."""
    parents = dict(
        ProgramNode.objects.filter(program_id=node.program_id).values_list("id", "parent_id")
    )
    chain: list[int] = []
    current: int | None = node.pk
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def _holds(grant: Grant, chain: Iterable[int] | None) -> bool:
    """The grant covers the node whose ancestry is `chain` (None: the program as a whole)."""
    if grant.node_id is None:
        return True
    return chain is not None and grant.node_id in chain


def may(
    user: User,
    action: str,
    *,
    program: Program | None = None,
    node: ProgramNode | None = None,
    region_id: int | None = None,
) -> bool:
    """May `user` do `action` on `node` (or, with no node, on `program` as a whole), for a
    subject in `region_id` (None: a subject in no region)?"""
    if not _active(user):
        return False
    if program is None and node is None:
        return False
    program_id = node.program_id if node is not None else program.pk  # type: ignore[union-attr]
    if user.is_administrator and action in (Action.VIEW, Action.ASSIGN_ROLES):
        return True
    chain = ancestry(node) if node is not None else None
    for grant in grants(user, program_id):
        if not role_allows(grant.role, action) or not _holds(grant, chain):
            continue
        limited = grant.role in REGIONAL_ROLES and action != Action.VIEW
        if limited and (region_id is None or grant.region_id != region_id):
            continue
        return True
    return False


def holds_any_role(user: User, program_id: int) -> bool:
    return bool(grants(user, program_id))


def subtree_ids(program_id: int, roots: Iterable[int | None]) -> set[int] | None:
    """Every node under (and including) the roots; None when a root is the whole program."""
    roots = list(roots)
    if any(r is None for r in roots):
        return None
    children: dict[int, list[int]] = {}
    for pk, parent in ProgramNode.objects.filter(program_id=program_id).values_list(
        "id", "parent_id"
    ):
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    out: set[int] = set()
    todo = [r for r in roots if r is not None]
    while todo:
        pk = todo.pop()
        if pk in out:
            continue
        out.add(pk)
        todo.extend(children.get(pk, []))
    return out


def scope_q(user: User, action: str, *, node_field: str, region_field: str) -> Q | None:
    """A condition over rows that have a program node and a region (project tasks, their
    obligations): those on which `user` may do `action`. None when there are none."""
    if not _active(user):
        return None
    rows = roles_in_force(user)
    by_key: dict[tuple[int, int | None], list[int | None]] = {}
    for program_id, role, node_id, role_region in rows:
        if not role_allows(role, action):
            continue
        regional = role in REGIONAL_ROLES and action != Action.VIEW
        by_key.setdefault((program_id, role_region if regional else None), []).append(node_id)
    condition: Q | None = None
    program_field = node_field.removesuffix("_id") + "__program_id"
    for (prog, region), roots in by_key.items():
        nodes = subtree_ids(prog, roots)
        part = Q(**{program_field: prog})
        if nodes is not None:
            part &= Q(**{f"{node_field}__in": sorted(nodes)})
        if region is not None:
            part &= Q(**{region_field: region})
        condition = part if condition is None else condition | part
    return condition


def may_somewhere(user: User, action: str, node: ProgramNode) -> bool:
    """May `user` do `action` on `node` for some subject: in no region, or in one of the
    regions of their regional roles on the program (what a page offers before it knows)."""
    regions = {g.region_id for g in grants(user, node.program_id) if g.region_id is not None}
    return any(may(user, action, node=node, region_id=r) for r in [None, *sorted(regions)])
