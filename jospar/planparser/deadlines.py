"""The deadline cell of an activity -> its work window and the dates reports are owed.

The rules are those of the contract (plan-import.md, "Deadlines -> window and reports"):

* a fixed date ends the window and is a report date;
* a period is the window, its last day a report date unless a recurrence follows;
* a recurrence owes one report per reporting period ending inside its stretch;
* "постоянно"/"тұрақты" and the like give the plan's period and no report of their own, and so
  does a start with nothing recurring after it ("начиная со II квартала 2017 года");
* dates or a recurrence stated in another column of the row replace the cell's report dates;
* text tied to an undated event, or not readable at all, gets no window, no reports and a
  warning: a person must set the dates, the parser never guesses them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import lru_cache

from .dateexpr import Reading, Recurrence, Unit, read
from .dates import month_word, normalize, scan
from .model import DeadlineResult, Lang, ParseWarning, Period
from .recurrence import recurrence_reports

log = logging.getLogger(__name__)

# A deadline cell is a line or two; anything far longer is not one, and is not worth scanning.
MAX_CELL_CHARS = 2000

# Another column can only state report dates with a digit or a recurrence word; most such
# cells ("информация в АП", "ПӘ-ге ақпарат") have neither and need no reading at all.
_OTHER_HINT = re.compile(
    r"\d|еже|сайын|раза?\s+в|рет(?!\w)|полугод|квартальн|поквартал|помесяч", re.IGNORECASE
)

_MESSAGES = {
    "deadline_empty": "The deadline cell is empty.",
    "deadline_too_long": "The deadline cell is too long to be a deadline; set the dates by hand.",
    "deadline_unreadable": "No date, period or recurrence could be read from the deadline cell.",
    "deadline_event_relative": (
        "The deadline depends on an event or another document, not on a date; "
        "set the dates by hand."
    ),
    "deadline_event_with_date": (
        "The deadline mentions an event or another document as well as a date; check the dates."
    ),
    "deadline_no_plan_period": (
        "The plan's period is unknown, so a date that depends on it could not be set."
    ),
    "deadline_year_missing": (
        "A date or period is written without a year and the plan's period does not settle it."
    ),
    "deadline_invalid_date": "The deadline names a date that does not exist.",
    "deadline_recurrence_unsupported": (
        "The deadline names a reporting rhythm that is not scheduled automatically "
        "(e.g. weekly); set the report dates by hand."
    ),
    "deadline_partly_read": "Part of the deadline cell (a number) could not be read; check it.",
    "deadline_outside_plan_period": "A date of the deadline lies outside the plan's period.",
    "deadline_too_many_reports": "The recurrence gives too many reports; the list was cut.",
    "deadline_no_reports": (
        "No reporting period of the recurrence ends inside the window, so no report is owed."
    ),
    "deadline_other_column_unread": (
        "A date without a year in the report column could not be placed in a year."
    ),
    "deadline_internal_error": "The deadline could not be read because of an internal error.",
}

_NULL = Period(None, None)


def parse_deadline(
    text: str,
    *,
    lang: Lang,
    period: Period,
    other_column_text: str | None = None,
    activity: str | None = None,
) -> DeadlineResult:
    """Read a deadline cell into a window and report dates. Never raises on any string.

    `period` is the plan's period (either end may be unknown); `other_column_text` is another
    cell of the row that may state report dates or a recurrence (rule 6); `activity` is the
    activity's number, put into the warnings.
    """
    text = text if isinstance(text, str) else ""
    other = other_column_text if isinstance(other_column_text, str) else None
    try:
        window, reports, codes = _parse_cached(
            text, lang if lang == "kk" else "ru", period.start, period.end, other
        )
    except Exception:
        # One unexpected cell must not stop the import of a whole plan; it is logged and left
        # for a person, like any cell that cannot be read.
        log.exception("deadline cell could not be read: %r", text[:200])
        window, reports, codes = _NULL, (), (("deadline_internal_error", ""),)
    return DeadlineResult(
        window=window,
        reports=list(reports),
        warnings=[_warning(code, detail, activity) for code, detail in codes],
    )


def _fold(text: str) -> str:
    """Whitespace folded, so that cells differing only in spacing share one cached reading."""
    if len(text) > MAX_CELL_CHARS * 4:
        return text  # rejected as too long anyway; not worth copying
    return " ".join(text.split())


def _warning(code: str, detail: str, activity: str | None) -> ParseWarning:
    message = _MESSAGES.get(code, code)
    if detail:
        message = f"{message} ({detail})"
    return ParseWarning(code=code, message=message, activity=activity)


class _Warnings:
    """Warning codes in the order raised, each once, with an optional detail."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def add(self, code: str, detail: str = "") -> None:
        self.items.setdefault(code, detail)


