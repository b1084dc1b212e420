"""Reading citizens' reports as the public sees them: lists, the map, one report, the figures.

Only public reports are read here: published and later, and not hidden by a moderator. A report
still being submitted (or held by a moderator before publication) does not exist for the public.
Every query filters with the same condition, ``NOT hidden AND NOT state = 'submitted'``, spelt
exactly as the partial indexes of migration ``0004_public_read_indexes`` state it, so that
PostgreSQL uses them.

The program's indicators (``figures``, ``league_table``) live in ``selectors_figures`` and are
re-exported here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Floor

from jospar.civic import map_sql
from jospar.civic.models import (
    CLOSED_STATES,
    OPEN_STATES,
    CitizenReport,
    ReportAnswer,
    ReportComment,
    ReportEvent,
    ReportMedia,
    ReportState,
    Topic,
    TopicQuestion,
)

ALMATY = ZoneInfo("Asia/Almaty")
# The condition every public read starts from; the partial indexes carry the same one.
PUBLIC_Q = Q(hidden=False) & ~Q(state=ReportState.SUBMITTED)
PUBLIC_STATES = tuple(s for s in ReportState if s != ReportState.SUBMITTED)

MAX_ZOOM = 20


@dataclass(frozen=True)
class Period:
    """Days in Kazakhstan's calendar, both ends included; either may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def of(cls, value: Period | Sequence[dt.date | None] | None) -> Period | None:
        if value is None or isinstance(value, Period):
            return value
        start, end = value
        return cls(start, end)

    def start_at(self) -> dt.datetime | None:
        if self.start is None:
            return None
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=ALMATY)

    def end_before(self) -> dt.datetime | None:
        """The first instant after the period."""
        if self.end is None:
            return None
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=ALMATY)

    def q(self, field_name: str) -> Q:
        q = Q()
        start, end = self.start_at(), self.end_before()
        if start is not None:
            q &= Q(**{f"{field_name}__gte": start})
        if end is not None:
            q &= Q(**{f"{field_name}__lt": end})
        return q


@dataclass(frozen=True)
class ReportFilters:
    """What a public list or the map is narrowed to. Empty means "all".

    ``topics`` are topic codes or ids; ``states`` are ``ReportState`` values; ``region`` a region
    id or code; ``period`` days of submission; ``bbox`` (south, west, north, east) in degrees;
    ``text`` words looked for in the public text and the address.
    """

    topics: tuple[str | int, ...] = ()
    states: tuple[str, ...] = ()
    region: int | str | None = None
    period: Period | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str = ""
    # Instants of submission, for callers (Open311) that filter by date and time, not by day.
    submitted_from: dt.datetime | None = None
    submitted_before: dt.datetime | None = None
    ids: tuple[int, ...] = field(default=())

    @classmethod
    def of(cls, value: ReportFilters | Mapping[str, Any] | None) -> ReportFilters:
        if value is None:
            return cls()
        if isinstance(value, ReportFilters):
            return value
        data = dict(value)
        for name in ("topics", "states", "ids"):
            item = data.get(name)
            if item is None:
                data.pop(name, None)
            elif isinstance(item, str | int):
                data[name] = (item,)
            else:
                data[name] = tuple(item)
        if "topic" in data:
            data["topics"] = (*data.get("topics", ()), data.pop("topic"))
        if "state" in data:
            data["states"] = (*data.get("states", ()), data.pop("state"))
        if data.get("period") is not None:
            data["period"] = Period.of(data["period"])
        if data.get("bbox") is not None:
            data["bbox"] = tuple(float(v) for v in data["bbox"])
        return cls(**data)


def _topic_q(topics: Iterable[str | int]) -> Q:
    ids = [int(t) for t in topics if isinstance(t, int) or str(t).isdigit()]
    codes = [str(t) for t in topics if not (isinstance(t, int) or str(t).isdigit())]
    q = Q()
    if ids:
        q |= Q(topic_id__in=ids)
    if codes:
        q |= Q(topic__code__in=codes)
    return q


def _region_q(region: int | str) -> Q:
    if isinstance(region, int) or str(region).isdigit():
        return Q(region_id=int(region))
    return Q(region__code=str(region))


