"""Requesting and building the report on a plan's execution (or its program variant, on a
program's project tasks) as a file.

A request is recorded (and audited) at once. A report of fewer activities than
``REPORT_EXPORT_ASYNC_ACTIVITIES`` and fewer entries (obligations) than
``REPORT_EXPORT_ASYNC_ENTRIES`` is then built while the person waits; a larger one by the
background task :func:`jospar.control.tasks_exports.build_report_export`, which writes its
progress on the export as it goes so that the page can show it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.control.access.exports import (
    can_request_program_report,
    can_request_report,
    report_scope,
)
from jospar.control.exports.data import activity_count, consolidated_report, entry_count
from jospar.control.exports.periods import ReportPeriod
from jospar.control.exports.program_data import program_report, program_task_count
from jospar.control.exports.render import file_name, render_report
from jospar.control.models_exports import ExportFormat, ExportLang, ExportStatus, ReportExport
from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.files_pending import PendingFiles, final_name, save_pending
from jospar.core.models import User
from jospar.core.outbox import enqueue
from jospar.plans.models import Plan
from jospar.programs.models import Program

logger = logging.getLogger(__name__)

OBJECT_TYPE = "control.ReportExport"
DEFAULT_ASYNC_ACTIVITIES = 300
# Entries (obligations with their reports): a report of more is built in the background,
# however few its activities (issue #15: 19 activities, 1,722 entries, 9.5 s in the web worker).
DEFAULT_ASYNC_ENTRIES = 400
# A build still "running" after this long lost its worker: a redelivered task may take it over.
STALE_AFTER = dt.timedelta(minutes=30)
# Share of the progress bar given to reading the data; the writer fills the rest.
READ_SHARE = 20
# The longest period one report may cover.
MAX_PERIOD_DAYS = 366 * 10


def _check(*, lang: str, format: str, period_start: dt.date, period_end: dt.date) -> None:
    fields: dict[str, list[str]] = {}
    if lang not in ExportLang.values:
        fields["lang"] = [_("Choose Kazakh or Russian.")]
    if format not in ExportFormat.values:
        fields["format"] = [_("Choose DOCX, XLSX or PDF.")]
    if period_start > period_end:
        fields["period_end"] = [_("The end is before the start.")]
    elif (period_end - period_start).days > MAX_PERIOD_DAYS:
        fields["period_end"] = [_("A report covers at most ten years.")]
    if fields:
        first = next(iter(fields.values()))[0]
        raise ServiceError("invalid", first, fields)


def report_export_request(
    *,
    actor: User,
    plan: Plan,
    lang: str,
    format: str,
    period_start: dt.date,
    period_end: dt.date,
) -> ReportExport:
    """Record a request for the report and build it, at once or in the background."""
    if not can_request_report(actor, plan):
        raise PermissionRefused("forbidden", _("You may not request a report on this plan."))
    _check(lang=lang, format=format, period_start=period_start, period_end=period_end)
    scope = report_scope(actor, plan)
    rows = activity_count(
        plan=plan, period_start=period_start, period_end=period_end, organisation=scope
    )
    threshold = getattr(settings, "REPORT_EXPORT_ASYNC_ACTIVITIES", DEFAULT_ASYNC_ACTIVITIES)
    entries_threshold = getattr(settings, "REPORT_EXPORT_ASYNC_ENTRIES", DEFAULT_ASYNC_ENTRIES)
    entries = entry_count(
        plan=plan, period_start=period_start, period_end=period_end, organisation=scope
    )
    at_once = rows < threshold and entries < entries_threshold
    with transaction.atomic():
        export = ReportExport.objects.create(
            plan=plan,
            lang=lang,
            format=format,
            period_start=period_start,
            period_end=period_end,
            organisation=scope,
            requested_by=actor,
            activity_count=rows,
        )
        audit_record(
            actor=actor,
            action="report_export.requested",
            object_type=OBJECT_TYPE,
            object_id=export.pk,
            after={
                "plan": plan.pk,
                "lang": lang,
                "format": format,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "organisation": scope.pk if scope is not None else None,
                "activities": rows,
                "entries": entries,
                "background": not at_once,
            },
        )
        if not at_once:
            # Published after commit, so that a worker never looks for an export it cannot see
            # yet; recorded now, so that a broker away at that moment loses nothing.
            enqueue("control.build_report_export", export.pk)
    if at_once:
        built = report_export_build(export_id=export.pk, actor=actor)
        assert built is not None
        return built
    return export


def program_report_export_request(
    *,
    actor: User,
    program: Program,
    lang: str,
    format: str,
    period_start: dt.date,
    period_end: dt.date,
) -> ReportExport:
    """The program variant: every project task and key event of the program due in the
    period. Requested by those who read the program's dashboard whole; built like a plan's."""
    if not can_request_program_report(actor, program):
        raise PermissionRefused("forbidden", _("You may not request a report on this program."))
    _check(lang=lang, format=format, period_start=period_start, period_end=period_end)
    rows = program_task_count(program=program, period_start=period_start, period_end=period_end)
    threshold = getattr(settings, "REPORT_EXPORT_ASYNC_ACTIVITIES", DEFAULT_ASYNC_ACTIVITIES)
    at_once = rows < threshold
    with transaction.atomic():
        export = ReportExport.objects.create(
            program=program,
            lang=lang,
            format=format,
            period_start=period_start,
            period_end=period_end,
            requested_by=actor,
            activity_count=rows,
        )
        audit_record(
            actor=actor,
            action="report_export.requested",
            object_type=OBJECT_TYPE,
            object_id=export.pk,
            after={
                "program": program.pk,
                "lang": lang,
                "format": format,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "tasks": rows,
                "background": not at_once,
            },
        )
        if not at_once:
            enqueue("control.build_report_export", export.pk)
    if at_once:
        built = report_export_build(export_id=export.pk, actor=actor)
        assert built is not None
        return built
    return export


def _claim(export_id: int) -> ReportExport | None:
    """Mark the export as being built, unless it is built, failed, or another worker is on it.
    Returns the export to build, or None."""
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return None
        now = timezone.now()
        if (
            export.status == ExportStatus.RUNNING
            and export.started_at is not None
            and now - export.started_at < STALE_AFTER
        ):
            return None
        export.status = ExportStatus.RUNNING
        export.started_at = now
        export.progress = 1
        export.save(update_fields=["status", "started_at", "progress"])
        return export


def _progress_writer(export_id: int) -> Callable[[int, int], None]:
    last = {"value": 0}

    def write(done: int, total: int) -> None:
        value = READ_SHARE + (99 - READ_SHARE) * done // max(total, 1)
        value = max(1, min(value, 99))
        if value > last["value"]:
            last["value"] = value
            # Outside any transaction on purpose: the page polling the export sees it at once.
            ReportExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
                progress=value
            )

    return write


def _fail(export_id: int, actor: User | None, error: dict[str, Any]) -> ReportExport | None:
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != ExportStatus.RUNNING:
            return export
        export.status = ExportStatus.FAILED
        export.error = error
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        audit_record(
            actor=actor,
            action="report_export.failed",
            object_type=OBJECT_TYPE,
            object_id=export.pk,
            after={"error": error["code"]},
        )
        return export


def report_export_build(
    *, export_id: int, actor: User | None = None, parallel: bool = False
) -> ReportExport | None:
    """Build the file of a requested export. Safe to run twice: an export already built (or
    failed, or being built by another worker) is returned as it is. ``parallel``: a long PDF
    may be laid out in processes of its own — the Celery task's choice, never a web worker's
    (which builds only small exports, at once)."""
    export = _claim(export_id)
    if export is None:
        return ReportExport.objects.filter(pk=export_id).first()
    progress = _progress_writer(export_id)
    try:
        if export.program is not None:
            report = program_report(
                program=export.program,
                lang=export.lang,
                period_start=export.period_start,
                period_end=export.period_end,
            )
        else:
            assert export.plan is not None
            report = consolidated_report(
                plan=export.plan,
                lang=export.lang,
                period_start=export.period_start,
                period_end=export.period_end,
                organisation=export.organisation,
            )
        progress(0, 1)
        rendered = render_report(report, export.format, progress, parallel=parallel)
    except Exception:
        # Whatever broke, the export must not stay "being built" forever.
        logger.exception("report export %s failed", export_id)
        return _fail(
            export_id,
            actor,
            {"code": "build_failed", "message": "The report could not be built."},
        )
    pending = PendingFiles()
    try:
        with transaction.atomic():
            export = ReportExport.objects.select_for_update().get(pk=export_id)
            if export.status != ExportStatus.RUNNING:
                return export
            # Under a temporary name until the row commits (jospar.core.files_pending).
            save_pending(
                export, "file", rendered.file_name, ContentFile(rendered.data), pending=pending
            )
            export.status = ExportStatus.DONE
            export.progress = 100
            export.file_size = len(rendered.data)
            export.activity_count = len(report.rows)
            export.finished_at = timezone.now()
            export.error = None
            export.save()
            audit_record(
                actor=actor,
                action="report_export.built",
                object_type=OBJECT_TYPE,
                object_id=export.pk,
                after={
                    "file": final_name(str(export.file.name)),
                    "bytes": export.file_size,
                    "activities": export.activity_count,
                },
            )
    except BaseException:
        pending.remove_all()
        raise
    return export


def download_name(export: ReportExport) -> str:
    """The name the browser saves the file under, e.g. ``jospar-plan-12-2016Q1-kk.docx``."""
    name = file_name(
        plan_id=export.plan_id or export.program_id or 0,
        period=ReportPeriod(export.period_start, export.period_end),
        lang=export.lang,
        fmt=export.format,
        subject="plan" if export.plan_id else "program",
    )
    if export.organisation_id is not None:
        return name.replace(f"-{export.lang}.", f"-org{export.organisation_id}-{export.lang}.")
    return name
