"""Who may see and act in Generous Heart. Cycles, nominations and nominees are public; the
jury's page is its members' only (404 for anyone else, as for a missing cycle)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from jospar.initiatives.access.initiatives import signed_in
from jospar.initiatives.models import HeartCycle, HeartJuror, HeartNominee


def access_cycle(user: Any, cycle_id: Any) -> HeartCycle:
    row = HeartCycle.objects.select_related("region").filter(pk=cycle_id).first()
    if row is None:
        raise Http404
    return row


def access_cycle_juror(user: Any, cycle_id: Any) -> HeartCycle:
    row = access_cycle(user, cycle_id)
    person = signed_in(user)
    if person is None or not HeartJuror.objects.filter(cycle=row, user=person).exists():
        raise Http404
    return row


def access_nominee(user: Any, nominee_id: Any) -> HeartNominee:
    row = (
        HeartNominee.objects.select_related(
            "nomination__cycle__region", "person", "organisation", "option"
        )
        .filter(pk=nominee_id)
        .first()
    )
    if row is None:
        raise Http404
    return row
