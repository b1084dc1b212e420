"""Who may act on a project's own control and on the regional status reports (the roles'
actions: `roles.py`; the rule "a role holds on its node and below, a regional role in its region
only": `policy.py`)."""

from __future__ import annotations

from jospar.core.models import User
from jospar.programs.models import TASK_NODES, ProgramNode, ProgramRole, StatusReport
from jospar.programs.policy import grants, may
from jospar.programs.roles import Action, ProjectRole, role_allows


def may_manage_project(user: User, node: ProgramNode) -> bool:
    """Declare the status, keep the risks and order the board of this node (not a key event)."""
    return node.kind in TASK_NODES and may(user, Action.MANAGE_PROJECT, node=node)


def _status_scope(user: User, report: StatusReport, action: str) -> bool:
    schedule = report.schedule
    if schedule.node_id is not None:
        return may(user, action, node=schedule.node, region_id=report.region_id)
    if may(user, action, program=report.program, region_id=report.region_id):
        return True
    # A report on the whole program: a regional office holds its roles on nodes of the
    # program, so the office of the report's region writes it whichever node it holds.
    return action == Action.WRITE_STATUS_REPORT and any(
        g.region_id == report.region_id and role_allows(g.role, action)
        for g in grants(user, report.program_id)
    )


def may_write_status_report(user: User, report: StatusReport) -> bool:
    return _status_scope(user, report, Action.WRITE_STATUS_REPORT)


def may_review_status_report(user: User, report: StatusReport) -> bool:
    return _status_scope(user, report, Action.REVIEW_STATUS_REPORT)


def may_set_schedule(user: User, program_id: int, node: ProgramNode | None) -> bool:
    from jospar.programs.models import Program

    program = Program(pk=program_id)
    if node is not None:
        return may(user, Action.REVIEW_STATUS_REPORT, node=node)
    return may(user, Action.REVIEW_STATUS_REPORT, program=program)


def status_report_writers(report: StatusReport) -> list[User]:
    """The people of the report's regional project office who write it (whom its reminders
    tell): active holders of a role that writes status reports, in the report's region, for
    whom the rule above says yes."""
    roles = [str(r) for r in ProjectRole if role_allows(r, Action.WRITE_STATUS_REPORT)]
    holders = (
        ProgramRole.objects.filter(
            program_id=report.program_id,
            region_id=report.region_id,
            role__in=roles,
            in_force=True,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    users = User.objects.filter(pk__in=holders).order_by("pk")
    return [user for user in users if may_write_status_report(user, report)]
