"""What the event services share: who acts, the row locked for a change, its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.edge import has_forbidden
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.events.models import PublicEvent

OBJECT_TYPE = "events.publicevent"
_SNAPSHOT = ("state", "starts_at", "ends_at", "region_id", "place", "sequence", "participants")


def now() -> dt.datetime:
    return timezone.now()


def refused() -> PermissionRefused:
    return PermissionRefused("forbidden", _("You may not do this with this event."))


def locked(event: PublicEvent) -> PublicEvent:
    return PublicEvent.objects.select_for_update().get(pk=event.pk)


def snapshot(event: PublicEvent) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _SNAPSHOT:
        value = getattr(event, name)
        out[name] = value.isoformat() if isinstance(value, dt.datetime) else value
    return out


def audit(
    *,
    actor: User | None,
    action: str,
    event: PublicEvent,
    before: dict[str, Any] | None = None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    after = snapshot(event)
    if extra:
        after.update(extra)
    audit_record(
        actor=actor,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=event.pk,
        before=before,
        after=after,
        reason=reason,
    )


def clean_text(
    value: Any, field: str, *, required: bool = True, max_length: int, multiline: bool = False
) -> str:
    text = str(value or "").strip()
    if required and not text:
        message = _("This field is required.")
        raise ServiceError("required", message, {field: [message]})
    if len(text) > max_length:
        message = _("At most %(limit)d characters.") % {"limit": max_length}
        raise ServiceError("too_long", message, {field: [message]})
    if has_forbidden(text) or (not multiline and ("\n" in text or "\r" in text)):
        message = _("The text contains characters that are not allowed.")
        raise ServiceError("bad_text", message, {field: [message]})
    return text
