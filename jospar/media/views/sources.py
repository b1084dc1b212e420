"""The administrator's pages for the monitored sources: a new source, editing one, and stopping
or resuming its collection."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jospar.core import edge
from jospar.core.errors import ServiceError
from jospar.core.models import Region
from jospar.media.access import access_source, can_keep_sources
from jospar.media.models import CollectMethod, Lang, Source, SourceKind
from jospar.media.services.sources import (
    AUDIENCE_MAX,
    NAME_MAX,
    SOURCE_LANGS,
    URL_MAX,
    SourceInput,
    source_create,
    source_set_active,
    source_update,
)
from jospar.media.views.pages import actor_of


def _read(data: Any) -> tuple[SourceInput, dict[str, list[str]]]:
    """The form as the service's input; what cannot be read at all is a field error."""
    errors: dict[str, list[str]] = {}

    def text(name: str, limit: int) -> str:
        try:
            return edge.parse_text(data.get(name, ""), name, max_length=limit)
        except edge.EdgeError:
            errors[name] = [_("Too long, or holds characters that are not text.")]
            return ""

    region = None
    raw_region = data.get("region", "")
    if raw_region:
        region = edge.id_or_none(raw_region)
        if region is None:
            errors["region"] = [_("Choose a region from the list.")]
    audience = 0
    raw_audience = data.get("declared_audience", "")
    if raw_audience:
        found = edge.int_or_none(raw_audience, minimum=0, maximum=AUDIENCE_MAX)
        if found is None:
            errors["declared_audience"] = [_("Give the audience as a whole number of people.")]
        else:
            audience = found
    languages = tuple(
        lang
        for lang in (edge.text_or_empty(v, max_length=8) for v in data.getlist("languages")[:5])
        if lang
    )
    return (
        SourceInput(
            name=text("name", NAME_MAX),
            kind=edge.choice_or_default(data.get("kind"), SourceKind.values, ""),
            method=edge.choice_or_default(data.get("method"), CollectMethod.values, ""),
            url=text("url", URL_MAX),
            region_id=region,
            languages=languages,
            declared_audience=audience,
        ),
        errors,
    )


def _initial(source: Source | None) -> dict[str, Any]:
    if source is None:
        return {
            "name": "",
            "kind": "",
            "method": "",
            "url": "",
            "region": None,
            "languages": [],
            "declared_audience": 0,
        }
    return {
        "name": source.name,
        "kind": source.kind,
        "method": source.method,
        "url": source.url,
        "region": source.region_id,
        "languages": list(source.languages),
        "declared_audience": source.declared_audience,
    }


def _form_page(
    request: HttpRequest,
    source: Source | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
) -> HttpResponse:
    return render(
        request,
        "media/source_form.html",
        {
            "source": source,
            "values": values,
            "errors": errors,
            "kinds": SourceKind.choices,
            "methods": CollectMethod.choices,
            "langs": [(v, label) for v, label in Lang.choices if v in SOURCE_LANGS],
            "regions": Region.objects.order_by("code"),
        },
        status=400 if errors else 200,
    )


def _save(request: HttpRequest, source: Source | None) -> HttpResponse:
    actor = actor_of(request)
    data, errors = _read(request.POST)
    values = {
        "name": data.name,
        "kind": data.kind,
        "method": data.method,
        "url": data.url,
        "region": data.region_id,
        "languages": list(data.languages),
        "declared_audience": data.declared_audience,
    }
    if not errors:
        try:
            if source is None:
                saved = source_create(actor=actor, data=data)
                messages.success(request, _("The source is added."))
            else:
                saved = source_update(actor=actor, source=source, data=data)
                messages.success(request, _("The source is saved."))
        except ServiceError as exc:
            errors = exc.fields or {"form": [str(exc.message)]}
        else:
            return redirect("media:source-edit", saved.pk)
    return _form_page(request, source, values, errors)


@login_required
@require_http_methods(["GET", "POST"])
def source_new(request: HttpRequest) -> HttpResponse:
    if not can_keep_sources(actor_of(request)):
        raise Http404
    if request.method == "POST":
        return _save(request, None)
    return _form_page(request, None, _initial(None), {})


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = actor_of(request)
    if not can_keep_sources(actor):
        raise Http404
    source = access_source(actor, source_id)
    if request.method == "POST":
        return _save(request, source)
    return _form_page(request, source, _initial(source), {})


@login_required
@require_POST
def source_active(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = actor_of(request)
    if not can_keep_sources(actor):
        raise Http404
    source = access_source(actor, source_id)
    active = edge.choice_or_default(request.POST.get("active"), ("0", "1"), "")
    if not active:
        messages.error(request, _("Choose whether to collect the source."))
        return redirect("media:source-edit", source.pk)
    source_set_active(actor=actor, source=source, active=active == "1")
    if active == "1":
        messages.success(request, _("The source is collected again from the next run."))
    else:
        messages.success(request, _("The source is no longer collected; its publications stay."))
    return redirect("media:source-edit", source.pk)
