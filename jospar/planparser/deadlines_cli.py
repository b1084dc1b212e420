"""`jospar parse-deadlines`: deadline cells in, windows and report dates out, as JSON lines.

Each input line is `{"deadline_text", "lang", "period": {"start", "end"}, "other_column_text"}`
(the last may be null or absent; "activity" is accepted too and goes into warnings). Each output
line is `{"window", "reports", "warnings"}` or, for a line that cannot be read, `{"error"}`;
one bad line never stops the others. Blank lines are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TextIO

from .deadlines import parse_deadline
from .model import Lang, Period

_LANGS: dict[str, Lang] = {"kk": "kk", "ru": "ru"}


class _BadLine(ValueError):
    pass


def _date(value: Any, name: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadLine(f"period.{name} must be an ISO date string or null")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _BadLine(f"period.{name} is not an ISO date: {value!r}") from None


def _request(line: str) -> tuple[str, Lang, Period, str | None, str | None]:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise _BadLine(f"not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise _BadLine("a line must be a JSON object")
    text = obj.get("deadline_text")
    if not isinstance(text, str):
        raise _BadLine("deadline_text is missing or not a string")
    lang_value = obj.get("lang")
    lang = _LANGS.get(lang_value) if isinstance(lang_value, str) else None
    if lang is None:
        raise _BadLine('lang must be "kk" or "ru"')
    period = obj.get("period")
    if not isinstance(period, dict):
        raise _BadLine("period is missing or not an object with start and end")
    start, end = _date(period.get("start"), "start"), _date(period.get("end"), "end")
    other = obj.get("other_column_text")
    if other is not None and not isinstance(other, str):
        raise _BadLine("other_column_text must be a string or null")
    activity = obj.get("activity")
    if activity is not None and not isinstance(activity, str | int):
        raise _BadLine("activity must be a string or null")
    return text, lang, Period(start, end), other, None if activity is None else str(activity)


def run_parse_deadlines(stdin: TextIO, stdout: TextIO) -> int:
    """Answer every non-blank input line with one output line, in order. Returns 0."""
    write = stdout.write
    for line in stdin:
        if not line.strip():
            continue
        try:
            text, lang, period, other, activity = _request(line)
        except _BadLine as exc:
            write(json.dumps({"error": str(exc)}, ensure_ascii=False) + "\n")
            continue
        result = parse_deadline(
            text, lang=lang, period=period, other_column_text=other, activity=activity
        )
        write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    stdout.flush()
    return 0
