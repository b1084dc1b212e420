"""Who sees which discipline dashboard. The figures themselves are always computed over what
the person may see (``visible_obligations``); these functions decide which pages open.

- Administrators, observers and controllers open the overview and every organisation's and
  region's page (a controller's figures cover the plans it controls).
- An executor opens its own organisation's page, and, for an akimat, its region's page; any
  other organisation or region is "not found".
- A plan's page opens for whoever may see the plan (``access_plan``).
"""

from __future__ import annotations

from django.http import Http404

from jospar.core.models import Organisation, Region, User
from jospar.plans.access import can_see_all_plans, is_controller


def can_see_discipline_overview(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        can_see_all_plans(user) or is_controller(user)
    )


def own_organisation_id(user: User) -> int | None:
    """The organisation whose page an executor is sent to from the overview."""
    if not (user.is_authenticated and user.is_active):
        return None
    return user.organisation_id


def access_discipline_organisation(user: User, organisation_id: int) -> Organisation:
    if not (user.is_authenticated and user.is_active):
        raise Http404
    if not can_see_discipline_overview(user) and user.organisation_id != organisation_id:
        raise Http404
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def access_discipline_region(user: User, region_id: int) -> Region:
    if not (user.is_authenticated and user.is_active):
        raise Http404
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise Http404
    if can_see_discipline_overview(user):
        return region
    own = (
        Organisation.objects.filter(pk=user.organisation_id).values_list("region_id", flat=True)
        if user.organisation_id
        else None
    )
    if own is None or region.pk not in list(own):
        raise Http404
    return region
