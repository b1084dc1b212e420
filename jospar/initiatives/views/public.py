"""The public pages: the map, the list with filters, one initiative's page, its photos and
documents, a contributor's profile, and the open-data export."""

from __future__ import annotations

import math

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jospar.core.edge import int_or_none, page_number, text_or_empty
from jospar.core.errors import ServiceError
from jospar.core.models import User
from jospar.core.serving import serve_file
from jospar.initiatives import opendata, services
from jospar.initiatives.access.initiatives import (
    access_document,
    access_initiative,
    access_photo,
    can_see,
    is_author,
    is_coordinator_for,
    signed_in,
)
from jospar.initiatives.forms import (
    CheckInForm,
    FilterForm,
    PledgeForm,
    RateForm,
    ReasonForm,
    SurveyForm,
)
from jospar.initiatives.models import (
    SUPPORT_STATES,
    InitiativeState,
    Pledge,
    PledgeState,
    Rating,
    SurveyAnswer,
)
from jospar.initiatives.selectors import initiatives as selectors
from jospar.initiatives.views._common import map_config, show_error

PAGE_SIZE = 20


@require_GET
def initiative_map(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    query = form.query()
    return render(
        request,
        "initiatives/map.html",
        {"form": form, "query": query, "map_config": map_config(query=query)},
    )


def _bbox(value: str) -> tuple[float, float, float, float] | None:
    try:
        south, west, north, east = (float(v) for v in value.split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        return None
    if south > north or west > east:
        return None
    return max(south, -90.0), max(west, -180.0), min(north, 90.0), min(east, 180.0)


@require_GET
def clusters_json(request: HttpRequest) -> JsonResponse:
    bbox = _bbox(text_or_empty(request.GET.get("bbox", ""), max_length=100)) or (
        40.0,
        46.0,
        56.0,
        88.0,
    )
    zoom = int_or_none(request.GET.get("zoom", "5"), minimum=0, maximum=30) or 5
    filters = FilterForm(request.GET or None, region_names=False).filters()
    return JsonResponse({"clusters": selectors.map_clusters(filters, bbox, zoom)})


@require_GET
def initiative_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    rows = selectors.initiative_list(request.user, form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "initiatives/list.html",
        {"form": form, "query": form.query(), "page": page, "rows": page.object_list},
    )


def _detail_context(request: HttpRequest, initiative_id: int) -> dict[str, object]:
    initiative = access_initiative(request.user, initiative_id)
    person = signed_in(request.user)
    author = is_author(person, initiative)
    official = is_coordinator_for(person, initiative)
    own_pledges = (
        list(
            Pledge.objects.filter(
                initiative=initiative, user=person, state=PledgeState.PLEDGED
            ).select_related("need")
        )
        if person
        else []
    )
    implemented = initiative.state == InitiativeState.IMPLEMENTED
    from jospar.initiatives.views.votes import selection_context

    return {
        **selection_context(request, initiative),
        "initiative": initiative,
        "needs": selectors.needs_of(initiative),
        "contributors": selectors.contributors(initiative),
        "events": list(initiative.events.select_related("actor")),
        "photos_before": list(initiative.photos.filter(stage="before")),
        "photos_after": list(initiative.photos.filter(stage="after")),
        "minutes": list(initiative.documents.filter(kind="minutes")),
        "documents": list(initiative.documents.filter(kind="document"))
        if author or official
        else [],
        "is_author": author,
        "is_official": official,
        "can_pledge": person is not None and not author and initiative.state in SUPPORT_STATES,
        "own_pledges": own_pledges,
        "checkins": [
            c
            for p in initiative.pledges.filter(state=PledgeState.PLEDGED).prefetch_related(
                "checkins"
            )
            for c in p.checkins.all()
            if c.confirmed_at is None
        ]
        if author
        else [],
        "can_rate": person is not None
        and implemented
        and not author
        and not Rating.objects.filter(initiative=initiative, user=person).exists(),
        "can_survey": person is not None
        and implemented
        and not SurveyAnswer.objects.filter(initiative=initiative, user=person).exists(),
        "pledge_form": PledgeForm(),
        "checkin_form": CheckInForm(),
        "rate_form": RateForm(),
        "survey_form": SurveyForm(),
        "reason_form": ReasonForm(),
        "map_config": map_config(),
    }


@require_GET
def initiative_detail(request: HttpRequest, initiative_id: int) -> HttpResponse:
    return render(request, "initiatives/detail.html", _detail_context(request, initiative_id))


@login_required
@require_http_methods(["POST"])
def pledge(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    form = PledgeForm(request.POST)
    if form.is_valid():
        need = initiative.needs.filter(pk=form.cleaned_data["need"]).first()
        if need is None:
            raise Http404
        try:
            services.pledge_make(
                actor=request.user,
                need=need,
                kind=form.cleaned_data["kind"],
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
            )
            return redirect("initiatives:detail", initiative.pk)
        except ServiceError as error:
            show_error(form, error)
    context = _detail_context(request, initiative_id)
    context["pledge_form"] = form
    return render(request, "initiatives/detail.html", context, status=400)


@login_required
@require_http_methods(["POST"])
def checkin(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge_row = get_object_or_404(Pledge, pk=pledge_id, user_id=request.user.pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_record(actor=request.user, pledge=pledge_row, **form.cleaned_data)
            return redirect("initiatives:detail", pledge_row.initiative_id)
        except ServiceError as error:
            show_error(form, error)
    context = _detail_context(request, pledge_row.initiative_id)
    context["checkin_form"] = form
    return render(request, "initiatives/detail.html", context, status=400)


@login_required
@require_http_methods(["POST"])
def checkin_confirm(request: HttpRequest, checkin_id: int) -> HttpResponse:
    from jospar.initiatives.models import CheckIn

    row = CheckIn.objects.select_related("pledge__initiative").filter(pk=checkin_id).first()
    if row is None or not is_author(request.user, row.pledge.initiative):
        raise Http404
    try:
        services.checkin_confirm(actor=request.user, checkin=row)
    except ServiceError as error:
        return render(request, "initiatives/refused.html", {"error": error}, status=409)
    return redirect("initiatives:detail", row.pledge.initiative_id)


@login_required
@require_http_methods(["POST"])
def rate(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_rate(
                actor=request.user, initiative=initiative, stars=form.cleaned_data["stars"]
            )
            return redirect("initiatives:detail", initiative.pk)
        except ServiceError as error:
            show_error(form, error)
    context = _detail_context(request, initiative_id)
    context["rate_form"] = form
    return render(request, "initiatives/detail.html", context, status=400)


@login_required
@require_http_methods(["POST"])
def survey(request: HttpRequest, initiative_id: int) -> HttpResponse:
    initiative = access_initiative(request.user, initiative_id)
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            services.survey_answer(actor=request.user, initiative=initiative, **form.cleaned_data)
            return redirect("initiatives:detail", initiative.pk)
        except ServiceError as error:
            show_error(form, error)
    context = _detail_context(request, initiative_id)
    context["survey_form"] = form
    return render(request, "initiatives/detail.html", context, status=400)


@require_GET
def photo(request: HttpRequest, name: str) -> HttpResponseBase:
    row = access_photo(request.user, name)
    file = row.thumbnail if row.thumbnail.name == name else row.public_file
    extension = name.rsplit(".", 1)[-1].lower()
    return serve_file(
        file,
        content_type="image/png" if extension == "png" else "image/jpeg",
        public=row.initiative.is_public,
        download_name=f"initiative-{row.initiative_id}-{row.pk}.{extension}",
        inline=True,
    )


@require_GET
def document(request: HttpRequest, document_id: int) -> HttpResponseBase:
    row = access_document(request.user, document_id)
    return serve_file(row.file, content_type=row.content_type, public=False, download_name=row.name)


@require_GET
def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    """What a patron or volunteer gave and where: public only if they agreed (and always for
    themselves)."""
    person = get_object_or_404(User, pk=user_id, is_active=True)
    own = signed_in(request.user) is not None and request.user.pk == person.pk
    data = selectors.contributor_profile(person, public_only=not own)
    if not own and not data.is_public:
        raise Http404
    return render(request, "initiatives/profile.html", {"profile": data, "own": own})


@login_required
@require_http_methods(["POST"])
def profile_consent(request: HttpRequest) -> HttpResponse:
    public = request.POST.get("is_public") == "1"
    try:
        services.profile_set_public(actor=request.user, is_public=public)
    except ServiceError as error:
        return render(request, "initiatives/refused.html", {"error": error}, status=403)
    return redirect("initiatives:profile", request.user.pk)


_FORMATS = {
    "csv": ("text/csv; charset=utf-8", opendata.as_csv),
    "json": ("application/json", opendata.as_json),
    "geojson": ("application/geo+json", opendata.as_geojson),
}


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in _FORMATS:
        raise Http404
    content_type, write = _FORMATS[fmt]
    response = HttpResponse(
        write(opendata.rows(request.build_absolute_uri("/").rstrip("/"))),
        content_type=content_type,
    )
    response["Content-Disposition"] = f'attachment; filename="initiatives.{fmt}"'
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


@require_GET
def opendata_page(request: HttpRequest) -> HttpResponse:
    return render(request, "initiatives/opendata.html", {"licence_url": opendata.LICENCE_URL})


__all__ = ["can_see"]
