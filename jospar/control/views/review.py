"""The controller's side of the loop: the queue of reports to review, accepting or returning a
report, an activity's control page with its decisions, and (for administrators) assigning the
department that controls a plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jospar.control.access.obligations import (
    access_control_activity,
    access_obligation,
    access_report,
    can_control,
)
from jospar.control.forms import AcceptForm, DecisionForm, PlanControllerForm, ReturnForm
from jospar.control.models import ControlDecisionKind, Obligation
from jospar.control.selectors.obligations import (
    REVIEW_COUNT_BOUND,
    activity_decisions,
    activity_is_removed,
    activity_obligations,
    removed_activities,
    review_queue,
)
from jospar.control.services.decisions import (
    activity_control_remove,
    activity_control_restore,
    activity_mark_executed,
    deadline_extend,
)
from jospar.control.services.plan_revisions import plan_controller_set
from jospar.control.services.review import report_accept, report_return
from jospar.control.sources import reviewed_tasks_q
from jospar.control.views.obligations import actor_of, obligation_page
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.keyset import BoundedPaginator
from jospar.plans.access import access_plan, is_controller

PAGE_SIZE = 50


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Reports waiting for the controller, oldest first; activities taken off control."""
    actor = actor_of(request)
    if not is_controller(actor) and reviewed_tasks_q(actor) is None:
        raise PermissionDenied(_("This page is for controllers."))
    # Counted up to a bound: no join of every obligation to count the waiting reports.
    page = BoundedPaginator(review_queue(actor), PAGE_SIZE, bound=REVIEW_COUNT_BOUND).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "control/review.html",
        {"page": page, "removed": removed_activities(actor)[:200]},
    )


@login_required
@require_POST
def report_accept_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_of(request)
    report = access_report(actor, report_id)
    form = AcceptForm(request.POST)
    form.is_valid()
    try:
        report_accept(actor=actor, report=report, comment=form.cleaned_data.get("comment", ""))
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        obligation = access_obligation(actor, report.obligation_id)
        return obligation_page(
            request, obligation, accept_form=form, errors=[str(exc.message)], status=400
        )
    messages.success(request, _("The report has been accepted."))
    return redirect(reverse("control:obligation", args=[report.obligation_id]))


@login_required
@require_POST
def report_return_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_of(request)
    report = access_report(actor, report_id)
    form = ReturnForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        if "new_deadline" in form.errors:
            message = _("Give the new date as day, month and year.")
            raise ServiceError("invalid_date", message, {"new_deadline": [message]})
        report_return(
            actor=actor,
            report=report,
            comment=data.get("comment", ""),
            new_deadline=data.get("new_deadline"),
        )
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        for name, problems in exc.fields.items():
            if name in form.fields and name not in form.errors:
                for problem in problems:
                    form.add_error(name, problem)
        obligation = access_obligation(actor, report.obligation_id)
        return obligation_page(
            request, obligation, return_form=form, errors=[str(exc.message)], status=400
        )
    messages.success(request, _("The report has been returned for revision."))
    return redirect(reverse("control:obligation", args=[report.obligation_id]))


def _activity_page(
    request: HttpRequest,
    activity_id: int,
    *,
    form: DecisionForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    activity = access_control_activity(actor, activity_id)
    obligations = Paginator(activity_obligations(activity), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    removed = activity_is_removed(activity)
    return render(
        request,
        "control/activity.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "page": obligations,
            "decisions": activity_decisions(activity)[:200],
            "removed": removed,
            "controls": can_control(actor, activity.plan),
            "form": form or DecisionForm(),
            "kinds": ControlDecisionKind,
            "errors": errors or [],
        },
        status=status,
    )


@login_required
@require_GET
def activity_control(request: HttpRequest, activity_id: int) -> HttpResponse:
    return _activity_page(request, activity_id)


@login_required
@require_POST
def activity_decide(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_of(request)
    activity = access_control_activity(actor, activity_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    kind = data.get("kind")
    try:
        if kind is None:
            message = _("Choose a decision.")
            raise ServiceError("invalid_decision", message, {"kind": [message]})
        reason = data.get("reason", "")
        if kind == ControlDecisionKind.EXECUTED:
            activity_mark_executed(actor=actor, activity=activity, reason=reason)
        elif kind == ControlDecisionKind.EXTENDED:
            if "new_deadline" in form.errors:
                message = _("Give the new date as day, month and year.")
                raise ServiceError("invalid_date", message, {"new_deadline": [message]})
            obligation = None
            if data.get("obligation"):
                obligation = Obligation.objects.filter(
                    pk=data["obligation"], activity=activity
                ).first()
                if obligation is None:
                    message = _("Choose an obligation of this activity that is still owed.")
                    raise ServiceError("invalid_obligation", message, {"obligation": [message]})
            deadline_extend(
                actor=actor,
                activity=activity,
                obligation=obligation,
                new_deadline=data.get("new_deadline"),
                reason=reason,
            )
        elif kind == ControlDecisionKind.REMOVED:
            activity_control_remove(actor=actor, activity=activity, reason=reason)
        else:
            activity_control_restore(actor=actor, activity=activity, reason=reason)
    except PermissionRefused as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ServiceError as exc:
        for name, problems in exc.fields.items():
            if name in form.fields and name not in form.errors:
                for problem in problems:
                    form.add_error(name, problem)
        return _activity_page(
            request, activity_id, form=form, errors=[str(exc.message)], status=400
        )
    messages.success(request, _("The decision has been recorded."))
    return redirect(reverse("control:activity", args=[activity.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def plan_controller(request: HttpRequest, plan_id: int) -> HttpResponse:
    """An administrator assigns the department that controls a plan."""
    actor = actor_of(request)
    plan = access_plan(actor, plan_id)
    if not actor.is_administrator:
        raise PermissionDenied(_("Only an administrator may assign the controlling department."))
    form = PlanControllerForm(
        request.POST or None, initial={"organisation": plan.controller_organisation_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_controller_set(
                actor=actor,
                plan=plan,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except PermissionRefused as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ServiceError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The controlling department has been saved."))
            return redirect(reverse("control:obligations") + f"?plan={plan.pk}")
    return render(
        request,
        "control/plan_controller.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )
