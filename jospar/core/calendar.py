"""Kazakhstan's working-day calendar: weekends, public holidays, days off moved by transfers.

Only exceptions to the ordinary week are stored (`CalendarDay`); they are seeded from the
`holidays` package (Kazakhstan, with observed and transferred days off; a Saturday made a working
day by a transfer is a working day) and corrected by an administrator.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache

import holidays
from django.core.cache import cache
from django.db import transaction

from jospar.core.audit import audit_record
from jospar.core.models import CalendarDay, User

_VERSION_KEY = "jospar:calendar:version"
_MISSING = object()
# Without a cache to share the version, each process re-reads the exceptions this often.
_UNCACHED_SECONDS = 30


def _version() -> int | str:
    """The version of the exceptions, shared by every process through the cache. When the cache
    cannot keep it (Redis down: the cache answers as a miss), a local version that changes every
    ``_UNCACHED_SECONDS``: the calendar is then read from the database at most that often, and a
    correction reaches this process at most that late."""
    value = cache.get(_VERSION_KEY, _MISSING)
    if value is _MISSING:
        cache.add(_VERSION_KEY, 1)
        value = cache.get(_VERSION_KEY, _MISSING)
    if value is _MISSING or value is None:
        return f"local:{int(time.monotonic() // _UNCACHED_SECONDS)}"
    return int(value)


@lru_cache(maxsize=8)
def _exceptions(version: int | str) -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.values_list("day", "is_working"))


def exceptions() -> dict[dt.date, bool]:
    """Day → is it a working day, for days that break the ordinary week."""
    return _exceptions(_version())


def _bump() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2)


def is_working_day(day: dt.date) -> bool:
    known = exceptions().get(day)
    if known is not None:
        return known
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """The day itself when it is a working day, else the first working day after it."""
    for _ in range(60):
        if is_working_day(day):
            return day
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day `count` working days after `day` (the day itself does not count)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days


def calendar_seed(*, actor: User | None, years: range) -> int:
    """Add the `holidays` package's days for these years; days an administrator set are kept."""
    source = holidays.country_holidays("KZ", years=list(years))
    wanted: dict[dt.date, tuple[bool, str]] = {}
    for day, name in sorted(source.items()):
        if day.weekday() < 5:
            wanted[day] = (False, str(name))
    for day in sorted(source.weekend_workdays):
        if day.year in years:
            wanted[day] = (True, "working day (transfer)")
    with transaction.atomic():
        existing = {c.day: c for c in CalendarDay.objects.filter(day__in=list(wanted))}
        new = [
            CalendarDay(day=day, is_working=working, name=name[:200], source="holidays")
            for day, (working, name) in wanted.items()
            if day not in existing
        ]
        CalendarDay.objects.bulk_create(new)
        if new:
            audit_record(
                actor=actor,
                action="calendar.seeded",
                object_type="core.calendar",
                object_id=f"{years.start}-{years.stop - 1}",
                after={"days_added": len(new)},
            )
            transaction.on_commit(_bump)
    return len(new)


def calendar_day_set(
    *, actor: User, day: dt.date, is_working: bool, name: str, reason: str
) -> CalendarDay:
    """An administrator's correction of one day; kept through later seeding."""
    from jospar.core.services._common import require_administrator

    require_administrator(actor)
    with transaction.atomic():
        current = CalendarDay.objects.select_for_update().filter(day=day).first()
        before = (
            {"is_working": current.is_working, "name": current.name, "source": current.source}
            if current
            else {"is_working": day.weekday() < 5, "name": "", "source": "week"}
        )
        entry, _created = CalendarDay.objects.update_or_create(
            day=day,
            defaults={
                "is_working": is_working,
                "name": name[:200],
                "source": "admin",
                "changed_by": actor,
            },
        )
        audit_record(
            actor=actor,
            action="calendar.day_set",
            object_type="core.calendar",
            object_id=day.isoformat(),
            before=before,
            after={"is_working": is_working, "name": name, "source": "admin"},
            reason=reason,
        )
        transaction.on_commit(_bump)
    return entry


def calendar_cache_clear() -> None:
    """Forget the cached exceptions in this process (tests; after a bulk correction)."""
    _exceptions.cache_clear()
    _bump()
