"""The "Today" page: what an executor or a controller has to do now."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jospar.control.models import ObligationStatus
from jospar.control.selectors.today import today_desk
from jospar.control.views.obligations import actor_of
from jospar.plans.access import is_controller, is_executor


def _list_url(**query: object) -> str:
    return f"{reverse('control:obligations')}?{urlencode(query)}"


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not (is_executor(actor) or is_controller(actor)):
        raise PermissionDenied(_("This page is for executors and controllers."))
    desk = today_desk(actor)
    links: dict[str, str] = {}
    if desk.executor is not None:
        own = desk.executor.organisation_id
        for status in (
            ObligationStatus.DUE_SOON,
            ObligationStatus.OVERDUE,
            ObligationStatus.RETURNED,
        ):
            links[f"executor_{status.value}"] = _list_url(organisation=own, status=status.value)
    if desk.controller is not None:
        links["controller_overdue"] = _list_url(status=ObligationStatus.OVERDUE.value)
    return render(request, "control/today.html", {"desk": desk, "links": links})
