"""The bell in the page header: the number of unread notifications, one query per request."""

from __future__ import annotations

from typing import Any

from django import template

from jospar.core.selectors.notifications import unread_count_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    request = context.get("request")
    return unread_count_for_request(request) if request is not None else 0
