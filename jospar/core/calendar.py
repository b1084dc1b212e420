"""Kazakhstan's working-day calendar: weekends, public holidays, days off moved by transfers.

Only exceptions to the ordinary week are stored (`CalendarDay`); they are seeded from the
`holidays` package (Kazakhstan, with observed and transferred days off; a Saturday made a working
day by a transfer is a working day) and corrected by an administrator.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
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


def _package_days(year: int) -> set[dt.date]:
    source = holidays.country_holidays("KZ", years=[year])
    days = {day for day in source if day.weekday() < 5}
    return days | {day for day in source.weekend_workdays if day.year == year}


def calendar_year(year: int) -> list[CalendarDay]:
    """The days of a year that break the ordinary week, with who set them."""
    return list(
        CalendarDay.objects.filter(day__year=year).select_related("changed_by").order_by("day")
    )


def calendar_day_set(
    *, actor: User, day: dt.date, is_working: bool | None, reason: str, name: str = ""
) -> CalendarDay | None:
    """An administrator's correction of one day: a day off (``is_working`` false), a working day
    (true), or back to the ordinary week (None: a weekday works, a weekend rests).

    A correction is kept through later seeding: a day the `holidays` package lists and the
    administrator put back to the ordinary week stays stored, so that seeding does not bring it
    back; any other day put back is simply removed. Returns the stored day, or None."""
    from django.utils.translation import gettext as _

    from jospar.core.errors import ServiceError
    from jospar.core.services._common import require_administrator

    require_administrator(actor)
    reason = (reason or "").strip()
    name = (name or "").strip()[:200]
    if not reason:
        raise ServiceError(
            "reason_required",
            _("Say why the day changes."),
            {"reason": [_("Say why the day changes.")]},
        )
    if not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ServiceError(
            "invalid_date",
            _("The date is out of range."),
            {"day": [_("The date is out of range.")]},
        )
    ordinary = day.weekday() < 5
    with transaction.atomic():
        current = CalendarDay.objects.select_for_update().filter(day=day).first()
        before = (
            {"is_working": current.is_working, "name": current.name, "source": current.source}
            if current
            else {"is_working": ordinary, "name": "", "source": "week"}
        )
        entry: CalendarDay | None
        if is_working is None and day not in _package_days(day.year):
            if current is not None:
                current.delete()
            entry = None
            after = {"is_working": ordinary, "name": "", "source": "week"}
        else:
            working = ordinary if is_working is None else is_working
            entry, _created = CalendarDay.objects.update_or_create(
                day=day,
                defaults={
                    "is_working": working,
                    "name": name,
                    "source": "admin",
                    "changed_by": actor,
                },
            )
            after = {"is_working": working, "name": name, "source": "admin"}
        audit_record(
            actor=actor,
            action="calendar.day_set",
            object_type="core.calendar",
            object_id=day.isoformat(),
            before=before,
            after=after,
            reason=reason,
        )
        transaction.on_commit(_bump)
    return entry


def calendar_cache_clear() -> None:
    """Forget the cached exceptions in this process (tests; after a bulk correction)."""
    _exceptions.cache_clear()
    _bump()


# --- holidays as the public calendar shows them ----------------------------------------------


# The package's English names, worded for people in every language (the package has no Russian
# names for Kazakhstan, and its Kazakh ones cannot be chosen per page).
def _holiday_names() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "New Year's Day": _("New Year"),
        "Orthodox Christmas": _("Orthodox Christmas"),
        "International Women's Day": _("International Women's Day"),
        "Nowruz Holiday": _("Nauryz"),
        "Kazakhstan's People Solidarity Holiday": _("Day of Unity of the People of Kazakhstan"),
        "Defender of the Fatherland Day": _("Defender of the Fatherland Day"),
        "Victory Day": _("Victory Day"),
        "Capital Day": _("Capital Day"),
        "Eid al-Adha": _("Kurban Ait"),
        "Constitution Day": _("Constitution Day"),
        "First President Day": _("Day of the First President"),
        "Republic Day": _("Republic Day"),
        "Independence Day": _("Independence Day"),
    }


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name: str
    # A day off moved here from a holiday on a weekend, or by a transfer.
    moved: bool
    # False when an administrator made the day a working day.
    day_off: bool


@lru_cache(maxsize=16)
def _package_year(year: int) -> tuple[tuple[dt.date, str], ...]:
    source = holidays.country_holidays("KZ", years=[year], language="en_US")
    return tuple(sorted((day, str(name)) for day, name in source.items()))


def _holiday_label(name: str) -> tuple[str, bool]:
    from django.utils.translation import gettext as _

    names = _holiday_names()
    base = name
    moved = False
    for suffix in (" (observed)", " (estimated)"):
        if base.endswith(suffix):
            moved = moved or suffix == " (observed)"
            base = base.removesuffix(suffix)
    if base.startswith("Day off (substituted"):
        return _("Day off (transfer)"), True
    label = names.get(base, base)
    return (_("%(name)s (day off moved)") % {"name": label} if moved else label), moved


def holiday_name(name: str) -> str:
    """A stored day's name as people read it: the package's English names in the page's
    language (the administrator's own names as they wrote them)."""
    if not name or name == "working day (transfer)":
        return name
    return _holiday_label(name)[0]


def holidays_between(first: dt.date, last: dt.date) -> list[Holiday]:
    """The public holidays and days off from ``first`` to ``last``: the `holidays` package's
    (on weekends too) and the administrator's days off, as corrected (``CalendarDay``)."""
    if last < first:
        return []
    found = exceptions()
    out: dict[dt.date, Holiday] = {}
    for year in range(first.year, last.year + 1):
        for day, name in _package_year(year):
            if first <= day <= last:
                label, moved = _holiday_label(name)
                out[day] = Holiday(day, label, moved, not found.get(day, False))
    extra = [
        d for d, working in found.items() if not working and first <= d <= last and d not in out
    ]
    if extra:
        for entry in CalendarDay.objects.filter(day__in=extra):
            out[entry.day] = Holiday(entry.day, entry.name, False, True)
    return [out[day] for day in sorted(out)]
