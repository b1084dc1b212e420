"""An administrator keeps the monitored sources: creates, edits, stops and resumes collecting one.

A source is never deleted (its publications point at it); a disabled one is not collected and
says so on the sources' page. Changing the address clears the conditional-GET validators and
the backoff, so that the new address is asked at the next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import Region, User
from jospar.media.access import can_keep_sources
from jospar.media.models import CollectMethod, Lang, Source, SourceKind

NAME_MAX = 300
URL_MAX = 1000
AUDIENCE_MAX = 10_000_000_000
SOURCE_LANGS = (Lang.KK, Lang.RU, Lang.EN)
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class SourceInput:
    name: str
    kind: str
    method: str
    url: str = ""
    region_id: int | None = None
    languages: tuple[str, ...] = ()
    declared_audience: int = 0


def _refuse(field: str, message: str) -> ServiceError:
    return ServiceError("invalid_source", message, {field: [message]})


def _checked(data: SourceInput) -> SourceInput:
    problems: dict[str, list[str]] = {}

    def lack(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    name = " ".join(data.name.split())
    if not name or len(name) > NAME_MAX:
        lack("name", _("Give the source's name (up to 300 characters)."))
    if data.kind not in SourceKind.values:
        lack("kind", _("Choose the kind of source."))
    if data.method not in CollectMethod.values:
        lack("method", _("Choose how the source is collected."))
    url = data.url.strip()
    if data.method in (CollectMethod.FEED, CollectMethod.SITEMAP):
        try:
            if not url or len(url) > URL_MAX:
                raise ValidationError("missing")
            _url(url)
        except ValidationError:
            lack(
                "url",
                _(
                    "Give the full address of the feed or sitemap, starting with http:// or https://."
                ),
            )
    elif url:
        lack("url", _("A source of uploaded files has no address: leave it empty."))
    if data.region_id is not None and not Region.objects.filter(pk=data.region_id).exists():
        lack("region", _("Choose a region from the list."))
    languages = tuple(dict.fromkeys(data.languages))
    if not languages or any(lang not in SOURCE_LANGS for lang in languages):
        lack("languages", _("Choose the languages the source publishes in."))
    if not (0 <= data.declared_audience <= AUDIENCE_MAX):
        lack("declared_audience", _("The declared audience is out of range."))
    if problems:
        first = next(iter(problems.values()))[0]
        raise ServiceError("invalid_source", first, problems)
    return SourceInput(
        name, data.kind, data.method, url, data.region_id, languages, data.declared_audience
    )


def _require_keeper(actor: User) -> None:
    if not can_keep_sources(actor):
        raise PermissionRefused("not_allowed", _("Only an administrator keeps the sources."))


def _facts(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "kind": source.kind,
        "method": source.method,
        "url": source.url,
        "region": source.region_id,
        "languages": list(source.languages),
        "declared_audience": source.declared_audience,
        "active": source.active,
    }


def source_create(*, actor: User, data: SourceInput) -> Source:
    _require_keeper(actor)
    data = _checked(data)
    with transaction.atomic():
        source = Source.objects.create(
            name=data.name,
            kind=data.kind,
            method=data.method,
            url=data.url,
            region_id=data.region_id,
            languages=list(data.languages),
            declared_audience=data.declared_audience,
        )
        audit_record(
            actor=actor,
            action="media.source_created",
            object_type="media.Source",
            object_id=source.pk,
            after=_facts(source),
        )
    return source


def source_update(*, actor: User, source: Source, data: SourceInput) -> Source:
    _require_keeper(actor)
    data = _checked(data)
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        before = _facts(locked)
        moved = (locked.method, locked.url) != (data.method, data.url)
        locked.name, locked.kind, locked.method = data.name, data.kind, data.method
        locked.url, locked.region_id = data.url, data.region_id
        locked.languages = list(data.languages)
        locked.declared_audience = data.declared_audience
        if moved:
            # A new address is asked afresh: no validators of the old one, no backoff.
            locked.etag = locked.last_modified = ""
            locked.failures_in_row, locked.flagged, locked.next_attempt_at = 0, False, None
        locked.save()
        audit_record(
            actor=actor,
            action="media.source_updated",
            object_type="media.Source",
            object_id=locked.pk,
            before=before,
            after=_facts(locked),
        )
    return locked


def source_set_active(*, actor: User, source: Source, active: bool) -> Source:
    """Stop collecting the source (its publications stay), or resume it at the next run."""
    _require_keeper(actor)
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        if locked.active == active:
            return locked
        locked.active = active
        if active:
            locked.failures_in_row, locked.flagged, locked.next_attempt_at = 0, False, None
        locked.save()
        audit_record(
            actor=actor,
            action="media.source_enabled" if active else "media.source_disabled",
            object_type="media.Source",
            object_id=locked.pk,
            before={"active": not active},
            after={"active": active},
        )
    return locked
