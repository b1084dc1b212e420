"""The plan filter of the obligation list and the discipline overview: its ``<option>``
elements built in Python (a template renders thousands of them many times slower), and the
fragment its search field asks for as people type."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_GET

from jospar.control.selectors.plan_choices import PlanChoices, PlanRow, plan_choices
from jospar.core.edge import id_or_none, text_or_empty
from jospar.core.models import User

# The search field's longest query.
SEARCH_MAX = 200


def plan_options(rows: list[PlanRow], selected: int | None) -> SafeString:
    """``<option>`` elements of ``rows``, ``selected`` marked."""
    russian = (get_language() or "kk")[:2] == "ru"
    parts = []
    for pk, title_kk, title_ru in rows:
        # As Plan.title reads: the reader's language first, then Kazakh, then Russian.
        title = (title_ru or title_kk) if russian else (title_kk or title_ru)
        short = title if len(title) <= 90 else title[:89] + "…"
        mark = " selected" if pk == selected else ""
        parts.append(f'<option value="{pk}"{mark}>{escape(short)}</option>')
    return mark_safe("".join(parts))


def found_text(choices: PlanChoices) -> str:
    """What the search found, said to a screen reader as the list changes."""
    # The chosen plan is listed whatever the search finds: it is not counted as found.
    shown = sum(1 for row in choices.rows if row[0] != choices.selected)
    if choices.more:
        return ngettext(
            "The %(n)s latest plan found is listed; more words narrow the search.",
            "The %(n)s latest plans found are listed; more words narrow the search.",
            shown,
        ) % {"n": shown}
    return ngettext("%(n)s plan found.", "%(n)s plans found.", shown) % {"n": shown}


def plan_filter_context(
    request: HttpRequest, actor: User, selected: int | None
) -> dict[str, object]:
    """The plan filter of a page's form: its choices and the options to show."""
    choices = plan_choices(
        actor,
        search=text_or_empty(request.GET.get("plan_q"), max_length=SEARCH_MAX),
        selected=selected,
    )
    return {
        "choices": choices,
        "options": plan_options(choices.rows, selected),
        "found": found_text(choices) if choices.searchable else "",
    }


@login_required
@require_GET
def plan_options_fragment(request: HttpRequest) -> HttpResponse:
    """``?plan_q=words&plan=id``: the filter's options for that search (htmx swaps them into
    the select as people type), and what was found, for a screen reader."""
    actor = cast(User, request.user)
    context = plan_filter_context(request, actor, id_or_none(request.GET.get("plan")))
    return HttpResponse(
        render_to_string(
            "control/_plan_options.html",
            {**context, "oob": bool(context["found"])},
            request,
        )
    )
