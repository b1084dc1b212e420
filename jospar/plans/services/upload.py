"""The web import: upload a plan text, check and correct what was read, then save or discard.

An upload is a draft (:class:`PlanUpload`) that holds the parser's output with a person's
corrections applied in order; nothing reaches the plans or the control schedule until
``jospar.control.services.plan_revisions.plan_upload_save`` saves the draft and derives its
schedule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.files_pending import PendingFiles, read_stored, save_pending
from jospar.core.models import User
from jospar.core.outbox import enqueue
from jospar.planparser.corrections import (
    FIELDS,
    CorrectionError,
    apply_correction,
    apply_plan_details,
)
from jospar.planparser.model import Lang, Period
from jospar.planparser.textutil import fold
from jospar.plans.access import can_import_plans
from jospar.plans.importing import parse_refusal_message, plan_parse_file
from jospar.plans.models import Plan, PlanUpload, PlanUploadStatus

OBJECT_TYPE = "plans.PlanUpload"


def _require_importer(actor: User) -> None:
    if not can_import_plans(actor):
        raise PermissionRefused("forbidden", _("Only administrators may import plans."))


def _require_draft(upload: PlanUpload) -> None:
    if upload.status != PlanUploadStatus.DRAFT:
        raise Conflict(
            "upload_closed",
            _("This upload is %(status)s: it can no longer be changed.")
            % {"status": upload.get_status_display().lower()},
        )


def _period(upload: PlanUpload) -> tuple[dt.date, dt.date] | None:
    if upload.period_start and upload.period_end:
        return (upload.period_start, upload.period_end)
    return None


def _check_period(period: tuple[dt.date, dt.date] | None) -> None:
    if period is not None and period[0] > period[1]:
        raise ServiceError(
            "invalid_period",
            _("The period must start before it ends."),
            {"period_end": [_("The end is before the start.")]},
        )


def _summary(upload: PlanUpload) -> dict[str, Any]:
    activities = (upload.parsed or {}).get("activities") or []
    return {
        "file": upload.filename,
        "lang": upload.lang,
        "activities": len(activities),
        "target_plan": upload.target_plan_id,
    }


def _parse_file(
    *,
    data: bytes,
    filename: str,
    lang: Lang | None,
    period: tuple[dt.date, dt.date] | None,
) -> tuple[dict[str, Any], str]:
    try:
        return plan_parse_file(data=data, filename=filename, lang=lang, period=period)
    except ServiceError as exc:
        message = parse_refusal_message(exc.code, str(exc.message))
        raise ServiceError(exc.code, message, {"file": [message]}) from exc


def plan_upload_create(
    *,
    actor: User,
    data: bytes,
    filename: str,
    lang: Lang | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    target_plan: Plan | None = None,
) -> PlanUpload:
    """Read a file into a draft at once. A file the parser refuses creates nothing."""
    _require_importer(actor)
    _check_period(period)
    parsed, text = _parse_file(data=data, filename=filename, lang=lang, period=period)
    with transaction.atomic():
        upload = PlanUpload.objects.create(
            status=PlanUploadStatus.DRAFT,
            filename=filename[:255],
            source_text=text,
            lang=parsed["lang"],
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
            parsed=parsed,
            corrections=[],
            target_plan=target_plan,
            uploaded_by=actor,
            parsed_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="plan_upload.created",
            object_type=OBJECT_TYPE,
            object_id=upload.pk,
            after=_summary(upload),
        )
    return upload


def plan_upload_enqueue(
    *,
    actor: User,
    data: bytes,
    filename: str,
    lang: Lang | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    target_plan: Plan | None = None,
) -> PlanUpload:
    """Keep a large file for the background parser; the draft is filled by
    :func:`plan_upload_parse`. The size limit is checked here so that no task runs for nothing.
    """
    _require_importer(actor)
    _check_period(period)
    from django.conf import settings

    if len(data) > settings.PLAN_UPLOAD_MAX_BYTES:
        # The same refusal as the parser's, without storing the file first.
        _parse_file(data=data, filename=filename, lang=lang, period=period)
    pending = PendingFiles()
    try:
        with transaction.atomic():
            upload = _queued_upload(
                actor=actor,
                data=data,
                filename=filename,
                lang=lang,
                period=period,
                target_plan=target_plan,
                pending=pending,
            )
    except BaseException:
        pending.remove_all()
        raise
    return upload


def _queued_upload(
    *,
    actor: User,
    data: bytes,
    filename: str,
    lang: Lang | None,
    period: tuple[dt.date, dt.date] | None,
    target_plan: Plan | None,
    pending: PendingFiles,
) -> PlanUpload:
    upload = PlanUpload(
        status=PlanUploadStatus.PARSING,
        filename=filename[:255],
        source_text="",
        lang=lang or "",
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        parsed={},
        corrections=[],
        target_plan=target_plan,
        uploaded_by=actor,
    )
    # Under a temporary name until the row commits (jospar.core.files_pending).
    save_pending(
        upload, "source_file", filename[-100:] or "plan", ContentFile(data), pending=pending
    )
    upload.save()
    audit_record(
        actor=actor,
        action="plan_upload.queued",
        object_type=OBJECT_TYPE,
        object_id=upload.pk,
        after={"file": upload.filename, "bytes": len(data)},
    )
    # Published after commit, so that a worker never looks for an upload it cannot see
    # yet; recorded now, so that a broker away at that moment loses nothing.
    enqueue("plans.parse_upload", upload.pk, actor.pk)
    return upload


def plan_upload_parse(*, actor: User | None, upload_id: int) -> PlanUpload | None:
    """Read a queued upload's file (the background task). Running it twice changes nothing:
    only an upload still waiting is read."""
    upload = PlanUpload.objects.filter(pk=upload_id).first()
    if upload is None or upload.status != PlanUploadStatus.PARSING:
        return upload
    data = read_stored(upload, "source_file")
    lang: Lang | None = upload.lang if upload.lang in ("kk", "ru") else None  # type: ignore[assignment]
    error: dict[str, Any] | None = None
    parsed: dict[str, Any] = {}
    text = ""
    try:
        parsed, text = _parse_file(
            data=data, filename=upload.filename, lang=lang, period=_period(upload)
        )
    except ServiceError as exc:
        error = exc.as_dict()
    with transaction.atomic():
        # Locked and checked again: two workers given the same task must not both fill it.
        upload = PlanUpload.objects.select_for_update().get(pk=upload_id)
        if upload.status != PlanUploadStatus.PARSING:
            return upload
        upload.parsed_at = timezone.now()
        if error is not None:
            upload.status = PlanUploadStatus.FAILED
            upload.error = error
        else:
            upload.status = PlanUploadStatus.DRAFT
            upload.parsed = parsed
            upload.source_text = text
            upload.lang = parsed["lang"]
        upload.save()
        audit_record(
            actor=actor,
            action="plan_upload.parsed" if error is None else "plan_upload.failed",
            object_type=OBJECT_TYPE,
            object_id=upload.pk,
            after=_summary(upload) if error is None else {"error": error["code"]},
        )
    return upload


def _correction_message(code: str, params: dict[str, str]) -> str | None:
    """The refusal in the person's language (the parser's own text is English)."""
    messages = {
        "unknown_field": _("“%(field)s” is not a cell that can be corrected."),
        "unknown_activity": _("The plan has no activity numbered %(number)s."),
        "invalid_value": _("The new text must be text."),
        "value_too_long": _("The new text is longer than %(limit)s characters."),
        "number_taken": _("Another activity is already numbered %(number)s."),
        "no_executors": _("No executor could be read from “%(text)s”."),
    }
    message = messages.get(code)
    return message % params if message is not None and params else message


def _empty_message(field: str) -> str | None:
    return {
        "number": _("An activity needs a number."),
        "title": _("An activity needs a title."),
        "executors": _("An activity needs at least one executor."),
    }.get(field)


def _correction_error(exc: CorrectionError, field: str) -> ServiceError:
    message = (
        (_empty_message(field) if exc.code == "empty_value" else None)
        or _correction_message(exc.code, exc.params)
        or str(exc)
    )
    name = field if field in FIELDS else "field"
    return ServiceError(exc.code, message, {name: [message]})


def plan_upload_correct(
    *, actor: User, upload: PlanUpload, activity_number: str, field: str, value: str
) -> PlanUpload:
    """Replace one cell of one activity of a draft and derive what follows from it again."""
    _require_importer(actor)
    with transaction.atomic():
        upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
        _require_draft(upload)
        try:
            parsed = apply_correction(
                upload.parsed, activity_number=activity_number, field=field, value=value
            )
        except CorrectionError as exc:
            raise _correction_error(exc, field) from exc
        before: dict[str, Any] = next(
            (
                a
                for a in upload.parsed.get("activities", [])
                if str(a.get("number")) == activity_number
            ),
            {},
        )
        correction = {"activity": activity_number, "field": field, "value": value}
        upload.parsed = parsed
        upload.corrections = [*upload.corrections, correction]
        upload.save(update_fields=["parsed", "corrections"])
        audit_record(
            actor=actor,
            action="plan_upload.corrected",
            object_type=OBJECT_TYPE,
            object_id=upload.pk,
            before={"activity": activity_number, "field": field, "value": before.get(field)},
            after=correction,
        )
    return upload


def plan_upload_details_set(
    *,
    actor: User,
    upload: PlanUpload,
    title: str,
    lang: Lang,
    period: tuple[dt.date, dt.date] | None,
) -> PlanUpload:
    """Correct the plan's own title, language and period in a draft before it is saved: a new
    language or period reads the deadline cells again. Each change is kept as a correction
    (``plan_title``, ``plan_lang``, ``plan_period``), so that the saved revision says what a
    person changed."""
    _require_importer(actor)
    _check_period(period)
    with transaction.atomic():
        upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
        _require_draft(upload)
        parsed = upload.parsed
        old_period = parsed.get("period") or {}
        new_period = [d.isoformat() for d in period] if period else None
        changes: list[dict[str, Any]] = []
        if fold(title) != (parsed.get("title") or ""):
            changes.append({"activity": "", "field": "plan_title", "value": title})
        if lang != parsed.get("lang"):
            changes.append({"activity": "", "field": "plan_lang", "value": lang})
        if new_period and new_period != [old_period.get("start"), old_period.get("end")]:
            changes.append({"activity": "", "field": "plan_period", "value": "/".join(new_period)})
        if not changes:
            return upload
        try:
            parsed = apply_plan_details(
                parsed,
                title=title,
                lang=lang,
                period=Period(period[0], period[1]) if period else None,
            )
        except CorrectionError as exc:
            field = "title" if exc.code in ("empty_value", "value_too_long") else "period_end"
            message = (
                _("A plan needs a title.")
                if exc.code == "empty_value"
                else _correction_message(exc.code, exc.params) or str(exc)
            )
            raise ServiceError(exc.code, message, {field: [message]}) from exc
        before = {
            "title": upload.parsed.get("title"),
            "lang": upload.lang,
            "period": [old_period.get("start"), old_period.get("end")],
        }
        upload.parsed = parsed
        upload.lang = parsed["lang"]
        if period:
            upload.period_start, upload.period_end = period
        upload.corrections = [*upload.corrections, *changes]
        upload.save(update_fields=["parsed", "lang", "period_start", "period_end", "corrections"])
        audit_record(
            actor=actor,
            action="plan_upload.details_corrected",
            object_type=OBJECT_TYPE,
            object_id=upload.pk,
            before=before,
            after={"title": parsed.get("title"), "lang": upload.lang, "period": new_period},
        )
    return upload


def plan_upload_discard(*, actor: User, upload: PlanUpload) -> PlanUpload:
    """Give up a draft (or a file that could not be read). It stays, marked, for the record."""
    _require_importer(actor)
    with transaction.atomic():
        upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.status not in (
            PlanUploadStatus.DRAFT,
            PlanUploadStatus.FAILED,
            PlanUploadStatus.PARSING,
        ):
            _require_draft(upload)
        previous = upload.status
        upload.status = PlanUploadStatus.DISCARDED
        upload.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="plan_upload.discarded",
            object_type=OBJECT_TYPE,
            object_id=upload.pk,
            before={"status": previous},
            after={"status": upload.status},
        )
    return upload


def plan_parse_preview(
    *,
    actor: User,
    data: bytes,
    filename: str,
    lang: Lang | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> dict[str, Any]:
    """What a file would give, without saving anything (the API's dry run)."""
    _require_importer(actor)
    _check_period(period)
    parsed, _text = _parse_file(data=data, filename=filename, lang=lang, period=period)
    return parsed
