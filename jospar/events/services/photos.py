"""The photos of an event's report, checked and stored as Civic Control's are
(``jospar.civic.media``): the type read from the content, the size and the decoded memory
bounded before a pixel is decoded, the public copy and its thumbnail re-encoded in a
memory-limited child process, so that EXIF and GPS never reach the public copy. A photo is
removed by whoever may write the report (``event_photo_remove``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from jospar.civic.media import (
    CheckedMedia,
    StoredFiles,
    check_upload,
    delete_public_files,
    render_public_image,
)
from jospar.civic.models import MediaKind
from jospar.civic.services._common import require_confirmed
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import User
from jospar.events.access import can_manage
from jospar.events.models import EventPhoto, PublicEvent
from jospar.events.services._common import audit, locked, now, refused, snapshot

# A short report: a few photos, each re-encoded in the request (not a stream of filings).
PHOTOS_MAX = 10


def _on_photos(exc: ServiceError) -> ServiceError:
    """Civic's refusal names its ``media`` field; the report's is ``photos``."""
    message = str(exc.message)
    return ServiceError(exc.code, message, {"photos": [message]})


def check_event_photos(files: Sequence[Any], *, already: int = 0) -> list[CheckedMedia]:
    """Every photo checked by its content before anything is stored; refused whole."""
    files = list(files)
    if len(files) + already > PHOTOS_MAX:
        message = _("An event's report may have at most %(limit)d photos.") % {"limit": PHOTOS_MAX}
        raise ServiceError("too_many_files", message, {"photos": [message]})
    checked = []
    for upload in files:
        try:
            item = check_upload(upload)
        except ServiceError as exc:
            raise _on_photos(exc) from exc
        if item.kind != MediaKind.PHOTO:
            message = _("“%(name)s” is not a photo: attach JPEG, PNG or WebP images.") % {
                "name": item.name
            }
            raise ServiceError("not_a_photo", message, {"photos": [message]})
        checked.append(item)
    return checked


def _random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def store_event_photos(
    event: PublicEvent,
    checked: Sequence[CheckedMedia],
    *,
    actor: User,
    stored: StoredFiles,
    at: Any,
) -> list[EventPhoto]:
    """Store the checked photos: the original private, the clean copies public. Files written
    are noted in ``stored`` so that the caller removes them should the transaction fail."""
    rows = []
    for item in checked:
        item.source.seek(0)
        try:
            rendered = render_public_image(item.source, item.name)
        except ServiceError as exc:
            raise _on_photos(exc) from exc
        item.source.seek(0)
        photo = EventPhoto(
            event=event,
            width=item.width,
            height=item.height,
            sha256=item.sha256,
            uploaded_by=actor,
            uploaded_at=at,
        )
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


def event_photo_remove(*, actor: Any, photo: EventPhoto) -> None:
    """Take a photo off the event's report: whoever may write the report (``can_manage``: the
    proposer, a member of the organiser who may publish, a moderator, an administrator), in
    whatever state the event is in, since a wrong photo, or one showing a private person, must
    be removable even after the report or the event's cancellation. The row goes in the
    transaction with its audit row; the stored files (the private original, the public copy,
    the thumbnail) are deleted once it commits, so that a rollback leaves the photo whole.
    Evidence of execution reports that took this photo holds its own copy and keeps it."""
    person = require_confirmed(actor)
    if not can_manage(person, photo.event):
        raise refused()
    with transaction.atomic():
        event = locked(photo.event)
        row = EventPhoto.objects.filter(pk=photo.pk, event=event).first()
        if row is None:
            raise Conflict("photo_gone", _("This photo has already been removed."))
        before = snapshot(event)
        original = (row.original.storage, [str(row.original.name or "")])
        public = (
            row.public_file.storage,
            [str(row.public_file.name or ""), str(row.thumbnail.name or "")],
        )
        removed = {"id": row.pk, "sha256": row.sha256}
        row.delete()
        event.updated_at = now()
        event.save(update_fields=["updated_at"])
        audit(
            actor=person,
            action="event.photo_removed",
            event=event,
            before=before,
            extra={"photo_removed": removed},
        )
        for storage, names in (original, public):
            transaction.on_commit(partial(delete_public_files, storage, [n for n in names if n]))
