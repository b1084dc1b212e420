"""The directory of organisations grows from what documents say.

A plan's executor or glossary entry finds or creates its organisation, and leaves evidence: an
alias (the code and name as printed, with the dates of the documents that used them). An
administrator adds and corrects records by hand here too; merging is in ``merging``, succession
in ``succession``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import (
    Lang,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    User,
)
from jospar.core.naming import (
    classify_body_name,
    core_name_key,
    fold_spaces,
    legal_form_kind,
    looks_like_abbreviation,
    match_key,
)
from jospar.core.selectors.directory import region_find_by_name
from jospar.core.services._common import (
    NAME_FIELDS,
    earlier,
    later,
    live,
    org_snapshot,
    require_administrator,
)

_LANGS = (Lang.KK.value, Lang.RU.value, Lang.EN.value)


def _check_lang(lang: str) -> str:
    if lang not in _LANGS:
        raise ServiceError("invalid_language", _("Unknown language: %(lang)s") % {"lang": lang})
    return lang


# --- evidence ------------------------------------------------------------------------------


def _note_alias(
    *,
    org: Organisation,
    lang: str,
    code: str,
    name: str,
    evidence_date: dt.date | None,
    source: str,
    actor: User | None,
) -> OrganisationAlias:
    """Record that a document named ``org`` so; widen the dates when it was seen before."""
    code, name, source = code[:200], name[:500], source[:500]
    alias = OrganisationAlias.objects.filter(
        organisation=org, lang=lang, code=code, name=name
    ).first()
    if alias is None:
        try:
            with transaction.atomic():
                alias = OrganisationAlias.objects.create(
                    organisation=org,
                    lang=lang,
                    code=code,
                    name=name,
                    code_key=match_key(code)[:200],
                    name_key=match_key(name) if name else "",
                    first_seen_on=evidence_date,
                    last_seen_on=evidence_date,
                    source=source,
                )
        except IntegrityError:
            # Another import wrote the same evidence between the read and the insert.
            alias = OrganisationAlias.objects.get(organisation=org, lang=lang, code=code, name=name)
        else:
            audit_record(
                actor=actor,
                action="organisation.alias_added",
                object_type="core.organisation",
                object_id=org.pk,
                after={
                    "lang": lang,
                    "code": code,
                    "name": name,
                    "seen_on": evidence_date.isoformat() if evidence_date else None,
                },
                reason=source,
            )
            return alias
    first = earlier(alias.first_seen_on, evidence_date)
    last = later(alias.last_seen_on, evidence_date)
    updates: list[str] = []
    if first != alias.first_seen_on:
        alias.first_seen_on = first
        updates.append("first_seen_on")
        if source:
            # The source kept is the earliest document that used this name.
            alias.source = source
            updates.append("source")
    if last != alias.last_seen_on:
        alias.last_seen_on = last
        updates.append("last_seen_on")
    if not alias.source and source:
        alias.source = source
        updates.append("source")
    if updates:
        # Widening the dates is bookkeeping of the import that carries it, which audits itself.
        alias.save(update_fields=sorted(set(updates)))
    return alias


def _complete(
    *,
    org: Organisation,
    lang: str,
    code: str,
    name: str,
    kind: OrganisationKind | None,
    actor: User | None,
    source: str,
) -> Organisation:
    """Fill what a record lacks from a document: a name where it has none or only the bare
    code, an abbreviation where it has none, a kind where it was unknown. Nothing is
    overwritten."""
    wanted: dict[str, str] = {}
    name_field = f"name_{lang}"
    current = getattr(org, name_field)
    if name and current != name and (not current or match_key(current) == match_key(code)):
        wanted[name_field] = name[:500]
    if lang != Lang.EN and looks_like_abbreviation(code) and not getattr(org, f"abbr_{lang}"):
        wanted[f"abbr_{lang}"] = code[:64]
    if kind and kind != OrganisationKind.OTHER and org.kind == OrganisationKind.OTHER:
        wanted["kind"] = kind
    if not wanted:
        return org
    before = org_snapshot(org)
    for field_name, value in wanted.items():
        setattr(org, field_name, value)
    org.save(update_fields=sorted(wanted))
    audit_record(
        actor=actor,
        action="organisation.updated_from_document",
        object_type="core.organisation",
        object_id=org.pk,
        before=before,
        after=org_snapshot(org),
        reason=source,
    )
    return org


def _find_by_name(lang: str, code: str, name: str) -> Organisation | None:
    key = match_key(name)
    aliases = list(
        OrganisationAlias.objects.filter(lang=lang, name_key=key).select_related("organisation")
    )
    if aliases:
        code_key = match_key(code)
        # Several records may carry the name until an administrator merges them: prefer the one
        # that also used this code, then the most recently seen.
        aliases.sort(
            key=lambda a: (
                a.code_key == code_key,
                a.last_seen_on or dt.date.min,
                -a.organisation_id,
            ),
            reverse=True,
        )
        return live(aliases[0].organisation)
    exact = Organisation.objects.filter(merged_into__isnull=True, **{f"name_{lang}": name})
    return exact.order_by("pk").first()


def _find_by_code(lang: str, code: str, *, placeholders_only: bool = False) -> Organisation | None:
    """The one organisation a code points to in this language; ``None`` when none or several.

    ``placeholders_only``: only records made from the bare code, still named by it.
    """
    key = match_key(code)
    if not key:
        return None
    aliases = OrganisationAlias.objects.filter(lang=lang, code_key=key).select_related(
        "organisation"
    )
    if placeholders_only:
        aliases = aliases.filter(name="")
    candidates = {org.pk: org for org in (live(alias.organisation) for alias in aliases)}
    if placeholders_only:
        candidates = {
            pk: org
            for pk, org in candidates.items()
            if match_key(getattr(org, f"name_{lang}")) == key
        }
    return next(iter(candidates.values())) if len(candidates) == 1 else None


def _find_by_code_and_core_name(lang: str, code: str, name: str) -> Organisation | None:
    """The one body that used this code with this name up to the state's name in another
    grammatical form ("Қазақстан Республикасының ... министрлігі" in 2015, "Қазақстан
    Республикасы ... министрлігі" in 2016)."""
    core = core_name_key(name)
    candidates = {
        org.pk: org
        for org in (
            live(alias.organisation)
            for alias in OrganisationAlias.objects.filter(lang=lang, code_key=match_key(code))
            .exclude(name="")
            .select_related("organisation")
            if core_name_key(alias.name) == core
        )
    }
    return next(iter(candidates.values())) if len(candidates) == 1 else None


def _find_akimat(name: str, evidence_date: dt.date | None) -> Organisation | None:
    region = region_find_by_name(name, on=evidence_date)
    if region is None:
        return None
    akimat = Organisation.objects.filter(region=region).first()
    return live(akimat) if akimat is not None else None


def _executor_kind(code: str, name: str) -> OrganisationKind | None:
    # A name that is no body's ("центральные государственные органы") still gets a record
    # when a plan makes it an executor; the code's legal form may still tell the kind.
    return (
        (classify_body_name(name) if name else None)
        or legal_form_kind(code)
        or (None if name else classify_body_name(code))
    )


def organisation_find_for_executor(
    *, lang: str, code: str, name: str | None, evidence_date: dt.date | None
) -> Organisation | None:
    """The organisation a plan's executor stands for, if the directory has it; changes nothing
    (the upload preview asks it before anything is saved)."""
    code = fold_spaces(code)
    name = fold_spaces(name) if name else ""
    kind = _executor_kind(code, name)
    org: Organisation | None
    if name:
        org = _find_by_name(lang, code, name)
        if org is None and kind == OrganisationKind.AKIMAT:
            org = _find_akimat(name, evidence_date)
        if org is None:
            org = _find_by_code_and_core_name(lang, code, name)
        if org is None:
            # A record made earlier from the bare code ("ІСБ" in a plan whose glossary did
            # not expand it) is the body this expansion names.
            org = _find_by_code(lang, code, placeholders_only=True)
    else:
        org = _find_by_code(lang, code)
        if org is None and kind == OrganisationKind.AKIMAT:
            org = _find_akimat(code, evidence_date)
    return org


def organisation_for_executor(
    *,
    lang: str,
    code: str,
    name: str | None,
    evidence_date: dt.date | None,
    source: str,
    actor: User | None,
) -> Organisation:
    """Find or create the organisation a plan names, and record the evidence.

    With a ``name`` (the plan's own glossary expansion) the name decides, because codes are
    reused over the years by different bodies; without one, the code decides when exactly one
    organisation used it in this language. Runs inside the caller's transaction.
    """
    _check_lang(lang)
    code = fold_spaces(code)
    name = fold_spaces(name) if name else ""
    if not code and not name:
        raise ServiceError("invalid", _("An executor needs a code or a name."))
    with transaction.atomic():
        kind = _executor_kind(code, name)
        org = organisation_find_for_executor(
            lang=lang, code=code, name=name, evidence_date=evidence_date
        )
        if org is None:
            values = {f"name_{lang}": (name or code)[:500]}
            if lang != Lang.EN and (name or looks_like_abbreviation(code)):
                values[f"abbr_{lang}"] = code[:64]
            org = Organisation.objects.create(kind=kind or OrganisationKind.OTHER, **values)
            audit_record(
                actor=actor,
                action="organisation.created_from_document",
                object_type="core.organisation",
                object_id=org.pk,
                after={**org_snapshot(org), "code": code, "lang": lang},
                reason=source,
            )
        else:
            org = _complete(
                org=org, lang=lang, code=code, name=name, kind=kind, actor=actor, source=source
            )
        _note_alias(
            org=org,
            lang=lang,
            code=code,
            name=name,
            evidence_date=evidence_date,
            source=source,
            actor=actor,
        )
    return org


def glossary_register(
    *,
    lang: str,
    glossary: dict[str, str],
    evidence_date: dt.date | None,
    source: str,
    actor: User | None,
) -> dict[str, Organisation]:
    """A plan's glossary adds or confirms bodies: each entry naming a body goes to the directory;
    group words and terms ("СМИ", "ЖАО", "РГУ") do not. Returns code → organisation."""
    bodies: dict[str, Organisation] = {}
    for code, name in glossary.items():
        if classify_body_name(name) is None:
            continue
        bodies[code] = organisation_for_executor(
            lang=lang,
            code=code,
            name=name,
            evidence_date=evidence_date,
            source=source,
            actor=actor,
        )
    return bodies


def organisation_alias_confirm(
    *,
    actor: User,
    organisation: Organisation,
    lang: str,
    code: str,
    name: str,
    source: str,
) -> OrganisationAlias:
    """A person says that a printed executor (code and name as a plan prints them) is this
    body: the printing becomes its alias, so that the import finds the body by it. The caller
    checks that the person may import the plan that prints it."""
    _check_lang(lang)
    code, name = fold_spaces(code), fold_spaces(name)
    if not code and not name:
        raise ServiceError("invalid", _("An executor needs a code or a name."))
    with transaction.atomic():
        org = live(Organisation.objects.select_for_update().get(pk=organisation.pk))
        return _note_alias(
            org=org,
            lang=lang,
            code=code,
            name=name,
            evidence_date=None,
            source=source,
            actor=actor,
        )


# --- an administrator's edits --------------------------------------------------------------

EDITABLE_FIELDS = (
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "abbr_kk",
    "abbr_ru",
    "parent",
    "valid_from",
    "valid_to",
)


def organisation_validate(org: Organisation) -> None:
    if not any(getattr(org, name) for name in NAME_FIELDS):
        raise ServiceError(
            "invalid",
            _("An organisation needs at least a name or an abbreviation."),
            {"name_kk": [_("Give a name in at least one language.")]},
        )
    if org.valid_from and org.valid_to and org.valid_to < org.valid_from:
        raise ServiceError(
            "invalid",
            _("The end date is before the start date."),
            {"valid_to": [_("Must not be before the start date.")]},
        )
    seen: set[int] = set()
    parent = org.parent
    while parent is not None:
        if parent.pk == org.pk or parent.pk in seen:
            raise ServiceError(
                "invalid",
                _("An organisation cannot be its own parent."),
                {"parent": [_("This parent would make a circle.")]},
            )
        seen.add(parent.pk)
        parent = parent.parent


def organisation_create(*, actor: User, values: dict[str, Any], reason: str = "") -> Organisation:
    """An administrator adds a body that no document has named yet."""
    require_administrator(actor)
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise ServiceError(
            "not_editable",
            _("These fields are not set by hand: %(fields)s") % {"fields": ", ".join(unknown)},
        )
    with transaction.atomic():
        org = Organisation(**values)
        organisation_validate(org)
        org.save()
        audit_record(
            actor=actor,
            action="organisation.created",
            object_type="core.organisation",
            object_id=org.pk,
            after=org_snapshot(org),
            reason=reason,
        )
    return org


def organisation_update(
    *, actor: User, organisation: Organisation, changes: dict[str, Any], reason: str = ""
) -> Organisation:
    """An administrator corrects a record's names, kind, parent or dates."""
    require_administrator(actor)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ServiceError(
            "not_editable",
            _("These fields are not set by hand: %(fields)s") % {"fields": ", ".join(unknown)},
        )
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.merged_into_id is not None:
            raise ServiceError(
                "merged_record",
                _("This record was merged into “%(live)s”; edit that one.") % {"live": live(org)},
            )
        before = org_snapshot(org)
        changed = [name for name, value in changes.items() if getattr(org, name) != value]
        if not changed:
            return org
        for name in changed:
            setattr(org, name, changes[name])
        organisation_validate(org)
        org.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="organisation.updated",
            object_type="core.organisation",
            object_id=org.pk,
            before=before,
            after=org_snapshot(org),
            reason=reason,
        )
    return org


# --- the head, told when the organisation misses a deadline --------------------------------


def organisation_head_validate(org: Organisation, head: User | None) -> None:
    if head is None:
        return
    if org.pk is None or head.organisation_id != org.pk:
        raise ServiceError(
            "invalid",
            _("The head must be a user of this organisation."),
            {"head": [_("Choose a user registered with this organisation.")]},
        )
    if not head.is_active:
        raise ServiceError(
            "invalid",
            _("The head must be an active user."),
            {"head": [_("This user is inactive.")]},
        )


def organisation_head_set(
    *, actor: User, organisation: Organisation, head: User | None, reason: str = ""
) -> Organisation:
    """An administrator names (or clears) the person told when the organisation misses a
    deadline. Without one, its users holding the head role are told."""
    require_administrator(actor)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.head_id == (head.pk if head is not None else None):
            return org
        organisation_head_validate(org, head)
        before = {"head_id": org.head_id}
        org.head = head
        org.save(update_fields=["head"])
        audit_record(
            actor=actor,
            action="organisation.head_set",
            object_type="core.organisation",
            object_id=org.pk,
            before=before,
            after={"head_id": org.head_id},
            reason=reason,
        )
    return org
