"""A photo's public copy is made off the request, by a background task (issue #9).

The filing only checks a photo's type, size and header, stores the private original and marks
the row ``pending``; the report shows "photo being processed" meanwhile. Once the filing has
committed, the task ``civic.media_process`` (published through the outbox; run in-process,
after the commit, on the embedded default) decodes the original in the memory-limited worker
process, writes the public copy and thumbnail without metadata, and marks the row ``done``.

A photo that cannot be read (damaged, too large to decode, not a photo) is ``failed`` at once,
with the reason shown on the report: no retry would change it. Anything else (the storage or
the worker away, a worker killed mid-way) is retried by ``media_processing_retry`` (a frequent
job) after a growing delay, at most ``MAX_ATTEMPTS`` times, then ``failed`` as well.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jospar.civic.imaging import ImageRefused
from jospar.civic.media import PROCESS_TASK, render_image
from jospar.civic.models import CitizenReport, MediaProcessing, ReportMedia
from jospar.civic.services._common import audit
from jospar.core.files_pending import PendingFiles, read_stored, save_pending
from jospar.core.models import User
from jospar.core.outbox import enqueue

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# What retrying cannot change: the file itself is the problem.
PERMANENT = frozenset({"damaged", "memory", "pixels", "type"})
# A photo never tried (its task lost with a killed worker) is published again after this.
NEVER_TRIED_AFTER = dt.timedelta(minutes=10)
RETRY_BATCH = 200


def retry_delay(attempts: int) -> dt.timedelta:
    if attempts <= 0:
        return NEVER_TRIED_AFTER
    return dt.timedelta(minutes=2**attempts)


def _locked(media_id: int) -> ReportMedia | None:
    return ReportMedia.objects.select_for_update().filter(pk=media_id).first()


def _claim(media_id: int) -> ReportMedia | None:
    """Count the attempt before the work starts, so that a worker killed mid-way is seen."""
    with transaction.atomic():
        media = _locked(media_id)
        if media is None or media.processing != MediaProcessing.PENDING:
            return None
        if media.hidden:  # a moderator hid it meanwhile: made again when it is shown
            media.processing = MediaProcessing.DONE
            media.save(update_fields=["processing"])
            return None
        media.processing_attempts += 1
        media.processing_tried_at = timezone.now()
        media.save(update_fields=["processing_attempts", "processing_tried_at"])
        return media


def _fail(media_id: int, code: str, *, actor: User | None) -> ReportMedia | None:
    with transaction.atomic():
        media = _locked(media_id)
        if media is None or media.processing != MediaProcessing.PENDING:
            return media
        media.processing_error = code
        fields = ["processing_error"]
        if code in PERMANENT or media.processing_attempts >= MAX_ATTEMPTS:
            media.processing = MediaProcessing.FAILED
            fields.append("processing")
            audit(
                actor=actor,
                action="media.processing_failed",
                report=CitizenReport(pk=media.report_id),
                before=None,
                after={"media": media.pk, "error": code, "attempts": media.processing_attempts},
            )
        media.save(update_fields=fields)
        return media


def media_process(*, actor: User | None = None, media_id: int) -> ReportMedia | None:
    """Make the public copy and thumbnail of a pending photo (the background task). Running it
    twice, or in two workers, publishes one copy: only a pending row without one is written."""
    media = _claim(media_id)
    if media is None:
        return ReportMedia.objects.filter(pk=media_id).first()
    try:
        rendered = render_image(read_stored(media, "original"))
    except ImageRefused as refused:
        return _fail(media_id, refused.code, actor=actor)
    except Exception:  # the storage or the worker process is away: retried later
        logger.warning("media %s: processing failed, will retry", media_id, exc_info=True)
        return _fail(media_id, "unavailable", actor=actor)
    pending = PendingFiles()
    try:
        with transaction.atomic():
            media = _locked(media_id)
            if media is None or media.processing != MediaProcessing.PENDING:
                return media
            if media.hidden:
                media.processing = MediaProcessing.DONE
                media.save(update_fields=["processing"])
                return media
            extension = str(rendered["extension"])
            for field_name, key in (("public_file", "public"), ("thumbnail", "thumbnail")):
                save_pending(
                    media,
                    field_name,
                    f"{uuid.uuid4().hex}.{extension}",
                    ContentFile(rendered[key]),
                    pending=pending,
                )
            media.width, media.height = int(rendered["width"]), int(rendered["height"])
            media.processing = MediaProcessing.DONE
            media.processing_error = ""
            media.save(
                update_fields=[
                    "public_file",
                    "thumbnail",
                    "width",
                    "height",
                    "processing",
                    "processing_error",
                ]
            )
            audit(
                actor=actor,
                action="media.processed",
                report=CitizenReport(pk=media.report_id),
                before=None,
                after={"media": media.pk, "width": media.width, "height": media.height},
            )
    except Exception:
        pending.remove_all()
        logger.warning(
            "media %s: the public copy was not stored, will retry", media_id, exc_info=True
        )
        return _fail(media_id, "unavailable", actor=actor)
    return media


def media_processing_retry(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Publish again the task of each photo still pending whose last attempt failed or was lost
    (a frequent job); give up on one tried ``MAX_ATTEMPTS`` times."""
    now = now or timezone.now()
    rows = list(
        ReportMedia.objects.filter(processing=MediaProcessing.PENDING)
        .order_by("processing_tried_at", "pk")
        .values_list("pk", "processing_attempts", "processing_tried_at", "uploaded_at")[
            :RETRY_BATCH
        ]
    )
    queued = given_up = 0
    for pk, attempts, tried_at, uploaded_at in rows:
        if (tried_at or uploaded_at) > now - retry_delay(attempts):
            continue
        if attempts >= MAX_ATTEMPTS:
            _fail(pk, "unavailable", actor=None)
            given_up += 1
            continue
        with transaction.atomic():
            enqueue(PROCESS_TASK, pk)
        queued += 1
    return {"queued": queued, "given_up": given_up}
