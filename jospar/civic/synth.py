"""Synthetic citizens' reports at national scale, for benchmarks and demonstrations.

`synth_civic_build` adds reports from 2018 to today: points inside today's region boundaries
(cities drawn around their centre, oblasts around a few towns and across their steppe), each
given to the region that held the point on the day it was filed (Shymkent's and Turkistan's
points went to South Kazakhstan before 19 June 2018, Abai's, Zhetisu's and Ulytau's to the
oblasts they were formed from before 8 June 2022) and to that region's akimat; a number of
reports growing year by year, with seasons (roads in spring, heating in winter); states by age
(old reports mostly done, recent ones open); due days counted in working days; a rejection
event with a public reason for each rejected report and a "solved by the citizen" event for some
done ones.

Synthetic reports are marked by their private text, which starts with ``[synth]``, so that
`synth_civic_reset` finds them again. The same seed gives the same data. On PostgreSQL rows go
in with COPY, with the table's secondary indexes and foreign keys set aside and rebuilt after.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from jospar.civic.figure_counts import figure_counts_rebuild
from jospar.civic.models import CitizenReport, ReportEvent, ReportState, Topic
from jospar.core.models import Region

ALMATY = ZoneInfo("Asia/Almaty")
MARK = "[synth] "
FIRST_DAY = dt.date(2018, 1, 1)
Progress = Callable[[str], None]

# Population in millions (2024, rounded): how many reports a region files relative to others.
REGION_WEIGHTS = {
    "almaty": 2.2,
    "astana": 1.4,
    "shymkent": 1.2,
    "turkistan": 2.1,
    "almaty-oblast": 1.5,
    "zhetisu": 0.7,
    "karaganda": 1.1,
    "ulytau": 0.22,
    "east-kazakhstan": 0.73,
    "abai": 0.6,
    "zhambyl": 1.2,
    "aktobe": 0.93,
    "atyrau": 0.7,
    "mangystau": 0.76,
    "west-kazakhstan": 0.68,
    "kostanay": 0.83,
    "pavlodar": 0.75,
    "north-kazakhstan": 0.53,
    "akmola": 0.79,
    "kyzylorda": 0.82,
}
# Topics as migration 0003 seeds them (code, kk, ru, en, group, working days, weight, peak
# months); a topic missing from the database is added.
TOPICS: tuple[tuple[str, str, str, str, str, int, float, tuple[int, ...]], ...] = (
    (
        "housing",
        "Тұрғын үй-коммуналдық шаруашылық",
        "Жилищно-коммунальное хозяйство",
        "Housing and utilities",
        "utilities",
        10,
        0.22,
        (10, 11, 12, 1, 2),
    ),
    ("roads", "Жолдар", "Дороги", "Roads", "roads", 10, 0.2, (3, 4, 5)),
    (
        "transport",
        "Қоғамдық көлік",
        "Общественный транспорт",
        "Public transport",
        "transport",
        10,
        0.07,
        (),
    ),
    (
        "lighting",
        "Көше жарығы",
        "Уличное освещение",
        "Street lighting",
        "utilities",
        10,
        0.09,
        (10, 11, 12, 1),
    ),
    ("waste", "Қоқыс", "Мусор", "Waste", "sanitation", 10, 0.13, (6, 7, 8)),
    ("ecology", "Экология", "Экология", "Ecology", "environment", 10, 0.05, (5, 6, 7)),
    (
        "landscaping",
        "Абаттандыру",
        "Благоустройство",
        "Landscaping",
        "housing",
        10,
        0.12,
        (4, 5, 6, 9),
    ),
    ("education", "Білім беру", "Образование", "Education", "social", 10, 0.03, (9, 10)),
    ("health", "Денсаулық сақтау", "Здравоохранение", "Health", "social", 10, 0.03, ()),
    (
        "animals",
        "Иесіз жануарлар",
        "Бездомные животные",
        "Stray animals",
        "sanitation",
        10,
        0.04,
        (),
    ),
    ("other", "Басқа", "Другое", "Other", "other", 10, 0.02, ()),
)
STREETS = (
    "Абай",
    "Төле би",
    "Жібек жолы",
    "Сәтпаев",
    "Әл-Фараби",
    "Назарбаев",
    "Республика",
    "Бөгенбай батыр",
    "Қабанбай батыр",
    "Достық",
    "Тәуелсіздік",
    "Кенесары",
    "Сарыарқа",
    "Жамбыл",
    "Пушкин",
    "Гагарин",
    "Момышұлы",
    "Байтұрсынұлы",
    "Наурызбай батыр",
    "Мир",
)
TEXTS = {
    "housing": ("Пәтерлерде суық, жылу берілмейді.", "В квартирах холодно, нет отопления."),
    "roads": ("Жолда үлкен шұңқыр, көліктер зақымдалуда.", "Большая яма на проезжей части."),
    "transport": ("Автобус кестеге сай жүрмейді.", "Автобус не ходит по расписанию."),
    "lighting": ("Көшеде шамдар жанбайды, кешке қараңғы.", "Не горят фонари, вечером темно."),
    "waste": ("Қоқыс шығарылмайды, контейнерлер толы.", "Мусор не вывозят, баки переполнены."),
    "ecology": ("Өзен жағасына қоқыс төгілген.", "На берегу реки свалка мусора."),
    "landscaping": ("Ойын алаңы сынған, балаларға қауіпті.", "Сломана детская площадка."),
    "education": ("Мектептің шатыры ағып тұр.", "В школе протекает крыша."),
    "health": ("Емханада кезек өте ұзақ.", "В поликлинике огромные очереди."),
    "animals": ("Аулада иесіз иттер жүр.", "Во дворе бродячие собаки."),
    "other": ("Аялдамада орындық жоқ.", "На остановке нет скамейки."),
}
REJECTIONS = (
    "Жер учаскесі жеке меншікте; иесіне хабарланды.",
    "Вопрос не относится к компетенции акимата; передано в КСК.",
    "Работы запланированы на следующий год в рамках бюджета.",
)


@dataclass(frozen=True)
class CivicSynthSpec:
    reports: int = 1_000_000
    seed: int = 2018

    @classmethod
    def small(cls) -> CivicSynthSpec:
        return cls(reports=2000)


@dataclass
class CivicSynthResult:
    reports: int
    events: int
    removed: int
    seconds: float


@dataclass
class _Place:
    region_id: int
    akimat_id: int
    # (from_day, region_id, akimat_id): which region held the point before this one existed.
    before: tuple[tuple[dt.date, int, int], ...]
    name_ru: str


def _topics() -> list[Topic]:
    """The topics the reports are filed under: existing ones kept, missing ones added."""
    existing = {t.code: t for t in Topic.objects.all()}
    for position, (code, kk, ru, en, group, days, _w, _p) in enumerate(TOPICS, start=1):
        if code not in existing:
            existing[code] = Topic.objects.create(
                code=code,
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                group=group,
                keywords=f"{ru.lower()}, {en.lower()}",
                response_working_days=days,
                position=position,
            )
    return [existing[code] for code, *_rest in TOPICS]


def _places() -> dict[str, tuple[_Place, Any]]:
    from shapely.geometry import shape

    regions = {r.code: r for r in Region.objects.with_boundary().select_related("akimat")}
    places: dict[str, tuple[_Place, Any]] = {}
    for code in REGION_WEIGHTS:
        region = regions.get(code)
        if region is None or not region.boundary:
            continue
        before: list[tuple[dt.date, int, int]] = []
        if region.valid_from is not None:
            for predecessor in region.predecessors.select_related("akimat"):
                before.append((region.valid_from, predecessor.pk, predecessor.akimat.pk))
        place = _Place(region.pk, region.akimat.pk, tuple(before), region.name_ru)
        places[code] = (place, shape(region.boundary))
    return places


def _sampler(places: dict[str, tuple[_Place, Any]], rng: random.Random) -> Callable[[], Any]:
    """Points by region weight: cities around their centre; oblasts around towns and across."""
    import numpy as np
    import shapely

    np_rng = np.random.default_rng(rng.randrange(2**32))
    cities = [geom for code, (_p, geom) in places.items() if _is_city(code)]
    pools: dict[str, list[tuple[float, float]]] = {code: [] for code in places}
    towns: dict[str, list[tuple[float, float, float]]] = {}
    for code, (_place, geom) in places.items():
        centre = geom.representative_point()
        if _is_city(code):
            towns[code] = [(centre.x, centre.y, 0.05)]
        else:
            minx, miny, maxx, maxy = geom.bounds
            found = [(centre.x, centre.y, 0.08)]
            while len(found) < 6:
                x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
                if geom.covers(shapely.Point(x, y)) and not any(
                    c.covers(shapely.Point(x, y)) for c in cities
                ):
                    found.append((x, y, 0.04))
            towns[code] = found

    inner = {
        code: geom.buffer(-0.003 if _is_city(code) else -0.02)
        for code, (_p, geom) in places.items()
    }
    margins = [city.buffer(0.03) for city in cities]

    def refill(code: str) -> None:
        _place, geom = places[code]
        minx, miny, maxx, maxy = geom.bounds
        n = 4096
        town = towns[code]
        pick = np_rng.integers(0, len(town), n)
        cx = np.array([town[i][0] for i in pick])
        cy = np.array([town[i][1] for i in pick])
        sd = np.array([town[i][2] for i in pick])
        clustered = np_rng.random(n) < (0.97 if _is_city(code) else 0.75)
        xs = np.where(clustered, np_rng.normal(cx, sd * 1.4), np_rng.uniform(minx, maxx, n))
        ys = np.where(clustered, np_rng.normal(cy, sd), np_rng.uniform(miny, maxy, n))
        # Away from the edges: simplified neighbours overlap by up to their tolerance.
        inside = shapely.contains_xy(inner[code], xs, ys)
        if not _is_city(code):
            for margin in margins:
                inside &= ~shapely.contains_xy(margin, xs, ys)
        pools[code].extend(
            zip(xs[inside].round(6).tolist(), ys[inside].round(6).tolist(), strict=True)
        )

    codes = list(places)
    weights = [REGION_WEIGHTS[c] for c in codes]

    def sample() -> tuple[str, float, float]:
        code = rng.choices(codes, weights)[0]
        while not pools[code]:
            refill(code)
        x, y = pools[code].pop()
        return code, y, x

    return sample


def _is_city(code: str) -> bool:
    return code in ("almaty", "astana", "shymkent")


_CALENDAR: dict[dt.date, bool] = {}


@lru_cache(maxsize=65536)
def _due(day: dt.date, days: int) -> dt.date:
    """`jospar.core.calendar`'s rule (next working day, then ``days`` working days after it),
    on the exceptions read once: the calendar's own functions consult the cache every day."""

    def working(d: dt.date) -> bool:
        known = _CALENDAR.get(d)
        return known if known is not None else d.weekday() < 5

    while not working(day):
        day += dt.timedelta(days=1)
    while days > 0:
        day += dt.timedelta(days=1)
        if working(day):
            days -= 1
    return day


