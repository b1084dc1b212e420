"""What the initiative services share: who acts, the initiative locked for a change, its
history entry and audit row, text rules and the files (checked as in Civic Control)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile, File
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.civic.media import StoredFiles, check_upload, render_public_image
from jospar.civic.models import MediaKind
from jospar.control.uploads import check_attachment, storage_name
from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.initiatives.models import (
    Initiative,
    InitiativeDocument,
    InitiativeEvent,
    InitiativePhoto,
)

OBJECT_TYPE = "initiatives.initiative"
TEXT_MAX = 5000
REASON_MAX = 2000
PHOTOS_MAX = 10
DOCUMENTS_MAX = 5
AMOUNT_MAX = Decimal("1000000000000")

_SNAPSHOT = ("state", "region_id", "decision_body", "rating_count")


def now() -> dt.datetime:
    return timezone.now()


def refused() -> PermissionRefused:
    return PermissionRefused("forbidden", _("You may not do this with this initiative."))


def locked(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def snapshot(initiative: Initiative) -> dict[str, Any]:
    return {name: getattr(initiative, name) for name in _SNAPSHOT}


def clean_text(value: Any, field: str, *, required: bool = True, max_length: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        message = _("This field is required.")
        raise ServiceError("required", message, {field: [message]})
    if len(text) > max_length:
        message = _("At most %(limit)d characters.") % {"limit": max_length}
        raise ServiceError("too_long", message, {field: [message]})
    if "\x00" in text:
        message = _("The text contains characters that are not allowed.")
        raise ServiceError("bad_text", message, {field: [message]})
    return text


def clean_amount(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if (
        not amount.is_finite()
        or amount < 0
        or (amount == 0 and not allow_zero)
        or (amount > AMOUNT_MAX)
    ):
        message = _("Enter a positive number.")
        raise ServiceError("bad_amount", message, {field: [message]})
    return amount.quantize(Decimal("0.01"))


def event(
    initiative: Initiative,
    *,
    actor: User | None,
    kind: str,
    at: dt.datetime,
    from_state: str = "",
    note: str = "",
) -> InitiativeEvent:
    return InitiativeEvent.objects.create(
        initiative=initiative,
        actor=actor,
        kind=kind,
        at=at,
        from_state=from_state,
        to_state=initiative.state if from_state else "",
        note=note,
    )


def audit(
    *,
    actor: User | None,
    action: str,
    initiative: Initiative,
    before: dict[str, Any] | None = None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    after = snapshot(initiative)
    if extra:
        after.update(extra)
    audit_record(
        actor=actor,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=initiative.pk,
        before=before,
        after=after,
        reason=reason,
    )


def _random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def check_photos(files: Sequence[Any], *, already: int = 0) -> list[Any]:
    """Check photos by content, as Civic Control does; video and audio are not taken here."""
    files = list(files)
    if len(files) + already > PHOTOS_MAX:
        message = _("At most %(limit)d photos may be attached.") % {"limit": PHOTOS_MAX}
        raise ServiceError("too_many_files", message, {"photos": [message]})
    checked = []
    for upload in files:
        item = check_upload(upload)
        if item.kind != MediaKind.PHOTO:
            message = _("“%(name)s” is not a photo: attach JPEG, PNG or WebP images.") % {
                "name": item.name
            }
            raise ServiceError("not_a_photo", message, {"photos": [message]})
        checked.append(item)
    return checked


def store_photos(
    initiative: Initiative,
    checked: Sequence[Any],
    *,
    stage: str,
    actor: User,
    stored: StoredFiles,
    at: dt.datetime,
) -> list[InitiativePhoto]:
    rows = []
    for item in checked:
        photo = InitiativePhoto(
            initiative=initiative,
            stage=stage,
            width=item.width,
            height=item.height,
            sha256=item.sha256,
            uploaded_by=actor,
            uploaded_at=at,
        )
        # The public copy is made here, in Civic Control's memory-limited child process: an
        # initiative carries a few photos, not a stream of filings (docs/decisions.md).
        item.source.seek(0)
        rendered = render_public_image(item.source, item.name)
        item.source.seek(0)
        photo.original.save(_random_name(item.extension), File(item.source), save=False)
        stored.add(photo.original.storage, photo.original.name)
        photo.public_file.save(
            _random_name(rendered["extension"]), ContentFile(rendered["public"]), save=False
        )
        stored.add(photo.public_file.storage, photo.public_file.name)
        photo.thumbnail.save(
            _random_name(rendered["extension"]), ContentFile(rendered["thumbnail"]), save=False
        )
        stored.add(photo.thumbnail.storage, photo.thumbnail.name)
        photo.save()
        rows.append(photo)
    return rows


def check_documents(files: Sequence[Any], field: str = "documents") -> list[tuple[Any, Any]]:
    files = list(files)
    if len(files) > DOCUMENTS_MAX:
        message = _("At most %(limit)d documents may be attached.") % {"limit": DOCUMENTS_MAX}
        raise ServiceError("too_many_files", message, {field: [message]})
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_attachment(upload, str(getattr(upload, "name", "")))))
        except ServiceError as error:
            raise ServiceError(error.code, error.message, {field: [str(error.message)]}) from None
    return checked


def store_documents(
    initiative: Initiative,
    checked: Sequence[tuple[Any, Any]],
    *,
    kind: str,
    actor: User,
    stored: StoredFiles,
    at: dt.datetime,
) -> list[InitiativeDocument]:
    rows = []
    for upload, info in checked:
        document = InitiativeDocument(
            initiative=initiative,
            kind=kind,
            name=info.name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=actor,
            uploaded_at=at,
        )
        upload.seek(0)
        document.file.save(
            f"{uuid.uuid4().hex[:12]}-{storage_name(info)}", File(upload), save=False
        )
        stored.add(document.file.storage, document.file.name)
        document.save()
        rows.append(document)
    return rows
