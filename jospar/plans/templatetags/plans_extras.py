"""Small display helpers of the plans pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import template
from django.utils.translation import gettext as _

from jospar.planparser.model import AKIMATS
from jospar.plans.warning_text import warning_text as _warning_text

register = template.Library()


@register.filter
def isodate(value: Any) -> dt.date | None:
    """``"2016-03-15"`` → a date, for the ``date`` filter; anything else → None."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@register.filter
def executor_code(code: Any) -> str:
    """The printed code, with the group of akimats named as the glossary names it."""
    if code == AKIMATS:
        return _("Local executive bodies (akimats of all regions)")
    return str(code or "")


@register.filter
def field_label(field: Any) -> str:
    """The name of an activity's field (in revisions' changes and corrections) for people."""
    labels = {
        "number": _("Number"),
        "section": _("Section"),
        "title": _("Title"),
        "completion_form": _("Form of completion"),
        "executors": _("Responsible executors"),
        "deadline_text": _("Deadline"),
        "controller": _("Controlling department"),
        "financing": _("Financing"),
        "window": _("Work"),
        "reports": _("Reports due"),
        "plan_title": _("Title of the plan"),
        "plan_lang": _("Language of the text"),
        "plan_period": _("Period"),
    }
    return str(labels.get(str(field), field or ""))


@register.filter
def warning_text(warning: Any) -> str:
    """A parser's warning in the reader's language (the parser's own words stay in ``message``)."""
    return _warning_text(warning)


@register.filter
def change_value(value: Any) -> str:
    """A field's value in a revision's list of changes, readable as text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return "; ".join(_executor_text(v) for v in value)
        return "; ".join(str(v) if v is not None else "…" for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _executor_text(item: dict[str, Any]) -> str:
    text = executor_code(item.get("code"))
    if item.get("lead"):
        text += " (" + _("lead") + ")"
    if item.get("by_agreement"):
        text += " (" + _("by agreement") + ")"
    if item.get("role"):
        text += " — " + str(item["role"])
    return text


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (pagination, filters)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode() if hasattr(params, "urlencode") else ""
    return f"?{encoded}" if encoded else "?"
