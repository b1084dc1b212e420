"""From scanned tokens to dated expressions: which year qualifies which month, which marker
("с", "до", "бастап", "дейін") qualifies which expression, and which words describe a recurrence.

The result (`Reading`) is still neutral about the plan's rules: it says "a fixed day, due",
"a quarter", "from this month", "quarterly, on the 5th of the following month". Turning that into
a work window and report dates is `deadlines`' job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .dates import DATE_KINDS, ITEM_KINDS, REC_KINDS, RELYEAR_KINDS, YEAR_KINDS, Tok, scan
from .model import Lang
from .periods import MAX_YEAR, MIN_YEAR, month_end, period_bounds
from .recurrence import Rhythm

Mode = Literal["plain", "due", "start"]
Span = tuple[dt.date, dt.date, bool]

# Between two years of one list: "2015 ж., 2016 ж.", "2015 и 2016 годов".
_LIST_GAP = re.compile(r"[\s,]*(?:(?:и|және|мен|and)[\s,]*)?")
# Between an expression and the year that qualifies it: "16 ноября 2015", "2015 ж., 2-ші ...".
_ADJ_GAP = re.compile(r"[\s,.:]*")
# Between the two ends of a range: "ноябрь 2015 года - декабрь 2016 года".
_DASH_GAP = re.compile(r"\s*[-–]+\s*")
# Between the two ends of a range of a year's parts: "сентябрь – октябрь", "с сентября по октябрь".
_RANGE_GAP = re.compile(r"\s*(?:[-–]+|по|до)\s*")
# Between a date and "№": the date of a cited act ("от 2 октября 2007 года № 873").
_REF_GAP = re.compile(r"[\s,]*")
_REC_UNIT = {"REC_M": "month", "REC_Q": "quarter", "REC_H": "half", "REC_Y": "year"}
_COUNT_UNIT = {1: "year", 2: "half", 4: "quarter", 12: "month"}
_WEEKDAY_UNIT = {1: "month", 3: "quarter", 6: "half"}
# Items a yearly recurrence can take as the part of each year it names (rule 9).
_YEARLY_PARTS = frozenset({"DM", "MONTH", "DAYRANGE", "QUARTER", "HALF"})


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of calendar time the text names. `is_day`: a single fixed day."""

    start: dt.date
    end: dt.date
    is_day: bool
    mode: Mode
    pos: int
    clause: int  # how many "далее"/"бұдан әрі" come before it


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A repeating report. `rhythm` is None when the text names a rhythm that is not
    scheduled (weekly, "5 раз в год")."""

    rhythm: Rhythm | None
    pos: int
    clause: int


@dataclass(frozen=True, slots=True)
class Reading:
    """What a cell says, before the plan's rules apply. Shared between calls: read-only."""

    units: tuple[Unit, ...] = ()
    recurrences: tuple[Recurrence, ...] = ()
    permanent: bool = False
    # "постоянно" in the first clause covers the plan from its start; after "далее" it only
    # continues what came before.
    permanent_from_start: bool = False
    event: bool = False
    stray_number: bool = False
    # Every unit is a bare year ("2016 год"): with a stray number beside it, likely a date
    # whose month was misspelt ("к 20 декабрья 2016").
    only_years: bool = False
    # (warning code, the words concerned) for things a person must check.
    problems: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class _Expr:
    """One expression before expansion: an item with the year group bound to it, a complete
    date, or a year group standing alone."""

    anchor: int  # index of the token that carries the expression
    first: int  # first and last token index of its extent (with adjacent bound years)
    last: int
    spans: list[Span]
    mode: Mode = "plain"
    ref: bool = False  # followed by "№ ...": the date of a cited act, not a deadline


