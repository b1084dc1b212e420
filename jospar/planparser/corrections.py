"""A person's correction of one cell of a parsed plan, and what follows from it.

The review page lets a person fix what the parser read wrongly: a cell is replaced by the text
the person types, and the fields derived from it (executors, window, report dates, the
activity's warnings) are derived again by the same parser functions. Corrections are replayed
in order on the original parse, so the stored plan is always "parse + corrections"; this module
therefore must be deterministic and, like the rest of the parser, knows nothing of Django.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.executors import parse_executors
from jospar.planparser.model import Lang, ParseWarning, Period
from jospar.planparser.textutil import fold

FIELDS: tuple[str, ...] = (
    "number",
    "section",
    "title",
    "completion_form",
    "executors",
    "deadline_text",
    "controller",
    "financing",
)

# A cell of a real plan is at most a few thousand characters; anything far longer is a paste
# gone wrong, and would be stored in every revision.
MAX_VALUE_CHARS = 10_000

# Where a correction keeps the text a person typed for each corrected field, so that a later
# correction can tell which warnings came from the earlier text.
CORRECTED_KEY = "corrected"


class CorrectionError(ValueError):
    """A correction that cannot be applied. ``code`` is stable; ``params`` fill the message."""

    def __init__(self, code: str, message: str, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.code = code
        self.message = message
        self.params = params


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _period(plan: dict[str, Any]) -> Period:
    period = plan.get("period") or {}
    return Period(_date(period.get("start")), _date(period.get("end")))


def _lang(plan: dict[str, Any]) -> Lang:
    return "ru" if plan.get("lang") == "ru" else "kk"


def _split_list(value: str, sep: str) -> list[str]:
    return [fold(part) for part in value.split(sep) if fold(part)]


def _warning_key(warning: dict[str, Any]) -> tuple[str, str]:
    return (str(warning.get("code", "")), str(warning.get("message", "")))


def _without(warnings: list[dict[str, Any]], remove: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``warnings`` less one occurrence of each of ``remove`` (compared by code and message)."""
    pending = [_warning_key(w) for w in remove]
    kept: list[dict[str, Any]] = []
    for warning in warnings:
        key = _warning_key(warning)
        if key in pending:
            pending.remove(key)
        else:
            kept.append(warning)
    return kept


def _json_warnings(warnings: list[ParseWarning]) -> list[dict[str, Any]]:
    return [w.to_json() for w in warnings]


def _executor_cell(plan: dict[str, Any], activity: dict[str, Any]) -> str | None:
    """The executors cell the current executors were read from, where it can be found."""
    corrected = (activity.get(CORRECTED_KEY) or {}).get("executors")
    if corrected is not None:
        return str(corrected)
    current = activity.get("executors") or []
    for cell in activity.get("source_cells") or []:
        found, _warnings = parse_executors(
            cell,
            lang=_lang(plan),
            glossary=plan.get("glossary") or {},
            activity=str(activity.get("number")),
        )
        if found and [e.to_json() for e in found] == current:
            return str(cell)
    return None


def _completion_cell(activity: dict[str, Any]) -> str | None:
    """The completion-form cell as printed: the parser gives it to the deadline as its
    "other column" (a plan may put report dates there)."""
    corrected = (activity.get(CORRECTED_KEY) or {}).get("completion_form")
    if corrected is not None:
        return str(corrected)
    forms = activity.get("completion_form") or []
    if not forms:
        return None
    for cell in activity.get("source_cells") or []:
        if _split_list(str(cell), ";") == [fold(f) for f in forms]:
            return str(cell)
    return "; ".join(forms)


