"""E-mailing notifications: one letter per person and kind, each row marked only once sent.

A sender first claims the rows it will send (one UPDATE), so that two senders running at once
never send the same row; a row is marked ``emailed_at`` only after its letter went out. A letter
that fails leaves its rows waiting, with the error and one more attempt counted: the next run
sends them again, in one letter with whatever else is waiting of that kind.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from jospar.core.models import Notification, NotificationKind, User
from jospar.core.ops.metrics import count_emails

logger = logging.getLogger(__name__)

# A claim older than this belongs to a sender that died: its rows may be claimed again.
CLAIM_TIMEOUT = dt.timedelta(minutes=15)

INTRO: dict[str, Promise] = {
    NotificationKind.BEFORE: _("Control deadlines are approaching for these activities:"),
    NotificationKind.DUE: _("The control deadline is today for these activities:"),
    NotificationKind.OVERDUE: _(
        "The control deadline has passed and no execution report has been submitted for these "
        "activities:"
    ),
    NotificationKind.OVERDUE_HEAD: _(
        "Your organisation has missed the control deadline for these activities:"
    ),
}
SUBJECT_MANY: dict[str, Promise] = {
    NotificationKind.BEFORE: ngettext_lazy(
        "Control deadlines approaching: %(count)d activity",
        "Control deadlines approaching: %(count)d activities",
        "count",
    ),
    NotificationKind.DUE: ngettext_lazy(
        "Control deadline today: %(count)d activity",
        "Control deadline today: %(count)d activities",
        "count",
    ),
    NotificationKind.OVERDUE: ngettext_lazy(
        "Control deadline missed: %(count)d activity",
        "Control deadline missed: %(count)d activities",
        "count",
    ),
    NotificationKind.OVERDUE_HEAD: ngettext_lazy(
        "Your organisation missed the control deadline: %(count)d activity",
        "Your organisation missed the control deadline: %(count)d activities",
        "count",
    ),
}


@dataclass(frozen=True)
class Letter:
    """The letter of a kind of notification another app writes: its templates
    (``<template>.txt`` and ``.html``) and, optionally, the subject of a letter holding several
    (a lazy plural with ``%(count)d``)."""

    template: str
    subject_many: Promise | None = None


# Kinds of other apps, registered by each app when it starts (its ``AppConfig.ready``); a kind
# nobody registered gets the plain letter of events (``core/email/event``), never the control
# loop's table of activities.
LETTERS: dict[str, Letter] = {}
EVENT_LETTER = Letter("core/email/event")


def letter_register(kind: str, template: str, subject_many: Promise | None = None) -> None:
    LETTERS[kind] = Letter(template, subject_many)


def _template(kind: str) -> str:
    if kind == NotificationKind.DIGEST:
        return "core/email/digest"
    if kind in INTRO:
        return "core/email/notifications"
    return LETTERS.get(kind, EVENT_LETTER).template


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_url() + (path if path.startswith("/") else "/" + path)


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_EMAIL_MAX_ATTEMPTS", 5))


@dataclass
class EmailRun:
    letters_sent: int = 0
    notifications_sent: int = 0
    letters_failed: int = 0
    dropped: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def pending() -> QuerySet[Notification]:
    """Rows still to be e-mailed, whose attempts are not used up."""
    return Notification.objects.filter(
        email_wanted=True, emailed_at__isnull=True, email_attempts__lt=max_attempts()
    )


def _subject(kind: str, rows: Sequence[Notification]) -> str:
    many = SUBJECT_MANY.get(kind) or LETTERS.get(kind, EVENT_LETTER).subject_many
    if len(rows) == 1 or many is None:
        return rows[0].title
    # A lazy plural picks its form when the number is applied: no str() before the %.
    return str(many % {"count": len(rows)})


def build_letter(rows: Sequence[Notification], recipient: User) -> EmailMultiAlternatives:
    """One letter for rows of one recipient, kind and language, in that language."""
    first = rows[0]
    with translation.override(first.lang or "kk"):
        context: dict[str, Any] = {
            "recipient": recipient,
            "kind": first.kind,
            "intro": str(INTRO.get(first.kind, "")),
            "items": [
                {
                    "title": row.title,
                    "body": row.body,
                    "data": row.data or {},
                    "link": absolute(row.url),
                }
                for row in rows
            ],
            "notifications_url": absolute(reverse("notifications")),
            "site_url": site_url(),
        }
        template = _template(first.kind)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        subject = " ".join(_subject(first.kind, rows).split())[:250]
    letter = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    letter.attach_alternative(html, "text/html")
    return letter


def _claim(limit: int) -> list[Notification]:
    now = timezone.now()
    token = uuid.uuid4().hex
    free = Q(email_claim="") | Q(email_claimed_at__lt=now - CLAIM_TIMEOUT)
    ids = list(
        pending().filter(free).order_by("recipient_id", "kind", "id").values_list("pk", flat=True)
    )[:limit]
    for start in range(0, len(ids), 500):
        # The condition is checked again in the UPDATE: a row another sender claimed in
        # between is not taken.
        pending().filter(free, pk__in=ids[start : start + 500]).update(
            email_claim=token, email_claimed_at=now
        )
    return list(
        Notification.objects.filter(email_claim=token)
        .select_related("recipient")
        .order_by("recipient_id", "kind", "created_at", "id")
    )


def _groups(rows: list[Notification]) -> list[list[Notification]]:
    groups: dict[tuple[object, ...], list[Notification]] = {}
    for row in rows:
        key: tuple[object, ...] = (row.recipient_id, row.lang, row.kind)
        if row.kind == NotificationKind.DIGEST:
            # A digest is a letter of its own: two days' digests are two letters.
            key = (*key, row.pk)
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def notifications_email_send(*, limit: int = 5000) -> EmailRun:
    """Send what waits to be e-mailed. Safe to run at any time, twice, or in two workers."""
    run = EmailRun()
    # Those who turned e-mail off, lost their address or left since: their rows stop waiting.
    run.dropped = (
        pending()
        .filter(
            Q(recipient__is_active=False)
            | Q(recipient__email_notifications=False)
            | Q(recipient__email="")
        )
        .update(email_wanted=False)
    )
    rows = _claim(limit)
    if not rows:
        return run
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # the letters below try again one by one, and record their failure
        logger.warning("notifications: could not open the mail connection", exc_info=True)
    try:
        for group in _groups(rows):
            ids = [row.pk for row in group]
            mine = Notification.objects.filter(pk__in=ids, email_claim=group[0].email_claim)
            try:
                letter = build_letter(group, group[0].recipient)
                letter.connection = connection
                letter.send()
            except Exception as exc:  # any failure of the mail system: retried next run
                logger.warning(
                    "notifications: letter to user %s failed: %s", group[0].recipient_id, exc
                )
                mine.update(
                    email_attempts=F("email_attempts") + 1,
                    email_error=f"{type(exc).__name__}: {exc}"[:2000],
                    email_claim="",
                    email_claimed_at=None,
                )
                run.letters_failed += 1
            else:
                mine.update(
                    emailed_at=timezone.now(),
                    email_attempts=F("email_attempts") + 1,
                    email_error="",
                    email_claim="",
                    email_claimed_at=None,
                )
                run.letters_sent += 1
                run.notifications_sent += len(group)
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection is not worth a failure
            logger.debug("notifications: closing the mail connection failed", exc_info=True)
    count_emails("sent", run.letters_sent)
    count_emails("failed", run.letters_failed)
    return run