@dataclass(slots=True)
class _Rec:
    unit: str
    pos: int
    clause: int
    day: int = 0
    month: int = 0
    following: bool = False
    last_month: bool = False
    offset_days: int = 0
    weekday: int = -1
    nth: int = 0
    # Made from a date with "текущего/следующего года": its date is its own, no detail of the
    # clause changes it.
    dated: bool = False

    def freeze(self) -> Recurrence:
        if not self.unit:
            return Recurrence(None, self.pos, self.clause)
        rhythm = Rhythm(
            self.unit,
            self.day,
            self.month,
            self.following,
            self.last_month,
            self.offset_days,
            self.weekday,
            self.nth,
        )
        return Recurrence(rhythm, self.pos, self.clause)

    @property
    def bare(self) -> bool:
        """Names a rhythm and nothing about its day ("полугодовой")."""
        return not (
            self.day or self.month or self.offset_days or self.weekday >= 0 or self.last_month
        )


@lru_cache(maxsize=16384)
def read(
    norm: str,
    lang: Lang,
    plan_start: dt.date | None,
    plan_end: dt.date | None,
) -> Reading:
    """Read a normalized cell into dated expressions and recurrences."""
    toks = scan(norm)
    if not toks:
        return Reading()
    clause_of: list[int] = []
    rec_clauses: set[int] = set()
    yearly_clauses: set[int] = set()
    clause = 0
    for t in toks:
        if t.kind == "THEN":
            clause += 1
        clause_of.append(clause)
        if t.kind in REC_KINDS:
            rec_clauses.add(clause)
            if t.kind == "REC_Y" or (t.kind == "REC_N" and t.n1 == 1):
                yearly_clauses.add(clause)
    relative = _relative_years(toks, norm, lang)
    # Sources of a recurrence other than its words: a weekday rule naming its period, a date
    # in "the current/following year", "the current year" alone.
    sources = _recurrence_sources(toks, clause_of, rec_clauses, relative)
    rec_clauses.update(clause_of[i] for i in sources)

    groups = _year_groups(toks, norm)
    bound = _bind_years(
        toks, norm, groups, lang, clause_of, rec_clauses, yearly_clauses, frozenset(relative)
    )
    permanent = from_start = event = stray = False
    problems: list[tuple[str, str]] = []
    absorbed: list[int] = []  # a yearly recurrence's own dates: "ежегодно к 20 декабря"
    exprs: list[_Expr] = []
    for i, t in enumerate(toks):
        k = t.kind
        c = clause_of[i]
        if k == "PERM":
            permanent = True
            from_start = from_start or c == 0
        elif k in ("EVENT", "RELDAYS"):
            # In a recurrence's clause these describe when its reports fall ("в течение 10
            # дней после окончания отчетного квартала"), not an undated event.
            event = event or c not in rec_clauses
        elif k == "NUM" or (k == "RECDAY" and c not in rec_clauses):
            stray = True
        elif k in DATE_KINDS:
            if t.n1 == 0 or not MIN_YEAR <= t.n1 <= MAX_YEAR:
                problems.append(("deadline_invalid_date", norm[t.start : t.end]))
                continue
            d = dt.date(t.n1, t.n2, t.n3)
            exprs.append(_Expr(i, i, i, [(d, d, True)]))
        elif k in ITEM_KINDS:
            if i in relative:
                continue  # a date of every year: a recurrence of its own
            if i not in bound and c in yearly_clauses and k in _YEARLY_PARTS:
                absorbed.append(i)
                continue
            expr = _item_expr(toks, i, groups, bound.get(i), plan_start, plan_end)
            if isinstance(expr, _Expr):
                exprs.append(expr)
            else:
                problems.append((expr, norm[t.start : t.end]))

    only_years = not exprs
    used = set(bound.values())
    if len(used) < len(groups):
        for gi, g in enumerate(groups):
            if gi in used:
                continue
            # Years standing alone are periods: a range is one period ("2016-2018 годы"), a
            # list is one period per entry ("2015, 2016 годы").
            for i in g:
                t = toks[i]
                span = (dt.date(t.n1, 1, 1), dt.date(t.n2, 12, 31), False)
                exprs.append(_Expr(i, i, i, [span]))
        exprs.sort(key=lambda e: e.anchor)

    _apply_markers(toks, norm, exprs)
    units: list[Unit] = []
    for e in _merge_dash_ranges(norm, toks, exprs):
        if e.ref:
            continue
        pos, c = toks[e.anchor].start, clause_of[e.anchor]
        units.extend(Unit(start, end, is_day, e.mode, pos, c) for start, end, is_day in e.spans)
    recs = (
        _recurrences(toks, norm, clause_of, rec_clauses, absorbed, sources) if rec_clauses else ()
    )
    return Reading(
        tuple(units), recs, permanent, from_start, event, stray, only_years, tuple(problems)
    )


