"""Who may see and change plans. Objects named in a URL are fetched here: 404 for both
"missing" and "not yours", so that a URL reveals nothing.

- Administrators and observers see every plan.
- A controller sees the plans its department controls (``Plan.controller_organisation``) and the
  plans no department has been assigned yet, and controls those same plans.
- An executor sees the plans that name its organisation, directly or as a region's akimat.

A person may hold several roles: what each role lets them see is added up.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jospar.core.models import Role, User
from jospar.plans.models import Activity, Plan, PlanAmendment, PlanUpload


def can_import_plans(user: User) -> bool:
    return user.is_authenticated and user.is_administrator


def can_see_all_plans(user: User) -> bool:
    """Administrators and observers read everything; controllers only their departments'."""
    return user.is_authenticated and (user.is_administrator or user.has_role(Role.OBSERVER))


def is_controller(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CONTROLLER)


def is_executor(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.EXECUTOR) and bool(user.organisation_id)


def controlled_plans_q(user: User, prefix: str = "") -> Q:
    """The plans a controller controls, as a condition on ``<prefix>controller_organisation``:
    its department's, and those with no department assigned yet."""
    unassigned = Q(**{f"{prefix}controller_organisation__isnull": True})
    if not user.organisation_id:
        return unassigned
    return unassigned | Q(**{f"{prefix}controller_organisation_id": user.organisation_id})


def executor_plans_q(user: User, prefix: str = "") -> Q:
    """The plans that name the executor's organisation, directly or through its obligations
    (an akimat owes the reports of "the akimats of all regions"). The obligations are read
    through the activities' reverse relation: this app imports nothing of control's."""
    organisation_id = user.organisation_id or 0
    named = Activity.objects.filter(executors__organisation_id=organisation_id).values("plan_id")
    owing = Activity.objects.filter(obligations__organisation_id=organisation_id).values("plan_id")
    return Q(**{f"{prefix}pk__in": named}) | Q(**{f"{prefix}pk__in": owing})


def visible_plans(user: User) -> QuerySet[Plan]:
    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if can_see_all_plans(user):
        return Plan.objects.all()
    condition: Q | None = None
    if is_controller(user):
        condition = controlled_plans_q(user)
    if is_executor(user):
        mine = executor_plans_q(user)
        condition = mine if condition is None else condition | mine
    if condition is None:
        return Plan.objects.none()
    return Plan.objects.filter(condition)


def controlled_plans(user: User) -> QuerySet[Plan]:
    """The plans whose execution the user may review and decide on."""
    if not is_controller(user) or not user.is_active:
        return Plan.objects.none()
    return Plan.objects.filter(controlled_plans_q(user))


def can_control_plan(user: User, plan: Plan) -> bool:
    if not is_controller(user) or not user.is_active:
        return False
    return plan.controller_organisation_id is None or (
        plan.controller_organisation_id == user.organisation_id
    )


def can_amend_plan(user: User, plan: Plan) -> bool:
    """Amending acts are applied by the plan's controllers and by administrators."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_administrator or can_control_plan(user, plan))
    )


def access_plan_amendment(user: User, plan_id: int, amendment_id: int) -> PlanAmendment:
    """An amending act being applied: seen by those who may amend its plan."""
    amendment = (
        PlanAmendment.objects.filter(pk=amendment_id, plan_id=plan_id)
        .select_related("plan")
        .first()
    )
    if amendment is None or not can_amend_plan(user, amendment.plan):
        raise Http404
    return amendment


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
