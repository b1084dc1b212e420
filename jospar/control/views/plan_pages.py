"""Plan pages that show or change the control schedule: an activity with its obligations, and
saving a checked upload (which derives the schedule). They sit in this app (plans knows nothing
of obligations) and keep their addresses in the ``plans`` namespace (``config/urls.py``)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jospar.control.selectors.obligations import ObligationFilter, obligation_list_for
from jospar.control.services.plan_revisions import plan_upload_save
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.plans.access import access_activity, access_plan_upload
from jospar.plans.review import upload_review
from jospar.plans.views.plans import PAGE_SIZE
from jospar.plans.views.upload import _review_context, outcome_message


@login_required
@require_POST
def upload_save(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = cast(User, request.user)
    upload = access_plan_upload(actor, upload_id)
    try:
        outcome = plan_upload_save(actor=actor, upload=upload)
    except ServiceError as exc:
        upload.refresh_from_db()
        review = upload_review(upload)
        context = _review_context(request, upload, review, page_error=exc)
        return render(request, "plans/upload_review.html", context, status=400)
    messages.success(request, outcome_message(outcome))
    return redirect("plans:detail", plan_id=outcome.plan.pk)


@login_required
@require_GET
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = cast(User, request.user)
    activity = access_activity(actor, activity_id)
    obligations = obligation_list_for(actor, ObligationFilter(plan_id=activity.plan_id)).filter(
        activity=activity
    )
    page = Paginator(obligations, PAGE_SIZE).get_page(request.GET.get("page"))
    executors = list(activity.executors.filter(in_force=True).select_related("organisation"))
    return render(
        request,
        "plans/activity.html",
        {"activity": activity, "plan": activity.plan, "executors": executors, "page": page},
    )
