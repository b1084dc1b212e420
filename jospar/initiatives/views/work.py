"""The author's and the responsible official's pages: the submission form, the official's
queue, the decision with its minutes, the request for changes, the start, the results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jospar.core.errors import ServiceError
from jospar.initiatives import services
from jospar.initiatives.access.initiatives import (
    access_initiative_author,
    access_initiative_official,
    is_coordinator,
)
from jospar.initiatives.forms import DecisionForm, InitiativeForm, ReasonForm, ResultsForm
from jospar.initiatives.models import Initiative
from jospar.initiatives.selectors import initiatives as selectors
from jospar.initiatives.views._common import map_config, show_error


def _initial(initiative: Initiative) -> dict[str, object]:
    values: dict[str, object] = {
        name: getattr(initiative, name)
        for name in (
            "author_kind",
            "title",
            "problem",
            "kind",
            "direction",
            "latitude",
            "longitude",
            "address",
            "beneficiaries",
            "beneficiaries_count",
            "budget",
        )
    }
    role = 0
    for need in initiative.needs.all():
        if need.kind == "money":
            values.update(money=need.quantity, money_for=need.description)
        elif need.kind == "material":
            values.update(
                materials=need.description,
                materials_quantity=need.quantity,
                materials_unit=need.unit,
            )
        elif need.kind == "venue":
            values["venue"] = need.description
        elif role < 3:
            role += 1
            values[f"role_{role}"] = need.description
            values[f"role_{role}_hours"] = need.quantity
    return values


@login_required
@require_http_methods(["GET", "POST"])
def initiative_form(request: HttpRequest, initiative_id: int | None = None) -> HttpResponse:
    initiative = access_initiative_author(request.user, initiative_id) if initiative_id else None
    if request.method == "POST":
        form = InitiativeForm(request.POST)
        if form.is_valid():
            data, needs = form.service_data()
            try:
                saved = services.initiative_save(
                    actor=request.user,
                    initiative=initiative,
                    data=data,
                    needs=needs,
                    photos=request.FILES.getlist("photos")[:20],
                    documents=request.FILES.getlist("documents")[:20],
                )
                if request.POST.get("send") == "1":
                    services.initiative_submit(actor=request.user, initiative=saved)
                return redirect("initiatives:detail", saved.pk)
            except ServiceError as error:
                show_error(form, error)
        status = 400
    else:
        form = InitiativeForm(initial=_initial(initiative) if initiative else None)
        status = 200
    return render(
        request,
        "initiatives/form.html",
        {"form": form, "initiative": initiative, "map_config": map_config()},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def initiative_submit(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative_author(request.user, initiative_id)
    try:
        services.initiative_submit(actor=request.user, initiative=initiative)
    except ServiceError as error:
        return render(request, "initiatives/refused.html", {"error": error}, status=409)
    return redirect("initiatives:detail", initiative.pk)


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative_author(request.user, initiative_id)
    form = ResultsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_complete(
                actor=request.user,
                initiative=initiative,
                results=form.cleaned_data["results"],
                beneficiaries_reached=form.cleaned_data["beneficiaries_reached"],
                money_given=form.cleaned_data["money_given"],
                photos=request.FILES.getlist("photos")[:20],
            )
            return redirect("initiatives:detail", initiative.pk)
        except ServiceError as error:
            show_error(form, error)
    return render(
        request,
        "initiatives/results.html",
        {"form": form, "initiative": initiative},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not is_coordinator(request.user):
        return render(request, "initiatives/refused.html", {}, status=403)
    return render(
        request, "initiatives/queue.html", {"rows": selectors.official_queue(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative_official(request.user, initiative_id)
    form = DecisionForm(request.POST or None)
    changes = ReasonForm(prefix="changes")
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_decide(
                actor=request.user,
                initiative=initiative,
                selected=form.cleaned_data["outcome"] == "select",
                body=form.cleaned_data["body"],
                decided_on=form.cleaned_data["decided_on"],
                decision=form.cleaned_data["decision"],
                minutes=request.FILES.getlist("minutes")[:10],
            )
            return redirect("initiatives:detail", initiative.pk)
        except ServiceError as error:
            show_error(form, error)
    return render(
        request,
        "initiatives/decide.html",
        {"form": form, "changes": changes, "initiative": initiative},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["POST"])
def request_changes(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative_official(request.user, initiative_id)
    changes = ReasonForm(request.POST, prefix="changes")
    if changes.is_valid():
        try:
            services.initiative_request_changes(
                actor=request.user, initiative=initiative, note=changes.cleaned_data["reason"]
            )
            return redirect("initiatives:queue")
        except ServiceError as error:
            show_error(changes, error)
    return render(
        request,
        "initiatives/decide.html",
        {"form": DecisionForm(), "changes": changes, "initiative": initiative},
        status=400,
    )


@login_required
@require_http_methods(["POST"])
def start(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative_official(request.user, initiative_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_start(
                actor=request.user, initiative=initiative, reason=form.cleaned_data["reason"]
            )
            return redirect("initiatives:detail", initiative.pk)
        except ServiceError as error:
            return render(request, "initiatives/refused.html", {"error": error}, status=409)
    return render(request, "initiatives/refused.html", {"form": form}, status=400)
