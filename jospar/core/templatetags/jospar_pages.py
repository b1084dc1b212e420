"""Links between the pages of a list whose page parameter has a name of its own, so that two
lists on one page (the moderation queue's reports and abuse reports) page apart."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, param: str, number: Any) -> str:
    """The current query string with ``param`` set to ``number`` (the other parameters kept)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return f"?{param}={int(number)}"
    params[param] = str(int(number))
    return f"?{params.urlencode()}"
