"""Handing background work to Celery without losing it when the broker is away.

A service calls :func:`enqueue` inside its transaction: an :class:`OutboxTask` row is written
with the change it belongs to, and after the commit the task is published with one attempt,
bounded by the broker's socket timeouts. A broker that refuses, times out or errs costs the
request that one attempt and nothing else: the failure is logged, the row stays, and
:func:`outbox_flush` (Celery beat every minute; every pass of the embedded scheduler) publishes
it again. The tasks take ids and are idempotent, so a task published twice (the flush racing a
slow publish) does no harm.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from jospar.core.models import OutboxTask

logger = logging.getLogger("jospar.outbox")

# A row this young is still the request's own to publish; the flush leaves it alone.
FLUSH_AFTER = dt.timedelta(seconds=30)
FLUSH_BATCH = 500
# After this many failed publications a row is left for a person (logged as an error each
# flush); the work it stands for is still in the database, only not started.
MAX_ATTEMPTS = 50


def enqueue(task: str, *args: Any) -> OutboxTask:
    """Record the task ``task`` (its Celery name) with ``args`` in the current transaction and
    publish it once that transaction has committed."""
    row = OutboxTask.objects.create(task=task, args=list(args))
    row_id = row.pk
    transaction.on_commit(lambda: publish(row_id))
    return row


def _send(row: OutboxTask) -> None:
    from config.celery import app

    # One attempt (the flush is the retry), and no result subscription: nobody waits on these
    # results, and subscribing would be a second Redis round trip that can hang.
    options: dict[str, Any] = {"retry": False, "ignore_result": True}
    if not app.conf.task_always_eager:
        # By name: the message is the same, and a web process need not import every app's
        # task modules (and what they import) to publish one: that was 83 MB and 1.4 s of CPU
        # on a web worker's first queued export (docs/decisions.md, issue #15, session 6).
        app.send_task(row.task, args=list(row.args), **options)
        return
    # Eager (tests, a machine without a broker): the task runs here, so it must be imported.
    if row.task not in app.tasks:
        app.loader.import_default_modules()
    app.tasks[row.task].apply_async(args=list(row.args), **options)


def publish(row_id: int) -> bool:
    """Publish one recorded task; True when the broker took it (the row is then deleted)."""
    row = OutboxTask.objects.filter(pk=row_id).first()
    if row is None:  # published already by a flush
        return True
    try:
        _send(row)
    except Exception as exc:  # broker down, frozen, or an eager task that failed
        OutboxTask.objects.filter(pk=row_id).update(
            attempts=row.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning(
            "outbox: could not publish %s #%s (%s: %s); it stays queued and is retried",
            row.task,
            row_id,
            type(exc).__name__,
            exc,
        )
        return False
    OutboxTask.objects.filter(pk=row_id).delete()
    return True


def outbox_flush() -> dict[str, int]:
    """Publish recorded tasks older than ``FLUSH_AFTER`` (one batch); stop at the first failure
    (the broker is still away, the next flush tries again). The batch is leased first, in a
    short transaction that moves its ``created_at`` to now, so that a second flush (another
    process) leaves it alone, and nothing is published while rows are locked: an eager task (the
    embedded default) or a slow broker never holds the database."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lt=now - FLUSH_AFTER, attempts__lt=MAX_ATTEMPTS)
            .order_by("id")[:FLUSH_BATCH]
        )
        OutboxTask.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=now)
    published = failed = 0
    seen: set[str] = set()
    for row in rows:
        same = f"{row.task}:{json.dumps(row.args, sort_keys=True)}"
        if same in seen:  # the same work twice in one batch: once is enough
            OutboxTask.objects.filter(pk=row.pk).delete()
            continue
        seen.add(same)
        try:
            _send(row)
        except Exception as exc:
            failed += 1
            OutboxTask.objects.filter(pk=row.pk).update(
                attempts=row.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            logger.warning("outbox: flush could not publish %s #%s: %s", row.task, row.pk, exc)
            break
        OutboxTask.objects.filter(pk=row.pk).delete()
        published += 1
    stuck = OutboxTask.objects.filter(attempts__gte=MAX_ATTEMPTS).count()
    if stuck:
        logger.error("outbox: %s tasks were given up after %s attempts", stuck, MAX_ATTEMPTS)
    return {"published": published, "failed": failed, "given_up": stuck}
