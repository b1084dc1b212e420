"""Posts exported from a social network (CSV or JSON with url, text, date and title), uploaded
by an executor or an administrator for a source collected that way."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import User
from jospar.media.collect.parse import Unreadable, parse_export
from jospar.media.models import CollectMethod, Source
from jospar.media.services.matching import matcher_load, proposals_make
from jospar.media.services.publications import (
    RECORD_LOT,
    NewPublication,
    publications_record,
)
from jospar.plans.access import is_executor

UPLOAD_MAX_BYTES = 5 * 1024 * 1024


def can_upload_posts(actor: User, source: Source) -> bool:
    return source.method == CollectMethod.UPLOAD and (actor.is_administrator or is_executor(actor))


def posts_import(*, actor: User, source: Source, data: bytes, name: str) -> int:
    """Record the file's posts as publications of the source; the new ones are counted."""
    if not can_upload_posts(actor, source):
        raise PermissionRefused(
            "not_allowed", _("Only an executor or an administrator uploads posts of this source.")
        )
    if len(data) > UPLOAD_MAX_BYTES:
        message = _("The file is larger than 5 MB.")
        raise ServiceError("too_big", message, {"file": [message]})
    try:
        items = parse_export(data, name)
    except Unreadable as exc:
        message = _("The file is not a CSV or JSON export of posts with their addresses.")
        raise ServiceError("unreadable", message, {"file": [message]}) from exc
    news = [
        NewPublication(url=i.url, title=i.title, text=i.summary, published_at=i.published)
        for i in items
    ]
    matcher = matcher_load()
    new = 0
    for start in range(0, len(news), RECORD_LOT):
        for found in publications_record(source=source, news=news[start : start + RECORD_LOT]):
            if found is not None:
                proposals_make(publication=found, matcher=matcher)
                new += 1
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="media.posts_imported",
            object_type="media.Source",
            object_id=source.pk,
            after={"file": name[:200], "posts": len(items), "new": new},
        )
    return new