def _item_expr(
    toks: Sequence[Tok],
    i: int,
    groups: list[list[int]],
    group: int | None,
    plan_start: dt.date | None,
    plan_end: dt.date | None,
) -> _Expr | str:
    """The expression of a month, day, quarter or half-year token, or the warning code of
    what is wrong with it."""
    t = toks[i]
    mode: Mode = "due" if t.case == "dat" else "start" if t.case == "abl" else "plain"
    if group is None:
        resolved = _resolve_yearless(t, plan_start, plan_end)
        return "deadline_year_missing" if resolved is None else _Expr(i, i, i, resolved, mode)
    g = groups[group]
    spans = [s for y in _years_of(toks, g) if (s := _item_spans(t, y))]
    if not spans:
        return "deadline_invalid_date"
    first, last = i, i
    if g[-1] == i - 1:
        first = g[0]
    elif g[0] == i + 1:
        last = g[-1]
    return _Expr(i, first, last, spans, mode)


def _year_groups(toks: Sequence[Tok], norm: str) -> list[list[int]]:
    groups: list[list[int]] = []
    for i, t in enumerate(toks):
        if t.kind not in YEAR_KINDS:
            continue
        if groups and groups[-1][-1] == i - 1:
            prev = toks[i - 1]
            if _LIST_GAP.fullmatch(norm, prev.end, t.start):
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def _years_of(toks: Sequence[Tok], group: list[int]) -> list[int]:
    if len(group) == 1 and toks[group[0]].n1 == toks[group[0]].n2:
        return [toks[group[0]].n1]
    years: set[int] = set()
    for i in group:
        t = toks[i]
        years.update(range(t.n1, t.n2 + 1))
    return sorted(years)


def _item_spans(t: Tok, year: int) -> Span | None:
    """The calendar stretch of an item in a given year, or None if it is not a real date."""
    try:
        if t.kind == "DM":
            d = dt.date(year, t.n2, t.n1)
            return d, d, True
        if t.kind == "DAYRANGE":
            return dt.date(year, t.n2, t.n1), dt.date(year, t.n2, t.n3), False
        if t.kind == "MONTH":
            return dt.date(year, t.n2, 1), month_end(year, t.n2), False
        unit, top = ("quarter", 4) if t.kind == "QUARTER" else ("half", 2)
        if not 1 <= t.n1 <= t.n2 <= top:
            return None
        return period_bounds(unit, year, t.n1)[0], period_bounds(unit, year, t.n2)[1], False
    except ValueError:
        return None


