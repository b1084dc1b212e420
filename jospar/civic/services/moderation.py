"""Moderators hide abusive content — a report, a comment, a photo — and show it again.

Hiding needs a reason, kept in the report's internal history and in the audit log. A hidden
report disappears from every public page, list and feed (its author, its akimat and the
moderators still see it). A hidden photo's public copy and thumbnail are deleted once the
change is committed, so that an old link no longer shows it; showing it again makes them anew
from the private original. The abuse reports about what was hidden are resolved with it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.civic.events import EventKind
from jospar.civic.figure_counts import figures_kept
from jospar.civic.media import (
    delete_public_files,
    media_republish,
    media_unpublish,
)
from jospar.civic.models import (
    AbuseReport,
    CitizenReport,
    MediaKind,
    ReportComment,
    ReportMedia,
)
from jospar.civic.services._common import (
    clean_reason,
    locked,
    now,
    require_moderator,
    save_report,
    write_event,
)
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import User

Target = CitizenReport | ReportComment | ReportMedia


def _one_target(
    report: CitizenReport | None, comment: ReportComment | None, media: ReportMedia | None
) -> Target:
    given = [x for x in (report, comment, media) if x is not None]
    if len(given) != 1:
        raise ServiceError(
            "invalid_target", _("Choose exactly one thing: a report, a comment or a file.")
        )
    return given[0]


def _report_of(target: Target) -> CitizenReport:
    if isinstance(target, CitizenReport):
        return target
    return CitizenReport.objects.get(pk=target.report_id)


def _object_type(target: Target) -> str:
    return f"civic.{type(target).__name__.lower()}"


def _unpublish_files(media_rows: list[ReportMedia]) -> None:
    for row in media_rows:
        names = media_unpublish(row)
        if names:
            row.save(update_fields=["public_file", "thumbnail"])
            transaction.on_commit(partial(delete_public_files, row.public_file.storage, names))


def _republish_files(media_rows: list[ReportMedia]) -> None:
    for row in media_rows:
        if row.kind == MediaKind.PHOTO and not row.public_file:
            # Made again from the original by the background task, after the commit.
            media_republish(row)
            row.save(update_fields=["processing", "processing_attempts", "processing_error"])


def _resolve_abuse(target: Target, user: User, resolution: str, at: Any) -> int:
    if isinstance(target, CitizenReport):
        open_reports = AbuseReport.objects.filter(report=target, comment__isnull=True)
    elif isinstance(target, ReportComment):
        open_reports = AbuseReport.objects.filter(comment=target)
    else:
        return 0
    return open_reports.filter(resolved_at__isnull=True).update(
        resolved_at=at, resolved_by=user, resolution=resolution
    )


def _set_hidden(
    *,
    actor: User,
    hide: bool,
    report: CitizenReport | None,
    comment: ReportComment | None,
    media: ReportMedia | None,
    reason: str,
) -> Target:
    user = require_moderator(actor)
    why = clean_reason(reason)
    target = _one_target(report, comment, media)
    with transaction.atomic(), figures_kept([_report_of(target).pk]):
        current_report = locked(_report_of(target))
        at = now()
        if isinstance(target, CitizenReport):
            current: Target = current_report
        elif isinstance(target, ReportComment):
            current = ReportComment.objects.select_for_update().get(pk=target.pk)
        else:
            current = ReportMedia.objects.select_for_update().get(pk=target.pk)
        if current.hidden == hide:
            raise Conflict(
                "already_hidden" if hide else "not_hidden",
                _("It is already hidden.") if hide else _("It is not hidden."),
            )
        current.hidden = hide
        fields = ["hidden"]
        if isinstance(current, CitizenReport | ReportComment):
            current.hidden_reason = why if hide else ""
            fields.append("hidden_reason")
        if isinstance(current, CitizenReport):
            save_report(current, fields, at)
            rows = list(current.media.filter(hidden=False))
        else:
            current.save(update_fields=fields)
            save_report(current_report, [], at)
            rows = [current] if isinstance(current, ReportMedia) else []
        if hide:
            _unpublish_files(rows)
            resolved = _resolve_abuse(current, user, "hidden", at)
        else:
            if not current_report.hidden:
                _republish_files(rows)
            resolved = 0
        what = type(current).__name__
        write_event(
            current_report,
            actor=user,
            kind=EventKind.HIDDEN if hide else EventKind.UNHIDDEN,
            internal_note=f"{what} #{current.pk}: {why}",
            at=at,
        )
        audit_record(
            actor=user,
            action="civic.moderation.hidden" if hide else "civic.moderation.unhidden",
            object_type=_object_type(current),
            object_id=current.pk,
            before={"hidden": not hide},
            after={"hidden": hide, "report_id": current_report.pk, "abuse_resolved": resolved},
            reason=why,
        )
    return current


def moderation_hide(
    *,
    actor: User,
    report: CitizenReport | None = None,
    comment: ReportComment | None = None,
    media: ReportMedia | None = None,
    reason: str,
) -> Target:
    """Hide one report, comment or file, with a reason."""
    return _set_hidden(
        actor=actor, hide=True, report=report, comment=comment, media=media, reason=reason
    )


def moderation_unhide(
    *,
    actor: User,
    report: CitizenReport | None = None,
    comment: ReportComment | None = None,
    media: ReportMedia | None = None,
    reason: str,
) -> Target:
    """Show again what was hidden, with a reason."""
    return _set_hidden(
        actor=actor, hide=False, report=report, comment=comment, media=media, reason=reason
    )


def abuse_report_dismiss(*, actor: User, abuse: AbuseReport, reason: str = "") -> AbuseReport:
    """A moderator finds nothing abusive; the abuse report is closed."""
    user = require_moderator(actor)
    why = str(reason or "").strip()[:2000]
    with transaction.atomic():
        current_report = locked(CitizenReport(pk=abuse.report_id))
        stored = AbuseReport.objects.select_for_update().get(pk=abuse.pk)
        if stored.resolved_at is not None:
            raise Conflict("already_resolved", _("This abuse report is already resolved."))
        at = now()
        stored.resolved_at = at
        stored.resolved_by = user
        stored.resolution = "dismissed"
        stored.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        write_event(
            current_report,
            actor=user,
            kind=EventKind.ABUSE_DISMISSED,
            internal_note=why,
            at=at,
        )
        audit_record(
            actor=user,
            action="civic.abuse.dismissed",
            object_type="civic.abusereport",
            object_id=stored.pk,
            before={"resolved": False},
            after={"resolved": True, "resolution": "dismissed", "report_id": current_report.pk},
            reason=why,
        )
    return stored