def _filtered(qs: QuerySet[CitizenReport], filters: ReportFilters) -> QuerySet[CitizenReport]:
    if filters.ids:
        qs = qs.filter(pk__in=filters.ids)
    if filters.topics:
        qs = qs.filter(_topic_q(filters.topics))
    if filters.states:
        qs = qs.filter(state__in=list(filters.states))
    if filters.region is not None and filters.region != "":
        qs = qs.filter(_region_q(filters.region))
    if filters.period is not None:
        qs = qs.filter(filters.period.q("submitted_at"))
    if filters.submitted_from is not None:
        qs = qs.filter(submitted_at__gte=filters.submitted_from)
    if filters.submitted_before is not None:
        qs = qs.filter(submitted_at__lt=filters.submitted_before)
    if filters.bbox is not None:
        south, west, north, east = filters.bbox
        qs = qs.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    text = " ".join(filters.text.split())
    if text:
        for word in text.split(" ")[:8]:
            qs = qs.filter(Q(public_description__icontains=word) | Q(address__icontains=word))
    return qs


def public_reports(
    filters: ReportFilters | Mapping[str, Any] | None = None,
) -> QuerySet[CitizenReport]:
    """Public reports, newest first, with their topic, region and akimat joined.

    Never reads the private columns for display: callers show ``public_description``, and the
    author and contact columns are deferred so that a template cannot print them by mistake.
    """
    qs = CitizenReport.objects.filter(PUBLIC_Q)
    qs = _filtered(qs, ReportFilters.of(filters))
    return (
        qs.select_related("topic", "region", "akimat")
        .defer(
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "survey",
            "hidden_reason",
        )
        .order_by("-submitted_at", "-id")
    )


def report_public_detail(report_id: int | str) -> CitizenReport | None:
    """One public report with what its public page shows, or ``None`` when it is not public.

    Prefetched: the media that are not hidden (``public_media``), the akimat's answers, the
    history's public notes (``public_events``) and the comments that are not hidden
    (``public_comments``). The caller turns ``None`` into a 404.
    """
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        return None
    return (
        public_reports()
        .filter(pk=pk)
        .select_related("duplicate_of")
        .prefetch_related(
            Prefetch(
                "media",
                queryset=ReportMedia.objects.filter(hidden=False).exclude(public_file=""),
                to_attr="public_media",
            ),
            Prefetch(
                "answers",
                queryset=ReportAnswer.objects.select_related("organisation").order_by("created_at"),
                to_attr="public_answers",
            ),
            Prefetch(
                "events",
                queryset=ReportEvent.objects.defer("internal_note").order_by("at", "id"),
                to_attr="public_events",
            ),
            Prefetch(
                "comments",
                queryset=ReportComment.objects.filter(hidden=False)
                .defer("text", "hidden_reason")
                .order_by("created_at"),
                to_attr="public_comments",
            ),
        )
        .first()
    )


