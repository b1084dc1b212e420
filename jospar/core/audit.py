"""The append-only audit log, chained by a keyed HMAC.

Services call :func:`audit_record` inside their own transaction, so that the change and its
record commit or roll back together. Each row's ``hash`` is HMAC-SHA256, under
``AUDIT_HMAC_KEY`` (a key the database does not hold), of its content and the previous row's
``hash``: whoever can write the table but does not have the key cannot re-hash a changed chain.
What the table alone cannot show — rows cut from its end, or all of them gone — is shown by the
anchors (``jospar.core.audit_anchor``): the head's sequence number and HMAC, appended
periodically outside the database. :func:`audit_verify_chain` checks both.

Rows written before the keyed chain (plain SHA-256) are accepted once, by
``jospar audit-anchor --accept-legacy``, which records how many there were in an anchor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from jospar.core.models import AuditChainHead, AuditEvent, User

GENESIS = "0" * 64


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode("utf-8")


def _content(event: AuditEvent) -> bytes:
    return _canonical(
        {
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
    )


@lru_cache(maxsize=4)
def _key_from(configured: str, key_file: str) -> bytes:
    if configured:
        return configured.encode("utf-8")
    path = Path(key_file)
    if not path.exists():
        # The embedded default makes its own key once, readable by its owner only: written to a
        # temporary file, then linked into place, so that of two processes starting together one
        # key wins and neither reads a half-written file.
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"the audit key file {path} is empty")
    return key.encode("utf-8")


def hmac_key() -> bytes:
    """``AUDIT_HMAC_KEY``, or the embedded default's generated key in ``var/``."""
    return _key_from(
        str(getattr(settings, "AUDIT_HMAC_KEY", "") or ""),
        str(
            getattr(settings, "AUDIT_HMAC_KEY_FILE", Path(settings.BASE_DIR) / "var" / "audit.key")
        ),
    )


def key_id() -> str:
    """Names the key in anchors without revealing it, so that a changed key is told apart from
    a forged chain."""
    return hashlib.sha256(b"jospar-audit-key-id:" + hmac_key()).hexdigest()[:16]


def keyed(message: bytes) -> str:
    return hmac.new(hmac_key(), message, hashlib.sha256).hexdigest()


def _event_mac(event: AuditEvent) -> str:
    return keyed(_content(event))


def _legacy_hash(event: AuditEvent) -> str:
    """The unkeyed SHA-256 of rows written before the keyed chain."""
    return hashlib.sha256(_content(event)).hexdigest()


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
    head: AuditChainHead | None = None,
) -> AuditEvent:
    """Append one event to the chain. ``head``: the chain's head, when the service has already
    locked it in this transaction (``SELECT ... FOR UPDATE`` with its own reads, saving a
    round trip on a hot path); else it is locked here."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    if head is None:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS, "seq": 0}
        )
    event = audit_event_prepare(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        reason=reason,
        head=head,
    )
    if connection.vendor == "postgresql":
        sql, params = audit_append_sql(event, head, when="TRUE")
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH {sql} SELECT (SELECT id FROM audit_e), (SELECT id FROM audit_h)", params
            )
            row = cursor.fetchone()
        if row is None or row[1] is None:
            raise RuntimeError("the audit chain's head is missing")
        event.pk = row[0]
        event._state.adding = False
    else:
        event.save(force_insert=True)
        head.save(update_fields=["last_hash", "seq"])
    return event


def audit_event_prepare(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    head: AuditChainHead,
) -> AuditEvent:
    """The event that follows ``head`` (locked by the caller in its transaction), hashed and not
    yet written; ``head`` moved on in memory. Written by :func:`audit_record`, or by the
    caller's own statement through :func:`audit_append_sql`."""
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
    event.hash = _event_mac(event)
    head.last_hash = event.hash
    head.seq += 1
    return event


_EVENT_COLUMNS = (
    "occurred_at",
    "actor",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "prev_hash",
    "hash",
)


