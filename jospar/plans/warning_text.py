"""The plan parser's warnings in the reader's language.

The parser (:mod:`jospar.planparser`) knows nothing of Django and writes its warnings in English
as ``{code, message, activity}``. Here each ``code`` gets a translatable sentence with the
activity's number and, where the parser's message carries one, its detail (the cell's text, a
date, what was repaired). A code not listed here, or an activity-level warning without an
activity number, keeps the parser's own English message; so does any detail this module cannot
recognise, which is then left out rather than guessed.

The parser's original message stays with the warning (``message``): the pages show it on hover
for an expert.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# --- deadlines -------------------------------------------------------------------------------

# Sentences about the deadline cell of one activity; ``%(number)s`` is its printed number.
_DEADLINE: dict[str, Promise] = {
    "deadline_empty": _("The deadline cell of activity %(number)s is empty."),
    "deadline_missing": _("Activity %(number)s has no deadline."),
    "deadline_too_long": _(
        "The deadline cell of activity %(number)s is too long to be a deadline; set the dates "
        "by hand."
    ),
    "deadline_unreadable": _(
        "No date, period or recurrence could be read from the deadline of activity %(number)s."
    ),
    "deadline_event_relative": _(
        "The deadline of activity %(number)s depends on an event or another document, not on "
        "a date; set the dates by hand."
    ),
    "deadline_event_with_date": _(
        "The deadline of activity %(number)s mentions an event or another document as well as "
        "a date; check the dates."
    ),
    "deadline_no_plan_period": _(
        "The plan's period is unknown, so a date of activity %(number)s that depends on it "
        "could not be set."
    ),
    "deadline_year_missing": _(
        "The deadline of activity %(number)s gives a date or period without a year, and the "
        "plan's period does not settle it."
    ),
    "deadline_invalid_date": _(
        "The deadline of activity %(number)s names a date that does not exist."
    ),
    "deadline_recurrence_unsupported": _(
        "The deadline of activity %(number)s names a reporting rhythm that is not scheduled "
        "automatically (for example, weekly); set the report dates by hand."
    ),
    "deadline_partly_read": _(
        "Part of the deadline of activity %(number)s (a number) could not be read; check it."
    ),
    "deadline_outside_plan_period": _(
        "A date of the deadline of activity %(number)s lies outside the plan's period."
    ),
    "deadline_too_many_reports": _(
        "The recurrence in the deadline of activity %(number)s gives too many reports; the list "
        "was cut."
    ),
    "deadline_no_reports": _(
        "No reporting period of the recurrence in the deadline of activity %(number)s ends "
        "within the work period, so no report is owed."
    ),
    "deadline_other_column_unread": _(
        "A date without a year in the report column of activity %(number)s could not be placed "
        "in a year."
    ),
    "deadline_internal_error": _(
        "The deadline of activity %(number)s could not be read because of an internal error; "
        "set the dates by hand."
    ),
    "deadline_error": _("The deadline of activity %(number)s could not be read."),
}

# The same with the part of the cell (or the date) the parser named.
_DEADLINE_DETAIL: dict[str, Promise] = {
    "deadline_year_missing": _(
        "The deadline of activity %(number)s gives a date or period without a year "
        "(“%(detail)s”), and the plan's period does not settle it."
    ),
    "deadline_invalid_date": _(
        "The deadline of activity %(number)s names a date that does not exist: “%(detail)s”."
    ),
    "deadline_outside_plan_period": _(
        "The date %(detail)s in the deadline of activity %(number)s lies outside the plan's period."
    ),
    "deadline_error": _("The deadline of activity %(number)s could not be read: “%(detail)s”."),
}

_BEFORE_PLAN = _("A date of the deadline of activity %(number)s lies before the plan starts.")

# --- rows, titles, executors -----------------------------------------------------------------

_TITLE_MISSING = _("Activity %(number)s has no title.")
_ROW_AUTO_NUMBER = _(
    "The number of activity %(number)s comes from Word's automatic list numbering; check it."
)
_ROW_CELLS = _(
    "The row of activity %(number)s has %(cells)s cells where the table has %(width)s; the "
    "cells were matched to the columns by their content. Check them."
)
_ROW_OTHER = _("The row of activity %(number)s is laid out unusually; check how it was read.")
_EXECUTORS_EMPTY = _("The executors cell of activity %(number)s is empty or unreadable.")
_EXECUTORS_MISSING_TEXT = _(
    "No executor could be read from the executors cell of activity %(number)s: “%(detail)s”."
)
_EXECUTORS_REPAIRED = _("Executors of activity %(number)s: %(repair)s. Check them.")
_EXECUTORS_REPAIRED_OTHER = _(
    "The executors cell of activity %(number)s was read with a repair. Check it."
)

# What the executors' reader repaired, as the parser words it → the same in the reader's words.
_REPAIRS: list[tuple[re.Pattern[str], Promise]] = [
    (
        re.compile(r"closed the bracket of the mark '\((?P<a>.*)'", re.S),
        _("the unclosed bracket of the mark “(%(a)s” was closed"),
    ),
    (
        re.compile(r"read the mark '(?P<a>.*)' written without brackets", re.S),
        _("the mark “%(a)s”, written without brackets, was read as a mark"),
    ),
    (
        re.compile(r"a bracket is never closed; read the commas inside it as separators"),
        _("a bracket is never closed, so the commas inside it were read as separators"),
    ),
    (
        re.compile(r"a quotation mark is never closed; read the commas after it as separators"),
        _("a quotation mark is never closed, so the commas after it were read as separators"),
    ),
    (re.compile(r"removed a stray comma"), _("a stray comma was removed")),
    (
        re.compile(r"dropped the stray characters '(?P<a>.*)'", re.S),
        _("the stray characters “%(a)s” were dropped"),
    ),
    (
        re.compile(r"a comma is missing between the codes in '(?P<a>.*)'", re.S),
        _("a comma is missing between the abbreviations in “%(a)s”"),
    ),
    (
        re.compile(r"a comma is missing between '(?P<a>.*?)' and '(?P<b>.*)'", re.S),
        _("a comma is missing between “%(a)s” and “%(b)s”"),
    ),
    (
        re.compile(r"the mark after a stray comma was given to '(?P<a>.*)'", re.S),
        _("the mark after a stray comma was given to “%(a)s”"),
    ),
    (
        re.compile(r"the role '(?P<a>.*?)' after a stray comma was given to '(?P<b>.*)'", re.S),
        _("the task “%(a)s” after a stray comma was given to “%(b)s”"),
    ),
    (
        re.compile(r"dropped the unreadable part '(?P<a>.*)'", re.S),
        _("the unreadable part “%(a)s” was dropped"),
    ),
    (
        re.compile(r"read the garbled akimat group '(?P<a>.*)' as all akimats", re.S),
        _("the garbled group of akimats “%(a)s” was read as the akimats of all regions"),
    ),
    (
        re.compile(r"the legal form '(?P<a>.*)' stands alone with no name to join", re.S),
        _("the legal form “%(a)s” stands alone, with no name to join it to"),
    ),
    (
        re.compile(r"joined the legal form '(?P<a>.*?)' standing alone to '(?P<b>.*)'", re.S),
        _("the legal form “%(a)s”, standing alone, was joined to “%(b)s”"),
    ),
    (
        re.compile(r"removed stray characters around '(?P<a>.*)'", re.S),
        _("stray characters around “%(a)s” were removed"),
    ),
    (
        re.compile(r"'(?P<a>.*)' is listed twice; kept once", re.S),
        _("“%(a)s” is listed twice and was kept once"),
    ),
]

# --- the plan as a whole ---------------------------------------------------------------------

_COLUMN_MISSING: dict[str, Promise] = {
    "title": _("No column of the table was recognised as the names of the activities."),
    "executors": _("No column of the table was recognised as the responsible executors."),
    "deadline": _("No column of the table was recognised as the deadlines."),
}
_COLUMN_MISSING_OTHER = _("A column the plan needs was not recognised in the table.")
_NO_PLAN_PERIOD = _(
    "The text states no period for the plan; give the period of the plan when uploading it, so "
    "that open-ended deadlines can be read."
)


# --- reading a warning -----------------------------------------------------------------------


def _detail(message: str) -> str | None:
    """The detail the deadline reader appends to its sentence: ``"… sentence. (detail)"``."""
    start = message.find(". (")
    if start == -1 or not message.endswith(")"):
        return None
    return message[start + 3 : -1] or None


def _quoted_cell(message: str) -> str | None:
    """The cell's text the parser quotes at the end of its message: ``"…: 'text'."``."""
    match = re.search(r": '(?P<text>.*)'\.$", message, re.S)
    return match.group("text") if match else None


