"""The program's indicators of Civic Control, read from the kept counts (``figure_counts``):
never from the reports, so each page costs the same few queries at any number of reports.

Definitions (all on public reports; days are Kazakhstan's, ``Asia/Almaty``; the same as
``figures_raw``, which computes them from the reports and against which these are tested):

- *solved promptly by state bodies*: done, not solved by the citizen, and the day it was done
  is no later than the day the answer was due (``response_due_on``);
- *solved by citizens themselves*: done, with a ``solved_by_citizen`` event in its history;
- *dynamics*: reports placed on the portal (published, or submitted before the field existed) by
  month;
- *resolution time*: days from placing to solving of done reports, the median per region and per
  topic, from histograms (whole days for two weeks, then wider buckets: the median is placed
  inside its bucket as if the bucket's reports were spread evenly);
- *answered on time* (league table): the first answer came no later than ``response_due_on``;
  the share counts reports whose due day has passed or that were answered;
- *open overdue*: open, not answered, due day passed (on the day the page is read).

A period is read as whole years, whole months and the days at its edges (``cover``).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from jospar.civic.figure_counts import histogram_median
from jospar.civic.models import Topic
from jospar.civic.models_figures import FigureBucket, FigureCount, Grain, Measure
from jospar.civic.selectors.reports import Period
from jospar.core.models import Organisation, Region, pick_lang

FAR_PAST = dt.date(1900, 1, 1)
FAR_FUTURE = dt.date(2999, 12, 31)
ONE_DAY = dt.timedelta(days=1)


def _month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - ONE_DAY


def _months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and last whole months inside [start, end]."""
    first = start if start.day == 1 else _month_end(start.replace(day=1)) + ONE_DAY
    last = end.replace(day=1) if end == _month_end(end.replace(day=1)) else None
    if last is None:
        last = (end.replace(day=1) - ONE_DAY).replace(day=1)
    return (first, last) if first <= last else None


def cover(
    start: dt.date | None, end: dt.date | None, coarsest: int = Grain.YEAR
) -> list[tuple[int, dt.date, dt.date]]:
    """The rows that make up the days [start, end]: (grain, first key, last key) ranges of
    whole years (up to ``coarsest``), whole months, and days."""
    start, end = start or FAR_PAST, end or FAR_FUTURE
    if start > end:
        return []
    out: list[tuple[int, dt.date, dt.date]] = []
    parts = [(start, end)]
    if coarsest >= Grain.YEAR:
        y0 = start.year if (start.month, start.day) == (1, 1) else start.year + 1
        y1 = end.year if (end.month, end.day) == (12, 31) else end.year - 1
        if y0 <= y1:
            out.append((Grain.YEAR, dt.date(y0, 1, 1), dt.date(y1, 1, 1)))
            parts = [(start, dt.date(y0, 1, 1) - ONE_DAY), (dt.date(y1 + 1, 1, 1), end)]
    for a, b in parts:
        if a > b:
            continue
        months = _months(a, b)
        if months is None:
            out.append((Grain.DAY, a, b))
            continue
        out.append((Grain.MONTH, *months))
        for lo, hi in ((a, months[0] - ONE_DAY), (_month_end(months[1]) + ONE_DAY, b)):
            if lo <= hi:
                out.append((Grain.DAY, lo, hi))
    return out


def _period_q(period: Period | None, coarsest: int = Grain.YEAR) -> Q:
    ranges = cover(period.start if period else None, period.end if period else None, coarsest)
    if not ranges:
        return Q(pk__in=[])
    return functools.reduce(
        operator.or_, (Q(grain=grain, day__range=(lo, hi)) for grain, lo, hi in ranges)
    )


def _region_id(region: Region | int | str | None) -> int | None:
    if region is None or region == "":
        return None
    if isinstance(region, Region):
        return int(region.pk)
    if isinstance(region, int) or str(region).isdigit():
        return int(region)
    found = Region.objects.filter(code=str(region)).values_list("pk", flat=True).first()
    return -1 if found is None else int(found)


def _histograms(rows: Any, key: str) -> dict[Any, dict[int, int]]:
    out: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        out[row[key]][row["bucket"]] += int(row["n"])
    return out