def _event_fields() -> list[models.Field[Any, Any]]:
    fields = []
    for name in _EVENT_COLUMNS:
        field = AuditEvent._meta.get_field(name)
        assert isinstance(field, models.Field)
        fields.append(field)
    return fields


def audit_append_sql(
    event: AuditEvent, head: AuditChainHead, *, when: str
) -> tuple[str, list[Any]]:
    """PostgreSQL: two items of a WITH (``audit_e``, ``audit_h``) that write ``event`` and move
    the chain's head, only where the SQL condition ``when`` holds (e.g. ``EXISTS (SELECT 1
    FROM v)``: the service's own row was written by an earlier item). One statement, one
    round trip, for the change and its audit row; the same writes as ``save()`` twice."""
    fields = _event_fields()
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    # Typed: a bare parameter in a SELECT list would be text, which a jsonb column refuses.
    placeholders = ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields)
    sql = (
        f"audit_e AS (INSERT INTO {AuditEvent._meta.db_table} ({columns}) "
        f"SELECT {placeholders} WHERE {when} RETURNING id), "
        f"audit_h AS (UPDATE {AuditChainHead._meta.db_table} SET last_hash = %s, seq = %s "
        "WHERE id = %s AND EXISTS (SELECT 1 FROM audit_e) RETURNING id)"
    )
    return sql, [*values, head.last_hash, head.seq, head.pk]


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # the id of the first event that does not fit, when there is one
    problem: str | None
    anchors: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


def _row_problem(event: AuditEvent, position: int, legacy_rows: int) -> str | None:
    if hmac.compare_digest(event.hash, _event_mac(event)):
        return None
    if hmac.compare_digest(event.hash, _legacy_hash(event)):
        if position <= legacy_rows:
            return None
        return (
            "hashed with plain SHA-256, without the key: the chain was re-hashed, or was written "
            "before the keyed chain and never accepted (`jospar audit-anchor --accept-legacy`)"
        )
    return "content does not match its HMAC (changed, or sealed with another key)"


def audit_verify_chain() -> ChainReport:
    """Recompute every row's HMAC in order and check the chain against its anchors: the first
    row that does not fit, a row an anchor saw with another HMAC, and a chain shorter than an
    anchor says (rows cut from the end, or the table emptied) are reported."""
    from jospar.core.audit_anchor import anchors_read

    found = anchors_read()
    if found.problems:
        return ChainReport(0, None, found.problems[0], len(found.anchors))
    from jospar.core.audit_anchor import effective_anchors

    applying = effective_anchors(found.anchors)
    by_seq = {a.seq: a for a in applying if a.seq > 0}
    legacy_rows = max((a.seq for a in applying if a.kind == "legacy"), default=0)
    prev = GENESIS
    position = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        position += 1
        problem: str | None = None
        anchor = by_seq.get(position)
        if event.prev_hash != prev:
            problem = "previous hash does not match (a row before it was removed or changed)"
        else:
            problem = _row_problem(event, position, legacy_rows)
        if (
            problem is None
            and anchor is not None
            and not hmac.compare_digest(anchor.mac, event.hash)
        ):
            problem = f"differs from the anchor written {anchor.at}: the chain was rewritten"
        if problem is not None:
            return ChainReport(
                position - 1,
                event.pk,
                f"event #{event.pk} (position {position}): {problem}",
                len(found.anchors),
            )
        prev = event.hash
    newest = max(applying, key=lambda a: a.seq, default=None)
    if newest is not None and position < newest.seq:
        what = (
            "the audit log is empty" if position == 0 else f"the audit log holds {position} events"
        )
        return ChainReport(
            position,
            None,
            f"{what}, but the anchor written {newest.at} says it held {newest.seq}: "
            + (
                "the table was emptied (TRUNCATE or DELETE)"
                if position == 0
                else "the newest events were removed"
            ),
            len(found.anchors),
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or (head.seq and head.seq != position)):
        return ChainReport(
            position,
            None,
            f"the chain head ({head.seq} events) does not match the {position} events found: "
            "rows missing after the last",
            len(found.anchors),
        )
    return ChainReport(position, None, None, len(found.anchors))
