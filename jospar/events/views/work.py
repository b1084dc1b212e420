"""Adding an event (published at once by a state organiser, proposed by anyone else), the
moderation queue and its decision, cancelling, the report after the event (and a photo taken
off it), and a volunteer's registration. Each calls one service; a refusal changes nothing and
says why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jospar.core.errors import ServiceError
from jospar.core.form_errors import refusal_onto_form
from jospar.events import selectors, services
from jospar.events.access import (
    access_event,
    access_event_manage,
    access_event_moderate,
    access_event_photo_manage,
    can_moderate_events,
    can_publish,
)
from jospar.events.forms import EventForm, ReasonForm, ReportForm
from jospar.events.models import EventState
from jospar.events.views._common import page


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                event = services.event_create(actor=request.user, data=form.service_data())
            except ServiceError as error:
                if not refusal_onto_form(
                    form, error, names={"starts_at": "start_time", "ends_at": "end_time"}
                ):
                    form.add_error(None, str(error.message))
                status = error.status
            else:
                if event.state == EventState.PUBLISHED:
                    messages.success(request, _("The event is in the calendar."))
                else:
                    messages.success(
                        request, _("Thank you: a moderator will check the event and publish it.")
                    )
                return redirect("events:detail", event.pk)
        else:
            status = 400
    return page(
        request,
        "events/form.html",
        {
            "form": form,
            "publishes": can_publish(request.user),
            "proposals": list(selectors.own_proposals(request.user)[:50]),
        },
        status=status,
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not can_moderate_events(request.user):
        raise Http404
    return page(
        request,
        "events/moderation.html",
        {"rows": list(selectors.moderation_queue()[:200]), "reason_form": ReasonForm()},
    )


def _back(event_id: int) -> HttpResponse:
    return redirect(reverse("events:detail", args=[event_id]))


def _refused(request: HttpRequest, error: ServiceError) -> None:
    messages.error(request, str(error.message))


@login_required
@require_POST
def moderate(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event_moderate(request.user, event_id)
    publish = request.POST.get("outcome") == "publish"
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.event_moderate(actor=request.user, event=event, publish=publish, reason=reason)
    except ServiceError as error:
        _refused(request, error)
        return _back(event.pk)
    messages.success(request, _("Published.") if publish else _("Rejected."))
    return redirect("events:moderation")


@login_required
@require_POST
def cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event_manage(request.user, event_id)
    form = ReasonForm(request.POST)
    try:
        services.event_cancel(
            actor=request.user,
            event=event,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The event is cancelled."))
    return _back(event.pk)


@login_required
@require_POST
def report(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event_manage(request.user, event_id)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Enter the number of participants and a short report."))
        return _back(event.pk)
    try:
        services.event_report(
            actor=request.user,
            event=event,
            participants=form.cleaned_data["participants"],
            report=form.cleaned_data["report"],
            photos=form.cleaned_data["photos"],
        )
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The report is saved."))
    return _back(event.pk)


@login_required
@require_POST
def photo_remove(request: HttpRequest, event_id: int, photo_id: int) -> HttpResponse:
    """One photo off the report (the event page's confirm step, inside its ``<details>``)."""
    photo = access_event_photo_manage(request.user, event_id, photo_id)
    try:
        services.event_photo_remove(actor=request.user, photo=photo)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The photo is removed."))
    return redirect(reverse("events:detail", args=[photo.event_id]) + "#event-report")


@login_required
@require_POST
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access_event(request.user, event_id)
    try:
        if request.POST.get("action") == "cancel":
            services.event_unregister(actor=request.user, event=event)
            messages.success(request, _("Your registration is cancelled."))
        else:
            services.event_register(actor=request.user, event=event)
            messages.success(request, _("You are registered as a volunteer."))
    except ServiceError as error:
        _refused(request, error)
    return _back(event.pk)
