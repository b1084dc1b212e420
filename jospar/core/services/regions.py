"""Loading the regions, their history, boundaries and akimats into the directory."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import (
    Organisation,
    OrganisationKind,
    Region,
    RegionBoundary,
    Succession,
    SuccessionKind,
    User,
)
from jospar.core.population import POPULATION_2024, POPULATION_ON
from jospar.core.regions import BOUNDARY_SOURCE, REGIONS, SHYMKENT_START, boundaries
from jospar.core.services._common import require_administrator, snapshot

_REGION_FIELDS = (
    "code",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "valid_from",
    "valid_to",
    "bbox",
    "population",
    "population_on",
    "boundary_source",
    "former_names",
)
_AKIMAT_FIELDS = ("kind", "name_kk", "name_ru", "name_en", "valid_from", "valid_to")
# The rename the 2018 reform states: the oblast's akimat continued as Turkistan oblast's akimat.
_AKIMAT_RENAMES = (("south-kazakhstan", "turkistan", SHYMKENT_START),)
RENAME_BASIS = "2018-06-19: South Kazakhstan oblast renamed Turkistan oblast (regions directory)"


@dataclass
class RegionLoadResult:
    regions_created: list[str] = field(default_factory=list)
    regions_updated: list[str] = field(default_factory=list)
    akimats_created: list[str] = field(default_factory=list)
    akimats_updated: list[str] = field(default_factory=list)
    successions_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.regions_created,
                self.regions_updated,
                self.akimats_created,
                self.akimats_updated,
                self.successions_created,
            )
        )


def _region_snapshot(region: Region, boundary: dict[str, Any] | None) -> dict[str, Any]:
    # The boundary itself is tens of kilobytes; its digest says whether it changed.
    data = snapshot(region, _REGION_FIELDS)
    data["boundary_sha256"] = (
        hashlib.sha256(json.dumps(boundary, sort_keys=True).encode()).hexdigest()
        if boundary
        else None
    )
    data["predecessors"] = sorted(region.predecessors.values_list("code", flat=True))
    return data


def _apply(obj: Any, wanted: dict[str, Any]) -> list[str]:
    changed = [name for name, value in wanted.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, wanted[name])
    return changed


def regions_load(*, actor: User | None) -> RegionLoadResult:
    """Create or bring up to date the 21 regions (20 today and South Kazakhstan before 2018)
    and their akimats. Running it again changes nothing and writes no audit row."""
    shapes = boundaries()
    result = RegionLoadResult()
    with transaction.atomic():
        # Locked without their boundaries (a join to the boundaries' table could not be
        # locked on PostgreSQL: it is the nullable side of an outer join), read next.
        existing = {region.code: region for region in Region.objects.select_for_update()}
        stored: dict[int, Any] = dict(RegionBoundary.objects.values_list("region_id", "geometry"))
        touched: dict[str, dict[str, Any] | None] = {}
        for spec in REGIONS:
            wanted: dict[str, Any] = {
                "kind": spec.kind,
                "name_kk": spec.name_kk,
                "name_ru": spec.name_ru,
                "name_en": spec.name_en,
                "valid_from": spec.valid_from,
                "valid_to": spec.valid_to,
                "bbox": shapes[spec.code]["bbox"],
                "area_km2": shapes[spec.code]["area_km2"],
                "boundary_source": BOUNDARY_SOURCE,
                "former_names": [dict(name) for name in spec.former_names],
                "population": POPULATION_2024.get(spec.code),
                "population_on": POPULATION_ON if spec.code in POPULATION_2024 else None,
            }
            boundary = shapes[spec.code]["boundary"]
            region = existing.get(spec.code)
            if region is None:
                region = Region.objects.create(code=spec.code, **wanted)
                RegionBoundary.objects.create(region=region, geometry=boundary)
                stored[region.pk] = boundary
                existing[spec.code] = region
                touched[spec.code] = None
                continue
            before = _region_snapshot(region, stored.get(region.pk))
            changed = _apply(region, wanted)
            if changed:
                region.save(update_fields=changed)
            if stored.get(region.pk) != boundary:
                RegionBoundary.objects.update_or_create(
                    region=region, defaults={"geometry": boundary}
                )
                stored[region.pk] = boundary
                changed.append("boundary")
            if changed:
                touched[spec.code] = before
        for spec in REGIONS:
            region = existing[spec.code]
            wanted_codes = set(spec.predecessors)
            current = set(region.predecessors.values_list("code", flat=True))
            if current != wanted_codes:
                if spec.code not in touched:
                    touched[spec.code] = _region_snapshot(region, stored.get(region.pk))
                region.predecessors.set([existing[code] for code in sorted(wanted_codes)])
        for code, previous in touched.items():
            region = existing[code]
            audit_record(
                actor=actor,
                action="region.created" if previous is None else "region.updated",
                object_type="core.region",
                object_id=region.pk,
                before=previous,
                after=_region_snapshot(region, stored.get(region.pk)),
                reason=_("Regions directory loaded"),
            )
            (result.regions_created if previous is None else result.regions_updated).append(code)
        akimats = _load_akimats(actor=actor, regions=existing, result=result)
        _load_akimat_renames(actor=actor, akimats=akimats, result=result)
    return result


def _load_akimats(
    *, actor: User | None, regions: dict[str, Region], result: RegionLoadResult
) -> dict[str, Organisation]:
    akimats = {
        org.region.code: org
        for org in Organisation.objects.select_related("region").filter(region__isnull=False)
        if org.region is not None
    }
    for spec in REGIONS:
        wanted: dict[str, Any] = {
            "kind": OrganisationKind.AKIMAT.value,
            "name_kk": spec.akimat_kk,
            "name_ru": spec.akimat_ru,
            "name_en": spec.akimat_en,
            "valid_from": spec.valid_from,
            "valid_to": spec.valid_to,
        }
        akimat = akimats.get(spec.code)
        if akimat is None:
            akimat = Organisation.objects.create(region=regions[spec.code], **wanted)
            akimats[spec.code] = akimat
            result.akimats_created.append(spec.code)
            audit_record(
                actor=actor,
                action="organisation.created",
                object_type="core.organisation",
                object_id=akimat.pk,
                after=snapshot(akimat, (*_AKIMAT_FIELDS, "region")),
                reason=_("Akimat of a region, regions directory loaded"),
            )
            continue
        before = snapshot(akimat, _AKIMAT_FIELDS)
        changed = _apply(akimat, wanted)
        if changed:
            akimat.save(update_fields=changed)
            result.akimats_updated.append(spec.code)
            audit_record(
                actor=actor,
                action="organisation.updated",
                object_type="core.organisation",
                object_id=akimat.pk,
                before=before,
                after=snapshot(akimat, _AKIMAT_FIELDS),
                reason=_("Akimat of a region, regions directory loaded"),
            )
    return akimats


def _load_akimat_renames(
    *, actor: User | None, akimats: dict[str, Organisation], result: RegionLoadResult
) -> None:
    for old, new, on_date in _AKIMAT_RENAMES:
        succession, created = Succession.objects.get_or_create(
            predecessor=akimats[old],
            successor=akimats[new],
            kind=SuccessionKind.RENAMED,
            defaults={"on_date": on_date, "basis": RENAME_BASIS},
        )
        if created:
            result.successions_created.append(f"{old}->{new}")
            audit_record(
                actor=actor,
                action="succession.recorded",
                object_type="core.succession",
                object_id=succession.pk,
                after=snapshot(
                    succession, ("predecessor", "successor", "kind", "on_date", "basis")
                ),
                reason=_("Regions directory loaded"),
            )


_REGION_EDITABLE = ("name_kk", "name_ru", "name_en", "former_names")


def region_update(
    *, actor: User, region: Region, changes: dict[str, Any], reason: str = ""
) -> Region:
    """An administrator corrects a region's names or former names; the rest comes from
    ``regions_load``."""
    require_administrator(actor)
    unknown = sorted(set(changes) - set(_REGION_EDITABLE))
    if unknown:
        raise ServiceError(
            "not_editable",
            _("These fields of a region are loaded, not edited: %(fields)s")
            % {"fields": ", ".join(unknown)},
        )
    former = changes.get("former_names", region.former_names)
    if not isinstance(former, list) or not all(isinstance(item, dict) for item in former):
        raise ServiceError(
            "invalid",
            _("Former names must be a list of objects with names and dates."),
            {"former_names": [_("Expected a list of objects.")]},
        )
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region.pk)
        boundary = region.boundary
        before = _region_snapshot(region, boundary)
        changed = _apply(region, changes)
        if not changed:
            return region
        region.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="region.updated",
            object_type="core.region",
            object_id=region.pk,
            before=before,
            after=_region_snapshot(region, boundary),
            reason=reason,
        )
    return region