def _day_weights(today: dt.date) -> tuple[list[dt.date], list[float]]:
    days, weights = [], []
    day = FIRST_DAY
    while day <= today:
        # The portal grows: a report a day in 2018 becomes five by 2026.
        growth = 1.0 + 4.0 * (day - FIRST_DAY).days / max(1, (today - FIRST_DAY).days)
        days.append(day)
        weights.append(growth * (0.7 if day.weekday() >= 5 else 1.0))
        day += dt.timedelta(days=1)
    return days, weights


def _report_rows(
    spec: CivicSynthSpec, first_id: int, topics: list[Topic], now: dt.datetime, rng: random.Random
) -> Iterator[tuple[list[Any], list[list[Any]]]]:
    """Rows to write. Every database read happens before the first row is yielded: while COPY
    streams, the connection can run no other query."""
    from jospar.core.calendar import exceptions

    _CALENDAR.clear()
    _CALENDAR.update(exceptions())
    _due.cache_clear()
    places = _places()
    sample = _sampler(places, rng)
    return _rows(spec, first_id, topics, now, rng, places, sample)


def _rows(
    spec: CivicSynthSpec,
    first_id: int,
    topics: list[Topic],
    now: dt.datetime,
    rng: random.Random,
    places: dict[str, tuple[_Place, Any]],
    sample: Callable[[], Any],
) -> Iterator[tuple[list[Any], list[list[Any]]]]:
    today = timezone.localtime(now, ALMATY).date()
    days, day_weights = _day_weights(today)
    cumulative = []
    total = 0.0
    for weight in day_weights:
        total += weight
        cumulative.append(total)
    topic_weights = [t[6] for t in TOPICS]
    season = {t[0]: set(t[7]) for t in TOPICS}
    by_code = {t.code: t for t in topics}
    report_id = first_id
    for _n in range(spec.reports):
        day = rng.choices(days, cum_weights=cumulative)[0]
        spec_topic = rng.choices(TOPICS, topic_weights)[0]
        if season[spec_topic[0]] and day.month not in season[spec_topic[0]] and rng.random() < 0.5:
            spec_topic = rng.choices(TOPICS, topic_weights)[0]
        topic = by_code[spec_topic[0]]
        code, lat, lon = sample()
        place = places[code][0]
        region_id, akimat_id = place.region_id, place.akimat_id
        for from_day, old_region, old_akimat in place.before:
            if day < from_day:
                region_id, akimat_id = old_region, old_akimat
        hour = min(23, max(0, int(rng.gauss(14, 4))))
        submitted = dt.datetime.combine(
            day, dt.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=ALMATY
        )
        if submitted > now:
            submitted = now - dt.timedelta(minutes=rng.randrange(1, 600))
        age = (now - submitted).days
        state, hidden = _state(age, rng)
        published = answered = resolved = closed = None
        due = None
        if state != ReportState.SUBMITTED:
            published = submitted + dt.timedelta(hours=rng.uniform(0.5, 30))
            published = min(published, now)
            due = _due(timezone.localtime(published, ALMATY).date(), topic.response_working_days)
            if state != ReportState.PUBLISHED:
                late = rng.random() < 0.15
                span = topic.response_working_days * (
                    rng.uniform(1.1, 2.5) if late else rng.uniform(0.1, 0.95)
                )
                answered = min(published + dt.timedelta(days=span * 1.4), now)
            if state in (ReportState.DONE, ReportState.REJECTED, ReportState.DUPLICATE):
                assert answered is not None
                extra = rng.expovariate(1 / 12) if state == ReportState.DONE else 0.0
                resolved = min(answered + dt.timedelta(days=extra), now)
                closed = resolved
        updated = max(t for t in (submitted, published, answered, resolved) if t is not None)
        text_kk, text_ru = TEXTS[topic.code]
        text = text_kk if rng.random() < 0.45 else text_ru
        address = f"{place.name_ru}, ул. {rng.choice(STREETS)}, {rng.randint(1, 250)}"
        duplicate_of = (
            report_id - rng.randint(1, 40)
            if state == ReportState.DUPLICATE and report_id - 40 > first_id
            else None
        )
        confirmation = "confirmed" if state == ReportState.DONE and rng.random() < 0.4 else ""
        row = [
            report_id,
            topic.pk,
            MARK + text,
            text,
            lat,
            lon,
            address,
            False,
            region_id,
            akimat_id,
            "",
            "",
            "",
            rng.random() < 0.2,
            {},
            "web",
            str(state),
            False,
            hidden,
            "" if not hidden else "synthetic: abusive language",
            duplicate_of,
            submitted,
            published,
            due,
            answered,
            resolved if state == ReportState.DONE else None,
            closed,
            updated,
            confirmation,
            resolved if confirmation else None,
            int(rng.expovariate(0.5)) if rng.random() < 0.3 else 0,
        ]
        events: list[list[Any]] = []
        if state == ReportState.REJECTED:
            events.append(
                [
                    report_id,
                    closed,
                    "rejected",
                    "in_progress",
                    "rejected",
                    rng.choice(REJECTIONS),
                    "",
                ]
            )
        elif state == ReportState.DONE and rng.random() < 0.04:
            events.append([report_id, resolved, "solved_by_citizen", "in_progress", "done", "", ""])
        yield row, events
        report_id += 1


