"""Seeding the directory with Kazakhstan's central state bodies, current and past.

``jospar/core/data/central_bodies.json`` names each body as it is officially called in Kazakh,
Russian and English, with its abbreviations, the dates known to the day, and what became of a
past body. Loading it (``jospar load-directory``) gives every body one record whose aliases hold
the printings plans use ("Қазақстан Республикасы Қаржы министрлігі", "Министерство финансов
РК", ...), so that an import in either language finds that one record. A record the documents
already made is completed, not duplicated; two records already standing for one body are
reported for an administrator to merge. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.models import (
    Lang,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Succession,
    User,
)
from jospar.core.naming import core_name_key, match_key
from jospar.core.services._common import live, org_snapshot
from jospar.core.services.organisations import _note_alias

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "central_bodies.json"
SOURCE = "jospar directory of central state bodies"


@lru_cache(maxsize=1)
def central_bodies() -> tuple[dict[str, Any], ...]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(data["bodies"])


def printed_names(body: dict[str, Any], lang: str) -> list[str]:
    """The ways documents print the body's name in a language: short, with the state's name,
    and the other names the data file lists."""
    short = str(body.get(lang) or "")
    if not short:
        return []
    if lang == Lang.KK:
        names = [short, f"Қазақстан Республикасының {short}", f"Қазақстан Республикасы {short}"]
    elif lang == Lang.RU:
        names = [short, f"{short} Республики Казахстан", f"{short} РК"]
    else:
        names = [short, f"{short} of the Republic of Kazakhstan"]
    names += [full_name(body, lang)]
    names += [str(name) for name in body.get(f"also_{lang}", [])]
    return list(dict.fromkeys(names))


def full_name(body: dict[str, Any], lang: str) -> str:
    """The official name with the state's name, as the directory shows it; a body within
    another (a committee, a bureau) keeps its own short name."""
    short = str(body.get(lang) or "")
    if body.get(f"full_{lang}"):
        return str(body[f"full_{lang}"])
    if not short or body.get("parent"):
        return short
    if lang == Lang.KK:
        return f"Қазақстан Республикасының {short}"
    if lang == Lang.RU:
        return f"{short} Республики Казахстан"
    return f"{short} of the Republic of Kazakhstan"


def _abbr(body: dict[str, Any], lang: str) -> str:
    return str(body.get(f"abbr_{lang}") or "") if lang != Lang.EN else ""


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass
class DirectoryLoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    successions: list[str] = field(default_factory=list)
    aliases: int = 0
    # body key → ids of records that all stand for it (for an administrator to merge)
    duplicates: dict[str, list[int]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.successions or self.aliases)


def _existing(body: dict[str, Any]) -> list[Organisation]:
    """Records that already stand for the body: a printing of its name, or its abbreviation
    with its name up to the state's name."""
    found: dict[int, Organisation] = {}
    for lang in (Lang.KK, Lang.RU, Lang.EN):
        names = printed_names(body, lang)
        if not names:
            continue
        keys = {match_key(name) for name in names}
        for alias in OrganisationAlias.objects.filter(lang=lang, name_key__in=keys).select_related(
            "organisation"
        ):
            org = live(alias.organisation)
            found.setdefault(org.pk, org)
        for org in Organisation.objects.filter(
            merged_into__isnull=True, **{f"name_{lang}__in": names}
        ):
            found.setdefault(org.pk, org)
        code = _abbr(body, lang)
        if code:
            core = core_name_key(names[0])
            for alias in (
                OrganisationAlias.objects.filter(lang=lang, code_key=match_key(code))
                .exclude(name="")
                .select_related("organisation")
            ):
                if core_name_key(alias.name) == core:
                    org = live(alias.organisation)
                    found.setdefault(org.pk, org)
    return [found[pk] for pk in sorted(found)]


def _wanted(body: dict[str, Any]) -> dict[str, Any]:
    wanted: dict[str, Any] = {
        "kind": body.get("kind") or OrganisationKind.OTHER.value,
        "name_kk": full_name(body, Lang.KK),
        "name_ru": full_name(body, Lang.RU),
        "name_en": full_name(body, Lang.EN),
        "abbr_kk": body.get("abbr_kk", ""),
        "abbr_ru": body.get("abbr_ru", ""),
    }
    # Dates only where the data file knows them: a date entered by hand is not erased.
    for name in ("valid_from", "valid_to"):
        if body.get(name):
            wanted[name] = _date(body[name])
    return wanted


