"""Who may see a project task's page and print it: whoever holds a role over its part of the
program's tree, those who read every plan, and the bodies it goes to (404 for the rest)."""

from __future__ import annotations

from django.http import Http404

from jospar.control.access.obligations import visible_obligations
from jospar.core.models import User
from jospar.plans.access import can_see_all_plans
from jospar.programs.models_tasks import ProjectTask
from jospar.programs.policy import may
from jospar.programs.roles import Action


def can_see_task(user: User, task: ProjectTask) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if can_see_all_plans(user) or may(user, Action.VIEW, node=task.node):
        return True
    return visible_obligations(user).filter(project_task=task).exists()


def access_project_task(user: User, task_id: int) -> ProjectTask:
    task = (
        ProjectTask.objects.select_related("program", "node", "node__parent", "region", "issued_by")
        .filter(pk=task_id)
        .first()
    )
    if task is None or not can_see_task(user, task):
        raise Http404
    return task
