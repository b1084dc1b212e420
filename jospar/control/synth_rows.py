"""The rows `jospar synth` writes: the columns of each table, the bodies and activities it
draws them from, and the facts of one obligation with the execution reports behind them."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from jospar.core.calendar import next_working_day

ALMATY = ZoneInfo("Asia/Almaty")
# Share of submitted reports returned once for revision, and of those resubmitted.
RETURNED = 0.06
RESUBMITTED = 0.85
ACCEPTED = 0.8
# Share of obligations not yet due that are already reported.
EARLY = 0.15


@dataclass(eq=False)
class Body:
    """An executing body and how well it keeps its deadlines (share on time when it reports)."""

    organisation_id: int | None
    author_id: int
    quality: float
    region_id: int | None = None


@dataclass
class SynthActivity:
    id: int
    plan_id: int
    in_force: bool
    dates: list[dt.date]
    executors: list[tuple[int, Body, bool]]  # (executor id, body, in force)
    regions: list[Body]
    group_executor_id: int | None = None


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A time in office hours on a Kazakhstan date."""
    minutes = 9 * 60 + rng.randrange(9 * 60)
    return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=ALMATY)


class Facts:
    """Draws an obligation's facts; keeps the counters and the id of the next report."""

    def __init__(
        self, rng: random.Random, today: dt.date, now: dt.datetime, submit: float, report_id: int
    ) -> None:
        self.rng = rng
        self.today = today
        self.now = now
        self.submit = submit
        self.report_id = report_id
        self._deadlines: dict[dt.date, dt.date] = {}

    def deadline(self, due: dt.date) -> dt.date:
        if self.rng.random() < 0.03:
            # Extended by the controller.
            due = due + dt.timedelta(days=self.rng.randrange(10, 46))
        found = self._deadlines.get(due)
        if found is None:
            found = self._deadlines[due] = next_working_day(due)
        return found

    def draw(
        self,
        obligation_id: int,
        body: Body,
        due: dt.date,
        deadline: dt.date,
        reports: list[tuple[Any, ...]],
    ) -> tuple[Any, ...]:
        """(submitted_at, submitted_on, first_late_days, returned_at, accepted_at); report rows
        appended."""
        rng, today = self.rng, self.today
        first: dt.datetime | None = None
        submitted: dt.datetime | None = None
        returned: dt.datetime | None = None
        if deadline < today:
            chance = min(0.995, max(0.05, self.submit + (body.quality - 0.75) * 0.6))
            if rng.random() < chance:
                if rng.random() < body.quality:
                    day = deadline - dt.timedelta(days=min(int(rng.expovariate(0.25)), 30))
                else:
                    day = deadline + dt.timedelta(days=1 + min(int(rng.expovariate(1 / 12)), 240))
                if day < today:
                    first = submitted = _moment(day, rng)
        elif rng.random() < EARLY:
            # Reported ahead of time: some day of the last month, and not long before it was due.
            earliest = max(due - dt.timedelta(days=60), today - dt.timedelta(days=30))
            if earliest < today:
                day = earliest + dt.timedelta(days=rng.randrange((today - earliest).days))
                first = submitted = _moment(day, rng)
        if first is not None and rng.random() < RETURNED:
            back = first + dt.timedelta(days=rng.randrange(2, 11), hours=rng.randrange(4))
            if back < self.now:
                returned = back
                again = back.date() + dt.timedelta(days=rng.randrange(1, 16))
                submitted = (
                    _moment(again, rng) if again < today and rng.random() < RESUBMITTED else None
                )
        accepted: dt.datetime | None = None
        if submitted is not None and rng.random() < ACCEPTED:
            when = submitted + dt.timedelta(days=rng.randrange(1, 21), hours=rng.randrange(6))
            accepted = when if when < self.now else None
        standing = submitted if submitted is not None else first
        lang = "kk" if rng.random() < 0.5 else "ru"
        org = body.organisation_id
        if returned is not None:
            assert first is not None
            reports.append(
                self._report(obligation_id, 1, "returned", first, returned, body, lang, org)
            )
            if submitted is not None:
                state = "accepted" if accepted else "submitted"
                reports.append(
                    self._report(
                        obligation_id, 2, state, submitted, accepted or submitted, body, lang, org
                    )
                )
        elif submitted is not None:
            state = "accepted" if accepted else "submitted"
            reports.append(
                self._report(
                    obligation_id, 1, state, submitted, accepted or submitted, body, lang, org
                )
            )
        # A report returned and not sent again keeps its first submission: the status rules
        # read "submitted before it was returned" as returned.
        at = standing
        first_late = (
            max((first.astimezone(ALMATY).date() - deadline).days, 0) if first is not None else None
        )
        return (at, at.astimezone(ALMATY).date() if at else None, first_late, returned, accepted)

    def _report(
        self,
        obligation_id: int,
        version: int,
        state: str,
        submitted: dt.datetime,
        updated: dt.datetime,
        body: Body,
        lang: str,
        org: int | None,
    ) -> tuple[Any, ...]:
        self.report_id += 1
        text = "Іс-шара орындалды." if lang == "kk" else "Мероприятие исполнено."
        return (
            self.report_id - 1,
            obligation_id,
            "report",
            version,
            state,
            lang,
            text,
            org,
            body.author_id,
            submitted - dt.timedelta(hours=1),
            updated,
            submitted,
        )


# --- the columns of each table -------------------------------------------------------------

PLAN_FIELDS = (
    "id",
    "title_kk",
    "title_ru",
    "approved_on",
    "approval_number",
    "period_start",
    "period_end",
    "created_at",
)
ACTIVITY_FIELDS = (
    "id",
    "plan_id",
    "number",
    "position",
    "section_kk",
    "section_ru",
    "title_kk",
    "title_ru",
    "completion_form_kk",
    "completion_form_ru",
    "deadline_text_kk",
    "deadline_text_ru",
    "financing_kk",
    "financing_ru",
    "window_start",
    "window_end",
    "report_dates",
    "warnings",
    "in_force",
)
EXECUTOR_FIELDS = (
    "id",
    "activity_id",
    "position",
    "code_kk",
    "code_ru",
    "organisation_id",
    "is_akimat_group",
    "lead",
    "by_agreement",
    "role_kk",
    "role_ru",
    "in_force",
)
OBLIGATION_FIELDS = (
    "id",
    "activity_id",
    "executor_id",
    "organisation_id",
    "region_id",
    "due_on",
    "deadline",
    "submitted_at",
    "submitted_on",
    "first_late_days",
    "returned_at",
    "accepted_at",
    "in_force",
    "created_at",
)
REPORT_FIELDS = (
    "id",
    "obligation_id",
    "kind",
    "version",
    "state",
    "lang",
    "text",
    "organisation_id",
    "author_id",
    "created_at",
    "updated_at",
    "submitted_at",
)
