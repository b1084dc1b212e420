"""One body, two records: the two language versions of a plan folded together, and duplicates
merged by an administrator. Every reference to the record that goes is moved to the one that
stays, found generically so that plans, the control schedule and later models are covered.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import Conflict, ServiceError
from jospar.core.models import (
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Succession,
    User,
)
from jospar.core.naming import match_key
from jospar.core.services._common import (
    NAME_FIELDS,
    earlier,
    later,
    live,
    org_snapshot,
    require_administrator,
)


def _repoint(*, duplicate: Organisation, into: Organisation) -> dict[str, int]:
    """Move everything that refers to ``duplicate`` to ``into``; counts by relation."""
    moved: Counter[str] = Counter()
    for alias in list(duplicate.aliases.all()):
        twin = into.aliases.filter(lang=alias.lang, code=alias.code, name=alias.name).first()
        if twin is None:
            alias.organisation = into
            alias.save(update_fields=["organisation"])
        else:
            twin.first_seen_on = earlier(twin.first_seen_on, alias.first_seen_on)
            twin.last_seen_on = later(twin.last_seen_on, alias.last_seen_on)
            twin.source = twin.source or alias.source
            twin.save(update_fields=["first_seen_on", "last_seen_on", "source"])
            alias.delete()
        moved["aliases"] += 1
    for succession in Succession.objects.filter(Q(predecessor=duplicate) | Q(successor=duplicate)):
        predecessor_id = (
            into.pk if succession.predecessor_id == duplicate.pk else (succession.predecessor_id)
        )
        successor_id = (
            into.pk if succession.successor_id == duplicate.pk else (succession.successor_id)
        )
        twin_exists = (
            Succession.objects.filter(
                predecessor_id=predecessor_id, successor_id=successor_id, kind=succession.kind
            )
            .exclude(pk=succession.pk)
            .exists()
        )
        if predecessor_id == successor_id or twin_exists:
            succession.delete()
        else:
            succession.predecessor_id = predecessor_id
            succession.successor_id = successor_id
            succession.save(update_fields=["predecessor", "successor"])
        moved["successions"] += 1
    # Every other model's reference, found generically so that plans, the control schedule and
    # whatever comes later are covered without this module knowing them.
    for relation in Organisation._meta.related_objects:
        related: type[models.Model] = relation.related_model
        if related in (OrganisationAlias, Succession):
            continue
        field_name = relation.field.name
        label = f"{related._meta.label}.{field_name}"
        if relation.many_to_many:
            for obj in related._base_manager.filter(**{field_name: duplicate}):
                manager = getattr(obj, field_name)
                manager.remove(duplicate)
                manager.add(into)
                moved[label] += 1
            continue
        query = related._base_manager.filter(**{field_name: duplicate})
        if related is Organisation:
            query = query.exclude(pk=into.pk)
        count = query.update(**{field_name: into})
        if count:
            moved[label] += count
    return dict(moved)


def _fold(*, duplicate: Organisation, into: Organisation) -> dict[str, Any]:
    """Fill ``into``'s empty fields from ``duplicate``, move every reference, mark the
    duplicate merged. Raises ``Conflict`` when another model's uniqueness forbids the move."""
    try:
        with transaction.atomic():
            moved = _repoint(duplicate=duplicate, into=into)
    except IntegrityError as exc:
        raise Conflict(
            "merge_conflict",
            _(
                "The records cannot be merged: both are referred to where only one may be "
                "(%(detail)s)."
            )
            % {"detail": exc},
        ) from exc
    into.refresh_from_db()
    duplicate.refresh_from_db()
    for name in NAME_FIELDS:
        if not getattr(into, name) and getattr(duplicate, name):
            setattr(into, name, getattr(duplicate, name))
    if into.kind == OrganisationKind.OTHER:
        into.kind = duplicate.kind
    if into.parent_id is None and duplicate.parent_id not in (None, into.pk):
        into.parent_id = duplicate.parent_id
    if into.parent_id == duplicate.pk:
        into.parent_id = duplicate.parent_id if duplicate.parent_id != into.pk else None
    if into.head_id is None and duplicate.head_id is not None:
        # The duplicate's users, its head among them, now belong to the record that stays.
        into.head_id = duplicate.head_id
    into.valid_from = into.valid_from or duplicate.valid_from
    into.valid_to = into.valid_to or duplicate.valid_to
    region = None
    if into.region_id is None and duplicate.region_id is not None:
        region = duplicate.region
        # The region may have one akimat only: free it before giving it to the survivor.
        duplicate.region = None
    duplicate.merged_into = into
    duplicate.save(update_fields=["region", "merged_into"])
    if region is not None:
        into.region = region
    into.save()
    return moved


