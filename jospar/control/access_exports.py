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


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_request_report(user: User, plan: Plan) -> bool:
    return _active(user) and visible_plans(user).filter(pk=plan.pk).exists()


def report_scope(user: User, plan: Plan) -> Organisation | None:
    """``None`` for the whole plan; an executor's organisation for its own part of it."""
    if can_see_all_plans(user) or can_control_plan(user, plan):
        return None
    return user.organisation


def visible_report_exports(user: User) -> QuerySet[ReportExport]:
    if not _active(user):
        return ReportExport.objects.none()
    exports = ReportExport.objects.filter(plan__in=visible_plans(user))
    if user.is_administrator:
        return exports
    mine = Q(requested_by=user)
    if is_controller(user):
        mine |= controlled_plans_q(user, prefix="plan__")
    return exports.filter(mine)


def access_report_export(user: User, export_id: int) -> ReportExport:
    export = (
        visible_report_exports(user)
        .filter(pk=export_id)
        .select_related("plan", "requested_by", "organisation")
        .first()
    )
    if export is None:
        raise Http404
    return export