def _date_text(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        return value


def _deadline(code: str, number: str, message: str) -> str:
    if code == "deadline_error":
        text = _quoted_cell(message)
        if text:
            return str(_DEADLINE_DETAIL[code]) % {"number": number, "detail": text}
        return str(_DEADLINE[code]) % {"number": number}
    detail = _detail(message)
    if detail and code == "deadline_outside_plan_period":
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", detail):
            return str(_DEADLINE_DETAIL[code]) % {"number": number, "detail": _date_text(detail)}
        if detail == "a date before the plan starts":
            return str(_BEFORE_PLAN) % {"number": number}
    elif detail and code in _DEADLINE_DETAIL:
        return str(_DEADLINE_DETAIL[code]) % {"number": number, "detail": detail}
    return str(_DEADLINE[code]) % {"number": number}


def _row_layout(number: str, message: str) -> str:
    if "automatic list numbering" in message:
        return str(_ROW_AUTO_NUMBER) % {"number": number}
    cells = re.search(r"row has (?P<cells>\d+) cells where the table has (?P<width>\d+)", message)
    if cells:
        return str(_ROW_CELLS) % {"number": number, **cells.groupdict()}
    return str(_ROW_OTHER) % {"number": number}


def _executors_missing(number: str, message: str) -> str:
    text = _quoted_cell(message)
    if text:
        return str(_EXECUTORS_MISSING_TEXT) % {"number": number, "detail": text}
    return str(_EXECUTORS_EMPTY) % {"number": number}


def _executors_repaired(number: str, message: str) -> str:
    prefix, suffix = f"Executors of activity {number}: ", "; please check."
    if message.startswith(prefix) and message.endswith(suffix):
        repair = message[len(prefix) : -len(suffix)]
        for pattern, sentence in _REPAIRS:
            match = pattern.fullmatch(repair)
            if match:
                text = str(sentence) % match.groupdict()
                return str(_EXECUTORS_REPAIRED) % {"number": number, "repair": text}
    return str(_EXECUTORS_REPAIRED_OTHER) % {"number": number}


def _title_missing(number: str, message: str) -> str:
    return str(_TITLE_MISSING) % {"number": number}


_ACTIVITY_CODES: dict[str, Callable[[str, str], str]] = {
    "row_layout": _row_layout,
    "title_missing": _title_missing,
    "executors_missing": _executors_missing,
    "executors_repaired": _executors_repaired,
}


def _plan_warning(code: str, message: str) -> str | None:
    if code == "no_plan_period":
        return str(_NO_PLAN_PERIOD)
    if code == "column_missing":
        role = re.search(r"as the (?P<role>\w+) column", message)
        sentence = _COLUMN_MISSING.get(role.group("role")) if role else None
        return str(sentence or _COLUMN_MISSING_OTHER)
    return None


def warning_text(warning: Mapping[str, Any] | Any) -> str:
    """The warning as a sentence in the active language; the parser's message if unknown."""
    if not isinstance(warning, Mapping):
        return str(warning or "")
    code = str(warning.get("code") or "")
    message = str(warning.get("message") or "")
    number = str(warning.get("activity") or "")
    plan_level = _plan_warning(code, message)
    if plan_level is not None:
        return plan_level
    if not number:
        return message
    if code in _DEADLINE:
        return _deadline(code, number, message)
    reader = _ACTIVITY_CODES.get(code)
    if reader is not None:
        return reader(number, message)
    return message


# Every code this module words; a test checks it against the codes the parser raises.
KNOWN_CODES = (
    frozenset(_DEADLINE) | frozenset(_ACTIVITY_CODES) | {"no_plan_period", "column_missing"}
)