def figures(
    region: Region | int | str | None = None,
    period: Period | Sequence[dt.date | None] | None = None,
) -> dict[str, Any]:
    """The program's indicators for the whole country or one region, over a period of days.

    ``solved_promptly`` and ``solved_by_citizens`` count reports done in the period;
    ``published_by_month`` lists ``{"month": date, "count": n}`` for months with reports placed
    in the period; ``resolution_by_region`` and ``resolution_by_topic`` list
    ``{"id", "code", "name", "median_days", "count"}`` for reports done in the period.
    Four queries: the counts by day, the histograms, the regions' and the topics' names.
    """
    span = Period.of(period)
    region_id = _region_id(region)
    where = Q() if region_id is None else Q(region_id=region_id)
    by_day = (
        FigureCount.objects.filter(where & _period_q(span, Grain.MONTH))
        .order_by()
        .values("grain", "day")
        .annotate(
            placed_n=Sum("placed"), promptly_n=Sum("promptly"), by_citizens_n=Sum("by_citizens")
        )
    )
    promptly = by_citizens = 0
    months: dict[dt.date, int] = defaultdict(int)
    for row in by_day:
        promptly += int(row["promptly_n"] or 0)
        by_citizens += int(row["by_citizens_n"] or 0)
        if row["placed_n"]:
            months[row["day"].replace(day=1)] += int(row["placed_n"])
    # Kept three ways (figure_counts.tally): per region (topic NULL), per topic (region NULL),
    # per region and topic. The country reads the first two; a region its row and its topics.
    scope = (
        Q(topic__isnull=True, region__isnull=False) | Q(region__isnull=True)
        if region_id is None
        else Q(region_id=region_id)
    )
    hist_rows = list(
        FigureBucket.objects.filter(scope & _period_q(span), measure=Measure.SPAN_BY_SOLVED)
        .order_by()
        .values("region_id", "topic_id", "bucket")
        .annotate(n=Sum("n"))
    )
    by_region = _histograms([r for r in hist_rows if r["topic_id"] is None], "region_id")
    by_topic = _histograms([r for r in hist_rows if r["topic_id"] is not None], "topic_id")
    regions = {
        r.pk: r
        for r in Region.objects.filter(pk__in=[k for k in by_region if k is not None]).only(
            "pk", "code", "name_kk", "name_ru", "name_en"
        )
    }
    topics = {
        t.pk: t
        for t in Topic.objects.filter(pk__in=[k for k in by_topic if k is not None]).only(
            "pk", "code", "name_kk", "name_ru", "name_en"
        )
    }

    def rows(found: dict[Any, dict[int, int]], objs: dict[Any, Any]) -> list[dict[str, Any]]:
        out = []
        for pk, hist in found.items():
            n = sum(hist.values())
            if n <= 0:
                continue
            obj = objs.get(pk)
            out.append(
                {
                    "id": pk,
                    "code": getattr(obj, "code", ""),
                    "name": obj.name if obj is not None else "",
                    "median_days": histogram_median(hist),
                    "count": n,
                }
            )
        out.sort(key=lambda r: (r["median_days"] is None, r["median_days"], r["code"]))
        return out

    return {
        "solved_promptly": promptly,
        "solved_by_citizens": by_citizens,
        "published_by_month": [
            {"month": month, "count": n} for month, n in sorted(months.items()) if n
        ],
        "resolution_by_region": rows(by_region, regions),
        "resolution_by_topic": rows(by_topic, topics),
    }


def league_table(
    period: Period | Sequence[dt.date | None] | None = None,
    *,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Akimats ranked by the share of reports answered on time (then by median resolution).

    Over reports submitted in the period. Each row: ``akimat_id``, ``name``, ``reports``,
    ``due`` (whose due day has passed or that were answered), ``on_time``, ``share_on_time``
    (0..1, ``None`` when nothing was due), ``median_resolution_days``, ``open_overdue``.
    Four queries whatever the number of reports.
    """
    span = Period.of(period)
    day = today or timezone.localdate()
    in_period = _period_q(span)
    counts = {
        row["akimat_id"]: row
        for row in FigureCount.objects.filter(in_period)
        .order_by()
        .values("akimat_id")
        .annotate(reports=Sum("submitted"), answered=Sum("answered_due"), on_time_n=Sum("on_time"))
    }
    due_now: dict[Any, int] = defaultdict(int)
    overdue: dict[Any, int] = defaultdict(int)
    spans: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for found in (
        FigureBucket.objects.filter(in_period)
        .filter(
            Q(measure=Measure.SPAN_BY_SUBMITTED)
            | Q(
                measure__in=[Measure.UNANSWERED, Measure.OPEN_UNANSWERED],
                bucket__lt=day.toordinal(),
            )
        )
        .order_by()
        .values("akimat_id", "measure", "bucket")
        .annotate(n=Sum("n"))
    ):
        n = int(found["n"] or 0)
        if found["measure"] == Measure.SPAN_BY_SUBMITTED:
            spans[found["akimat_id"]][found["bucket"]] += n
        elif found["measure"] == Measure.UNANSWERED:
            due_now[found["akimat_id"]] += n
        else:
            overdue[found["akimat_id"]] += n
    names = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=[k for k in counts if k is not None]).only(
            "pk", "name_kk", "name_ru", "name_en"
        )
    }
    table: list[dict[str, Any]] = []
    for akimat_id, row in counts.items():
        reports = int(row["reports"] or 0)
        if reports <= 0:
            continue
        due = int(row["answered"] or 0) + due_now.get(akimat_id, 0)
        on_time = int(row["on_time_n"] or 0)
        akimat = names.get(akimat_id)
        table.append(
            {
                "akimat_id": akimat_id,
                "name": pick_lang(akimat, "name") if akimat is not None else "",
                "reports": reports,
                "due": due,
                "on_time": on_time,
                "share_on_time": round(on_time / due, 4) if due else None,
                "median_resolution_days": histogram_median(spans.get(akimat_id, {})),
                "open_overdue": overdue.get(akimat_id, 0),
            }
        )
    table.sort(
        key=lambda r: (
            r["share_on_time"] is None,
            -(r["share_on_time"] or 0),
            r["median_resolution_days"] is None,
            r["median_resolution_days"] or 0,
            r["name"],
        )
    )
    return table