def _bind_years(
    toks: Sequence[Tok],
    norm: str,
    groups: list[list[int]],
    lang: Lang,
    clause_of: list[int],
    rec_clauses: set[int],
    yearly_clauses: set[int],
    unbound: frozenset[int] = frozenset(),
) -> dict[int, int]:
    """item token index -> index of the year group that qualifies it.

    An item takes the year group written right next to it; failing that, the nearest group of
    its clause in the language's usual direction (Russian writes the year after: "к 20 апреля и
    20 декабря 2016 года"; Kazakh before: "2016 жылғы 20 сәуірге, 20 желтоқсанға"), then the
    other one; failing that, one outside its clause unless a recurrence owns the clause. A day
    and month in a yearly recurrence's clause take no year from afar: "ежегодно к 20 декабря"
    is every 20 December.
    """
    bound: dict[int, int] = {}
    if not groups:
        return bound
    prefer_prev = lang == "kk"
    for i, t in enumerate(toks):
        if t.kind not in ITEM_KINDS or i in unbound:
            continue
        c = clause_of[i]
        prev_g = next_g = prev_same = next_same = -1
        for gi, g in enumerate(groups):
            same = clause_of[g[0]] == c
            if g[0] < i:
                prev_g = gi
                prev_same = gi if same else prev_same
            elif next_g < 0:
                next_g = gi
                next_same = gi if same else -1
        adj_prev = (
            prev_g >= 0
            and groups[prev_g][-1] == i - 1
            and _ADJ_GAP.fullmatch(norm, toks[i - 1].end, t.start) is not None
        )
        adj_next = (
            next_g >= 0
            and groups[next_g][0] == i + 1
            and _ADJ_GAP.fullmatch(norm, t.end, toks[i + 1].start) is not None
        )
        if adj_prev and adj_next:
            bound[i] = prev_g if prefer_prev else next_g
        elif adj_prev or adj_next:
            bound[i] = prev_g if adj_prev else next_g
        elif c not in yearly_clauses:
            order = [prev_same, next_same] if prefer_prev else [next_same, prev_same]
            if c not in rec_clauses:
                order += [prev_g, next_g] if prefer_prev else [next_g, prev_g]
            for gi in order:
                if gi >= 0:
                    bound[i] = gi
                    break
    return bound


def _resolve_yearless(
    t: Tok, plan_start: dt.date | None, plan_end: dt.date | None
) -> list[Span] | None:
    """An item written without a year takes the one year of the plan in which it falls inside
    the plan's period; None if there is no such single year (or no plan period)."""
    if plan_start is None or plan_end is None or plan_end.year - plan_start.year > 50:
        return None
    found: list[Span] = []
    for year in range(plan_start.year, plan_end.year + 1):
        span = _item_spans(t, year)
        if span is not None and span[1] >= plan_start and span[0] <= plan_end:
            found.append(span)
    return found if len(found) == 1 else None


def _relative_years(toks: Sequence[Tok], norm: str, lang: Lang) -> dict[int, bool]:
    """Items qualified by "текущего года"/"ағымдағы жылдың" (False) or "следующего
    года"/"келесі жылдың" (True) written right next to them: after the item in Russian ("до 15
    июля текущего года"), before it in Kazakh ("келесі жылдың 30 қаңтарына"), else the other
    side. item index -> whether the date falls in the year after."""
    out: dict[int, bool] = {}
    taken: set[int] = set()
    sides = (-1, 1) if lang == "kk" else (1, -1)
    for i, t in enumerate(toks):
        if t.kind not in ("DM", "MONTH", "DAYRANGE"):
            continue
        for side in sides:
            j = i + side
            if not 0 <= j < len(toks) or j in taken or toks[j].kind not in RELYEAR_KINDS:
                continue
            a, b = (t, toks[j]) if side > 0 else (toks[j], t)
            if _ADJ_GAP.fullmatch(norm, a.end, b.start):
                out[i] = toks[j].kind == "NEXTYEAR"
                taken.add(j)
                break
    for i in out:
        for j in (i - 1, i + 1):
            if 0 <= j < len(toks) and toks[j].kind in RELYEAR_KINDS:
                taken.add(j)
    # "в течение текущего года" alone: a year with no number of its own (rule 10).
    for j, t in enumerate(toks):
        if t.kind == "CURYEAR" and j not in taken:
            out[j] = False
    return out