def _state(age_days: int, rng: random.Random) -> tuple[str, bool]:
    hidden = rng.random() < 0.004
    if age_days < 2 and rng.random() < 0.4:
        return ReportState.SUBMITTED, False
    if rng.random() < 0.002:
        return ReportState.SUBMITTED, False
    r = rng.random()
    if age_days < 20:
        table = ((0.45, "published"), (0.78, "in_progress"), (0.95, "done"), (0.98, "rejected"))
    elif age_days < 120:
        table = ((0.08, "published"), (0.25, "in_progress"), (0.85, "done"), (0.95, "rejected"))
    else:
        table = ((0.01, "published"), (0.03, "in_progress"), (0.85, "done"), (0.94, "rejected"))
    for limit, state in table:
        if r < limit:
            return state, hidden
    return ReportState.DUPLICATE, hidden


REPORT_COLUMNS = (
    "id",
    "topic_id",
    "description",
    "public_description",
    "latitude",
    "longitude",
    "address",
    "location_is_approximate",
    "region_id",
    "akimat_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_anonymous",
    "survey",
    "source",
    "state",
    "held",
    "hidden",
    "hidden_reason",
    "duplicate_of_id",
    "submitted_at",
    "published_at",
    "response_due_on",
    "answered_at",
    "resolved_at",
    "closed_at",
    "updated_at",
    "confirmation",
    "confirmed_at",
    "support_count",
)
EVENT_COLUMNS = (
    "report_id",
    "at",
    "kind",
    "from_state",
    "to_state",
    "public_note",
    "internal_note",
)


