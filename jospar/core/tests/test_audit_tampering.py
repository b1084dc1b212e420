"""Tampering with the audit log, as someone who can write the database but holds neither the
audit key nor the anchors: each way is caught by `jospar audit-verify`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from jospar.core import audit, audit_anchor
from jospar.core.audit import audit_record, audit_verify_chain
from jospar.core.audit_anchor import anchors_read, audit_anchor_write
from jospar.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def _write(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with transaction.atomic():
            audit_record(
                actor=None, action="test.event", object_type="t", object_id=i, after={"i": i}
            )


def _raw(sql: str, params: list[Any] | None = None) -> None:
    """SQL past the append-only triggers, as a database owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute(sql, params or [])


def _verify_fails(*words: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return message


def _rows() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


def test_an_untouched_anchored_chain_passes(capsys: Any) -> None:
    _write(3)
    call_command("audit_anchor")
    _write(2, start=3)
    call_command("audit_anchor")
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "5 events, 2 anchors" in out
    anchors = anchors_read().anchors
    assert [a.seq for a in anchors] == [3, 5]
    assert anchors[-1].mac == _rows()[-1].hash
    # Nothing new: no third anchor.
    assert audit_anchor_write() == {"anchored": False, "seq": 5}


def test_truncate_is_caught() -> None:
    _write(4)
    call_command("audit_anchor")
    if connection.vendor == "postgresql":
        # The test's own transaction still holds the deferred foreign-key checks of the rows.
        _raw("SET CONSTRAINTS ALL IMMEDIATE")
        _raw("TRUNCATE core_auditevent")
    else:
        _raw("DELETE FROM core_auditevent")
    _verify_fails("empty", "held 4", "emptied")


def test_an_empty_chain_with_anchors_fails_even_without_its_head_row() -> None:
    _write(2)
    call_command("audit_anchor")
    _raw("DELETE FROM core_auditevent")
    _raw("DELETE FROM core_auditchainhead")
    assert AuditEvent.objects.count() == 0
    report = audit_verify_chain()
    assert not report.ok
    assert report.checked == 0
    _verify_fails("empty", "held 2")


def test_a_cut_tail_with_an_updated_head_is_caught() -> None:
    _write(5)
    call_command("audit_anchor")
    rows = _rows()
    _raw("DELETE FROM core_auditevent WHERE id > %s", [rows[2].pk])
    _raw("UPDATE core_auditchainhead SET last_hash = %s, seq = 3", [rows[2].hash])
    # The table alone now looks whole.
    head = AuditChainHead.objects.get()
    assert (head.seq, head.last_hash) == (3, rows[2].hash)
    _verify_fails("holds 3 events", "says it held 5", "removed")


def test_a_full_rehash_with_plain_sha256_is_caught() -> None:
    _write(4)
    call_command("audit_anchor")
    prev = audit.GENESIS
    for event in _rows():
        if event.object_id == "1":
            event.action = "test.forged"
        event.prev_hash = prev
        event.hash = audit._legacy_hash(event)
        _raw(
            "UPDATE core_auditevent SET action = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.action, event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    _raw("UPDATE core_auditchainhead SET last_hash = %s", [prev])
    _verify_fails("plain SHA-256")


def test_a_full_rehash_is_caught_even_before_any_anchor() -> None:
    _write(3)
    prev = audit.GENESIS
    for event in _rows():
        event.reason = "rewritten"
        event.prev_hash = prev
        event.hash = audit._legacy_hash(event)
        _raw(
            "UPDATE core_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.reason, event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    _raw("UPDATE core_auditchainhead SET last_hash = %s", [prev])
    _verify_fails("plain SHA-256")


def test_a_single_changed_row_is_caught_and_not_anchored() -> None:
    _write(3)
    call_command("audit_anchor")
    _write(2, start=3)
    victim = _rows()[3]
    _raw("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"i": 99}', victim.pk])
    message = _verify_fails(f"event #{victim.pk}", "does not match its HMAC")
    assert "position 4" in message
    # The anchor job refuses to vouch for it.
    result = audit_anchor_write()
    assert result["anchored"] is False
    assert "does not match its HMAC" in result["problem"]
    assert [a.seq for a in anchors_read().anchors] == [3]


def test_a_forged_anchor_line_is_refused(settings: Any) -> None:
    _write(2)
    call_command("audit_anchor")
    path = Path(settings.AUDIT_ANCHOR_FILE)
    forged = audit_anchor.Anchor(seq=1, mac="0" * 64, event_id=None, at="x", key_id=audit.key_id())
    with path.open("a") as handle:
        handle.write(forged.line() + "\n")
    _verify_fails("bad signature")


def test_anchors_in_object_storage_catch_a_truncation(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With S3 the anchors are objects in the bucket; any Django storage stands in for it."""
    storage = FileSystemStorage(location=tmp_path / "bucket")
    settings.AUDIT_ANCHOR_FILE = None
    settings.AUDIT_ANCHOR_PREFIX = "audit-anchors/"
    monkeypatch.setattr(audit_anchor, "_storage", lambda: storage)
    _write(3)
    call_command("audit_anchor")
    assert len(storage.listdir("audit-anchors")[1]) == 1
    call_command("audit_verify")
    _raw("DELETE FROM core_auditevent")
    _verify_fails("empty", "held 3")


def test_legacy_sha256_rows_are_accepted_once_and_then_protected(capsys: Any) -> None:
    """A database from before the keyed chain: its rows fail until accepted; once accepted,
    re-hashing them is caught by the legacy anchor."""
    _write(3)
    prev = audit.GENESIS
    for event in _rows():  # what the old code wrote: the same content, unkeyed
        event.prev_hash = prev
        event.hash = audit._legacy_hash(event)
        _raw(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    _raw("UPDATE core_auditchainhead SET last_hash = %s", [prev])
    _verify_fails("plain SHA-256", "--accept-legacy")
    call_command("audit_anchor", "--accept-legacy")
    assert "accepted 3 events" in capsys.readouterr().out
    assert _rows()[-1].action == "audit.keyed_chain_started"
    _write(1, start=10)
    call_command("audit_verify")
    # A second acceptance is refused: anchors exist.
    with pytest.raises(CommandError):
        call_command("audit_anchor", "--accept-legacy")
    victim = _rows()[1]
    victim.reason = "rewritten"
    _raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", [victim.reason, victim.pk])
    _verify_fails(f"event #{victim.pk}")
