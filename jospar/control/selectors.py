"""Reading the control schedule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from jospar.control.models import Obligation
from jospar.core.models import Organisation, Region, Role, User
from jospar.plans.access import can_see_all_plans


@dataclass(frozen=True)
class ObligationFilter:
    plan_id: int | None = None
    organisation_id: int | None = None
    region_id: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def visible_obligations(user: User) -> QuerySet[Obligation]:
    """All obligations for those who control or observe; an executor's own otherwise."""
    if not user.is_authenticated or not user.is_active:
        return Obligation.objects.none()
    if can_see_all_plans(user):
        return Obligation.objects.all()
    if user.has_role(Role.EXECUTOR) and user.organisation_id:
        return Obligation.objects.filter(organisation_id=user.organisation_id)
    return Obligation.objects.none()


def obligation_list_for(
    user: User, filters: ObligationFilter | None = None
) -> QuerySet[Obligation]:
    """The control schedule the user may see, in due order, with everything a row shows."""
    f = filters or ObligationFilter()
    qs = visible_obligations(user).filter(in_force=True, activity__in_force=True)
    if f.plan_id is not None:
        qs = qs.filter(activity__plan_id=f.plan_id)
    if f.organisation_id is not None:
        qs = qs.filter(organisation_id=f.organisation_id)
    if f.region_id is not None:
        qs = qs.filter(region_id=f.region_id)
    if f.due_from is not None:
        qs = qs.filter(due_on__gte=f.due_from)
    if f.due_to is not None:
        qs = qs.filter(due_on__lte=f.due_to)
    return qs.select_related(
        "activity", "activity__plan", "executor", "organisation", "region"
    ).order_by("due_on", "activity__plan_id", "activity__position", "executor__position", "id")


def obligation_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations that owe something the user can see: the choices of the filter."""
    ids = visible_obligations(user).filter(in_force=True).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids).order_by("name_ru", "name_kk")


def obligation_regions() -> QuerySet[Region]:
    return Region.objects.order_by("name_en")
