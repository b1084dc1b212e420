"""Loading the packaged gazetteer of settlements into ``core.Place``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.gazetteer import PlaceRecord, gazetteer_source, places_from_package
from jospar.core.models import Place, User
from jospar.core.selectors.directory import regions_existing_on

_FIELDS = ("name_kk", "name_ru", "name_en", "search_key", "latitude", "longitude", "population")


@dataclass
class PlaceLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    source: str = ""
    changed_ids: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _region_finder() -> Any:
    """Today's region holding a point, by the stored boundaries (none before ``load-regions``)."""
    from django.utils.timezone import localdate
    from shapely.geometry import Point, shape
    from shapely.prepared import prep

    shapes = [
        (region.pk, prep(shape(region.boundary)))
        for region in regions_existing_on(localdate()).with_boundary()
        if region.boundary
    ]

    def find(latitude: float, longitude: float) -> int | None:
        point = Point(longitude, latitude)
        return next((pk for pk, polygon in shapes if polygon.covers(point)), None)

    return find


def _wanted(record: PlaceRecord, region_id: int | None, source: str) -> dict[str, Any]:
    return {
        "name_kk": record.name_kk,
        "name_ru": record.name_ru,
        "name_en": record.name_en,
        "search_key": record.search_key,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "population": record.population,
        "region_id": region_id,
        "source": source,
    }


def places_load(*, actor: User | None) -> PlaceLoadResult:
    """Create or bring up to date Kazakhstan's settlements from the installed gazetteer
    package. Running it again changes nothing and writes no audit row; a settlement the package
    no longer ships is kept (a report may have been placed by it)."""
    records = places_from_package()
    source = gazetteer_source()
    find_region = _region_finder()
    result = PlaceLoadResult(source=source)
    with transaction.atomic():
        existing = {place.geonameid: place for place in Place.objects.select_for_update()}
        created: list[Place] = []
        updated: list[Place] = []
        for record in records:
            wanted = _wanted(record, find_region(record.latitude, record.longitude), source)
            place = existing.get(record.geonameid)
            if place is None:
                created.append(Place(geonameid=record.geonameid, **wanted))
                continue
            changed = [name for name, value in wanted.items() if getattr(place, name) != value]
            if changed:
                for name in changed:
                    setattr(place, name, wanted[name])
                updated.append(place)
            else:
                result.unchanged += 1
        Place.objects.bulk_create(created, batch_size=500)
        Place.objects.bulk_update(updated, [*_FIELDS, "region_id", "source"], batch_size=500)
        result.created, result.updated = len(created), len(updated)
        if result.changed:
            audit_record(
                actor=actor,
                action="place.gazetteer_loaded",
                object_type="core.place",
                object_id="gazetteer",
                after={
                    "source": source,
                    "created": result.created,
                    "updated": result.updated,
                    "settlements": len(records),
                },
                reason=_("Gazetteer of settlements loaded"),
            )
    return result