@lru_cache(maxsize=16384)
def _parse_cached(
    text: str,
    lang: Lang,
    plan_start: dt.date | None,
    plan_end: dt.date | None,
    other: str | None,
) -> tuple[Period, tuple[dt.date, ...], tuple[tuple[str, str], ...]]:
    warn = _Warnings()
    window, reports = _parse(text, lang, plan_start, plan_end, other, warn)
    if window.start is not None and any(day < window.start for day in reports):
        # A year read for a report date but not for the window ("2015 20 желтоқсанға ж. ж.,
        # 2016": the window 2016, a report on 20 December 2015): the cell was read in two ways,
        # and a person decides which.
        warn.add("deadline_partly_read")
    return window, tuple(sorted(set(reports))), tuple(warn.items.items())


def _parse(
    text: str,
    lang: Lang,
    plan_start: dt.date | None,
    plan_end: dt.date | None,
    other: str | None,
    warn: _Warnings,
) -> tuple[Period, list[dt.date]]:
    text = _fold(text)
    if not text:
        warn.add("deadline_empty")
        return _NULL, []
    if len(text) > MAX_CELL_CHARS:
        warn.add("deadline_too_long")
        return _NULL, []
    if plan_start is not None and plan_end is not None and plan_start > plan_end:
        plan_start, plan_end = plan_end, plan_start
    r = read(normalize(text), lang, plan_start, plan_end)
    if r.event and not any(u.is_day and u.mode != "start" for u in r.units):
        warn.add("deadline_event_relative")
        return _NULL, []
    # A number that fits nowhere next to nothing but a year is a date that was not understood;
    # the bare year would be a guess.
    guess = r.stray_number and r.only_years and not r.recurrences and not r.permanent
    if guess or not (r.units or r.recurrences or r.permanent):
        if r.stray_number:
            warn.add("deadline_partly_read")
        for code, detail in r.problems:
            warn.add(code, detail)
        warn.add("deadline_unreadable")
        return _NULL, []
    if r.event:
        warn.add("deadline_event_with_date")
    if r.stray_number:
        warn.add("deadline_partly_read")

    plan = _Plan(plan_start, plan_end, warn)
    window, own_reports = _window_and_reports(r, plan, warn)

    other_dates, other_recs = _other_column(other, lang, plan_start, plan_end, warn)
    if other_dates or other_recs:
        reports = list(other_dates)
        reports.extend(_recurring(other_recs, window.start, window.end, False, warn))
    else:
        reports = own_reports

    for code, detail in r.problems:
        # An undated part next to "тұрақты" with report dates from another column changes
        # nothing: the window is the plan's and the reports come from elsewhere.
        if code == "deadline_year_missing" and r.permanent and (other_dates or other_recs):
            continue
        warn.add(code, detail)

    if window.start is not None and window.end is not None and window.start > window.end:
        window = Period(window.end, window.end)
        warn.add("deadline_outside_plan_period", "a date before the plan starts")
    for d in reports:
        before = plan_start is not None and d < plan_start
        # The last report of a recurrence may fall after the plan ends; a fixed date may not.
        after = plan_end is not None and d > plan_end and not (r.recurrences or other_recs)
        if before or after:
            warn.add("deadline_outside_plan_period", d.isoformat())
            break
    return window, reports


class _Plan:
    """The plan's period; using an end that is unknown records a warning."""

    def __init__(self, start: dt.date | None, end: dt.date | None, warn: _Warnings) -> None:
        self._start, self._end, self._warn = start, end, warn

    @property
    def start(self) -> dt.date | None:
        if self._start is None:
            self._warn.add("deadline_no_plan_period")
        return self._start

    @property
    def end(self) -> dt.date | None:
        if self._end is None:
            self._warn.add("deadline_no_plan_period")
        return self._end