def _recurrence_sources(
    toks: Sequence[Tok], clause_of: list[int], rec_clauses: set[int], relative: dict[int, bool]
) -> list[int]:
    """Token indexes that make a recurrence without a recurrence word: a weekday rule that
    names its period where no recurrence word does, a date in the current or following year,
    and "the current year" standing alone in a clause without a recurrence."""
    out: list[int] = []
    for i, t in enumerate(toks):
        c = clause_of[i]
        weekday = t.kind == "WEEKDAY" and t.n3 and c not in rec_clauses
        if weekday or (i in relative and (t.kind != "CURYEAR" or c not in rec_clauses)):
            out.append(i)
    return out


def _part_of_year(t: Tok) -> tuple[int, int]:
    """(month, day) a yearly report falls on for the part of each year an item names: a day,
    the last day of a month, of a range of days, of a quarter or half-year (day 0: the month's
    last day)."""
    if t.kind == "DM":
        return t.n2, t.n1
    if t.kind == "DAYRANGE":
        return t.n2, t.n3
    if t.kind == "QUARTER":
        return min(max(t.n2, 1), 4) * 3, 0
    if t.kind == "HALF":
        return min(max(t.n2, 1), 2) * 6, 0
    return t.n2, 0


def _recurrences(
    toks: Sequence[Tok],
    norm: str,
    clause_of: list[int],
    rec_clauses: set[int],
    absorbed: list[int],
    sources: list[int],
) -> tuple[Recurrence, ...]:
    """Recurrence tokens with the details written in their clause ("к 5 числу месяца,
    следующего за отчетным кварталом"). A yearly recurrence takes a day and month written
    without a year as its date ("ежегодно к 20 декабря"), or the last day of the part of the
    year it names ("ежегодно в IV квартале", "в сентябре – октябре")."""
    recs: list[_Rec] = []
    source_set = set(sources)
    dated_clauses: set[int] = set()
    for i, t in enumerate(toks):
        if t.kind in REC_KINDS:
            by_count = t.kind == "REC_N"
            unit = _COUNT_UNIT.get(t.n1, "") if by_count else _REC_UNIT.get(t.kind, "")
            recs.append(_Rec(unit, t.start, clause_of[i]))
        elif i in source_set:
            if t.kind == "WEEKDAY":
                rec = _Rec(_WEEKDAY_UNIT.get(t.n3, "month"), t.start, clause_of[i])
                rec.weekday, rec.nth = t.n2, t.n1
            elif t.kind == "CURYEAR":
                rec = _Rec("year", t.start, clause_of[i], dated=True)
            else:
                month, day = _part_of_year(t)
                following = toks[i + 1].kind == "NEXTYEAR" if i + 1 < len(toks) else False
                following = following or (i > 0 and toks[i - 1].kind == "NEXTYEAR")
                rec = _Rec("year", t.start, clause_of[i], day, month, dated=True)
                rec.following = following
                dated_clauses.add(clause_of[i])
            recs.append(rec)
    recs.sort(key=lambda r: r.pos)
    extra: list[_Rec] = []
    last_absorbed = -1
    part = (0, 0)  # the months of the part of the year the last item named
    for i, t in enumerate(toks):
        c = clause_of[i]
        if c not in rec_clauses or t.kind in REC_KINDS or i in source_set:
            continue
        # The nearest recurrence before the detail in its clause, else the first after it.
        mine = [x for x in recs if x.clause == c and not x.dated] or [
            x for x in recs if x.clause == c
        ]
        if not mine:
            continue
        r = mine[0]
        for x in mine:
            if x.pos < t.start:
                r = x
        k = t.kind
        if k == "RECDAY":
            r.day = r.day or t.n1
        elif k == "FOLLOW":
            r.following = True
        elif k == "LASTMONTH":
            r.last_month = True
        elif k == "RELDAYS":
            r.offset_days = r.offset_days or min(t.n1, 366)
        elif k == "WEEKDAY":
            if r.weekday < 0:
                r.weekday, r.nth = t.n2, t.n1
        elif i in absorbed and r.unit == "year":
            month, day = _part_of_year(t)
            prev = toks[last_absorbed] if last_absorbed >= 0 else None
            # "ежегодно, в сентябре – октябре", "с сентября по октябрь", "қыркүйектен қазанға
            # дейін": one report, at the end of the range.
            ranged = prev is not None and (
                _RANGE_GAP.fullmatch(norm, prev.end, t.start) is not None
                or (prev.case == "abl" and not norm[prev.end : t.start].strip())
            )
            # "ежегодно в IV квартале, не позднее 20 декабря": the day the part's report is due.
            inside = t.kind in ("DM", "DAYRANGE") and part[0] <= month <= part[1]
            if r.month and not (ranged or inside):
                # "ежегодно, к 1 июля и 25 декабря": one yearly report on each date.
                r = _Rec(r.unit, r.pos, r.clause, following=r.following)
                extra.append(r)
            # A day stated before the month stays: "ежегодно до 20 числа, в декабре".
            r.month, r.day = month, day or (r.day if not r.month else 0)
            first = {"QUARTER": (t.n1 - 1) * 3 + 1, "HALF": (t.n1 - 1) * 6 + 1}.get(t.kind, month)
            part = (part[0] if ranged else first, month) if day == 0 else (0, 0)
            last_absorbed = i
    out = recs + extra
    if dated_clauses:
        # "полугодовой — до 15 июля текущего года": the dates say when the reports the words
        # name are owed; a rhythm word with no day of its own adds nothing.
        out = [r for r in out if r.dated or not r.bare or r.clause not in dated_clauses]
    return tuple(r.freeze() for r in out)


