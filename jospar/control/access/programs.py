"""Who may open a program's dashboard, and on which part of its tree (404 for both "missing"
and "not yours"). The rule is the programs app's (`programs.access.dashboard_reach`): controllers,
site administrators and the program-wide roles read it whole; a role on a node reads that node's
subtree — the same obligations the list shows them; anyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from jospar.core.models import User
from jospar.programs.access import dashboard_reach
from jospar.programs.models import Program, ProgramNode, StatusReport, StatusSchedule
from jospar.programs.policy import ancestry, grants
from jospar.programs.roles import REGIONAL_ROLES, Action, role_allows


@dataclass(frozen=True)
class DashboardScope:
    program: Program
    focus: ProgramNode | None  # None: the whole program
    whole: bool  # the reader may see the whole program
    roots: tuple[int, ...]  # the nodes whose subtrees a node-role holder reads


def access_program_dashboard(user: User, program_id: int, node_id: int | None) -> DashboardScope:
    if not (user.is_authenticated and user.is_active):
        raise Http404
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise Http404
    whole, roots = dashboard_reach(user, program)
    if not whole and not roots:
        raise Http404
    focus = None
    if node_id is not None:
        focus = (
            ProgramNode.objects.filter(pk=node_id, program=program, in_force=True)
            .select_related("parent")
            .first()
        )
        if focus is None or not (whole or set(ancestry(focus)) & set(roots)):
            raise Http404
    elif not whole:
        focus = ProgramNode.objects.filter(pk=roots[0], program=program).first()
        if focus is None:
            raise Http404
    return DashboardScope(program=program, focus=focus, whole=whole, roots=roots)


def access_office_node(user: User, node_id: int) -> ProgramNode:
    """A node of a program's tree for the project office's API: read by whoever reads its
    program's dashboard whole, or holds a role on it or on a node above it (never on a sibling
    or below it); 404 otherwise."""
    node = ProgramNode.objects.select_related("program").filter(pk=node_id, in_force=True).first()
    if node is None:
        raise Http404
    access_program_dashboard(user, node.program_id, node.pk)
    return node


def status_report_regions(user: User, program: Program) -> set[int] | None:
    """The regions whose status reports of ``program`` the user reads: None for all (the
    control department, the administrators and whoever reads the program whole or holds a role
    on the part the reports are on); a regional role's region; an empty set for nothing."""
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


def access_office_status_report(user: User, report_id: int) -> StatusReport:
    report = (
        StatusReport.objects.select_related("program", "region", "written_by")
        .filter(pk=report_id, in_force=True)
        .first()
    )
    if report is None or not (user.is_authenticated and user.is_active):
        raise Http404
    regions = status_report_regions(user, report.program)
    if regions is not None and report.region_id not in regions:
        raise Http404
    return report


def access_program_status_reports(user: User, program_id: int) -> tuple[Program, set[int] | None]:
    """The program and the regions whose status reports the user reads (None: every region);
    404 when the program is missing or the user reads none of its reports."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None or not (user.is_authenticated and user.is_active):
        raise Http404
    regions = status_report_regions(user, program)
    if regions is not None and not regions:
        raise Http404
    return program, regions
