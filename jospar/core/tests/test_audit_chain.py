"""The audit log: chained by hashes, append-only in the database, verified by a command."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from jospar.core.audit import audit_record, audit_verify_chain
from jospar.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _write(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="test.event",
                object_type="t",
                object_id=i,
                after={"i": i, "text": "Қазақ тілі"},
            )


def test_the_chain_verifies_and_the_command_says_so(capsys: Any) -> None:
    _write(5)
    assert audit_verify_chain().ok
    call_command("audit_verify")
    assert "5 events" in capsys.readouterr().out


def test_rows_cannot_be_changed_or_deleted() -> None:
    _write(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=AuditEvent.objects.first().pk).update(action="forged")  # type: ignore[union-attr]
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_a_deleted_row_breaks_the_chain() -> None:
    _write(3)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM core_auditevent WHERE id = %s", [AuditEvent.objects.order_by("id")[1].pk]
        )
    assert not audit_verify_chain().ok


def test_a_forged_row_breaks_the_chain() -> None:
    _write(3)
    victim = AuditEvent.objects.order_by("id")[1]
    # Only someone who drops the trigger can forge a row; the chain still tells.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser's session can skip triggers; nothing less can.
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE id = %s", [victim.pk])
    report = audit_verify_chain()
    assert not report.ok
    assert report.broken_at == victim.pk
    with pytest.raises(CommandError):
        call_command("audit_verify")


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", object_type="t", object_id=1)