def _apply_markers(toks: Sequence[Tok], norm: str, exprs: list[_Expr]) -> None:
    """Markers: "с", "до", "к" qualify the expression after them; "бастап", "дейін" the one
    before; "конца", "соңына" make a period a due date at its end. A date followed by "№" is
    the date of a cited act."""
    by_anchor = {e.anchor: e for e in exprs}
    pending: Mode | None = None
    last: _Expr | None = None
    for i, t in enumerate(toks):
        k = t.kind
        e = by_anchor.get(i)
        if e is not None:
            if pending is not None:
                e.mode = pending
                pending = None
            last = e
            nxt = e.last + 1
            if nxt < len(toks) and toks[nxt].kind == "NUMREF":
                e.ref = _REF_GAP.fullmatch(norm, toks[e.last].end, toks[nxt].start) is not None
        elif k == "START_PRE":
            pending = "start"
        elif k == "DUE_PRE":
            pending = "due"
        elif k == "ENDOF":
            if last is not None and _ADJ_GAP.fullmatch(norm, toks[last.last].end, t.start):
                last.mode = "due"
            else:
                pending = "due"
        elif k in ("START_POST", "DUE_POST"):
            if last is not None:
                last.mode = "start" if k == "START_POST" else "due"
            pending = None
        elif k not in YEAR_KINDS:  # a year bound to the next item does not break "с ..."
            pending = None
            if k in REC_KINDS or k in ("THEN", "EVENT", "PERM"):
                last = None


def _merge_dash_ranges(norm: str, toks: Sequence[Tok], exprs: list[_Expr]) -> list[_Expr]:
    """A dash joins two expressions into one period: "ноябрь 2015 года - декабрь 2016 года"."""
    out: list[_Expr] = []
    for e in exprs:
        if out:
            a = out[-1]
            if (
                a.last < e.first
                and len(a.spans) == len(e.spans)
                and _DASH_GAP.fullmatch(norm, toks[a.last].end, toks[e.first].start)
                and all(sa[0] <= se[1] for sa, se in zip(a.spans, e.spans, strict=True))
            ):
                a.spans = [(sa[0], se[1], False) for sa, se in zip(a.spans, e.spans, strict=True)]
                a.last = e.last
                a.mode = "due" if e.mode == "due" and a.mode == "due" else "plain"
                continue
        out.append(e)
    return out
