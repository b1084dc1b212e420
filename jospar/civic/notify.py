"""Telling people about reports: one function, `civic_notify`, on top of the core's
notifications (`jospar.core.services.notifications`).

Each thing told is a `Notification` with a unique event key (the history entry and the person),
so that nobody is told twice of one event — even when they follow the report and its area, or a
task runs twice. It appears in the application at once; the e-mail goes out after the commit,
one letter per person holding everything waiting for them (the core's sender groups them).

Who is told of what:

* a report's followers (its author follows it from the start; so does a citizen who supports
  it) — of the changes in ``FOLLOWER_EVENT_KINDS``, never of their own;
* the followers of an area (a region or a box on the map, optionally one topic) — of each new
  report published there;
* the officials of the akimat (and of the department) and its head — of an overdue answer.

Texts are written in each recipient's language, from public data only: the masked text, never a
citizen's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jospar.civic.events import FOLLOWER_EVENT_KINDS, EventKind
from jospar.civic.models import CitizenReport, ReportEvent
from jospar.core.models import Role, User
from jospar.core.selectors.notifications import organisation_heads
from jospar.core.services.notifications import NotificationDraft, notifications_create
from jospar.core.tasks import queue_notification_emails

# Notification kinds of this app (the core's `Notification.kind` is a free 16-character code).
KIND_UPDATE = "civic_update"
KIND_NEW = "civic_new"
KIND_OVERDUE = "civic_overdue"
SUBJECT_TYPE = "civic.citizenreport"
_BODY_CHARS = 600


def report_path(report_id: int) -> str:
    """The report's public page (``civic:report``, written by the portal)."""
    try:
        return reverse("civic:report", kwargs={"report_id": report_id})
    except NoReverseMatch:
        return f"/civic/reports/{report_id}/"


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _BODY_CHARS else text[: _BODY_CHARS - 1] + "…"


def civic_notify(
    *,
    recipients: Iterable[User],
    kind: str,
    key: str,
    report: CitizenReport,
    render: Callable[[], tuple[str, str]],
    day: dt.date | None = None,
    exclude: Iterable[int] = (),
) -> int:
    """Tell each recipient once about one event of a report: ``key`` names the event (the
    person's id is added), ``render`` gives (title, body) in the active language and is
    called in each recipient's language. Inside the caller's transaction; the e-mail is queued
    for after the commit. The number of people newly told."""
    skip = set(exclude)
    people: dict[int, User] = {}
    for user in recipients:
        if user.pk and user.pk not in skip and user.is_active:
            people.setdefault(user.pk, user)
    if not people:
        return 0
    texts: dict[str, tuple[str, str]] = {}
    drafts = []
    event_day = day or timezone.localdate()
    for user in people.values():
        lang = (user.language or "kk")[:2]
        if lang not in texts:
            with translation.override(lang):
                texts[lang] = render()
        title, body = texts[lang]
        drafts.append(
            NotificationDraft(
                recipient=user,
                kind=kind,
                event_key=f"{key}:u{user.pk}"[:200],
                event_day=event_day,
                title=title,
                body=body,
                url=report_path(report.pk),
                subject_type=SUBJECT_TYPE,
                subject_id=report.pk,
                data={"report": report.pk},
            )
        )
    written = notifications_create(drafts=drafts, batch=key[:32])
    if written:
        queue_notification_emails()
    return written


# --- who ------------------------------------------------------------------------------------


def report_followers(report: CitizenReport) -> list[User]:
    return list(
        User.objects.filter(civic_follows__report=report, is_active=True).distinct().order_by("pk")
    )


def area_followers(report: CitizenReport) -> list[User]:
    """Those following the report's region or a box around its point (all topics or its)."""
    topic = Q(civic_follows__topic__isnull=True) | Q(civic_follows__topic=report.topic_id)
    in_region = Q(civic_follows__region=report.region_id)
    in_box = Q(
        civic_follows__bbox__isnull=False,
        civic_follows__bbox__0__lte=report.latitude,
        civic_follows__bbox__2__gte=report.latitude,
        civic_follows__bbox__1__lte=report.longitude,
        civic_follows__bbox__3__gte=report.longitude,
    )
    return list(
        User.objects.filter(Q(civic_follows__report__isnull=True) & topic & (in_region | in_box))
        .filter(is_active=True)
        .distinct()
        .order_by("pk")
    )


def akimat_officials(report: CitizenReport) -> list[User]:
    """The officials who answer the report, and the heads of the akimat and department."""
    organisations = [report.akimat_id] + ([report.department_id] if report.department_id else [])
    officials = list(
        User.objects.filter(
            role_grants__role=Role.CIVIC_OFFICIAL,
            organisation_id__in=organisations,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    if report.assigned_to_id and report.assigned_to_id not in {u.pk for u in officials}:
        assigned = User.objects.filter(pk=report.assigned_to_id, is_active=True).first()
        if assigned is not None:
            officials.append(assigned)
    for heads in organisation_heads(organisations).values():
        officials.extend(heads)
    return officials


# --- what -----------------------------------------------------------------------------------


def _title(report: CitizenReport, what: str) -> str:
    return _("Report №%(number)s «%(topic)s»: %(what)s") % {
        "number": report.pk,
        "topic": report.topic.name,
        "what": what,
    }


def notify_followers(*, report: CitizenReport, event: ReportEvent, actor: Any = None) -> int:
    """Tell the report's followers of a change (not the one who made it)."""
    if event.kind not in FOLLOWER_EVENT_KINDS:
        return 0

    def texts() -> tuple[str, str]:
        what = str(EventKind(event.kind).label).lower()
        return _title(report, what), _short(event.public_note)

    exclude = [actor.pk] if actor is not None and getattr(actor, "pk", None) else []
    return civic_notify(
        recipients=report_followers(report),
        kind=KIND_UPDATE,
        key=f"civic:e{event.pk}",
        report=report,
        render=texts,
        exclude=exclude,
    )


def notify_area_followers(*, report: CitizenReport, event: ReportEvent) -> int:
    """Tell the followers of the area of a new report published there."""

    def texts() -> tuple[str, str]:
        title = _("New report №%(number)s «%(topic)s» in %(region)s") % {
            "number": report.pk,
            "topic": report.topic.name,
            "region": report.region.name,
        }
        return title, _short(report.public_description)

    exclude = [report.author_id] if report.author_id else []
    return civic_notify(
        recipients=area_followers(report),
        kind=KIND_NEW,
        key=f"civic:e{event.pk}:area",
        report=report,
        render=texts,
        exclude=exclude,
    )


def notify_overdue(*, report: CitizenReport, event: ReportEvent, day: dt.date) -> int:
    def texts() -> tuple[str, str]:
        due = report.response_due_on
        title = _title(report, _("the answer is overdue"))
        body = _("The answer was due on %(due)s and has not been given. %(text)s") % {
            "due": due.strftime("%d.%m.%Y") if due else "—",
            "text": report.public_description,
        }
        return title, _short(body)

    return civic_notify(
        recipients=akimat_officials(report),
        kind=KIND_OVERDUE,
        key=f"civic:overdue:r{report.pk}",
        report=report,
        render=texts,
        day=day,
    )