def _tables() -> tuple[str, str]:
    return CitizenReport._meta.db_table, ReportEvent._meta.db_table


@contextmanager
def _indexes_set_aside(table: str) -> Iterator[None]:
    """Secondary indexes and foreign keys of ``table`` dropped, rebuilt as they were after."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM "
            "pg_constraint WHERE contype = 'f' AND (conrelid = %s::regclass "
            "OR confrelid = %s::regclass)",
            [table, table],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        for owner, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {owner} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for owner, name, definition in keys:
            cursor.execute(f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')


def _has_map_cells() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('civic_mapcell') IS NOT NULL")
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def _map_cells_paused(table: str) -> Iterator[None]:
    """The map's trigger off for a bulk change, and its cache recomputed once after it."""
    if not _has_map_cells():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER civic_mapcell_sync")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER civic_mapcell_sync")
        cursor.execute("SELECT civic_mapcell_rebuild()")


def _copy(table: str, columns: Sequence[str], rows: Iterator[list[Any]]) -> int:
    count = 0
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row])
                count += 1
    return count


def _insert(model: type[Any], columns: Sequence[str], rows: list[list[Any]]) -> None:
    """Other databases: the ORM's bulk insert, which stores dates as the backend wants them."""
    model.objects.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
    )


def synth_civic_reset() -> int:
    """Remove the synthetic reports (and what hangs on them); returns how many."""
    report_table, event_table = _tables()
    many = CitizenReport.objects.filter(description__startswith=MARK).count() >= 50_000
    paused = _map_cells_paused(report_table) if many else nullcontext()
    with transaction.atomic(), paused, connection.cursor() as cursor:
        marked = f"SELECT id FROM {report_table} WHERE description LIKE %s"
        cursor.execute(f"DELETE FROM {event_table} WHERE report_id IN ({marked})", [MARK + "%"])
        cursor.execute(
            f"UPDATE {report_table} SET duplicate_of_id = NULL WHERE duplicate_of_id IN ({marked})",
            [MARK + "%"],
        )
        cursor.execute(f"DELETE FROM {report_table} WHERE description LIKE %s", [MARK + "%"])
        removed = int(cursor.rowcount)
    figure_counts_rebuild()
    return removed


