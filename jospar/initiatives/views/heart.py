"""Generous Heart's pages: the cycles, a cycle with its stages, nominations, candidates from
the data and nominees, a nominee's page with the evidence, proposing a nominee, the jury's
scoring, the public vote, the results, and the moderators' review of held votes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jospar.civic.access import can_moderate
from jospar.core.errors import ServiceError
from jospar.core.models import Organisation, User
from jospar.core.throttle import client_ip, throttled_response
from jospar.initiatives import services
from jospar.initiatives.access.heart import access_cycle, access_cycle_juror, access_nominee
from jospar.initiatives.access.initiatives import signed_in
from jospar.initiatives.forms_heart import NominateForm, ReviewForm, ScoreForm
from jospar.initiatives.models import (
    Ballot,
    HeartCategory,
    HeartCycle,
    HeartNomination,
    HeartNominee,
    HeartScore,
    HeartStage,
)
from jospar.initiatives.selectors import heart as selectors_heart
from jospar.initiatives.selectors import stories as selectors_stories
from jospar.initiatives.selectors.votes import held_groups
from jospar.initiatives.services.stories import is_story_moderator, is_winner_side
from jospar.initiatives.services.votes import VoteThrottled
from jospar.initiatives.views._common import show_error

# The published criteria of the document's three nominations (an added one states its own).
CRITERIA: dict[str, Any] = {
    HeartCategory.PATRON: _(
        "Money, materials and venues given to initiatives implemented this year; how many "
        "people the initiatives reached; how much of their needs the patron covered."
    ),
    HeartCategory.VOLUNTEER: _(
        "Volunteer hours confirmed by the initiatives' authors this year; how many "
        "initiatives the volunteer helped; bringing others along."
    ),
    HeartCategory.NGO: _(
        "Initiatives the NGO supported that were implemented this year; people reached; "
        "volunteers and patrons it brought in."
    ),
}


def criteria_of(nomination: HeartNomination) -> str:
    return nomination.criteria or str(CRITERIA.get(nomination.category, ""))


def _refused(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(request, "initiatives/refused.html", {"error": error}, status=error.status)


def stages(cycle: HeartCycle, today: dt.date) -> list[dict[str, Any]]:
    current = cycle.stage_on(today)
    one = dt.timedelta(days=1)
    rows = [
        (HeartStage.NOMINATIONS, cycle.nominations_from, cycle.jury_from - one),
        (HeartStage.JURY, cycle.jury_from, cycle.vote_until),
        (HeartStage.VOTE, cycle.vote_from, cycle.vote_until),
        (HeartStage.RESULTS, cycle.results_on, None),
    ]
    return [
        {
            "stage": stage,
            "label": stage.label,
            "start": start,
            "end": end,
            "current": stage == current,
        }
        for stage, start, end in rows
    ]


@require_GET
def heart_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [(cycle, cycle.stage_on(today)) for cycle in selectors_heart.cycles_list()[:200]]
    return render(request, "initiatives/heart/index.html", {"rows": rows})


@require_GET
def cycle_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    today = timezone.localdate()
    stage = cycle.stage_on(today)
    nominations = selectors_heart.cycle_nominations(cycle)
    ballots = [n.ballot.pk for n in nominations]
    mine = selectors_heart.own_votes(request.user, ballots)
    open_for_names = stage in (HeartStage.ANNOUNCED, HeartStage.NOMINATIONS)
    sections = []
    for nomination in nominations:
        found = selectors_heart.candidates(nomination) if open_for_names else None
        sections.append(
            {
                "nomination": nomination,
                "criteria": criteria_of(nomination),
                "nominees": list(nomination.nominees.all()),
                "candidates": found,
                "voted_for": mine.get(nomination.ballot.pk),
            }
        )
    person = signed_in(request.user)
    return render(
        request,
        "initiatives/heart/cycle.html",
        {
            "cycle": cycle,
            "stage": stage,
            "stages": stages(cycle, today),
            "sections": sections,
            "can_vote": stage == HeartStage.VOTE and person is not None,
            "can_nominate": stage == HeartStage.NOMINATIONS,
            "is_juror": cycle.pk in selectors_heart.juror_cycles(person),
        },
    )


@require_GET
def nominee_page(request: HttpRequest, nominee_id: int) -> HttpResponse:
    nominee = access_nominee(request.user, nominee_id)
    cycle = nominee.nomination.cycle
    stage = cycle.stage_on(timezone.localdate())
    ballot_id = Ballot.objects.filter(nomination=nominee.nomination_id).values_list(
        "pk", flat=True
    )[0]
    mine = selectors_heart.own_votes(request.user, [ballot_id])
    return render(
        request,
        "initiatives/heart/nominee.html",
        {
            "nominee": nominee,
            "cycle": cycle,
            "stage": stage,
            "criteria": criteria_of(nominee.nomination),
            "evidence": selectors_heart.nominee_evidence(nominee),
            "voted_for": mine.get(ballot_id),
            "can_vote": stage == HeartStage.VOTE and signed_in(request.user) is not None,
        },
    )


def _subject(key: str) -> tuple[User | None, Organisation | None]:
    if len(key) < 2 or key[0] not in "po" or not key[1:].isascii() or not key[1:].isdigit():
        raise Http404
    pk = int(key[1:]) if len(key) < 19 else 0
    if key[0] == "p":
        person = User.objects.filter(pk=pk, is_active=True).first()
        if person is None:
            raise Http404
        return person, None
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return None, organisation


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    nominations = selectors_heart.cycle_nominations(cycle)
    found = {n.pk: selectors_heart.candidates(n).named for n in nominations}
    form = NominateForm(
        request.POST if request.method == "POST" else None,
        nominations=nominations,
        candidates=found,
        initial={"nomination": request.GET.get("nomination", "")[:20]},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            nomination = next(n for n in nominations if n.pk == form.cleaned_data["nomination"])
            person, organisation = _subject(form.cleaned_data["key"])
            try:
                nominee = services.nominee_propose(
                    actor=request.user,
                    nomination=nomination,
                    person=person,
                    organisation=organisation,
                    reason=form.cleaned_data["reason"],
                )
                return redirect("initiatives:heart-nominee", nominee.pk)
            except ServiceError as error:
                show_error(form, error)
                status = error.status
    return render(
        request,
        "initiatives/heart/nominate.html",
        {
            "cycle": cycle,
            "form": form,
            "open": cycle.stage_on(timezone.localdate()) == HeartStage.NOMINATIONS,
        },
        status=status,
    )


@login_required
@require_POST
def vote(request: HttpRequest, nominee_id: int) -> HttpResponse:
    nominee = access_nominee(request.user, nominee_id)
    option = nominee.option
    try:
        services.vote_cast(
            actor=request.user, ballot=option.ballot, option=option, address=client_ip(request)
        )
    except VoteThrottled as error:
        return throttled_response(request, error.wait)
    except ServiceError as error:
        return _refused(request, error)
    url = reverse("initiatives:heart-cycle", args=[nominee.nomination.cycle_id])
    return redirect(f"{url}#nomination-{nominee.nomination_id}")


@login_required
@require_http_methods(["GET", "POST"])
def jury(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle_juror(request.user, cycle_id)
    form = ScoreForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            nominee = HeartNominee.objects.filter(
                pk=form.cleaned_data["nominee"], nomination__cycle=cycle
            ).first()
            if nominee is None:
                raise Http404
            try:
                services.score_record(
                    actor=request.user,
                    nominee=nominee,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
                return redirect("initiatives:heart-jury", cycle.pk)
            except ServiceError as error:
                show_error(form, error)
                status = error.status
    scores = {
        s.nominee_id: s
        for s in HeartScore.objects.filter(
            nominee__nomination__cycle=cycle, juror_id=request.user.pk
        )
    }
    sections = [
        {
            "nomination": n,
            "criteria": criteria_of(n),
            "rows": [(nominee, scores.get(nominee.pk)) for nominee in n.nominees.all()],
        }
        for n in selectors_heart.cycle_nominations(cycle)
    ]
    stage = cycle.stage_on(timezone.localdate())
    return render(
        request,
        "initiatives/heart/jury.html",
        {
            "cycle": cycle,
            "sections": sections,
            "form": form,
            "scale": range(1, 11),
            "open": stage in (HeartStage.JURY, HeartStage.VOTE),
        },
        status=status,
    )


@require_GET
def results(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    stage = cycle.stage_on(timezone.localdate())
    person = signed_in(request.user)
    sections = (
        [
            {"nomination": n, "nominees": list(n.nominees.all())}
            for n in selectors_heart.cycle_nominations(cycle)
        ]
        if cycle.results_published_at
        else []
    )
    published = cycle.results_published_at is not None
    return render(
        request,
        "initiatives/heart/results.html",
        {
            "cycle": cycle,
            "stage": stage,
            "sections": sections,
            "stories": selectors_stories.cycle_stories(cycle) if published else [],
            "writable": _writable(person, sections),
            "can_publish": person is not None
            and person.is_administrator
            and stage == HeartStage.COUNTING,
        },
    )


def _writable(person: User | None, sections: list[dict[str, Any]]) -> set[int]:
    """The winners whose story ``person`` may write: all of them for a moderator, else their own."""
    if person is None:
        return set()
    staff = is_story_moderator(person)
    return {
        nominee.pk
        for section in sections
        for nominee in section["nominees"]
        if nominee.place == 1 and (staff or is_winner_side(person, nominee))
    }


@login_required
@require_POST
def publish(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = access_cycle(request.user, cycle_id)
    try:
        services.results_publish(actor=request.user, cycle=cycle)
    except ServiceError as error:
        return _refused(request, error)
    return redirect("initiatives:heart-results", cycle.pk)


@login_required
@require_http_methods(["GET", "POST"])
def held_votes(request: HttpRequest) -> HttpResponse:
    if not can_moderate(request.user):
        raise Http404
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return render(request, "initiatives/refused.html", {}, status=400)
        ballot = Ballot.objects.filter(pk=form.cleaned_data["ballot"]).first()
        if ballot is None:
            raise Http404
        try:
            services.votes_review(
                actor=request.user,
                ballot=ballot,
                address=form.cleaned_data["address"],
                count=bool(form.cleaned_data["count"]),
            )
        except ServiceError as error:
            return _refused(request, error)
        return redirect("initiatives:held-votes")
    groups = held_groups()
    ballot_rows = Ballot.objects.filter(pk__in={g["ballot"] for g in groups}).select_related(
        "nomination__cycle__region", "initiative"
    )
    described = {b.pk: b for b in ballot_rows}
    rows = [{**g, "ballot_row": described.get(g["ballot"])} for g in groups]
    return render(request, "initiatives/heart/held.html", {"rows": rows})
