"""Display helpers of the control pages: statuses as words and colours."""

from __future__ import annotations

from typing import Any

from django import template

from jospar.control.models import ObligationStatus
from jospar.core.numbers import format_file_size

register = template.Library()


@register.filter
def status_label(value: Any) -> str:
    """An ``ObligationStatus`` value (or member) in the reader's language."""
    try:
        return str(ObligationStatus(str(value)).label)
    except ValueError:
        return str(value or "")


@register.inclusion_tag("control/_status.html")
def status_badge(value: Any) -> dict[str, Any]:
    """A coloured badge with the status in words (the colour is never the only sign)."""
    code = str(value or "")
    return {"code": code, "label": status_label(code)}


@register.filter
def megabytes(size: Any) -> str:
    """A file's size in the reader's units and language ("1,5 МБ")."""
    return format_file_size(size)


@register.simple_tag(takes_context=True)
def control_menu(context: template.Context) -> dict[str, Any]:
    """Which control entries the main menu shows the person: "My obligations" for executors,
    "Control schedule" for everyone else, "Review" for controllers."""
    from jospar.plans.access import can_see_all_plans, is_controller, is_executor

    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"executor": False, "schedule": False, "controller": False, "organisation": None}
    executor = is_executor(user)
    controller = is_controller(user)
    return {
        "executor": executor,
        "schedule": not executor or controller or can_see_all_plans(user),
        "controller": controller,
        "organisation": user.organisation_id if executor else None,
    }
