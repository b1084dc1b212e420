"""The plan filter's options, built in Python: a national list holds thousands of plans, and the
template language (or Truncator, or a model instance per plan) renders them many times slower
(half a second of the obligation list's request at national scale)."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def plan_options(plans: Any, selected: int | None) -> SafeString:
    """``<option>`` elements of ``plans`` (a queryset of plans), ``selected`` marked."""
    russian = (get_language() or "kk")[:2] == "ru"
    parts = []
    for pk, title_kk, title_ru in plans.values_list("id", "title_kk", "title_ru"):
        # As Plan.title reads: the reader's language first, then Kazakh, then Russian.
        title = (title_ru or title_kk) if russian else (title_kk or title_ru)
        short = title if len(title) <= 90 else title[:89] + "…"
        mark = " selected" if pk == selected else ""
        parts.append(f'<option value="{pk}"{mark}>{escape(short)}</option>')
    return mark_safe("".join(parts))
