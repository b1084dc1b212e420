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
