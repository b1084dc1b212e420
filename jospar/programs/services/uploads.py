"""The web import of a program: upload → check and correct the tree → save (administrators)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.planparser.model import PlanParseError
from jospar.planparser.program import parse_program
from jospar.programs.access import can_import_programs
from jospar.programs.corrections import CorrectionError, apply_corrections, apply_one
from jospar.programs.models import Program, ProgramUpload, ProgramUploadStatus
from jospar.programs.services.importing import (
    ProgramImportOutcome,
    correction_refusal,
    program_import,
    source_text_of,
)

MAX_CORRECTIONS = 500


def _require_importer(actor: User) -> None:
    if not can_import_programs(actor):
        raise PermissionRefused("forbidden", _("Only administrators import programs."))


def _require_draft(upload: ProgramUpload) -> None:
    if upload.status != ProgramUploadStatus.DRAFT:
        raise Conflict("not_a_draft", _("This upload has already been saved or discarded."))


def program_upload_create(
    *,
    actor: User,
    data: bytes,
    filename: str,
    lang: str | None = None,
    target_program: Program | None = None,
) -> ProgramUpload:
    """Read the file and keep what was read as a draft for a person to check."""
    _require_importer(actor)
    text = source_text_of(data, filename)
    try:
        parsed = parse_program(text, filename=filename, lang=lang)  # type: ignore[arg-type]
    except PlanParseError as exc:
        raise ServiceError(exc.code, exc.message, {"file": [exc.message]}) from exc
    if not parsed.subprograms:
        message = _("No sub-program was found in this text: is it a program document?")
        raise ServiceError("not_a_program", message, {"file": [message]})
    with transaction.atomic():
        upload = ProgramUpload.objects.create(
            created_by=actor,
            filename=filename[:255],
            source_text=text,
            lang=parsed.lang,
            target_program=target_program,
            parsed=parsed.to_json(),
        )
        audit_record(
            actor=actor,
            action="program_upload.create",
            object_type="program_upload",
            object_id=upload.pk,
            after={"filename": upload.filename, "lang": upload.lang},
        )
    return upload


def program_upload_tree(upload: ProgramUpload) -> dict[str, Any]:
    """The tree as it will be saved: what was read, with the corrections applied."""
    return apply_corrections(upload.parsed, upload.corrections)


def program_upload_correct(
    *, actor: User, upload: ProgramUpload, correction: dict[str, Any]
) -> ProgramUpload:
    _require_importer(actor)
    with transaction.atomic():
        upload = ProgramUpload.objects.select_for_update().get(pk=upload.pk)
        _require_draft(upload)
        if len(upload.corrections) >= MAX_CORRECTIONS:
            raise ServiceError("too_many_corrections", _("Too many corrections: save or discard."))
        tree = program_upload_tree(upload)
        try:
            apply_one(tree, correction)
        except CorrectionError as exc:
            raise correction_refusal(exc) from exc
        upload.corrections = [*upload.corrections, correction]
        upload.save(update_fields=["corrections"])
        audit_record(
            actor=actor,
            action="program_upload.correct",
            object_type="program_upload",
            object_id=upload.pk,
            after=correction,
        )
    return upload


def program_upload_save(*, actor: User, upload: ProgramUpload) -> ProgramImportOutcome:
    _require_importer(actor)
    with transaction.atomic():
        upload = ProgramUpload.objects.select_for_update().get(pk=upload.pk)
        _require_draft(upload)
        outcome = program_import(
            actor=actor,
            data=upload.source_text,
            filename=upload.filename,
            lang=upload.lang,
            program=upload.target_program,
            corrections=upload.corrections,
        )
        upload.status = ProgramUploadStatus.SAVED
        upload.saved_program = outcome.program
        upload.save(update_fields=["status", "saved_program"])
    return outcome


def program_upload_discard(*, actor: User, upload: ProgramUpload) -> ProgramUpload:
    _require_importer(actor)
    with transaction.atomic():
        upload = ProgramUpload.objects.select_for_update().get(pk=upload.pk)
        _require_draft(upload)
        upload.status = ProgramUploadStatus.DISCARDED
        upload.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="program_upload.discard",
            object_type="program_upload",
            object_id=upload.pk,
        )
    return upload
