"""What the portal's views share: the filter form, the lists of topics and regions, the
person acting, and how a refusal is shown."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jospar.civic.forms import ReportFilterForm
from jospar.civic.models import ReportState, Topic
from jospar.civic.selectors.portal import public_regions
from jospar.civic.selectors.reports import active_topics
from jospar.core.errors import ServiceError
from jospar.core.maps import map_tile_url
from jospar.core.models import Region, User

# The colour class of each state on the pages (red open, green done, grey closed otherwise).
STATE_COLOURS = {
    ReportState.SUBMITTED.value: "grey",
    ReportState.PUBLISHED.value: "red",
    ReportState.IN_PROGRESS.value: "red",
    ReportState.DONE.value: "green",
    ReportState.REJECTED.value: "grey",
    ReportState.DUPLICATE.value: "grey",
}


def topics() -> list[Topic]:
    return list(active_topics())


def regions() -> list[Region]:
    return list(public_regions())


def filter_form(request: HttpRequest) -> ReportFilterForm:
    return ReportFilterForm(request.GET or None, topics=topics(), regions=regions())


def user_of(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def login_redirect(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        f"{reverse('civic:login')}?{urlencode({'next': request.get_full_path()})}"
    )


def error_text(error: ServiceError) -> str:
    """The message, with the fields' own messages when they say more."""
    parts = [str(error.message)]
    for problems in error.fields.values():
        for problem in problems:
            if str(problem) not in parts:
                parts.append(str(problem))
    return " ".join(parts)


def map_layers() -> dict[str, Any]:
    """What every portal map draws: the tile layer (with its attribution and zoom limit) and
    jospar's own regions, settlements and search, which need no outside server."""
    return {
        "tiles": map_tile_url(),
        "tileAttribution": str(getattr(settings, "MAP_TILE_ATTRIBUTION", "") or ""),
        "tileMaxZoom": int(getattr(settings, "MAP_TILE_MAX_ZOOM", 19)),
        "boundaries": reverse("civic:boundaries"),
        "places": reverse("civic:places"),
        "search": reverse("civic:place-search"),
        "searchText": {
            "label": _("Find a settlement, region or address"),
            "placeholder": _("e.g. Қарағанды, Караганда, Aral"),
            "button": _("Find"),
            "none": _("Nothing found. Try another spelling."),
            "failed": _("The search did not answer. Try again."),
        },
    }
