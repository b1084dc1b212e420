"""What the calendar's pages share: the header of the section knows whether to offer moderation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jospar.events.access import can_moderate_events


def page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context["can_moderate_events"] = can_moderate_events(request.user)
    return render(request, template, context, status=status)
