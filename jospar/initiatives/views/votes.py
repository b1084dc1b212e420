"""An initiative's selection by public vote: the responsible official opens it, verified people
vote for or against, the official records the outcome once it closed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jospar.core.errors import ServiceError
from jospar.core.throttle import client_ip, throttled_response
from jospar.initiatives import services
from jospar.initiatives.access.initiatives import (
    access_initiative,
    access_initiative_official,
    is_coordinator_for,
    signed_in,
)
from jospar.initiatives.forms_heart import SelectionVoteForm, VoteForm
from jospar.initiatives.models import Ballot, Initiative, InitiativeState, Vote
from jospar.initiatives.selectors.votes import tally
from jospar.initiatives.services.votes import VoteThrottled


def _refused(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(request, "initiatives/refused.html", {"error": error}, status=error.status)


def selection_context(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What the initiative's page shows of its public vote."""
    ballot = Ballot.objects.filter(initiative=initiative).order_by("-closes_at").first()
    official = is_coordinator_for(request.user, initiative)
    submitted = initiative.state == InitiativeState.SUBMITTED
    context: dict[str, Any] = {
        "ballot": ballot,
        "can_open_vote": official and submitted and (ballot is None),
        "selection_form": SelectionVoteForm(),
    }
    if ballot is None:
        return context
    at = timezone.now()
    person = signed_in(request.user)
    counts = tally(ballot)
    options = [{"option": o, "votes": counts.get(o.pk, 0)} for o in ballot.options.all()]
    mine = (
        Vote.objects.filter(ballot=ballot, voter=person).values_list("option_id", flat=True).first()
        if person
        else None
    )
    context.update(
        ballot_open=ballot.opens_at <= at < ballot.closes_at,
        ballot_options=options,
        own_vote=mine,
        can_decide_by_vote=official and submitted and ballot.closes_at <= at,
    )
    return context


@login_required
@require_POST
def open_vote(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative_official(request.user, initiative_id)
    form = SelectionVoteForm(request.POST)
    if not form.is_valid():
        return render(request, "initiatives/refused.html", {}, status=400)
    try:
        services.ballot_open_selection(
            actor=request.user, initiative=initiative, closes_on=form.cleaned_data["closes_on"]
        )
    except ServiceError as error:
        return _refused(request, error)
    return redirect("initiatives:detail", initiative.pk)


@login_required
@require_POST
def cast(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return render(request, "initiatives/refused.html", {}, status=400)
    ballot = Ballot.objects.filter(initiative=initiative).order_by("-closes_at").first()
    option = ballot.options.filter(pk=form.cleaned_data["option"]).first() if ballot else None
    if ballot is None or option is None:
        raise Http404
    try:
        services.vote_cast(
            actor=request.user, ballot=ballot, option=option, address=client_ip(request)
        )
    except VoteThrottled as error:
        return throttled_response(request, error.wait)
    except ServiceError as error:
        return _refused(request, error)
    return redirect("initiatives:detail", initiative.pk)


@login_required
@require_POST
def decide(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative_official(request.user, initiative_id)
    try:
        services.initiative_decide_by_vote(actor=request.user, initiative=initiative)
    except ServiceError as error:
        return _refused(request, error)
    return redirect("initiatives:detail", initiative.pk)
