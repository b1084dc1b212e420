"""Monitoring pages: publications (search and filters), one publication with its story and
proposals, and the sources with their health."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jospar.core import edge
from jospar.core.models import Region, User
from jospar.media import selectors
from jospar.media.access import (
    access_publication,
    can_keep_sources,
    can_read_monitoring,
)
from jospar.media.models import Lang, Source, SourceKind
from jospar.media.services.matching import can_decide
from jospar.media.services.publications import photo_reuses
from jospar.plans.access import is_executor

PER_PAGE = 50


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def _filters(data: Any) -> selectors.PublicationFilters:
    since = edge.date_or_none(data.get("since"))
    until = edge.date_or_none(data.get("until"))
    return selectors.PublicationFilters(
        q=edge.text_or_empty(data.get("q"), max_length=200),
        source=edge.id_or_none(data.get("source")),
        kind=edge.choice_or_default(data.get("kind"), SourceKind.values, ""),
        region=edge.id_or_none(data.get("region")),
        lang=edge.choice_or_default(data.get("lang"), Lang.values, ""),
        since=since,
        until=until,
    )


@login_required
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not can_read_monitoring(actor):
        raise PermissionDenied
    filters = _filters(request.GET)
    page = Paginator(selectors.publication_search(filters), PER_PAGE).get_page(
        edge.page_number(request.GET.get("page"))
    )
    return render(
        request,
        "media/publications.html",
        {
            "page": page,
            "filters": filters,
            "sources": Source.objects.only("pk", "name").order_by("name"),
            "kinds": SourceKind.choices,
            "langs": Lang.choices,
            "regions": Region.objects.order_by("code"),
        },
    )


@login_required
@require_GET
def publication_detail(request: HttpRequest, publication_id: int) -> HttpResponse:
    actor = actor_of(request)
    publication = access_publication(actor, publication_id)
    proposals = selectors.proposals_for(publication)
    spread = selectors.story_spread(publication)
    labels = dict(Lang.choices)
    story_langs = [(code, labels.get(code, code)) for code in sorted({p.lang for p in spread})]
    return render(
        request,
        "media/publication.html",
        {
            "publication": publication,
            "spread": spread,
            "story_langs": story_langs,
            "photo_reuses": photo_reuses(publication),
            "proposals": [(p, can_decide(actor, p)) for p in proposals],
        },
    )


@login_required
@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not can_read_monitoring(actor):
        raise PermissionDenied
    return render(
        request,
        "media/sources.html",
        {
            "rows": selectors.source_health(),
            "can_keep": can_keep_sources(actor),
            "can_upload": actor.is_administrator or is_executor(actor),
        },
    )
