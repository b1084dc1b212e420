"""The amending-act page's wording of what stops or skips a change (the reader writes English)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def amendment_problem(problem: Any) -> str:
    if not isinstance(problem, dict):
        return ""
    code = str(problem.get("code") or "")
    values = {
        "number": problem.get("number") or "",
        "words": problem.get("words") or "",
        "column": problem.get("column") or "",
    }
    texts = {
        "no_such_row": _("The plan has no row numbered %(number)s."),
        "row_exists": _("The plan already has a row numbered %(number)s."),
        "no_such_column": _("The plan's table has no column %(column)s."),
        "words_not_found": _("The words «%(words)s» are not in the cell."),
        "words_ambiguous": _("The words «%(words)s» stand in several cells; give the column."),
        "no_words": _("The words to look for are missing."),
        "no_row": _("The change names no row."),
        "no_content": _("The new text of this change is missing."),
        "printed_number_mismatch": _(
            "The new row is printed with another number than the act names: check the number."
        ),
        "skipped": _("Left out."),
        "not_a_row_change": _(
            "This change is not made to the table's rows: apply it by hand if it matters."
        ),
        "other_target": _("This change amends another decree: it is skipped."),
        "empty_value": _("A cell the plan needs is empty."),
        "no_executors": _("No executor could be read from the new cell."),
    }
    text = texts.get(code)
    if text is None:
        return str(problem.get("message") or code)
    return text % values
