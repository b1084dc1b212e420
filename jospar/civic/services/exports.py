"""The public CSV of reports built in the background: asked for by a signed-in person when the
list's filters select more rows than a web worker streams (``EXPORT_IN_BACKGROUND_OVER``), built
by a worker into a file through a temporary file on disk (no worker holds the document), and
downloaded only by who asked for it."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jospar.civic.export_csv import csv_lines
from jospar.civic.forms import ReportFilterForm
from jospar.civic.models_exports import ExportState, ReportCsvExport
from jospar.civic.selectors.portal import public_regions
from jospar.civic.selectors.reports import active_topics
from jospar.civic.services._common import require_user
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict
from jospar.core.files_pending import PendingFiles, save_pending
from jospar.core.outbox import enqueue

logger = logging.getLogger(__name__)

OBJECT_TYPE = "civic.csv_export"
# A person waits for at most this many files at once: each one reads every matching report.
MAX_WAITING = 3
# A build that has not finished in this time is taken over by the next worker that tries.
STALE_AFTER = dt.timedelta(minutes=30)
LANGS = ("kk", "ru", "en")


def report_csv_export_request(*, actor: Any, query: str, lang: str) -> ReportCsvExport:
    """Ask for the CSV of the reports the list's filters (``query``, the list's query string)
    select, in ``lang``; built by a worker after the commit."""
    user = require_user(actor)
    query = str(query or "")[:2000]
    lang = lang if lang in LANGS else "kk"
    with transaction.atomic():
        waiting = (
            ReportCsvExport.objects.select_for_update()
            .filter(requested_by=user, state__in=[ExportState.QUEUED, ExportState.RUNNING])
            .count()
        )
        if waiting >= MAX_WAITING:
            raise Conflict(
                "too_many_exports",
                _("You are waiting for %(count)s files already: download them first.")
                % {"count": waiting},
            )
        export = ReportCsvExport.objects.create(
            requested_by=user, query=query, lang=lang, requested_at=timezone.now()
        )
        audit_record(
            actor=user,
            action="civic.csv_export.requested",
            object_type=OBJECT_TYPE,
            object_id=export.pk,
            after={"query": query, "lang": lang},
        )
        # Published after the commit, recorded now (a broker away loses nothing).
        enqueue("civic.build_csv_export", export.pk)
    return export


def _claim(export_id: int) -> ReportCsvExport | None:
    with transaction.atomic():
        export = ReportCsvExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.state in (ExportState.DONE, ExportState.FAILED):
            return None
        now = timezone.now()
        if (
            export.state == ExportState.RUNNING
            and export.started_at is not None
            and now - export.started_at < STALE_AFTER
        ):
            return None
        export.state = ExportState.RUNNING
        export.started_at = now
        export.save(update_fields=["state", "started_at"])
        return export


def _filters(query: str) -> Any:
    form = ReportFilterForm(
        QueryDict(query) or None,
        topics=list(active_topics()),
        regions=list(public_regions()),
    )
    return form.filters()


def _page_url() -> Any:
    site = str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    marker = 999_999_999
    template = site + reverse("civic:report", args=[marker])
    return lambda pk: template.replace(str(marker), str(pk))


def report_csv_export_build(*, export_id: int) -> ReportCsvExport | None:
    """Write the file of a requested export. Safe to run twice: one built, failed or being
    built by another worker is returned as it is."""
    export = _claim(export_id)
    if export is None:
        return ReportCsvExport.objects.filter(pk=export_id).first()
    rows = -1  # the header line
    try:
        # In memory up to 1 MB, then on disk: the worker never holds the whole file.
        with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+b") as spool:
            with translation.override(export.lang):
                for line in csv_lines(_filters(export.query), export.lang, _page_url()):
                    spool.write(line.encode("utf-8"))
                    if line != "\ufeff":
                        rows += 1
            spool.seek(0)
            pending = PendingFiles()
            try:
                with transaction.atomic():
                    current = ReportCsvExport.objects.select_for_update().get(pk=export_id)
                    if current.state != ExportState.RUNNING:
                        return current
                    stamp = timezone.localdate().isoformat()
                    save_pending(
                        current,
                        "file",
                        f"jospar-reports-{stamp}.csv",
                        File(spool),
                        pending=pending,
                    )
                    current.state = ExportState.DONE
                    current.rows = max(rows, 0)
                    current.finished_at = timezone.now()
                    current.save(update_fields=["file", "state", "rows", "finished_at"])
                    audit_record(
                        actor=None,
                        action="civic.csv_export.built",
                        object_type=OBJECT_TYPE,
                        object_id=current.pk,
                        after={"rows": current.rows},
                    )
            except BaseException:
                pending.remove_all()
                raise
    except Exception:
        logger.exception("civic CSV export %s failed", export_id)
        ReportCsvExport.objects.filter(pk=export_id, state=ExportState.RUNNING).update(
            state=ExportState.FAILED, finished_at=timezone.now()
        )
        return ReportCsvExport.objects.filter(pk=export_id).first()
    return current
