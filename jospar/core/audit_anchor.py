"""Anchors of the audit chain, kept where the database cannot reach.

An anchor is one JSON line: the chain's length (``seq``) and the HMAC of its newest event, the
event's id, when it was written, the key's id, and a signature (HMAC of the rest under the audit
key, so that a line written by someone without the key is refused). Each anchor is written

- to the log (logger ``jospar.audit.anchor``, one structured line), which production ships
  elsewhere;
- appended to ``AUDIT_ANCHOR_FILE`` (``var/audit-anchors.log`` by default), opened in append
  mode only;
- with S3, as one new object per anchor under ``AUDIT_ANCHOR_PREFIX`` in the default storage
  (never overwritten: names carry the time and sequence number; a bucket with object lock keeps
  them from being deleted).

``audit_anchor_write`` runs periodically (Celery beat; the embedded scheduler). Before writing it
checks the events added since the newest anchor, so that it never vouches for a broken chain.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from jospar.core import audit
from jospar.core.models import AuditChainHead, AuditEvent

logger = logging.getLogger("jospar.audit.anchor")


@dataclass(frozen=True)
class Anchor:
    seq: int
    mac: str
    event_id: int | None
    at: str
    key_id: str
    kind: str = "head"  # "legacy": this many leading rows are plain SHA-256, accepted once
    sig: str = ""

    def _message(self) -> bytes:
        return (
            f"jospar-audit-anchor|{self.kind}|{self.seq}|{self.mac}|{self.event_id}|{self.at}|"
            f"{self.key_id}"
        ).encode()

    def signed(self) -> Anchor:
        return Anchor(**{**asdict(self), "sig": audit.keyed(self._message())})

    def signature_ok(self) -> bool:
        return bool(self.sig) and audit.keyed(self._message()) == self.sig

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def parse(cls, text: str) -> Anchor:
        data = json.loads(text)
        return cls(
            seq=int(data["seq"]),
            mac=str(data["mac"]),
            event_id=None if data.get("event_id") is None else int(data["event_id"]),
            at=str(data["at"]),
            key_id=str(data["key_id"]),
            kind=str(data.get("kind", "head")),
            sig=str(data.get("sig", "")),
        )


@dataclass
class AnchorsFound:
    anchors: list[Anchor] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _file() -> Path | None:
    configured = getattr(settings, "AUDIT_ANCHOR_FILE", None)
    return Path(configured) if configured else None


def _prefix() -> str:
    return str(getattr(settings, "AUDIT_ANCHOR_PREFIX", "") or "")


def _storage() -> Storage:
    return default_storage


def _read_lines() -> list[tuple[str, str]]:
    """(where, line) of every stored anchor, from the file and from object storage."""
    lines: list[tuple[str, str]] = []
    path = _file()
    if path is not None and path.exists():
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.strip():
                lines.append((f"{path}:{number}", text))
    prefix = _prefix()
    if prefix:
        storage = _storage()
        directory = prefix.rstrip("/")
        try:
            _dirs, names = storage.listdir(directory)
        except FileNotFoundError:
            names = []
        for name in sorted(names):
            with storage.open(f"{directory}/{name}", "rb") as handle:
                lines.append((f"{directory}/{name}", handle.read().decode("utf-8").strip()))
    return lines


def anchors_read() -> AnchorsFound:
    """Every anchor, each with its signature checked under the current key."""
    found = AnchorsFound()
    current = audit.key_id()
    for where, text in _read_lines():
        try:
            anchor = Anchor.parse(text)
        except (ValueError, KeyError, TypeError):
            found.problems.append(f"anchor {where} is unreadable")
            continue
        if anchor.key_id != current:
            found.problems.append(
                f"anchor {where} was sealed with another key ({anchor.key_id}); "
                "the audit key was changed"
            )
        elif not anchor.signature_ok():
            found.problems.append(f"anchor {where} has a bad signature: it was not written here")
        else:
            found.anchors.append(anchor)
    return found


def effective_anchors(anchors: list[Anchor]) -> list[Anchor]:
    """The anchors that still apply, in the order written: a ``restored`` anchor (written by
    `jospar restore`, which holds the key) sets the chain back to a backup's head, so the
    anchors written before it for events past that head no longer apply."""
    out: list[Anchor] = []
    for anchor in sorted(anchors, key=lambda a: a.at):
        if anchor.kind == "restored":
            out = [a for a in out if a.kind == "legacy" or a.seq <= anchor.seq]
        out.append(anchor)
    return out


def anchor_restored(*, seq: int, mac: str | None) -> None:
    """Record that the chain was set back to a backup's head (``seq`` events, HMAC ``mac``)."""
    event = AuditEvent.objects.filter(hash=mac).only("pk").first() if mac else None
    anchor_append(
        Anchor(
            seq=seq,
            mac=mac or audit.GENESIS,
            event_id=event.pk if event is not None else None,
            at=timezone.now().isoformat(),
            key_id=audit.key_id(),
            kind="restored",
        )
    )


