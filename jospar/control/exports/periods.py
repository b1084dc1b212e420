"""Reporting periods: a quarter, a half-year, a year, or any two dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

SHORTCUTS = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "Y")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_SHORTCUT_RE = re.compile(r"^(?P<year>\d{4})(?:-?(?P<part>Q[1-4]|H[12]|Y))?$", re.IGNORECASE)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True)
class ReportPeriod:
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, shortcut: str, year: int) -> ReportPeriod:
        """``("Q2", 2016)`` → 01.04.2016–30.06.2016; ``H1``/``H2`` half-years; ``Y`` the year."""
        part = shortcut.upper()
        if part == "Y":
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if part in ("H1", "H2"):
            first = 1 if part == "H1" else 7
            return cls(dt.date(year, first, 1), _month_end(year, first + 5))
        if part in ("Q1", "Q2", "Q3", "Q4"):
            first = (int(part[1]) - 1) * 3 + 1
            return cls(dt.date(year, first, 1), _month_end(year, first + 2))
        raise ValueError(f"unknown period {shortcut!r}")

    @classmethod
    def parse(cls, text: str) -> ReportPeriod:
        """``2016Q1``, ``2016-H2``, ``2016`` (the whole year)."""
        match = _SHORTCUT_RE.match(text.strip())
        if match is None:
            raise ValueError(f"unknown period {text!r}")
        year = int(match["year"])
        if not 1900 <= year <= 2200:
            raise ValueError(f"unknown period {text!r}")
        return cls.of(match["part"] or "Y", year)

    @property
    def shortcut(self) -> str | None:
        """``Q1``…``Y`` where the dates are exactly such a period of one year, else None."""
        if self.start.year != self.end.year:
            return None
        for part in SHORTCUTS:
            if ReportPeriod.of(part, self.start.year) == self:
                return part
        return None

    @property
    def slug(self) -> str:
        """For file names: ``2016Q1``, ``2016H2``, ``2016``, ``20160101-20160315``."""
        part = self.shortcut
        if part == "Y":
            return str(self.start.year)
        if part is not None:
            return f"{self.start.year}{part}"
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def label(self) -> str:
        """The period as the title of the report says it, in the active language."""
        part, year = self.shortcut, self.start.year
        if part == "Y":
            return _("for %(year)s") % {"year": year}
        if part == "H1":
            return _("for the first half of %(year)s") % {"year": year}
        if part == "H2":
            return _("for the second half of %(year)s") % {"year": year}
        if part is not None:
            return _("for quarter %(quarter)s of %(year)s") % {
                "quarter": _ROMAN[int(part[1])],
                "year": year,
            }
        return _("for the period from %(start)s to %(end)s") % {
            "start": f"{self.start:%d.%m.%Y}",
            "end": f"{self.end:%d.%m.%Y}",
        }
