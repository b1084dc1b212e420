"""The parsed plan as plain data.

This package imports nothing from Django: the same parser serves the command line, the web
upload and the background task, and must run where there is no database at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Lang = Literal["kk", "ru"]

# The executor code used for a group of local executive bodies ("акиматы гг. Астаны, Алматы и
# областей", "ЖАО"); the control schedule expands it into one executor per region.
AKIMATS = "akimats"


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None

    def to_json(self) -> dict[str, str | None]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


@dataclass(frozen=True)
class ParseWarning:
    """Something a person must check. `activity` is the activity's printed number, if any."""

    code: str
    message: str
    activity: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "activity": self.activity}


@dataclass
class DeadlineResult:
    window: Period
    reports: list[dt.date]
    warnings: list[ParseWarning] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "window": self.window.to_json(),
            "reports": [d.isoformat() for d in self.reports],
            "warnings": [w.to_json() for w in self.warnings],
        }


@dataclass
class Executor:
    code: str
    name: str | None = None
    lead: bool = False
    by_agreement: bool = False
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Activity:
    number: str
    section: str | None
    title: str
    completion_form: list[str]
    executors: list[Executor]
    deadline_text: str
    window: Period
    reports: list[dt.date]
    controller: list[str] | None = None
    financing: str | None = None
    warnings: list[ParseWarning] = field(default_factory=list)
    # The raw cells as read, in the document's column order, so that a person can compare
    # the parsed fields with the source text.
    source_cells: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "section": self.section,
            "title": self.title,
            "completion_form": self.completion_form,
            "executors": [e.to_json() for e in self.executors],
            "deadline_text": self.deadline_text,
            "controller": self.controller,
            "financing": self.financing,
            "window": self.window.to_json(),
            "reports": [d.isoformat() for d in self.reports],
            "warnings": [w.to_json() for w in self.warnings],
            "source_cells": list(self.source_cells),
        }


@dataclass
class ParsedPlan:
    lang: Lang
    title: str
    period: Period
    glossary: dict[str, str]
    activities: list[Activity]
    warnings: list[ParseWarning] = field(default_factory=list)
    # Approval act, where the text states it ("от 30 октября 2015 года № 10").
    approved_on: dt.date | None = None
    approval_number: str | None = None
    # The text as read (decoded, or extracted from Word/HTML): what a person compares with.
    source_text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "title": self.title,
            "period": self.period.to_json(),
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "approval_number": self.approval_number,
            "glossary": self.glossary,
            "activities": [a.to_json() for a in self.activities],
            "warnings": [w.to_json() for w in self.warnings],
        }


class PlanParseError(Exception):
    """The input is not a plan that can be read at all (binary, empty, huge, no table).

    `code` is stable for callers (web form, API, command); `message` is for people.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
