"""Who may read and enter indicators' values.

Roles are the existing ones of ``jospar.core`` (no new role):

* a **regional project office** is a user with the *executor* role whose organisation is a
  region's akimat, or a body under it (a department): that user enters, submits and answers
  returns for that region's values, and no other region's;
* **the centre** is a *controller* or an *administrator*: it approves or returns regions' values
  (it does not type them),
  enters national values of indicators that are not aggregated, corrects approved values and
  manages indicators, targets and surveys;
* observers and every executor read indicators and approved values.

Objects named in a URL are fetched here: 404 for both "missing" and "not yours".
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jospar.core.models import Organisation, Region, Role, User
from jospar.indicators.models import DataValue, Indicator

_MAX_DEPTH = 12


def _user(user: Any) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def is_centre(user: Any) -> bool:
    actor = _user(user)
    return actor is not None and (actor.is_administrator or actor.has_role(Role.CONTROLLER))


def office_region_id(user: Any) -> int | None:
    """The region whose office the user is, or None (not an akimat's executor)."""
    actor = _user(user)
    if actor is None or actor.organisation_id is None or not actor.has_role(Role.EXECUTOR):
        return None
    cached = getattr(actor, "_indicator_region", False)
    if cached is not False:
        return cached
    region_id: int | None = None
    current: int | None = actor.organisation_id
    seen: list[int] = []
    while current is not None and current not in seen and len(seen) < _MAX_DEPTH:
        seen.append(current)
        row = Organisation.objects.filter(pk=current).values_list("region_id", "parent_id").first()
        if row is None:
            break
        if row[0] is not None:
            region_id = row[0]
            break
        current = row[1]
    actor._indicator_region = region_id  # type: ignore[attr-defined]
    return region_id


def office_region(user: Any) -> Region | None:
    region_id = office_region_id(user)
    return None if region_id is None else Region.objects.filter(pk=region_id).first()


def can_read_indicators(user: Any) -> bool:
    actor = _user(user)
    return actor is not None and (
        is_centre(actor) or actor.has_role(Role.OBSERVER) or actor.has_role(Role.EXECUTOR)
    )


def can_enter_values(user: Any) -> bool:
    return office_region_id(user) is not None or is_centre(user)


def can_touch_region(user: Any, region_id: int | None) -> bool:
    """Whether the user may enter (and submit) values of this region (None: national values,
    which the centre enters). The centre does not type a region's figures: it reviews them."""
    if region_id is None:
        return is_centre(user)
    return office_region_id(user) == region_id


def access_indicator(user: Any, indicator_id: int) -> Indicator:
    if not can_read_indicators(user):
        raise Http404
    indicator = Indicator.objects.select_related("node").filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    return indicator


def access_data_value(user: Any, value_id: int) -> DataValue:
    """A value the user may act on: the centre any, a region's office its region's."""
    value = DataValue.objects.select_related("indicator", "region").filter(pk=value_id).first()
    if value is None:
        raise Http404
    if is_centre(user) or (
        value.region_id is not None and office_region_id(user) == value.region_id
    ):
        return value
    raise Http404


def access_region_for_entry(user: Any, region_id: int) -> Region:
    region = Region.objects.filter(pk=region_id).first()
    if region is None or not can_touch_region(user, region.pk):
        raise Http404
    return region
