"""Reminders of control deadlines, and the controllers' daily digest.

The rules, on a Kazakhstan date ``today`` (nothing is sent on a day off):

* an obligation is *open* while it is in force and neither accepted nor submitted — a report
  returned for revision makes it open again, with the deadline the controller set;
* ``before`` — ``today`` is N working days before the deadline, for each N in
  ``CONTROL_REMIND_BEFORE_WORKING_DAYS`` (working days after today up to the deadline);
* ``due`` — the deadline is today (or, for a deadline set on a day off, today is the last
  working day before it);
* ``overdue`` — the first working day after the deadline, then every
  ``CONTROL_REMIND_OVERDUE_EVERY_WORKING_DAYS`` working days while it stays open; the head of
  the organisation is told too (`organisation_heads`).

The executor users of the obligation's organisation (active, with the executor role) are told;
of a regional status report's obligation (owed by a region's project office, no organisation),
the people of that office who write it (`programs.office_policy.status_report_writers`). Each
event has its own key (obligation, event, deadline, day, person), so that a second run of
the same day — or a run racing it — adds nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from jospar.control.models import Obligation
from jospar.control.reminder_texts import digest_notice, notice_path, obligation_notice
from jospar.control.sources import source_in_force_q
from jospar.core.audit import audit_record
from jospar.core.calendar import add_working_days, is_working_day
from jospar.core.models import Notification, NotificationKind, Role, User
from jospar.core.ops.metrics import count_reminders_on_commit
from jospar.core.selectors.notifications import organisation_heads
from jospar.core.services.notifications import NotificationDraft, notifications_create
from jospar.core.tasks import queue_notification_emails
from jospar.plans.access import visible_plans
from jospar.programs.office_policy import status_report_writers

# --- the rules (pure) ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRules:
    before: tuple[int, ...] = (5, 1)
    overdue_every: int = 5
    digest_top: int = 10

    @classmethod
    def from_settings(cls) -> ReminderRules:
        before = getattr(settings, "CONTROL_REMIND_BEFORE_WORKING_DAYS", [5, 1])
        return cls(
            before=tuple(sorted({int(n) for n in before if int(n) > 0}, reverse=True)),
            overdue_every=max(
                0, int(getattr(settings, "CONTROL_REMIND_OVERDUE_EVERY_WORKING_DAYS", 5))
            ),
            digest_top=max(0, int(getattr(settings, "CONTROL_DIGEST_TOP_ITEMS", 10))),
        )


class WorkingDays:
    """Working days over a span of dates, counted once from the calendar."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end
        self._working: set[dt.date] = set()
        # ordinal[d]: working days from ``start`` up to and including ``d``.
        self._ordinal: dict[dt.date, int] = {}
        count = 0
        day = start
        while day <= end:
            if is_working_day(day):
                count += 1
                self._working.add(day)
            self._ordinal[day] = count
            day += dt.timedelta(days=1)

    def is_working(self, day: dt.date) -> bool:
        if day in self._ordinal:
            return day in self._working
        return is_working_day(day)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (``start <= end``)."""
        if start in self._ordinal and end in self._ordinal:
            return self._ordinal[end] - self._ordinal[start]
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += is_working_day(day)
        return count


@dataclass(frozen=True)
class Event:
    kind: str  # a NotificationKind
    days: int  # working days left (before), overdue (overdue), 0 (due)

    @property
    def code(self) -> str:
        return f"before_{self.days}" if self.kind == NotificationKind.BEFORE else str(self.kind)


def event_on(
    deadline: dt.date, today: dt.date, *, days: WorkingDays, rules: ReminderRules
) -> Event | None:
    """The reminder an open obligation with this deadline gets on ``today``, if any."""
    if not days.is_working(today):
        return None
    if deadline >= today:
        left = days.between(today, deadline)
        if left == 0:
            return Event(NotificationKind.DUE, 0)
        if left in rules.before:
            return Event(NotificationKind.BEFORE, left)
        return None
    late = days.between(deadline, today)  # >= 1: today is a working day after the deadline
    if late == 1 or (rules.overdue_every and (late - 1) % rules.overdue_every == 0):
        return Event(NotificationKind.OVERDUE, late)
    return None


# --- selection --------------------------------------------------------------------------------


def effective_deadline() -> Coalesce:
    """The deadline, or the report date where none was computed (as `status_of` reads it)."""
    return Coalesce("deadline", "due_on")


def deadline_q(lookup: str, value: object) -> Q:
    """A condition on the effective deadline written so that the index on ``deadline`` serves
    it: ``deadline_q("lt", day)``."""
    return Q(**{f"deadline__{lookup}": value}) | Q(
        deadline__isnull=True, **{f"due_on__{lookup}": value}
    )


def open_obligations() -> QuerySet[Obligation]:
    """In force and owed: not accepted, not submitted — or returned since it was submitted."""
    reopened = Q(returned_at__isnull=False) & (
        Q(submitted_at__isnull=True) | Q(submitted_at__lt=F("returned_at"))
    )
    return (
        Obligation.objects.filter(in_force=True, accepted_at__isnull=True)
        .filter(source_in_force_q())
        .filter(Q(executor__in_force=True) | Q(executor__isnull=True))
        .filter(Q(submitted_at__isnull=True) | reopened)
    )


def awaiting_review() -> QuerySet[Obligation]:
    """Submitted (again, after a return) and not yet accepted or returned."""
    return (
        Obligation.objects.filter(
            in_force=True, submitted_at__isnull=False, accepted_at__isnull=True
        )
        .filter(source_in_force_q())
        .filter(Q(returned_at__isnull=True) | Q(returned_at__lt=F("submitted_at")))
    )


def obligation_events(
    today: dt.date, rules: ReminderRules | None = None
) -> list[tuple[Obligation, Event]]:
    """Open obligations of an organisation that get a reminder on ``today``, with it.

    The rules are applied to each distinct deadline (a few hundred), not to each obligation;
    only the obligations whose deadline has an event today are loaded.
    """
    rules = rules or ReminderRules.from_settings()
    if not is_working_day(today):
        return []
    horizon = add_working_days(today, max(rules.before, default=0) + 1)
    base = open_obligations().filter(
        Q(organisation__isnull=False) | Q(status_report__isnull=False), deadline_q("lt", horizon)
    )
    deadlines = sorted(set(base.order_by().values_list(effective_deadline(), flat=True).distinct()))
    if not deadlines:
        return []
    days = WorkingDays(min(deadlines[0], today), horizon)
    events: dict[dt.date, Event] = {}
    for deadline in deadlines:
        event = event_on(deadline, today, days=days, rules=rules)
        if event is not None:
            events[deadline] = event
    if not events:
        return []
    obligations = (
        base.filter(deadline_q("in", list(events)))
        .select_related(
            "activity",
            "activity__plan",
            "organisation",
            "executor",
            "project_task",
            "project_task__program",
            "project_task__node",
            "status_report__program",
            "status_report__schedule",
            "region",
        )
        .order_by(
            "organisation_id", effective_deadline(), "activity__plan_id", "activity__position", "id"
        )
    )
    return [(o, events[o.deadline or o.due_on]) for o in obligations]


def executors_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active users with the executor role, by their organisation."""
    found: dict[int, list[User]] = {}
    ids = sorted(set(organisation_ids))
    if not ids:
        return found
    users = (
        User.objects.filter(
            is_active=True, organisation_id__in=ids, role_grants__role=Role.EXECUTOR
        )
        .distinct()
        .order_by("pk")
    )
    for user in users:
        assert user.organisation_id is not None
        found.setdefault(user.organisation_id, []).append(user)
    return found


