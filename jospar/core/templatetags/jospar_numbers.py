"""Template filters for numbers that people read (see ``jospar.core.numbers``)."""

from __future__ import annotations

from typing import Any

from django import template

from jospar.core.numbers import format_file_size, format_number, format_percent, format_share

register = template.Library()


@register.filter
def num(value: Any, decimals: Any = None) -> str:
    """A count or measure for people: ``{{ total|num }}``, ``{{ days|num:1 }}``."""
    return format_number(value, None if decimals is None else int(decimals))


@register.filter
def percentage(value: Any, decimals: Any = 1) -> str:
    """A percentage in 0..100: ``{{ figures.percent_on_time|percentage }}`` (not named
    ``percent``: the civic portal's ``percent`` takes a share in 0..1)."""
    return format_percent(value, int(decimals))


@register.filter
def share_percent(value: Any, decimals: Any = 0) -> str:
    """A share in 0..1 as a percentage."""
    return format_share(value, int(decimals))


@register.filter
def file_size(value: Any) -> str:
    return format_file_size(value)
