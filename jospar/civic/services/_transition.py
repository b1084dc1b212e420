"""The three things every change of a report writes, in its transaction: the history entry
(its public note masked), the audit row, and the followers' notices (sent on commit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jospar.civic.events import EventKind
from jospar.civic.models import CitizenReport, ReportEvent
from jospar.civic.notify import notify_followers
from jospar.civic.services._common import audit, snapshot, write_event
from jospar.core.models import User


def record_transition(
    current: CitizenReport,
    *,
    user: User,
    before: dict[str, Any],
    at: dt.datetime,
    kind: EventKind | str,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    reason: str = "",
    after: dict[str, Any] | None = None,
) -> ReportEvent:
    """``after`` defaults to the report as it now is."""
    event = write_event(
        current,
        actor=user,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        public_note=note,
        at=at,
    )
    audit(
        actor=user,
        action=action,
        report=current,
        before=before,
        after=snapshot(current) if after is None else after,
        reason=reason,
    )
    notify_followers(report=current, event=event, actor=user)
    return event
