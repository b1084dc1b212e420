"""Where an obligation comes from: an activity of a plan, a project task of a program (a key
event put on control is a project task of the kind "key event"), or a regional project office's
status report for one period. What the control loop asks of
the source — is it still owed, who reviews it, what to call it — is answered here, so that the
rest of the loop does not care which it is.

- A plan activity's reports are reviewed by the controllers of the plan's controlling
  department (`jospar.plans.access`); a project task's by its project's manager, as the program's
  roles say (`jospar.programs.policy`, action "review_task", in the task's region); a status
  report's by the centre (`jospar.programs.office_policy`, "review_status_report"). A status
  report is written, submitted and reviewed on its own pages (`control/project_office/`), whose
  services set the obligation's facts as the execution reports' services do.
"""

from __future__ import annotations

from django.db.models import Q

from jospar.control.models import Obligation
from jospar.core.models import User
from jospar.plans.access import can_control_plan
from jospar.plans.models import Activity
from jospar.programs.models_tasks import ProjectTask
from jospar.programs.office_policy import may_review_status_report
from jospar.programs.policy import may, scope_q
from jospar.programs.roles import Action


def is_project_task(obligation: Obligation) -> bool:
    return obligation.project_task_id is not None


def source_in_force_q(prefix: str = "") -> Q:
    """Obligations whose source is in force: not of one of the few activities out of force
    (a project task's withdrawal takes its obligations out of force, so the obligation's own
    flag says it). No join: the obligations' own index answers it."""
    return ~Q(**{f"{prefix}activity__in": Activity.objects.filter(in_force=False)})


def source_in_force(obligation: Obligation) -> bool:
    if obligation.status_report_id is not None:
        report = obligation.status_report
        return report is not None and report.in_force
    if obligation.project_task_id is not None:
        task = obligation.project_task
        return task is not None and task.in_force
    return obligation.activity is not None and obligation.activity.in_force


def can_review_task(user: User, task: ProjectTask) -> bool:
    return may(user, Action.REVIEW_TASK, node=task.node, region_id=task.region_id)


def can_review(user: User, obligation: Obligation) -> bool:
    """May this person accept or return the obligation's report?"""
    if not (user.is_authenticated and user.is_active):
        return False
    if obligation.status_report_id is not None:
        report = obligation.status_report
        return report is not None and may_review_status_report(user, report)
    if obligation.project_task_id is not None:
        task = obligation.project_task
        return task is not None and can_review_task(user, task)
    return obligation.activity is not None and can_control_plan(user, obligation.activity.plan)


def reviewed_tasks_q(user: User, prefix: str = "") -> Q | None:
    """Obligations of the project tasks this person reviews (None: none)."""
    return scope_q(
        user,
        Action.REVIEW_TASK,
        node_field=f"{prefix}project_task__node_id",
        region_field=f"{prefix}project_task__region_id",
    )


def read_tasks_q(user: User, prefix: str = "") -> Q | None:
    """Obligations of the project tasks on the part of the tree this person holds a role on."""
    return scope_q(
        user,
        Action.VIEW,
        node_field=f"{prefix}project_task__node_id",
        region_field=f"{prefix}project_task__region_id",
    )


def task_reviewers(task: ProjectTask) -> list[User]:
    """The people who accept or return this task's reports (for notices)."""
    candidates = (
        User.objects.filter(
            is_active=True, program_roles__program_id=task.program_id, program_roles__in_force=True
        )
        .distinct()
        .order_by("pk")
    )
    return [u for u in candidates if can_review_task(u, task)]
