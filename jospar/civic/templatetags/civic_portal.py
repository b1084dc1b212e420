"""The portal's menu: which of its sections the person sees."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from jospar.civic.access import can_moderate, is_civic_official
from jospar.core.numbers import format_share

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_roles(context: Any) -> dict[str, bool]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"official": is_civic_official(user), "moderator": can_moderate(user)}


@register.filter
def posted_value(posted: dict[str, Any], key: str) -> Any:
    """What the person typed, kept after a refusal."""
    return posted.get(key, "") if isinstance(posted, dict) else ""


@register.filter
def choice_name(value: Any) -> str:
    """A survey choice's name in the reader's language (Kazakh when missing)."""
    if not isinstance(value, dict):
        return str(value)
    lang = (get_language() or "kk")[:2]
    return str(value.get(f"name_{lang}") or value.get("name_kk") or value.get("key") or "")


@register.filter
def event_label(kind: str) -> str:
    from jospar.civic.views.report import event_label as label

    return label(kind)


@register.filter
def percent(value: Any) -> str:
    """A share in 0..1 as a percentage for people ("50 %")."""
    return format_share(value)
