"""``{{ value|figure }}``: an indicator's figure for people, in the reader's language, without
the trailing zeros of its stored four decimals (``45.5000`` → "45,5", ``100.0000`` → "100")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from jospar.core.numbers import format_number

register = template.Library()


def plain(value: Decimal) -> Decimal:
    """The same number without trailing zeros and without an exponent."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


@register.filter
def figure(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_number(plain(value))
    return format_number(value)