def _deadline_warnings(
    plan: dict[str, Any], activity: dict[str, Any], deadline_text: str, other: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    result = parse_deadline(
        deadline_text,
        lang=_lang(plan),
        period=_period(plan),
        other_column_text=other,
        activity=str(activity.get("number")),
    )
    data = result.to_json()
    return data, data["warnings"]


def _rederive_deadline(
    plan: dict[str, Any],
    activity: dict[str, Any],
    *,
    old_text: str,
    old_other: str | None,
    new_text: str,
    new_other: str | None,
) -> None:
    _old, old_warnings = _deadline_warnings(plan, activity, old_text, old_other)
    new, new_warnings = _deadline_warnings(plan, activity, new_text, new_other)
    activity["deadline_text"] = new_text
    activity["window"] = new["window"]
    activity["reports"] = new["reports"]
    activity["warnings"] = _without(activity.get("warnings") or [], old_warnings) + new_warnings


def _find(plan: dict[str, Any], number: str) -> dict[str, Any]:
    for activity in plan.get("activities") or []:
        if str(activity.get("number")) == number:
            return activity  # type: ignore[no-any-return]
    raise CorrectionError(
        "unknown_activity", "The plan has no activity numbered %(number)s.", number=number
    )


def apply_correction(
    plan_json: dict[str, Any], *, activity_number: str, field: str, value: str
) -> dict[str, Any]:
    """A copy of ``plan_json`` with one cell of one activity replaced by ``value``.

    Where numbers repeat (a parse a person is about to fix), the first activity with the number
    is corrected: replaying the same corrections in the same order gives the same result.
    Raises :class:`CorrectionError` and leaves ``plan_json`` untouched when the correction
    cannot be applied.
    """
    if field not in FIELDS:
        raise CorrectionError(
            "unknown_field", "“%(field)s” is not a cell that can be corrected.", field=str(field)
        )
    if not isinstance(value, str):
        raise CorrectionError("invalid_value", "The new text must be text.")
    if len(value) > MAX_VALUE_CHARS:
        raise CorrectionError(
            "value_too_long",
            "The new text is longer than %(limit)s characters.",
            limit=str(MAX_VALUE_CHARS),
        )
    plan = copy.deepcopy(plan_json)
    activity = _find(plan, str(activity_number))
    text = fold(value)
    number = str(activity.get("number"))

    if field == "number":
        if not text:
            raise CorrectionError("empty_value", "An activity needs a number.")
        if text != number and any(
            str(a.get("number")) == text for a in plan.get("activities") or []
        ):
            raise CorrectionError(
                "number_taken", "Another activity is already numbered %(number)s.", number=text
            )
        activity["number"] = text
        for warning in activity.get("warnings") or []:
            if warning.get("activity") == number:
                warning["activity"] = text
    elif field == "title":
        if not text:
            raise CorrectionError("empty_value", "An activity needs a title.")
        activity["title"] = text
    elif field == "section":
        activity["section"] = text or None
    elif field == "financing":
        activity["financing"] = text or None
    elif field == "controller":
        activity["controller"] = _split_list(value, ",") or None
    elif field == "executors":
        if not text:
            raise CorrectionError("empty_value", "An activity needs at least one executor.")
        old_cell = _executor_cell(plan, activity)
        glossary = plan.get("glossary") or {}
        executors, warnings = parse_executors(
            text, lang=_lang(plan), glossary=glossary, activity=number
        )
        if not executors:
            raise CorrectionError(
                "no_executors", "No executor could be read from “%(text)s”.", text=text
            )
        if old_cell is not None:
            _found, old_warnings = parse_executors(
                old_cell, lang=_lang(plan), glossary=glossary, activity=number
            )
            kept = _without(activity.get("warnings") or [], _json_warnings(old_warnings))
        else:
            # The cell it came from is unknown: drop what speaks of executors by its code.
            kept = [
                w for w in activity.get("warnings") or [] if "executor" not in str(w.get("code"))
            ]
        activity["executors"] = [e.to_json() for e in executors]
        activity["warnings"] = kept + _json_warnings(warnings)
    elif field == "deadline_text":
        other = _completion_cell(activity)
        _rederive_deadline(
            plan,
            activity,
            old_text=str(activity.get("deadline_text") or ""),
            old_other=other,
            new_text=text,
            new_other=other,
        )
    elif field == "completion_form":
        old_other = _completion_cell(activity)
        activity["completion_form"] = _split_list(value, ";")
        # The completion cell may carry the report dates (rule 6): the dates follow it.
        deadline = str(activity.get("deadline_text") or "")
        _rederive_deadline(
            plan,
            activity,
            old_text=deadline,
            old_other=old_other,
            new_text=deadline,
            new_other=text or None,
        )
    activity.setdefault(CORRECTED_KEY, {})[field] = text
    return plan


# Corrections of the plan itself rather than of an activity's cell (``activity`` is empty).
PLAN_FIELDS: tuple[str, ...] = ("plan_title", "plan_lang", "plan_period")
MAX_TITLE_CHARS = 2_000


def apply_plan_details(
    plan_json: dict[str, Any],
    *,
    title: str | None = None,
    lang: Lang | None = None,
    period: Period | None = None,
) -> dict[str, Any]:
    """A copy of ``plan_json`` with the plan's title, language or period (None: unchanged)
    replaced. A new language or period reads every deadline cell again with the same rules, so
    the report dates and their warnings follow. Raises :class:`CorrectionError`."""
    plan = copy.deepcopy(plan_json)
    if title is not None:
        text = fold(title)
        if not text:
            raise CorrectionError("empty_value", "A plan needs a title.")
        if len(text) > MAX_TITLE_CHARS:
            raise CorrectionError(
                "value_too_long",
                "The new text is longer than %(limit)s characters.",
                limit=str(MAX_TITLE_CHARS),
            )
        plan["title"] = text
    before = copy.deepcopy(plan)
    changed = False
    if lang is not None and lang != _lang(plan):
        plan["lang"] = lang
        changed = True
    if period is not None:
        if period.start is not None and period.end is not None and period.start > period.end:
            raise CorrectionError("invalid_period", "The period must start before it ends.")
        new = {
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None,
        }
        old = plan.get("period") or {}
        if (old.get("start"), old.get("end")) != (new["start"], new["end"]):
            plan["period"] = new
            changed = True
    if changed:
        for activity, old_activity in zip(
            plan.get("activities") or [], before.get("activities") or [], strict=True
        ):
            text = str(activity.get("deadline_text") or "")
            other = _completion_cell(activity)
            _old, old_warnings = _deadline_warnings(before, old_activity, text, other)
            derived, new_warnings = _deadline_warnings(plan, activity, text, other)
            activity["window"] = derived["window"]
            activity["reports"] = derived["reports"]
            activity["warnings"] = (
                _without(activity.get("warnings") or [], old_warnings) + new_warnings
            )
    return plan


def plan_details_of(correction: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``apply_plan_details`` a stored plan correction stands for."""
    field, value = str(correction.get("field")), correction.get("value")
    if field == "plan_title":
        return {"title": str(value)}
    if field == "plan_lang":
        return {"lang": "ru" if value == "ru" else "kk"}
    start, _sep, end = str(value or "").partition("/")
    return {"period": Period(_date(start or None), _date(end or None))}


def apply_corrections(
    plan_json: dict[str, Any], corrections: list[dict[str, Any]]
) -> dict[str, Any]:
    """Replay ``[{activity, field, value}, ...]`` in order on the parser's output (a plan
    correction has no activity: ``plan_title``, ``plan_lang``, ``plan_period``)."""
    plan = plan_json
    for correction in corrections:
        if correction.get("field") in PLAN_FIELDS:
            plan = apply_plan_details(plan, **plan_details_of(correction))
            continue
        plan = apply_correction(
            plan,
            activity_number=str(correction["activity"]),
            field=str(correction["field"]),
            value=str(correction["value"]),
        )
    return plan


_MARKS: dict[str, dict[str, str]] = {
    "kk": {"lead": "(жинақтау)", "by_agreement": "(келісім бойынша)", "akimats": "ЖАО"},
    "ru": {"lead": "(свод)", "by_agreement": "(по согласованию)", "akimats": "МИО"},
}


def _executors_text(plan: dict[str, Any], activity: dict[str, Any]) -> str:
    """The executors written back as a plan would print them, where the cell is not found."""
    marks = _MARKS[_lang(plan)]
    parts: list[str] = []
    for e in activity.get("executors") or []:
        text = marks["akimats"] if e.get("code") == "akimats" else str(e.get("code") or "")
        if e.get("lead"):
            text += " " + marks["lead"]
        if e.get("by_agreement"):
            text += " " + marks["by_agreement"]
        if e.get("role"):
            text += " - " + str(e["role"])
        parts.append(text)
    return ", ".join(parts)


def cell_text(plan_json: dict[str, Any], *, activity_number: str, field: str) -> str:
    """The text a person starts a correction from: the cell as printed where it is known."""
    if field not in FIELDS:
        raise CorrectionError(
            "unknown_field", "“%(field)s” is not a cell that can be corrected.", field=str(field)
        )
    activity = _find(plan_json, str(activity_number))
    corrected = (activity.get(CORRECTED_KEY) or {}).get(field)
    if corrected is not None:
        return str(corrected)
    if field == "executors":
        return _executor_cell(plan_json, activity) or _executors_text(plan_json, activity)
    if field == "completion_form":
        return _completion_cell(activity) or ""
    if field == "controller":
        return ", ".join(activity.get("controller") or [])
    return str(activity.get(field) or "")