# --- the services -----------------------------------------------------------------------------


@dataclass
class ReminderRun:
    day: dt.date
    working_day: bool
    obligations: int = 0
    notifications: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    batch: str = ""

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["day"] = self.day.isoformat()
        return out


def _key(obligation: Obligation, event: Event, kind: str, today: dt.date, user: User) -> str:
    deadline = obligation.deadline or obligation.due_on
    code = event.code if kind == event.kind else str(kind)
    return (
        f"obligation:{obligation.pk}:{code}:{deadline.isoformat()}:{today.isoformat()}:u{user.pk}"
    )


def _finish(run: ReminderRun, *, action: str, drafts: list[NotificationDraft]) -> None:
    """Write what was not written yet, audit it, queue the e-mails. Inside the transaction."""
    run.notifications = notifications_create(drafts=drafts, batch=run.batch)
    if run.notifications:
        run.by_kind = dict(
            Counter(Notification.objects.filter(batch=run.batch).values_list("kind", flat=True))
        )
        count_reminders_on_commit(run.by_kind)
        audit_record(
            actor=None,
            action=action,
            object_type="control.reminders",
            object_id=run.day.isoformat(),
            after={
                "batch": run.batch,
                "notifications": run.notifications,
                "by_kind": run.by_kind,
                "obligations": run.obligations,
            },
        )
    # Also when nothing new was written: letters that failed before are sent again.
    queue_notification_emails()


