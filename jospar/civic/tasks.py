"""Background work of Civic Control: telling akimats of overdue answers."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from jospar.civic.models import CitizenReport
from jospar.civic.services.lifecycle import report_mark_overdue
from jospar.civic.status import overdue_q
from jospar.core.calendar import is_working_day


@shared_task(name="civic.mark_overdue", acks_late=True)  # type: ignore[untyped-decorator]
def mark_overdue(on: str | None = None) -> dict[str, int]:
    """Mark, once, every report whose answer is overdue on ``on`` (``YYYY-MM-DD``; today by
    default), telling the akimat's officials and its head. Safe to run twice or in two workers:
    each report is re-checked under its lock, and a report told already is skipped. Nothing is
    sent on a day off: the first working day after catches up."""
    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    if not is_working_day(day):
        return {"checked": 0, "marked": 0}
    ids = list(
        CitizenReport.objects.filter(overdue_q(day), overdue_notified_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    marked = 0
    for pk in ids:
        report = CitizenReport(pk=pk)
        if report_mark_overdue(actor=None, report=report, on=day):
            marked += 1
    return {"checked": len(ids), "marked": marked}


@shared_task(name="civic.media_process", acks_late=True)  # type: ignore[untyped-decorator]
def media_process(media_id: int) -> str:
    """Make a filed photo's public copy and thumbnail (queued by the filing through the
    outbox). Safe to run twice: only a photo still waiting is processed."""
    from jospar.civic.services.media_processing import media_process as process

    media = process(media_id=int(media_id))
    return str(media.processing) if media is not None else "gone"


@shared_task(name="civic.media_retry", acks_late=True)  # type: ignore[untyped-decorator]
def media_retry() -> dict[str, int]:
    """Queue again the photos whose processing failed for a passing reason (every minute)."""
    from jospar.civic.services.media_processing import media_processing_retry

    return media_processing_retry()


@shared_task(name="civic.build_csv_export", acks_late=True)  # type: ignore[untyped-decorator]
def build_csv_export(export_id: int) -> str:
    """Write a requested CSV of public reports (queued by the request through the outbox).
    Safe to run twice."""
    from jospar.civic.services.exports import report_csv_export_build

    export = report_csv_export_build(export_id=int(export_id))
    return str(export.state) if export is not None else "gone"
