"""What the review page shows of a draft: the parsed plan as rows and counts.

Reads only the draft's JSON and the number of regions; it decides nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jospar.core.selectors.directory import regions_existing_on
from jospar.planparser.corrections import CORRECTED_KEY
from jospar.planparser.model import AKIMATS
from jospar.plans.models import PlanUpload


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass
class ExecutorChip:
    code: str
    name: str | None
    lead: bool
    by_agreement: bool
    role: str | None
    is_akimats: bool


@dataclass
class ReviewRow:
    index: int
    number: str
    section: str | None
    title: str
    completion_form: list[str]
    executors: list[ExecutorChip]
    deadline_text: str
    controller: list[str] | None
    financing: str | None
    window_start: dt.date | None
    window_end: dt.date | None
    reports: list[dt.date]
    warnings: list[dict[str, Any]]
    source_cells: list[str]
    corrected: set[str]
    obligations: int
    section_changed: bool = False
    # The cell whose correction form is open, with the text in it and the refusal, if any.
    edit_field: str | None = None
    edit_value: str = ""
    edit_error: str | None = None


@dataclass
class ReviewSummary:
    activities: int = 0
    executors: int = 0
    obligations: int = 0
    with_warnings: int = 0
    regions: int = 0
    reference_date: dt.date | None = None


@dataclass
class Review:
    rows: list[ReviewRow]
    summary: ReviewSummary
    plan_warnings: list[dict[str, Any]] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    approved_on: dt.date | None = None


def reference_date(parsed: dict[str, Any]) -> dt.date:
    """The day whose regions the akimats of the plan are (as the control schedule counts)."""
    period = parsed.get("period") or {}
    return _date(parsed.get("approved_on")) or _date(period.get("start")) or dt.date.today()


def _row(index: int, item: dict[str, Any], glossary: dict[str, str], regions: int) -> ReviewRow:
    chips = [
        ExecutorChip(
            code=str(e.get("code") or ""),
            name=e.get("name") or glossary.get(str(e.get("code"))),
            lead=bool(e.get("lead")),
            by_agreement=bool(e.get("by_agreement")),
            role=e.get("role"),
            is_akimats=e.get("code") == AKIMATS,
        )
        for e in item.get("executors") or []
    ]
    reports = [d for d in (_date(r) for r in item.get("reports") or []) if d is not None]
    owers = sum(regions if chip.is_akimats else 1 for chip in chips)
    window = item.get("window") or {}
    return ReviewRow(
        index=index,
        number=str(item.get("number") or ""),
        section=item.get("section"),
        title=str(item.get("title") or ""),
        completion_form=list(item.get("completion_form") or []),
        executors=chips,
        deadline_text=str(item.get("deadline_text") or ""),
        controller=item.get("controller"),
        financing=item.get("financing"),
        window_start=_date(window.get("start")),
        window_end=_date(window.get("end")),
        reports=reports,
        warnings=list(item.get("warnings") or []),
        source_cells=[str(c) for c in item.get("source_cells") or []],
        corrected=set((item.get(CORRECTED_KEY) or {}).keys()),
        obligations=owers * len(reports),
    )


def upload_review(upload: PlanUpload, *, only_warnings: bool = False) -> Review:
    parsed = upload.parsed or {}
    glossary: dict[str, str] = dict(parsed.get("glossary") or {})
    day = reference_date(parsed)
    activities = parsed.get("activities") or []
    regions = (
        regions_existing_on(day).count()
        if any(e.get("code") == AKIMATS for a in activities for e in a.get("executors") or [])
        else 0
    )
    rows = [_row(i, item, glossary, regions) for i, item in enumerate(activities)]
    previous: str | None = None
    for row in rows:
        row.section_changed = row.section != previous
        previous = row.section
    summary = ReviewSummary(
        activities=len(rows),
        executors=sum(len(r.executors) for r in rows),
        obligations=sum(r.obligations for r in rows),
        with_warnings=sum(1 for r in rows if r.warnings),
        regions=regions,
        reference_date=day,
    )
    if only_warnings:
        rows = [r for r in rows if r.warnings]
    period = parsed.get("period") or {}
    return Review(
        rows=rows,
        summary=summary,
        plan_warnings=list(parsed.get("warnings") or []),
        glossary=sorted(glossary.items()),
        period_start=_date(period.get("start")),
        period_end=_date(period.get("end")),
        approved_on=_date(parsed.get("approved_on")),
    )


def upload_row(upload: PlanUpload, number: str) -> ReviewRow | None:
    """The first row numbered ``number`` (the one a correction of that number changes)."""
    for row in upload_review(upload).rows:
        if row.number == number:
            return row
    return None