def _window_and_reports(r: Reading, plan: _Plan, warn: _Warnings) -> tuple[Period, list[dt.date]]:
    dues = [u for u in r.units if u.mode != "start" and (u.is_day or u.mode == "due")]
    spans = [u for u in r.units if not u.is_day and u.mode == "plain"]
    starts = [u for u in r.units if u.mode == "start"]

    lows: list[dt.date | None] = [*(u.start for u in spans), *(u.start for u in starts)]
    highs: list[dt.date | None] = [*(u.end for u in spans), *(u.end for u in dues)]
    if r.permanent:
        # "постоянно, начиная с марта 2016 года": a stated start wins over the plan's.
        if not starts and r.permanent_from_start:
            lows.append(plan.start)
        highs.append(plan.end)

    reports: list[dt.date] = [u.end for u in dues]
    supported = [rec for rec in r.recurrences if rec.rhythm is not None]
    if len(supported) < len(r.recurrences):
        warn.add("deadline_recurrence_unsupported")
    for rec in supported:
        if sum(1 for u in dues if u.clause == rec.clause) >= 2:
            # "ежегодно, до 20 декабря 2016 - 2018 годов": the dates are the recurrence's
            # reports, written out.
            continue
        lo, hi, after = _recurrence_stretch(rec, spans, starts, dues, plan)
        highs.append(hi)
        reports.extend(_recurring([rec], lo, hi, after, warn))
    if not r.recurrences or (spans and len(reports) == len(dues)):
        # A period's end is its report, unless a recurrence owes reports over it; one that
        # owes none there ("I квартал 2016 года, далее – ежегодно") leaves the end owed.
        reports.extend(u.end for u in spans)
        if starts and not (dues or spans or r.permanent):
            # "начиная со II квартала 2017 года", "2017 жылдан бастап" alone: the work runs from
            # then to the end of the plan and, like "постоянно", owes no report of its own
            # (rule 12); another column may still state report dates (rule 6).
            highs.append(plan.end)

    start = min((d for d in lows if d is not None), default=None) if lows else plan.start
    end = max((d for d in highs if d is not None), default=None) if highs else plan.end
    return Period(start, end), reports


def _recurrence_stretch(
    rec: Recurrence,
    spans: list[Unit],
    starts: list[Unit],
    dues: list[Unit],
    plan: _Plan,
) -> tuple[dt.date | None, dt.date | None, bool]:
    """The stretch a recurrence runs over, and whether its first day is excluded.

    A period in the cell bounds it ("в течение 2016 года, далее - раз в полугодие"); a start
    begins it with the period holding that day ("с января 2016 года"); a date before it begins
    it after that date ("к 10 декабря 2015 года, далее - ежеквартально"), a date after it ends it;
    otherwise it runs over the plan's period.
    """
    if spans:
        lo = min([u.start for u in spans] + [u.start for u in starts])
        return lo, max(u.end for u in spans), False
    if starts:
        lo = min(u.start for u in starts)
        ends = [u.end for u in dues if u.end >= lo]
        return lo, (max(ends) if ends else plan.end), False
    earlier = [u.end for u in dues if u.pos < rec.pos]
    later = [u.end for u in dues if u.pos > rec.pos]
    if earlier:
        return max(earlier), (max(later) if later else plan.end), True
    if later:
        return plan.start, max(later), False
    return plan.start, plan.end, False


def _recurring(
    recs: list[Recurrence],
    lo: dt.date | None,
    hi: dt.date | None,
    after: bool,
    warn: _Warnings,
) -> list[dt.date]:
    out: list[dt.date] = []
    for rec in recs:
        if rec.rhythm is None:
            continue
        if lo is None or hi is None:
            warn.add("deadline_no_plan_period")
            continue
        dates, cut = recurrence_reports(rec.rhythm, lo, hi, after)
        if cut:
            warn.add("deadline_too_many_reports")
        if not dates:
            warn.add("deadline_no_reports")
        out.extend(dates)
    return out


def _other_column(
    other: str | None,
    lang: Lang,
    plan_start: dt.date | None,
    plan_end: dt.date | None,
    warn: _Warnings,
) -> tuple[list[dt.date], list[Recurrence]]:
    """Report dates and recurrences another column of the row states (rule 6). Only a real day
    or a recurrence counts: a year alone ("2016 ж., ПӘ-ге ақпарат") or a word is no date."""
    if not other or len(other) > MAX_CELL_CHARS * 4 or not _OTHER_HINT.search(other):
        return [], []
    other = _fold(other)
    if len(other) > MAX_CELL_CHARS:
        return [], []
    r = read(normalize(other), lang, plan_start, plan_end)
    dates = [u.end for u in r.units if u.is_day and u.mode != "start"]
    recs = [rec for rec in r.recurrences if rec.rhythm is not None]
    if not dates and not recs and any(c == "deadline_year_missing" for c, _ in r.problems):
        warn.add("deadline_other_column_unread")
    return dates, recs


def clear_caches() -> None:
    """Forget memoized results (for benchmarks measuring first-time reading)."""
    for cached in (_parse_cached, read, scan, month_word, recurrence_reports):
        cached.cache_clear()
