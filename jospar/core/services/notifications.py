"""Notifications: written once per event, read and marked read by their recipient.

What to tell whom is decided by the app that knows the event (`jospar.control.reminders`); this
module stores it. The unique event key is the only guarantee against telling twice: a draft
whose key is taken is dropped, by this module's check or, when two runs race, by the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused
from jospar.core.models import Notification, User
from jospar.core.ops.metrics import count_notifications_on_commit

T = TypeVar("T")
_CHUNK = 500


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class NotificationDraft:
    """A notification not yet written: texts already in the recipient's language."""

    recipient: User
    kind: str
    event_key: str
    event_day: dt.date
    title: str
    body: str = ""
    url: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


def wants_email(user: User) -> bool:
    return bool(user.is_active and user.email_notifications and user.email)


def taken_event_keys(keys: Sequence[str]) -> set[str]:
    """The keys of events already told. Only a shortcut: the unique constraint decides."""
    taken: set[str] = set()
    for chunk in _chunks(keys):
        taken.update(
            Notification.objects.filter(event_key__in=chunk).values_list("event_key", flat=True)
        )
    return taken


def notifications_create(*, drafts: Iterable[NotificationDraft], batch: str) -> int:
    """Write the drafts whose event key is not taken yet; the number written by this call
    (``batch`` names the run, so that what it wrote can be counted).

    Runs inside the caller's transaction, whose audit row covers it. Rows are inserted with
    ``ON CONFLICT DO NOTHING``: a concurrent run that wrote the same key first wins, and this
    one adds nothing for it.
    """
    unique: dict[str, NotificationDraft] = {}
    for draft in drafts:
        unique.setdefault(draft.event_key, draft)
    if not unique:
        return 0
    taken = taken_event_keys(list(unique))
    now = timezone.now()
    rows = [
        Notification(
            recipient=draft.recipient,
            kind=draft.kind,
            subject_type=draft.subject_type,
            subject_id=draft.subject_id,
            url=draft.url[:500],
            lang=(draft.recipient.language or "kk")[:2],
            title=draft.title[:300],
            body=draft.body,
            data=draft.data,
            event_key=key,
            event_day=draft.event_day,
            batch=batch,
            created_at=now,
            email_wanted=wants_email(draft.recipient),
        )
        # In key order: two runs racing insert in the same order, so that one waits for the
        # other instead of each holding a row the other needs.
        for key, draft in sorted(unique.items())
        if key not in taken
    ]
    if not rows:
        return 0
    written_before = Notification.objects.filter(batch=batch).count()
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=_CHUNK, ignore_conflicts=True)
    written = Notification.objects.filter(batch=batch).count() - written_before
    if written:
        count_notifications_on_commit(written)
    return written


def _own(actor: User, notification: Notification) -> None:
    if not actor.is_authenticated or notification.recipient_id != actor.pk:
        raise PermissionRefused("forbidden", _("This notification is not yours."))


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """The recipient has seen it. Marking again changes nothing."""
    _own(actor, notification)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    if not actor.is_authenticated:
        raise PermissionRefused("forbidden", _("Log in to see your notifications."))
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def user_notification_settings_set(*, actor: User, user: User, email_notifications: bool) -> User:
    """A person turns e-mail notifications on or off for themself (an administrator may for
    anyone). Notifications already waiting to be e-mailed follow the new choice."""
    if not actor.is_authenticated or (actor.pk != user.pk and not actor.is_administrator):
        raise PermissionRefused("forbidden", _("You may change only your own settings."))
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        before = stored.email_notifications
        if before == email_notifications:
            return stored
        stored.email_notifications = email_notifications
        stored.save(update_fields=["email_notifications"])
        if not email_notifications:
            Notification.objects.filter(
                recipient=stored, email_wanted=True, emailed_at__isnull=True
            ).update(email_wanted=False)
        audit_record(
            actor=actor,
            action="user.notification_settings",
            object_type="core.user",
            object_id=stored.pk,
            before={"email_notifications": before},
            after={"email_notifications": email_notifications},
        )
    user.email_notifications = email_notifications
    return stored
