"""Display helpers of the control pages: statuses as words and colours."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

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


@register.filter
def source_number(obligation: Any) -> str:
    """The activity's number, or "№<id>" of a project task (or of a status report)."""
    if getattr(obligation, "status_report_id", None):
        return f"№{obligation.status_report_id}"
    task = getattr(obligation, "project_task", None)
    if task is not None:
        return f"№{task.pk}"
    activity = getattr(obligation, "activity", None)
    return str(activity.number) if activity is not None else ""


@register.filter
def source_title(obligation: Any) -> str:
    """The activity's title, or what a project task requires first."""
    if getattr(obligation, "status_report_id", None):
        return str(_("Status report of the regional project office"))
    task = getattr(obligation, "project_task", None)
    if task is not None:
        return str(task.title)
    activity = getattr(obligation, "activity", None)
    return str(activity.title) if activity is not None else ""


@register.filter
def source_context(obligation: Any) -> str:
    """The plan's title, or the node of the program a project task is on."""
    report = (
        getattr(obligation, "status_report", None)
        if getattr(obligation, "status_report_id", None)
        else None
    )
    if report is not None:
        return str(report.program.title)
    task = getattr(obligation, "project_task", None)
    if task is not None:
        return str(task.node.name)
    activity = getattr(obligation, "activity", None)
    return str(activity.plan.title) if activity is not None else ""