def reminders_send(*, on: dt.date, rules: ReminderRules | None = None) -> ReminderRun:
    """Tell executors (and, when overdue, heads of their organisations) about the day's
    events. Idempotent: a second run on the same day writes and sends nothing new."""
    rules = rules or ReminderRules.from_settings()
    run = ReminderRun(day=on, working_day=is_working_day(on), batch=uuid.uuid4().hex)
    with transaction.atomic():
        pairs = obligation_events(on, rules)
        run.obligations = len(pairs)
        organisation_ids = {o.organisation_id for o, _ in pairs if o.organisation_id}
        executors = executors_by_organisation(organisation_ids)
        # A status report is owed by the region's project office: its writers are told.
        writers = {
            o.pk: status_report_writers(o.status_report)
            for o, _event in pairs
            if o.status_report is not None
        }
        heads = organisation_heads(
            o.organisation_id
            for o, event in pairs
            if o.organisation_id and event.kind == NotificationKind.OVERDUE
        )
        texts: dict[tuple[int, str, str], tuple[str, str, dict[str, object]]] = {}
        drafts: list[NotificationDraft] = []

        def draft(obligation: Obligation, event: Event, kind: str, user: User) -> None:
            lang = user.language or "kk"
            key = (obligation.pk, str(kind), lang)
            if key not in texts:
                texts[key] = obligation_notice(obligation, kind, event.days, lang)
            title, body, data = texts[key]
            drafts.append(
                NotificationDraft(
                    recipient=user,
                    kind=kind,
                    event_key=_key(obligation, event, kind, on, user),
                    event_day=on,
                    title=title,
                    body=body,
                    url=notice_path(obligation),
                    subject_type="control.obligation",
                    subject_id=obligation.pk,
                    data=dict(data),
                )
            )

        for obligation, event in pairs:
            if obligation.organisation_id is None:
                for user in writers.get(obligation.pk, []):
                    draft(obligation, event, event.kind, user)
                continue
            told = executors.get(obligation.organisation_id, [])
            for user in told:
                draft(obligation, event, event.kind, user)
            if event.kind == NotificationKind.OVERDUE:
                for head in heads.get(obligation.organisation_id, []):
                    # A head who is also an executor there already has the executor's notice.
                    if head not in told:
                        draft(obligation, event, NotificationKind.OVERDUE_HEAD, head)
        _finish(run, action="reminders.sent", drafts=drafts)
    return run


def _previous_working_day(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    for _ in range(60):
        if is_working_day(day):
            return day
        day -= dt.timedelta(days=1)
    return day


def digests_send(*, on: dt.date, rules: ReminderRules | None = None) -> ReminderRun:
    """One digest per controller per working day, of the plans the controller controls: what
    became overdue since the previous working day and what awaits review. A controller with
    nothing of either gets none. Idempotent like the reminders."""
    rules = rules or ReminderRules.from_settings()
    run = ReminderRun(day=on, working_day=is_working_day(on), batch=uuid.uuid4().hex)
    with transaction.atomic():
        drafts: list[NotificationDraft] = []
        if run.working_day:
            since = _previous_working_day(on)
            schedule_url = reverse("plans:obligations")
            controllers = (
                User.objects.filter(is_active=True, role_grants__role=Role.CONTROLLER)
                .distinct()
                .order_by("pk")
            )
            for user in controllers:
                plans = visible_plans(user)
                overdue = open_obligations().filter(activity__plan__in=plans)
                newly = overdue.filter(deadline_q("gte", since), deadline_q("lt", on))
                review = awaiting_review().filter(activity__plan__in=plans)
                overdue_count, review_count = newly.count(), review.count()
                if not (overdue_count or review_count):
                    continue
                related = ("activity", "activity__plan", "organisation", "executor")
                lang = user.language or "kk"
                title, body, data = digest_notice(
                    day=on,
                    lang=lang,
                    overdue=list(
                        newly.select_related(*related).order_by(
                            "activity__plan_id", "activity__position", "id"
                        )[: rules.digest_top]
                    ),
                    overdue_count=overdue_count,
                    overdue_total=overdue.filter(deadline_q("lt", on)).count(),
                    review=list(
                        review.select_related(*related).order_by("submitted_at", "id")[
                            : rules.digest_top
                        ]
                    ),
                    review_count=review_count,
                    review_new=review.filter(submitted_on__gte=since, submitted_on__lt=on).count(),
                    schedule_url=schedule_url,
                )
                run.obligations += overdue_count + review_count
                drafts.append(
                    NotificationDraft(
                        recipient=user,
                        kind=NotificationKind.DIGEST,
                        event_key=f"digest:{on.isoformat()}:u{user.pk}",
                        event_day=on,
                        title=title,
                        body=body,
                        url=schedule_url,
                        subject_type="control.digest",
                        data=data,
                    )
                )
        _finish(run, action="reminders.digests_sent", drafts=drafts)
    return run
