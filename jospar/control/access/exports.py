"""Who may request, follow and download reports on a plan's execution.

- Anyone who sees a plan may request its report. Administrators, observers and the plan's
  controllers get the whole plan; an executor gets what its own organisation owes and reported
  (it may not read other bodies' reports).
- An export is seen by the person who requested it and by the plan's controllers and the
  administrators, and only while that person still sees the plan. Anyone else gets 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jospar.control.models_exports import ReportExport
from jospar.core.models import Organisation, User
from jospar.plans.access import (
    can_control_plan,
    can_see_all_plans,
    controlled_plans_q,
    is_controller,
    visible_plans,
)
from jospar.plans.models import Plan
from jospar.programs.access import dashboard_reach
from jospar.programs.models import Program


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_request_report(user: User, plan: Plan) -> bool:
    return _active(user) and visible_plans(user).filter(pk=plan.pk).exists()


def report_scope(user: User, plan: Plan) -> Organisation | None:
    """``None`` for the whole plan; an executor's organisation for its own part of it."""
    if can_see_all_plans(user) or can_control_plan(user, plan):
        return None
    return user.organisation


def can_request_program_report(user: User, program: Program) -> bool:
    """The program report covers the whole program: for those who read its dashboard whole."""
    return _active(user) and dashboard_reach(user, program)[0]


def visible_report_exports(user: User) -> QuerySet[ReportExport]:
    """A plan's reports as before; a program's to the administrators, the controllers (who
    read every program) and whoever requested it."""
    if not _active(user):
        return ReportExport.objects.none()
    of_plans = Q(plan__in=visible_plans(user))
    of_programs = Q(program__isnull=False)
    if user.is_administrator:
        return ReportExport.objects.filter(of_plans | of_programs)
    mine = Q(requested_by=user)
    plans_mine = mine
    programs_mine = mine
    if is_controller(user):
        plans_mine |= controlled_plans_q(user, prefix="plan__")
        programs_mine = Q()
    return ReportExport.objects.filter((of_plans & plans_mine) | (of_programs & programs_mine))


def access_report_export(user: User, export_id: int) -> ReportExport:
    export = (
        visible_report_exports(user)
        .filter(pk=export_id)
        .select_related("plan", "program", "requested_by", "organisation")
        .first()
    )
    if export is None:
        raise Http404
    return export
