"""The append-only, hash-chained audit log.

Services call :func:`audit_record` inside their own transaction, so that the change and its
record commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jospar.core.models import AuditChainHead, AuditEvent, User

GENESIS = "0" * 64


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode("utf-8")


def _event_hash(event: AuditEvent) -> str:
    payload = {
        "prev": event.prev_hash,
        "at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "type": event.object_type,
        "id": event.object_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def _jsonable(value: Any) -> Any:
    # Round-trip through JSON so that what is hashed is exactly what the database returns.
    return None if value is None else json.loads(_canonical(value))


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.get_username() if actor is not None and actor.pk else "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
        prev_hash=head.last_hash,
    )
    event.hash = _event_hash(event)
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify_chain() -> ChainReport:
    """Recompute every hash in order; report the first row that does not fit the chain."""
    prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return ChainReport(checked, event.pk, "previous hash does not match")
        if _event_hash(event) != event.hash:
            return ChainReport(checked, event.pk, "content does not match its hash")
        prev = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(checked, None if checked == 0 else -1, "rows missing after the last")
    return ChainReport(checked, None, None)