def anchor_append(anchor: Anchor) -> None:
    signed = anchor.signed()
    line = signed.line()
    logger.info("audit anchor %s", line, extra={"audit_anchor": asdict(signed)})
    path = _file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
    prefix = _prefix()
    if prefix:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        name = f"{prefix.rstrip('/')}/{stamp}-{signed.kind}-{signed.seq:012d}.json"
        _storage().save(name, ContentFile((line + "\n").encode("utf-8")))


def _check_since(newest: Anchor | None, seq: int, head_mac: str) -> str | None:
    """Check the events after the newest anchor up to the head; a problem, or None."""
    if newest is not None and newest.seq > seq:
        return f"the chain holds {seq} events but the anchor written {newest.at} says {newest.seq}"
    legacy_rows = max((a.seq for a in anchors_read().anchors if a.kind == "legacy"), default=0)
    if newest is not None and newest.seq == 0:
        newest = None
    prev = newest.mac if newest is not None else audit.GENESIS
    position = newest.seq if newest is not None else 0
    rows = AuditEvent.objects.order_by("id")
    if newest is not None and newest.event_id is not None:
        if not AuditEvent.objects.filter(pk=newest.event_id, hash=newest.mac).exists():
            return f"the event the anchor written {newest.at} names is gone or changed"
        rows = rows.filter(pk__gt=newest.event_id)
    for event in rows.iterator(chunk_size=2000):
        if position == seq:
            break
        position += 1
        if event.prev_hash != prev:
            return f"event #{event.pk}: previous hash does not match"
        problem = audit._row_problem(event, position, legacy_rows)
        if problem:
            return f"event #{event.pk}: {problem}"
        prev = event.hash
    if position != seq or prev != head_mac:
        return f"the chain head ({seq} events) does not match the events found ({position})"
    return None


def audit_anchor_write() -> dict[str, Any]:
    """Anchor the chain's current head, after checking what was added since the last anchor.
    Nothing is written when the head is already anchored or the chain is empty."""
    head = AuditChainHead.objects.filter(pk=1).first()
    seq, mac = (head.seq, head.last_hash) if head is not None else (0, audit.GENESIS)
    found = anchors_read()
    if found.problems:
        logger.error("audit anchor not written: %s", found.problems[0])
        return {"anchored": False, "problem": found.problems[0]}
    newest = max(
        (a for a in effective_anchors(found.anchors) if a.kind != "legacy"),
        key=lambda a: (a.seq, a.at),
        default=None,
    )
    if seq == 0 and newest is None:
        return {"anchored": False, "seq": 0}
    if newest is not None and newest.seq == seq and newest.mac == mac:
        return {"anchored": False, "seq": seq}
    problem = _check_since(newest, seq, mac)
    if problem:
        logger.error("audit anchor not written: the chain is broken: %s", problem)
        return {"anchored": False, "problem": problem}
    event = AuditEvent.objects.filter(hash=mac).only("pk").first()
    anchor_append(
        Anchor(
            seq=seq,
            mac=mac,
            event_id=event.pk if event is not None else None,
            at=timezone.now().isoformat(),
            key_id=audit.key_id(),
        )
    )
    return {"anchored": True, "seq": seq}


def audit_accept_legacy() -> dict[str, Any]:
    """Accept, once, the plain SHA-256 rows written before the keyed chain: they must form an
    intact chain from the first row; their number and last hash are anchored, and the switch is
    recorded in the chain itself. Refused when anchors exist already."""
    from django.db import transaction

    if anchors_read().anchors:
        return {"accepted": 0, "problem": "anchors exist already; nothing to accept"}
    prev = audit.GENESIS
    count = 0
    last: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev or event.hash != audit._legacy_hash(event):
            break
        count += 1
        prev = event.hash
        last = event
    if last is None:
        return {"accepted": 0}
    anchor_append(
        Anchor(
            seq=count,
            mac=last.hash,
            event_id=last.pk,
            at=timezone.now().isoformat(),
            key_id=audit.key_id(),
            kind="legacy",
        )
    )
    with transaction.atomic():
        audit.audit_record(
            actor=None,
            action="audit.keyed_chain_started",
            object_type="core.audit",
            object_id=count,
            after={"legacy_events": count, "legacy_head": last.hash},
        )
    audit_anchor_write()
    return {"accepted": count}
