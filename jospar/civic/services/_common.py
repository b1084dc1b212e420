"""What the civic services share: permission checks, the report locked for a change, its
history entry and audit row, and the text rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.civic.access import can_moderate, is_author, is_official_for
from jospar.civic.events import EventKind
from jospar.civic.models import CitizenAccount, CitizenReport, ReportEvent
from jospar.civic.privacy import mask_personal_data
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User

OBJECT_TYPE = "civic.citizenreport"
DESCRIPTION_MIN_CHARS = 10
DESCRIPTION_MAX_CHARS = 5000
ANSWER_MAX_CHARS = 10_000
COMMENT_MAX_CHARS = 3000
REASON_MAX_CHARS = 2000
_SNAPSHOT_FIELDS = (
    "state",
    "held",
    "hidden",
    "assigned_to_id",
    "duplicate_of_id",
    "confirmation",
    "department_id",
    "support_count",
)


def now() -> dt.datetime:
    return timezone.now()


# --- who ------------------------------------------------------------------------------------


def require_user(actor: Any) -> User:
    if not isinstance(actor, User) or not actor.is_authenticated or not actor.is_active:
        raise PermissionRefused("login_required", _("Log in to do this."))
    return actor


def require_confirmed(actor: Any) -> User:
    """A signed-in person whose e-mail is confirmed (users an administrator created have no
    citizen account and count as confirmed)."""
    user = require_user(actor)
    account = CitizenAccount.objects.filter(user=user).first()
    if account is not None and not account.is_confirmed:
        raise PermissionRefused(
            "email_unconfirmed",
            _("Confirm your e-mail address first: follow the link in the letter we sent you."),
        )
    return user


def require_moderator(actor: Any) -> User:
    user = require_user(actor)
    if not can_moderate(user):
        raise PermissionRefused("forbidden", _("Only a moderator may do this."))
    return user


def require_administrator(actor: Any) -> User:
    user = require_user(actor)
    if not user.is_administrator:
        raise PermissionRefused("forbidden", _("Only an administrator may do this."))
    return user


def require_official(actor: Any, report: CitizenReport) -> User:
    user = require_user(actor)
    if not is_official_for(user, report):
        raise PermissionRefused(
            "forbidden", _("Only an official of the akimat answering this report may do this.")
        )
    return user


def require_official_or_moderator(actor: Any, report: CitizenReport) -> User:
    user = require_user(actor)
    if not (is_official_for(user, report) or can_moderate(user)):
        raise PermissionRefused(
            "forbidden",
            _("Only an official of the akimat answering this report or a moderator may do this."),
        )
    return user


def require_author(actor: Any, report: CitizenReport) -> User:
    user = require_user(actor)
    if not is_author(user, report):
        raise PermissionRefused("forbidden", _("Only the author of the report may do this."))
    return user


# --- the report -----------------------------------------------------------------------------


def locked(report: CitizenReport) -> CitizenReport:
    """The report re-read under a row lock: every check is made on what is stored now."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked() must be called inside the service's transaction")
    return (
        CitizenReport.objects.select_for_update(of=("self",))
        .select_related("topic", "region", "akimat", "department")
        # Only the region's name is wanted: its boundary (about 10 KB of JSON) is left.
        .defer("region__bbox")
        .get(pk=report.pk)
    )


def require_state(report: CitizenReport, states: Iterable[str], message: str) -> None:
    allowed = {str(state) for state in states}
    if report.state not in allowed:
        raise Conflict(
            "invalid_state",
            _("%(message)s The report is now “%(state)s”.")
            % {"message": message, "state": report.get_state_display()},
        )


def snapshot(report: CitizenReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in _SNAPSHOT_FIELDS}


def write_event(
    report: CitizenReport,
    *,
    actor: User | None,
    kind: EventKind | str,
    from_state: str = "",
    to_state: str = "",
    public_note: str = "",
    internal_note: str = "",
    at: dt.datetime | None = None,
) -> ReportEvent:
    """One history entry; the public note is masked here, whatever the caller passed."""
    return ReportEvent.objects.create(
        report=report,
        at=at or now(),
        actor=actor if actor is not None and actor.pk else None,
        kind=str(kind),
        from_state=from_state,
        to_state=to_state,
        public_note=mask_personal_data(public_note),
        internal_note=internal_note,
    )


def audit(
    *,
    actor: User | None,
    action: str,
    report: CitizenReport,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str = "",
) -> None:
    audit_record(
        actor=actor,
        action=f"civic.{action}",
        object_type=OBJECT_TYPE,
        object_id=report.pk,
        before=before,
        after=after,
        reason=reason,
    )


def save_report(report: CitizenReport, fields: Iterable[str], at: dt.datetime) -> None:
    """Save the changed fields and ``updated_at`` (Open311 and the lists read changes by it)."""
    report.updated_at = at
    report.save(update_fields=[*dict.fromkeys([*fields, "updated_at"])])


# --- text -----------------------------------------------------------------------------------


def clean_text(
    text: Any,
    *,
    field: str,
    max_chars: int,
    min_chars: int = 1,
    code: str = "text_required",
    required_message: str | None = None,
) -> str:
    value = str(text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if len(value) < min_chars:
        message = required_message or (
            _("Write at least %(n)d characters.") % {"n": min_chars}
            if min_chars > 1
            else _("This field is required.")
        )
        raise ServiceError(code, message, {field: [message]})
    if len(value) > max_chars:
        message = _("The text is %(n)d characters long; at most %(limit)d are allowed.") % {
            "n": len(value),
            "limit": max_chars,
        }
        raise ServiceError("text_too_long", message, {field: [message]})
    return value


def clean_reason(reason: Any) -> str:
    return clean_text(
        reason,
        field="reason",
        max_chars=REASON_MAX_CHARS,
        code="reason_required",
        required_message=_("Give the reason."),
    )