# Columns of one row of ``public_report_rows``: what Open311 and other public feeds print.
PUBLIC_ROW_FIELDS = (
    "id",
    "state",
    "topic__code",
    "topic__name_kk",
    "topic__name_ru",
    "topic__name_en",
    "topic__response_working_days",
    "public_description",
    "akimat__name_kk",
    "akimat__name_ru",
    "akimat__name_en",
    "submitted_at",
    "updated_at",
    "closed_at",
    "response_due_on",
    "address",
    "latitude",
    "longitude",
    "location_is_approximate",
    "duplicate_of_id",
    "media_path",
    "rejection_note",
)
_ROWS_SQL = """
SELECT r.id, r.state, t.code, t.name_kk, t.name_ru, t.name_en, t.response_working_days,
       r.public_description, o.name_kk, o.name_ru, o.name_en, r.submitted_at, r.updated_at,
       r.closed_at, r.response_due_on, r.address, r.latitude, r.longitude,
       r.location_is_approximate, r.duplicate_of_id,
       (SELECT m.public_file FROM civic_reportmedia m
         WHERE m.report_id = r.id AND NOT m.hidden AND m.kind = 'photo' AND m.public_file <> ''
         ORDER BY m.uploaded_at, m.id LIMIT 1),
       CASE WHEN r.state = 'rejected' THEN
         (SELECT e.public_note FROM civic_reportevent e
           WHERE e.report_id = r.id AND e.to_state = 'rejected'
           ORDER BY e.at DESC, e.id DESC LIMIT 1)
       ELSE '' END
FROM civic_citizenreport r
JOIN civic_topic t ON t.id = r.topic_id
JOIN core_organisation o ON o.id = r.akimat_id
WHERE NOT r.hidden AND NOT (r.state = 'submitted'){where}
ORDER BY r.submitted_at DESC, r.id DESC
LIMIT %s OFFSET %s
"""


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _rows_where(flt: ReportFilters) -> tuple[str, list[Any]]:
    """``_filtered`` in SQL on ``civic_citizenreport r``: the same filters, for the one-query
    feeds where the ORM's own work would cost more than the query."""
    where: list[str] = []
    params: list[Any] = []
    if flt.ids:
        where.append(f"r.id IN ({_marks(flt.ids)})")
        params += list(flt.ids)
    if flt.topics:
        ids = [int(t) for t in flt.topics if isinstance(t, int) or str(t).isdigit()]
        codes = [str(t) for t in flt.topics if not (isinstance(t, int) or str(t).isdigit())]
        parts = []
        if ids:
            parts.append(f"r.topic_id IN ({_marks(ids)})")
            params += ids
        # One code is a scalar subquery: PostgreSQL then walks the (topic, region, time)
        # index in order and stops at the page's end instead of sorting every match.
        if len(codes) == 1:
            parts.append("r.topic_id = (SELECT tc.id FROM civic_topic tc WHERE tc.code = %s)")
            params += codes
        elif codes:
            parts.append(f"t.code IN ({_marks(codes)})")
            params += codes
        where.append("(" + " OR ".join(parts) + ")")
    if flt.states:
        where.append(f"r.state IN ({_marks(flt.states)})")
        params += [str(state) for state in flt.states]
    if flt.region is not None and flt.region != "":
        if isinstance(flt.region, int) or str(flt.region).isdigit():
            where.append("r.region_id = %s")
            params.append(int(flt.region))
        else:
            where.append("r.region_id = (SELECT g.id FROM core_region g WHERE g.code = %s)")
            params.append(str(flt.region))
    bounds = [
        (flt.period.start_at() if flt.period else None, ">="),
        (flt.period.end_before() if flt.period else None, "<"),
        (flt.submitted_from, ">="),
        (flt.submitted_before, "<"),
    ]
    for moment, operator in bounds:
        if moment is not None:
            where.append(f"r.submitted_at {operator} %s")
            params.append(connection.ops.adapt_datetimefield_value(moment))
    if flt.bbox is not None:
        south, west, north, east = flt.bbox
        where.append("r.latitude BETWEEN %s AND %s AND r.longitude BETWEEN %s AND %s")
        params += [south, north, west, east]
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    for word in " ".join(flt.text.split()).split(" ")[:8]:
        if word:
            where.append(f"(r.public_description {like} %s OR r.address {like} %s)")
            params += [f"%{word}%", f"%{word}%"]
    return "".join(f" AND {clause}" for clause in where), params