def _apply(org: Organisation, wanted: dict[str, Any]) -> list[str]:
    changed = [name for name, value in wanted.items() if getattr(org, name) != value]
    for name in changed:
        setattr(org, name, wanted[name])
    return changed


def directory_load(*, actor: User | None) -> DirectoryLoadResult:
    """Create or bring up to date the central state bodies, their aliases and successions."""
    result = DirectoryLoadResult()
    with transaction.atomic():
        records: dict[str, Organisation] = {}
        for body in central_bodies():
            key = str(body["key"])
            found = _existing(body)
            if len(found) > 1:
                result.duplicates[key] = [org.pk for org in found]
            wanted = _wanted(body)
            if not found:
                org = Organisation.objects.create(**wanted)
                audit_record(
                    actor=actor,
                    action="organisation.created_from_directory",
                    object_type="core.organisation",
                    object_id=org.pk,
                    after=org_snapshot(org),
                    reason=SOURCE,
                )
                result.created.append(key)
            else:
                org = found[0]
                before = org_snapshot(org)
                changed = _apply(org, wanted)
                if changed:
                    org.save(update_fields=sorted(changed))
                    audit_record(
                        actor=actor,
                        action="organisation.updated_from_directory",
                        object_type="core.organisation",
                        object_id=org.pk,
                        before=before,
                        after=org_snapshot(org),
                        reason=SOURCE,
                    )
                    result.updated.append(key)
            records[key] = org
            for lang in (Lang.KK, Lang.RU, Lang.EN):
                code = _abbr(body, lang)
                for name in printed_names(body, lang):
                    exists = OrganisationAlias.objects.filter(
                        organisation=org, lang=lang, code=code, name=name
                    ).exists()
                    if not exists:
                        _note_alias(
                            org=org,
                            lang=lang,
                            code=code,
                            name=name,
                            evidence_date=None,
                            source=SOURCE,
                            actor=actor,
                        )
                        result.aliases += 1
        _link(actor=actor, records=records, result=result)
    return result


def _link(
    *, actor: User | None, records: dict[str, Organisation], result: DirectoryLoadResult
) -> None:
    """Parents and successions the data file states."""
    for body in central_bodies():
        org = records[str(body["key"])]
        parent_key = body.get("parent")
        if parent_key and org.parent_id != records[parent_key].pk:
            before = org_snapshot(org)
            org.parent = records[parent_key]
            org.save(update_fields=["parent"])
            audit_record(
                actor=actor,
                action="organisation.updated_from_directory",
                object_type="core.organisation",
                object_id=org.pk,
                before=before,
                after=org_snapshot(org),
                reason=SOURCE,
            )
            if str(body["key"]) not in result.updated:
                result.updated.append(str(body["key"]))
        for link in body.get("successors", []):
            successor = records[link["key"]]
            if successor.pk == org.pk:
                continue
            succession, created = Succession.objects.get_or_create(
                predecessor=org,
                successor=successor,
                kind=link["kind"],
                defaults={"on_date": _date(link.get("on")), "basis": SOURCE},
            )
            if created:
                audit_record(
                    actor=actor,
                    action="succession.recorded",
                    object_type="core.succession",
                    object_id=succession.pk,
                    after={
                        "predecessor": org.pk,
                        "successor": successor.pk,
                        "kind": succession.kind,
                        "on_date": succession.on_date.isoformat() if succession.on_date else None,
                    },
                    reason=SOURCE,
                )
                result.successions.append(f"{body['key']} → {link['key']}")


def directory_load_message(result: DirectoryLoadResult) -> str:
    if not result.changed:
        return _("The directory of central state bodies is up to date: nothing changed.")
    return _(
        "Central state bodies created: %(created)s, updated: %(updated)s; names recorded: "
        "%(aliases)s; successions recorded: %(successions)s."
    ) % {
        "created": len(result.created),
        "updated": len(result.updated),
        "aliases": result.aliases,
        "successions": len(result.successions),
    }
