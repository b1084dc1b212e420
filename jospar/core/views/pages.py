from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from jospar.core.collation import sorted_for_people
from jospar.core.edge import text_or_empty
from jospar.core.models import Organisation, OrganisationKind
from jospar.core.selectors import directory as selectors


def home(request: HttpRequest) -> HttpResponse:
    """The public front page; a signed-in person is sent to their own work."""
    if request.user.is_authenticated:
        # The landing depends on every app's roles: decided above the apps, in one place.
        from jospar.navigation import landing_url

        return redirect(landing_url(request.user))
    return render(request, "core/home.html")


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    search = text_or_empty(request.GET.get("q"), max_length=100)
    kind = request.GET.get("kind", "")
    if kind not in OrganisationKind.values:
        kind = ""
    return render(
        request,
        "core/directory.html",
        {
            "organisations": sorted_for_people(
                selectors.organisation_list(search=search, kind=kind)[:500], str
            ),
            "regions": selectors.region_list(),
            "kinds": OrganisationKind.choices,
            "q": search,
            "kind": kind,
        },
    )


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    # The directory is public to every signed-in user: it lists state bodies, not private data.
    organisation = get_object_or_404(
        Organisation.objects.select_related("parent", "region", "merged_into"), pk=organisation_id
    )
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "aliases": organisation.aliases.order_by("lang", "first_seen_on"),
            "successions_out": organisation.successions_out.select_related("successor"),
            "successions_in": organisation.successions_in.select_related("predecessor"),
        },
    )
