"""Who may see and change plans. Objects named in a URL are fetched here: 404 for both
"missing" and "not yours", so that a URL reveals nothing."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jospar.core.models import Role, User
from jospar.plans.models import Activity, Plan, PlanUpload


def can_import_plans(user: User) -> bool:
    return user.is_authenticated and user.is_administrator


def can_see_all_plans(user: User) -> bool:
    return user.is_authenticated and (
        user.is_administrator or user.has_role(Role.CONTROLLER) or user.has_role(Role.OBSERVER)
    )


def visible_plans(user: User) -> QuerySet[Plan]:
    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if can_see_all_plans(user):
        return Plan.objects.all()
    if user.has_role(Role.EXECUTOR) and user.organisation_id:
        # An executor sees the plans that name its organisation, directly or as an akimat.
        return Plan.objects.filter(
            Q(activities__executors__organisation_id=user.organisation_id)
            | Q(activities__obligations__organisation_id=user.organisation_id)
        ).distinct()
    return Plan.objects.none()


def access_plan(user: User, plan_id: int) -> Plan:
    plan = visible_plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def access_activity(user: User, activity_id: int) -> Activity:
    activity = (
        Activity.objects.filter(pk=activity_id, plan__in=visible_plans(user))
        .select_related("plan")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def access_plan_upload(user: User, upload_id: int) -> PlanUpload:
    """An upload is seen by administrators only: it is not yet a plan anyone executes."""
    if not can_import_plans(user):
        raise Http404
    upload = PlanUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        raise Http404
    return upload