def _pair_conflicts(kk: Organisation, ru: Organisation) -> list[str]:
    conflicts = [
        name
        for name in NAME_FIELDS
        if getattr(kk, name)
        and getattr(ru, name)
        and match_key(getattr(kk, name)) != match_key(getattr(ru, name))
    ]
    if OrganisationKind.OTHER not in (kk.kind, ru.kind) and kk.kind != ru.kind:
        conflicts.append("kind")
    for name in ("region_id", "parent_id"):
        if getattr(kk, name) and getattr(ru, name) and getattr(kk, name) != getattr(ru, name):
            conflicts.append(name.removesuffix("_id"))
    # People registered under both records: which one they work for is an administrator's call.
    if kk.users.exists() and ru.users.exists():
        conflicts.append("users")
    return conflicts


def organisations_pair_languages(
    *,
    kk: Organisation,
    ru: Organisation,
    evidence_date: dt.date | None,
    source: str,
    actor: User | None,
) -> Organisation:
    """The Kazakh and Russian texts of one plan name the same body: make it one record.

    The Russian record is folded into the Kazakh one when nothing they carry disagrees (names
    and abbreviations in the same language, kind, region, parent) — typically one has only
    Kazakh data and the other only Russian. When they disagree nothing is changed: the Kazakh
    record is returned and an ``organisation.pair_conflict`` audit row leaves it for an
    administrator.
    """
    with transaction.atomic():
        kk, ru = live(kk), live(ru)
        if kk.pk == ru.pk:
            return kk
        kk = Organisation.objects.select_for_update().get(pk=kk.pk)
        ru = Organisation.objects.select_for_update().get(pk=ru.pk)
        conflicts = _pair_conflicts(kk, ru)
        if conflicts:
            audit_record(
                actor=actor,
                action="organisation.pair_conflict",
                object_type="core.organisation",
                object_id=kk.pk,
                before={"kk": org_snapshot(kk), "ru": org_snapshot(ru)},
                after={
                    "conflicts": conflicts,
                    "seen_on": (evidence_date.isoformat() if evidence_date else None),
                },
                reason=source,
            )
            return kk
        before = {"kk": org_snapshot(kk), "ru": org_snapshot(ru)}
        moved = _fold(duplicate=ru, into=kk)
        audit_record(
            actor=actor,
            action="organisation.paired",
            object_type="core.organisation",
            object_id=kk.pk,
            before=before,
            after={"kk": org_snapshot(kk), "ru": org_snapshot(ru), "moved": moved},
            reason=source,
        )
    return kk


def organisation_merge(
    *, actor: User, duplicate: Organisation, into: Organisation, reason: str
) -> Organisation:
    """An administrator merges a duplicate record into the one that stays."""
    require_administrator(actor)
    reason = reason.strip()
    with transaction.atomic():
        duplicate = Organisation.objects.select_for_update().get(pk=duplicate.pk)
        into = Organisation.objects.select_for_update().get(pk=into.pk)
        if duplicate.pk == into.pk:
            raise ServiceError("merge_into_self", _("A record cannot be merged into itself."))
        if duplicate.merged_into_id is not None:
            raise ServiceError(
                "already_merged",
                _("“%(duplicate)s” was already merged into another record.")
                % {"duplicate": duplicate},
            )
        if into.merged_into_id is not None:
            raise ServiceError(
                "target_merged",
                _("“%(into)s” was itself merged into “%(target)s”; merge into that record instead.")
                % {"into": into, "target": live(into)},
                {"into": [_("Choose a record that is not merged.")]},
            )
        if (
            duplicate.region_id is not None
            and into.region_id is not None
            and duplicate.region_id != into.region_id
        ):
            raise ServiceError(
                "akimats_of_different_regions",
                _(
                    "“%(duplicate)s” and “%(into)s” are the akimats of two different regions and "
                    "cannot be merged."
                )
                % {"duplicate": duplicate, "into": into},
                {"into": [_("Choose a record of the same region.")]},
            )
        if not reason:
            raise ServiceError(
                "reason_required",
                _("Say why the records are merged."),
                {"reason": [_("This field is required.")]},
            )
        before = {"duplicate": org_snapshot(duplicate), "into": org_snapshot(into)}
        moved = _fold(duplicate=duplicate, into=into)
        audit_record(
            actor=actor,
            action="organisation.merged",
            object_type="core.organisation",
            object_id=duplicate.pk,
            before=before,
            after={
                "duplicate": org_snapshot(duplicate),
                "into": org_snapshot(into),
                "moved": moved,
            },
            reason=reason,
        )
    return into
