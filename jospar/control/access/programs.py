"""Who may open a program's dashboard, and on which part of its tree (404 for both "missing"
and "not yours"). The rule is the programs app's (`programs.access.dashboard_reach`): controllers,
site administrators and the program-wide roles read it whole; a role on a node reads that node's
subtree — the same obligations the list shows them; anyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from jospar.core.models import User
from jospar.programs.access import access_status_report, dashboard_reach
from jospar.programs.models import Program, ProgramNode, StatusReport
from jospar.programs.policy import ancestry


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


def access_office_status_report(user: User, report_id: int) -> StatusReport:
    """A status report in force for the project office's API; who reads it is the programs
    app's one rule (`programs.access.status_report_regions`), as on the pages."""
    report = access_status_report(user, report_id)
    if not report.in_force:
        raise Http404
    return report