def _aware(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    if isinstance(value, str) and value and value[0].isdigit() and len(value) >= 19:
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return value


def public_report_rows(
    filters: ReportFilters | Mapping[str, Any] | None = None,
    *,
    offset: int = 0,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Public reports as plain rows (``PUBLIC_ROW_FIELDS``), newest first, in one query.

    ``media_path`` is the storage name of the first photo's public (EXIF-free) copy that is
    not hidden; ``rejection_note`` the public note of the latest rejection, for a rejected
    report. No private column is selected at all.
    """
    where, params = _rows_where(ReportFilters.of(filters))
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_SQL.format(where=where), [*params, int(limit), int(offset)])
        fetched = cursor.fetchall()
    rows = []
    for values in fetched:
        row = dict(zip(PUBLIC_ROW_FIELDS, values, strict=True))
        for name in ("submitted_at", "updated_at", "closed_at"):
            row[name] = _aware(row[name])
        due = row["response_due_on"]
        if isinstance(due, str) and due:
            row["response_due_on"] = dt.date.fromisoformat(due)
        row["location_is_approximate"] = bool(row["location_is_approximate"])
        rows.append(row)
    return rows


# --- the map ------------------------------------------------------------------------------


def cell_size(zoom: int) -> tuple[float, float]:
    """Degrees of (latitude, longitude) a cluster covers at a Web-Mercator zoom level: 64
    pixels wide, square on the screen in the middle of Kazakhstan (``jospar.civic.map_sql``)."""
    zoom = max(0, min(MAX_ZOOM, int(zoom)))
    return map_sql.lat_cell(zoom), map_sql.lon_cell(zoom)


def map_clusters(
    bbox: Sequence[float],
    zoom: int,
    filters: ReportFilters | Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Public reports with a pin, grouped on the map's grid, for the cells ``bbox`` (south,
    west, north, east) touches; one query.

    A cluster is one cell of the zoom's grid, and every cell the viewport touches is counted
    whole, so that a cluster neither moves nor changes its count as the map pans. Each:
    ``count``, ``lat``/``lon`` (the mean of its points), ``red`` (open: published or in
    progress), ``green`` (done), ``report_id`` when it is a single report (else ``None``), and
    ``cell`` (row, column). Reports with an approximate location (no pin) are left out.

    On PostgreSQL, zooms up to 12 read the grid counts the database keeps (``civic_mapcell``)
    unless a period, a text or ids narrow the reports; closer in, the reports are grouped.
    """
    south, west, north, east = (float(v) for v in bbox)
    zoom = max(0, min(MAX_ZOOM, int(zoom)))
    lat_cell, lon_cell = cell_size(zoom)
    rows0, rows1 = math.floor(south / lat_cell), math.floor(north / lat_cell)
    cols0, cols1 = math.floor(west / lon_cell), math.floor(east / lon_cell)
    flt = ReportFilters.of(filters)
    level = map_sql.level_for(zoom)
    cached = (
        connection.vendor == "postgresql"
        and level is not None
        and flt.period is None
        and not flt.text.strip()
        and not flt.ids
        and flt.submitted_from is None
        and flt.submitted_before is None
    )
    if cached:
        assert level is not None
        rows = _cached_clusters(level, zoom, (rows0, cols0, rows1, cols1), flt)
    else:
        rows = _grouped_clusters(
            (rows0 * lat_cell, cols0 * lon_cell, (rows1 + 1) * lat_cell, (cols1 + 1) * lon_cell),
            (lat_cell, lon_cell),
            flt,
        )
    clusters: list[dict[str, Any]] = [
        {
            "count": count,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "red": red,
            "green": green,
            "report_id": single if count == 1 else None,
            "cell": (cy, cx),
        }
        for cy, cx, count, lat, lon, red, green, single in rows
        if count > 0
    ]
    clusters.sort(key=lambda c: c["cell"])
    return clusters


ClusterRow = tuple[int, int, int, float, float, int, int, int]


def _grouped_clusters(
    box: tuple[float, float, float, float],
    cell: tuple[float, float],
    flt: ReportFilters,
) -> list[ClusterRow]:
    # Cells are whole: the box is the viewport widened to the cells it touches, a hair less
    # at the far edges so that the next cell's first row stays out.
    south, west, north, east = box
    lat_cell, lon_cell = cell
    narrowed = ReportFilters(
        **{**flt.__dict__, "bbox": (south, west, north - lat_cell * 1e-9, east - lon_cell * 1e-9)}
    )
    qs = _filtered(CitizenReport.objects.filter(PUBLIC_Q), narrowed).filter(
        location_is_approximate=False
    )
    grouped = (
        qs.annotate(cy=Floor(F("latitude") / lat_cell), cx=Floor(F("longitude") / lon_cell))
        .values("cy", "cx")
        .annotate(
            count=Count("id"),
            lat=Avg("latitude"),
            lon=Avg("longitude"),
            red=Count("id", filter=Q(state__in=list(OPEN_STATES))),
            green=Count("id", filter=Q(state=ReportState.DONE)),
            first_id=Min("id"),
        )
        .order_by()
    )
    return [
        (
            int(r["cy"]),
            int(r["cx"]),
            int(r["count"]),
            float(r["lat"]),
            float(r["lon"]),
            int(r["red"]),
            int(r["green"]),
            int(r["first_id"]),
        )
        for r in grouped
    ]


def _cached_clusters(
    level: int, zoom: int, cells: tuple[int, int, int, int], flt: ReportFilters
) -> list[ClusterRow]:
    rows0, cols0, rows1, cols1 = cells
    shift = level - zoom
    where = ["level = %s", "cx BETWEEN %s AND %s", "cy BETWEEN %s AND %s"]
    params: list[Any] = [
        level,
        cols0 << shift,
        ((cols1 + 1) << shift) - 1,
        rows0 << shift,
        ((rows1 + 1) << shift) - 1,
    ]
    if flt.topics:
        ids = [int(t) for t in flt.topics if isinstance(t, int) or str(t).isdigit()]
        codes = [str(t) for t in flt.topics if not (isinstance(t, int) or str(t).isdigit())]
        where.append(
            "(topic_id = ANY(%s) OR topic_id IN (SELECT id FROM civic_topic WHERE code = ANY(%s)))"
        )
        params += [ids, codes]
    if flt.states:
        where.append("state = ANY(%s)")
        params.append([str(s) for s in flt.states])
    if flt.region is not None and flt.region != "":
        if isinstance(flt.region, int) or str(flt.region).isdigit():
            where.append("region_id = %s")
            params.append(int(flt.region))
        else:
            where.append("region_id IN (SELECT id FROM core_region WHERE code = %s)")
            params.append(str(flt.region))
    if flt.bbox is not None:
        # A bbox among the filters (besides the viewport) narrows to the cells it touches.
        lat_cell, lon_cell = map_sql.lat_cell(level), map_sql.lon_cell(level)
        b_south, b_west, b_north, b_east = flt.bbox
        where.append("cx BETWEEN %s AND %s AND cy BETWEEN %s AND %s")
        params += [
            math.floor(b_west / lon_cell),
            math.floor(b_east / lon_cell),
            math.floor(b_south / lat_cell),
            math.floor(b_north / lat_cell),
        ]
    sql = (
        "SELECT cy >> %s, cx >> %s, SUM(n), SUM(sum_lat) / NULLIF(SUM(n), 0), "
        "SUM(sum_lon) / NULLIF(SUM(n), 0), "
        "COALESCE(SUM(n) FILTER (WHERE state IN ('published', 'in_progress')), 0), "
        "COALESCE(SUM(n) FILTER (WHERE state = 'done'), 0), SUM(sum_id) "
        f"FROM civic_mapcell WHERE {' AND '.join(where)} "
        "GROUP BY 1, 2 HAVING SUM(n) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [shift, shift, *params])
        return [
            (int(cy), int(cx), int(n), float(lat), float(lon), int(red), int(green), int(ids))
            for cy, cx, n, lat, lon, red, green, ids in cursor.fetchall()
        ]


# --- topics as services --------------------------------------------------------------------


def active_topics() -> QuerySet[Topic]:
    """Topics a report can be filed under, in their order; ``has_questions`` annotated."""
    return (
        Topic.objects.filter(is_active=True)
        .annotate(has_questions=Exists(TopicQuestion.objects.filter(topic=OuterRef("pk"))))
        .order_by("position", "code")
    )


def active_topic(code: str) -> Topic | None:
    return Topic.objects.filter(is_active=True, code=code).first()


def topic_questions(topic: Topic) -> list[TopicQuestion]:
    return list(topic.questions.order_by("position", "code"))


def report_exists_unhidden(report_id: int) -> bool:
    """A report that exists and is not hidden, published or not (an Open311 token look-up)."""
    return CitizenReport.objects.filter(pk=report_id, hidden=False).exists()


def is_open_state(state: str) -> bool:
    return state in OPEN_STATES


def is_closed_state(state: str) -> bool:
    return state in CLOSED_STATES


from jospar.civic.selectors.figures import figures as figures  # noqa: E402
from jospar.civic.selectors.figures import league_table as league_table  # noqa: E402
