"""Display helpers of the control pages: statuses as words and colours."""

from __future__ import annotations

from typing import Any

from django import template

from jospar.control.models import ObligationStatus

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
    try:
        number = int(size)
    except (TypeError, ValueError):
        return ""
    if number < 1024 * 1024:
        return f"{max(1, round(number / 1024))} KB"
    return f"{number / (1024 * 1024):.1f} MB"


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