def synth_civic_build(
    *,
    spec: CivicSynthSpec,
    reset: bool = False,
    now: dt.datetime | None = None,
    progress: Progress = lambda _m: None,
) -> CivicSynthResult:
    started = time.perf_counter()
    removed = synth_civic_reset() if reset else 0
    rng = random.Random(spec.seed)
    moment = now or timezone.now()
    report_table, event_table = _tables()
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        topics = _topics()
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {report_table}, {event_table} IN EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {report_table}")
            row = cursor.fetchone()
        first_id = int(row[0] if row else 0) + 1
        events: list[list[Any]] = []

        generated = _report_rows(spec, first_id, topics, moment, rng)

        def reports() -> Iterator[list[Any]]:
            for n, (report, report_events) in enumerate(generated, start=1):
                events.extend(report_events)
                if n % 100_000 == 0:
                    progress(f"{n} reports")
                yield report

        if postgres and spec.reports >= 50_000:
            with _map_cells_paused(report_table), _indexes_set_aside(report_table):
                written = _copy(report_table, REPORT_COLUMNS, reports())
                progress(f"{written} reports copied; rebuilding indexes")
            # After the keys are back: rows written meanwhile would hold their checks pending.
            _copy(event_table, EVENT_COLUMNS, iter(events))
        elif postgres:
            written = _copy(report_table, REPORT_COLUMNS, reports())
            _copy(event_table, EVENT_COLUMNS, iter(events))
        else:
            batch = list(reports())
            written = len(batch)
            _insert(CitizenReport, REPORT_COLUMNS, batch)
            _insert(ReportEvent, EVENT_COLUMNS, events)
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{report_table}', 'id'), "
                    f"(SELECT MAX(id) FROM {report_table}))"
                )
    # Written behind the services' back: the kept figures are recomputed from the reports.
    figure_counts_rebuild()
    if postgres:
        # VACUUM (for index-only scans) cannot run inside a transaction (a test's, a caller's).
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{verb} {report_table}")
            cursor.execute(f"{verb} {event_table}")
    return CivicSynthResult(written, len(events), removed, time.perf_counter() - started)
