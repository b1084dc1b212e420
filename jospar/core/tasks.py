"""Background work of the core app: e-mailing notifications."""

from __future__ import annotations

from celery import shared_task

from jospar.core.outbox import enqueue, outbox_flush
from jospar.core.services.notification_email import notifications_email_send


@shared_task(name="core.send_notification_emails", acks_late=True)  # type: ignore[untyped-decorator]
def send_notification_emails() -> dict[str, int]:
    """Send the notifications waiting for e-mail. Takes nothing, and is safe to run twice or in
    two workers at once: each row is claimed before it is sent and marked once it went out."""
    return notifications_email_send().as_dict()


def queue_notification_emails() -> None:
    """Inside the transaction that wrote notifications: the sender is recorded with them and
    published once they are committed (``jospar.core.outbox``)."""
    enqueue("core.send_notification_emails")


@shared_task(name="core.outbox_flush", acks_late=True)  # type: ignore[untyped-decorator]
def flush_outbox() -> dict[str, int]:
    """Publish the background work a broker outage left recorded (Celery beat, every minute)."""
    return outbox_flush()


@shared_task(name="core.audit_anchor", acks_late=True)  # type: ignore[untyped-decorator]
def anchor_audit_chain() -> dict[str, object]:
    """Write the audit chain's head outside the database (Celery beat, periodically)."""
    from jospar.core.audit_anchor import audit_anchor_write

    return audit_anchor_write()


@shared_task(name="core.sweep_files", acks_late=True)  # type: ignore[untyped-decorator]
def sweep_files(on: str | None = None) -> dict[str, int]:
    """Delete files no row points at, and stale upload temporary files (see
    ``jospar.core.files_sweep``). ``on`` is the scheduler's day, unused: it sweeps what is."""
    from jospar.core.files_sweep import sweep_files as sweep

    return sweep().as_dict()
