"""Who may see and import programs. Objects named in a URL are fetched here (404 for both
"missing" and "not yours").

Programs are public acts, but their tree with its warnings and co-executors is working material
of the state bodies: administrators, controllers, observers and executors read it; administrators
import it. A person holding a project role (Appendix 2, `policy.py`) reads the program too.
"""

from __future__ import annotations

from django.http import Http404

from jospar.core.models import Role, User
from jospar.programs.models import (
    Program,
    ProgramNode,
    ProgramRole,
    Risk,
    StatusReport,
    StatusSchedule,
)
from jospar.programs.policy import ancestry, grants, holds_any_role, may, roles_in_force
from jospar.programs.roles import REGIONAL_ROLES, Action, role_allows

_READERS = (Role.CONTROLLER, Role.OBSERVER, Role.EXECUTOR)


def can_import_programs(user: User) -> bool:
    return user.is_authenticated and user.is_administrator


def can_read_programs(user: User) -> bool:
    return user.is_authenticated and (
        user.is_administrator or any(user.has_role(r) for r in _READERS)
    )


def reads_some_program(user: User) -> bool:
    """The programs list and menu entry: a reader, or a person holding a role somewhere."""
    return can_read_programs(user) or (user.is_authenticated and bool(roles_in_force(user)))


def can_read_program(user: User, program_id: int) -> bool:
    return can_read_programs(user) or (user.is_authenticated and holds_any_role(user, program_id))


def access_program(user: User, program_id: int) -> Program:
    program = Program.objects.filter(pk=program_id).first()
    if program is None or not can_read_program(user, program.pk):
        raise Http404
    return program


def access_program_node(user: User, node_id: int) -> ProgramNode:
    node = ProgramNode.objects.select_related("program", "parent").filter(pk=node_id).first()
    if node is None or not can_read_program(user, node.program_id):
        raise Http404
    return node


def access_program_role(user: User, role_id: int) -> ProgramRole:
    grant = ProgramRole.objects.select_related("program", "node").filter(pk=role_id).first()
    if grant is None or not can_read_program(user, grant.program_id):
        raise Http404
    return grant


def access_risk(user: User, risk_id: int) -> Risk:
    risk = Risk.objects.select_related("node", "node__program", "owner").filter(pk=risk_id).first()
    if risk is None or not can_read_program(user, risk.node.program_id):
        raise Http404
    return risk


def status_report_regions(user: User, program: Program) -> set[int] | None:
    """The one rule for reading a program's status reports, on the pages and in the API: the
    regions whose reports ``user`` reads — None for every region (whoever reads the program's
    dashboard whole: the control department, administrators, the program-wide roles; or holds a
    role on the node the reports are scheduled on or above it), a regional role's own region,
    an empty set for none. A status report is a regional office's working report to the
    centre (its risks, the help it asks for), not part of the program's public text, so reading
    the program is not enough to read every region's reports."""
    if dashboard_reach(user, program)[0]:
        return None
    schedule_node = (
        StatusSchedule.objects.filter(program=program).values_list("node_id", flat=True).first()
    )
    chain: set[int] | None = None
    if schedule_node is not None:
        node = ProgramNode.objects.filter(pk=schedule_node).first()
        chain = set(ancestry(node)) if node is not None else set()
    regions: set[int] = set()
    for grant in grants(user, program.pk):
        if not role_allows(grant.role, Action.VIEW):
            continue
        if grant.role in REGIONAL_ROLES and grant.region_id is not None:
            regions.add(grant.region_id)
        elif chain is not None and grant.node_id in chain:
            return None
    return regions


def access_status_report(user: User, report_id: int) -> StatusReport:
    """A status report, by `status_report_regions` (404 for missing and not yours)."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    report = (
        StatusReport.objects.select_related(
            "program", "region", "schedule", "schedule__node", "written_by"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    regions = status_report_regions(user, report.program)
    if regions is not None and report.region_id not in regions:
        raise Http404
    return report


def access_program_status_reports(user: User, program_id: int) -> tuple[Program, set[int] | None]:
    """The program and the regions whose status reports the user reads (None: every region);
    404 when the program is missing or the user reads none of its reports."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise Http404
    regions = status_report_regions(user, program)
    if regions is not None and not regions:
        raise Http404
    return program, regions


def dashboard_reach(user: User, program: Program) -> tuple[bool, tuple[int, ...]]:
    """Who reads the program's dashboard (control draws it): (the whole program, the nodes
    whose subtrees). Controllers read it whole, as every program; site administrators and the
    program-wide roles too (the policy lets them read the program as a whole); a role on a node
    reads that node's subtree. Anyone else: (False, ())."""
    if not (user.is_authenticated and user.is_active):
        return False, ()
    if user.has_role(Role.CONTROLLER) or may(user, Action.VIEW, program=program):
        return True, ()
    roots = {
        g.node_id
        for g in grants(user, program.pk)
        if g.node_id is not None and role_allows(g.role, Action.VIEW)
    }
    return False, tuple(sorted(roots))


def may_see_dashboard(user: User, program: Program) -> bool:
    whole, roots = dashboard_reach(user, program)
    return whole or bool(roots)
