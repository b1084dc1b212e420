"""The control schedule page: who owes which report on which date."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jospar.control.selectors import (
    ObligationFilter,
    obligation_list_for,
    obligation_organisations,
    obligation_regions,
)
from jospar.core.models import User
from jospar.plans import selectors
from jospar.plans.access import access_plan
from jospar.plans.forms import ObligationFilterForm

PAGE_SIZE = 50


@login_required
@require_GET
def obligations(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    form = ObligationFilterForm(request.GET or None)
    filters = ObligationFilter()
    plan = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("plan"):
            # A plan named in the URL is fetched like any other: 404 when not visible.
            plan = access_plan(actor, data["plan"])
        filters = ObligationFilter(
            plan_id=plan.pk if plan else None,
            organisation_id=data.get("organisation"),
            region_id=data.get("region"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )
    page = Paginator(obligation_list_for(actor, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "plans/obligations.html",
        {
            "form": form,
            "filters": filters,
            "plan": plan,
            "page": page,
            "query": urlencode(query),
            "plans": selectors.plans_for_choice(actor).only("id", "title_kk", "title_ru"),
            "organisations": obligation_organisations(actor),
            "regions": obligation_regions(),
        },
    )
