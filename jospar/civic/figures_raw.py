"""The program's indicators of Civic Control computed from the reports themselves: the
definition the kept figures (``figure_counts``, ``selectors_figures``) are tested and benchmarked
against. The pages never call these (each scans the reports of the period).

Definitions (all on public reports; days are Kazakhstan's, ``Asia/Almaty``):

- *solved promptly by state bodies*: done, not solved by the citizen, and the day it was done
  (``resolved_at``) is no later than the day the answer was due (``response_due_on``);
- *solved by citizens themselves*: done, with an event in its history whose kind is one of
  ``SELF_SOLVED_EVENT_KINDS`` — the author recorded that the problem was solved without the
  akimat (the domain service writes that event; nothing else is read for it);
- *dynamics*: reports placed on the portal (``published_at``, or ``submitted_at`` for a report
  published before the field existed) by month;
- *resolution time*: days from publication to ``resolved_at`` of done reports, the median per
  region and per topic;
- *answered on time* (league table): the first answer (``answered_at``) came no later than
  ``response_due_on``; the share counts reports whose due day has passed or that were answered;
- *open overdue*: ``jospar.civic.status.overdue_q`` on the day: open, not answered, due day
  passed.
- *solved by citizens themselves* is read from an event kind the domain does not write yet
  (``solved_by_citizen``): until a service records it, the count is 0 outside synthetic data.

Each function costs a fixed number of queries whatever the number of reports.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from jospar.civic.models import CitizenReport, ReportEvent, ReportState
from jospar.civic.selectors.reports import ALMATY, PUBLIC_Q, Period, _region_q
from jospar.civic.status import overdue_q
from jospar.core.models import Region, pick_lang

# Event kinds that record a problem solved by the citizen, without the akimat.
SELF_SOLVED_EVENT_KINDS = ("solved_by_citizen", "self_resolved")
DAY = 86400.0


class _Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)`` over an interval."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _region_filter(region: Region | int | str | None) -> Q:
    if region is None or region == "":
        return Q()
    if isinstance(region, Region):
        return Q(region_id=region.pk)
    return _region_q(region)


def _self_solved() -> Exists:
    return Exists(
        ReportEvent.objects.filter(report=OuterRef("pk"), kind__in=SELF_SOLVED_EVENT_KINDS)
    )


def _duration() -> ExpressionWrapper[Any]:
    return ExpressionWrapper(
        F("resolved_at") - Coalesce("published_at", "submitted_at"), output_field=DurationField()
    )


def _days(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / DAY, 1)


def _medians(qs: QuerySet[CitizenReport], key: str) -> dict[Any, tuple[float | None, int]]:
    """Median resolution days and count of done reports, per value of ``key``; one query."""
    done = qs.filter(state=ReportState.DONE, resolved_at__isnull=False)
    if connection.vendor == "postgresql":
        rows = done.values(key).annotate(median=_Median(_duration()), n=Count("id")).order_by(key)
        return {row[key]: (_days(row["median"]), int(row["n"])) for row in rows}
    spans: dict[Any, list[float]] = defaultdict(list)
    for value, published, submitted, resolved in done.values_list(
        key, "published_at", "submitted_at", "resolved_at"
    ):
        spans[value].append((resolved - (published or submitted)).total_seconds() / DAY)
    return {value: (round(statistics.median(days), 1), len(days)) for value, days in spans.items()}


def figures_raw(
    region: Region | int | str | None = None,
    period: Period | Sequence[dt.date | None] | None = None,
) -> dict[str, Any]:
    """The program's indicators for the whole country or one region, over a period of days.

    ``solved_promptly`` and ``solved_by_citizens`` count reports done in the period;
    ``published_by_month`` lists ``{"month": date, "count": n}`` for months with reports placed
    in the period; ``resolution_by_region`` and ``resolution_by_topic`` list
    ``{"id", "code", "name", "median_days", "count"}`` for reports done in the period.
    """
    span = Period.of(period) or Period()
    base = CitizenReport.objects.filter(PUBLIC_Q).filter(_region_filter(region))
    done_in_period = base.filter(span.q("resolved_at"))
    counts = (
        done_in_period.filter(state=ReportState.DONE)
        .annotate(
            resolved_day=TruncDate("resolved_at", tzinfo=ALMATY),
            by_citizen=_self_solved(),
        )
        .aggregate(
            promptly=Count(
                "id",
                filter=Q(
                    by_citizen=False,
                    response_due_on__isnull=False,
                    resolved_day__lte=F("response_due_on"),
                ),
            ),
            by_citizens=Count("id", filter=Q(by_citizen=True)),
        )
    )
    placed = Coalesce("published_at", "submitted_at")
    monthly = (
        base.annotate(placed=placed)
        .filter(span.q("placed"))
        .annotate(month=TruncMonth("placed", tzinfo=ALMATY))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    by_region = _medians(done_in_period, "region_id")
    by_topic = _medians(done_in_period, "topic_id")
    regions = {r.pk: r for r in Region.objects.filter(pk__in=list(by_region))}
    from jospar.civic.models import Topic

    topics = {t.pk: t for t in Topic.objects.filter(pk__in=list(by_topic))}

    def rows(
        found: dict[Any, tuple[float | None, int]], objs: dict[int, Any]
    ) -> list[dict[str, Any]]:
        out = []
        for pk, (median, n) in found.items():
            obj = objs.get(pk)
            out.append(
                {
                    "id": pk,
                    "code": getattr(obj, "code", ""),
                    "name": obj.name if obj is not None else "",
                    "median_days": median,
                    "count": n,
                }
            )
        out.sort(key=lambda r: (r["median_days"] is None, r["median_days"], r["code"]))
        return out

    return {
        "solved_promptly": int(counts["promptly"] or 0),
        "solved_by_citizens": int(counts["by_citizens"] or 0),
        "published_by_month": [
            {"month": _month_day(row["month"]), "count": int(row["n"])} for row in monthly
        ],
        "resolution_by_region": rows(by_region, regions),
        "resolution_by_topic": rows(by_topic, topics),
    }


def _month_day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, ALMATY).date().replace(day=1)
    return value.replace(day=1)


def league_table_raw(
    period: Period | Sequence[dt.date | None] | None = None,
    *,
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Akimats ranked by the share of reports answered on time (then by median resolution).

    Over reports submitted in the period. Each row: ``akimat_id``, ``name``, ``reports``,
    ``due`` (whose due day has passed or that were answered), ``on_time``, ``share_on_time``
    (0..1, ``None`` when nothing was due), ``median_resolution_days``, ``open_overdue``.
    """
    span = Period.of(period) or Period()
    day = today or timezone.localdate()
    qs = CitizenReport.objects.filter(PUBLIC_Q).filter(span.q("submitted_at"))
    rows = (
        qs.annotate(answered_day=TruncDate("answered_at", tzinfo=ALMATY))
        .values("akimat_id", "akimat__name_kk", "akimat__name_ru", "akimat__name_en")
        .annotate(
            reports=Count("id"),
            due=Count(
                "id",
                filter=Q(response_due_on__isnull=False)
                & (Q(answered_at__isnull=False) | Q(response_due_on__lt=day)),
            ),
            on_time=Count(
                "id",
                filter=Q(response_due_on__isnull=False, answered_at__isnull=False)
                & Q(answered_day__lte=F("response_due_on")),
            ),
            open_overdue=Count("id", filter=overdue_q(day)),
        )
        .order_by("akimat_id")
    )
    medians = _medians(qs, "akimat_id")
    table: list[dict[str, Any]] = []
    for found in rows:
        row: dict[str, Any] = dict(found)
        names = {f"name_{lang}": row[f"akimat__name_{lang}"] for lang in ("kk", "ru", "en")}
        due, on_time = int(row["due"]), int(row["on_time"])
        table.append(
            {
                "akimat_id": row["akimat_id"],
                "name": pick_lang(_Names(names), "name"),
                "reports": int(row["reports"]),
                "due": due,
                "on_time": on_time,
                "share_on_time": round(on_time / due, 4) if due else None,
                "median_resolution_days": medians.get(row["akimat_id"], (None, 0))[0],
                "open_overdue": int(row["open_overdue"]),
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


class _Names:
    def __init__(self, data: dict[str, str]) -> None:
        for key, value in data.items():
            setattr(self, key, value)
