"""The sixteen project roles of `002_*` Appendix 2 ("Типовые проектные роли участников
Программы") and what each may do, as the document describes the role.

- The customer (the national commission) takes the program's decisions, names its curator and
  approves the composition of its councils: it approves and assigns roles.
- The program curator represents the customer, runs the steering council and approves the
  conceptual decisions: approves, assigns roles, comments.
- The sub-program curator (a minister) names the head, general manager, administrator and
  managers and takes key decisions; the sub-program head (a vice-minister) takes the managerial
  decisions and, "where needed", names project heads and managers: both approve, assign roles and
  comment.
- The general manager and the sub-program manager run the project teams and answer for the base
  projects: they issue project tasks, accept or return their execution, edit the tree and comment.
- The administrator (a project office employee) gives methodological and organisational support:
  edits the tree and comments.
- The regional curator (the akim) and the regional head (his deputy) do in their region what the
  sub-program curator and head do; the regional project office head supports and monitors (edits
  and comments); the regional general manager takes project teams and runs the program in the
  region (issues and accepts project tasks); the regional administrator supports (comments).
- The project head answers for the project's quality and resolves what the manager cannot:
  approves, reviews project tasks, comments.
- The project manager "sends a request with a project task to any state body", runs the plan and
  reports: issues, accepts or returns project tasks, edits the project, comments.
- The expert analyses and advises within project tasks: comments.
- The task executor carries out project tasks and answers for their quality and time: reports.

The project's own control (issue #10, "Status and control"): the project head and the managers
above it declare its status, keep its risk register and order its board (`manage_project`); the
regional project office (its head, general manager and administrator) writes the region's status
report (`write_status_report`, in its region only); the centre — the program curator and the
sub-program's curator and head — accepts or returns it and sets the schedule
(`review_status_report`).

Every role reads the part of the tree it holds. Plain Python: no database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectRole(models.TextChoices):
    CUSTOMER = "customer", _("Customer (national commission)")
    PROGRAM_CURATOR = "program_curator", _("Program curator")
    SUBPROGRAM_CURATOR = "subprogram_curator", _("Sub-program curator")
    SUBPROGRAM_HEAD = "subprogram_head", _("Sub-program head")
    GENERAL_MANAGER = "general_manager", _("General manager")
    ADMINISTRATOR = "administrator", _("Project office administrator")
    MANAGER = "manager", _("Sub-program manager")
    REGIONAL_CURATOR = "regional_curator", _("Regional program curator")
    REGIONAL_HEAD = "regional_head", _("Regional program head")
    REGIONAL_OFFICE_HEAD = "regional_office_head", _("Head of the regional project office")
    REGIONAL_GENERAL_MANAGER = (
        "regional_general_manager",
        _("General manager of the regional project office"),
    )
    REGIONAL_ADMINISTRATOR = (
        "regional_administrator",
        _("Administrator of the regional project office"),
    )
    PROJECT_HEAD = "project_head", _("Project head")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    EXPERT = "expert", _("Expert")
    TASK_EXECUTOR = "task_executor", _("Project task executor")


class Action(models.TextChoices):
    VIEW = "view", _("Read")
    APPROVE = "approve", _("Approve decisions")
    ASSIGN_ROLES = "assign_roles", _("Assign project roles")
    EDIT_NODE = "edit_node", _("Edit the tree")
    ISSUE_TASK = "issue_task", _("Issue project tasks")
    REVIEW_TASK = "review_task", _("Accept or return project tasks")
    REPORT_TASK = "report_task", _("Report on project tasks")
    COMMENT = "comment", _("Comment")
    # The project's own control: its declared status, its risk register, its board's order.
    MANAGE_PROJECT = "manage_project", _("Declare the project's status, keep its risks")
    # A regional project office's status report, and the centre's acceptance of it.
    WRITE_STATUS_REPORT = "write_status_report", _("Write the regional status report")
    REVIEW_STATUS_REPORT = "review_status_report", _("Accept or return status reports")


R = ProjectRole
A = Action

REGIONAL_ROLES: frozenset[str] = frozenset(
    {
        R.REGIONAL_CURATOR,
        R.REGIONAL_HEAD,
        R.REGIONAL_OFFICE_HEAD,
        R.REGIONAL_GENERAL_MANAGER,
        R.REGIONAL_ADMINISTRATOR,
    }
)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    R.CUSTOMER: frozenset({A.VIEW, A.APPROVE, A.ASSIGN_ROLES}),
    R.PROGRAM_CURATOR: frozenset(
        {A.VIEW, A.APPROVE, A.ASSIGN_ROLES, A.COMMENT, A.REVIEW_STATUS_REPORT}
    ),
    R.SUBPROGRAM_CURATOR: frozenset(
        {A.VIEW, A.APPROVE, A.ASSIGN_ROLES, A.COMMENT, A.REVIEW_STATUS_REPORT}
    ),
    R.SUBPROGRAM_HEAD: frozenset(
        {A.VIEW, A.APPROVE, A.ASSIGN_ROLES, A.COMMENT, A.REVIEW_STATUS_REPORT}
    ),
    R.GENERAL_MANAGER: frozenset(
        {A.VIEW, A.EDIT_NODE, A.ISSUE_TASK, A.REVIEW_TASK, A.COMMENT, A.MANAGE_PROJECT}
    ),
    R.ADMINISTRATOR: frozenset({A.VIEW, A.EDIT_NODE, A.COMMENT}),
    R.MANAGER: frozenset(
        {A.VIEW, A.EDIT_NODE, A.ISSUE_TASK, A.REVIEW_TASK, A.COMMENT, A.MANAGE_PROJECT}
    ),
    R.REGIONAL_CURATOR: frozenset({A.VIEW, A.APPROVE, A.ASSIGN_ROLES, A.COMMENT}),
    R.REGIONAL_HEAD: frozenset({A.VIEW, A.APPROVE, A.ASSIGN_ROLES, A.COMMENT}),
    R.REGIONAL_OFFICE_HEAD: frozenset({A.VIEW, A.EDIT_NODE, A.COMMENT, A.WRITE_STATUS_REPORT}),
    R.REGIONAL_GENERAL_MANAGER: frozenset(
        {A.VIEW, A.ISSUE_TASK, A.REVIEW_TASK, A.COMMENT, A.WRITE_STATUS_REPORT}
    ),
    R.REGIONAL_ADMINISTRATOR: frozenset({A.VIEW, A.COMMENT, A.WRITE_STATUS_REPORT}),
    R.PROJECT_HEAD: frozenset({A.VIEW, A.APPROVE, A.REVIEW_TASK, A.COMMENT, A.MANAGE_PROJECT}),
    R.PROJECT_MANAGER: frozenset(
        {A.VIEW, A.EDIT_NODE, A.ISSUE_TASK, A.REVIEW_TASK, A.COMMENT, A.MANAGE_PROJECT}
    ),
    R.EXPERT: frozenset({A.VIEW, A.COMMENT}),
    R.TASK_EXECUTOR: frozenset({A.VIEW, A.REPORT_TASK}),
}

# Roles that stand for the whole program (no node): the customer and the program's curator.
PROGRAM_WIDE_ROLES: frozenset[str] = frozenset({R.CUSTOMER, R.PROGRAM_CURATOR})


def role_allows(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())
