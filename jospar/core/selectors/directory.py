"""Reading the directory."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from jospar.core.models import (
    Organisation,
    OrganisationAlias,
    Region,
    RegionKind,
    RegionQuerySet,
    Succession,
    SuccessionKind,
)
from jospar.core.naming import match_key


def regions_existing_on(day: dt.date) -> RegionQuerySet:
    return (
        Region.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("akimat")
        .order_by("name_en")
    )


def organisation_list(*, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(merged_into__isnull=True).select_related("parent", "region")
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(
            Q(name_kk__icontains=search)
            | Q(name_ru__icontains=search)
            | Q(name_en__icontains=search)
            | Q(abbr_kk__icontains=search)
            | Q(abbr_ru__icontains=search)
            | Q(aliases__code__icontains=search)
        ).distinct()
    return qs.annotate(alias_count=Count("aliases", distinct=True)).prefetch_related(
        Prefetch("aliases", queryset=OrganisationAlias.objects.order_by("lang", "code"))
    )


def region_list() -> QuerySet[Region]:
    return (
        Region.objects.select_related("akimat")
        .prefetch_related("predecessors", "successors")
        .order_by("valid_to", "name_en")
    )


# --- regions: by point, by name, by date ---------------------------------------------------

# How far outside every simplified boundary a point may lie and still be given the nearest
# region: simplification leaves slivers of up to its tolerance between neighbours.
_NEAREST_TOLERANCE = 0.02
# Prepared shapely geometries by (region id, bbox): built once per process, rebuilt only for a
# region whose boundary changed (its bbox changes with it when ``load_regions`` reloads).
_GEOMETRY_CACHE: dict[tuple[int, tuple[float, ...]], tuple[Any, float]] = {}


def _geometries(rows: list[tuple[int, tuple[float, ...]]]) -> dict[int, tuple[Any, float]]:
    import shapely
    from shapely.geometry import shape

    missing = [pk for pk, bbox in rows if (pk, bbox) not in _GEOMETRY_CACHE]
    if missing:
        for pk, boundary, bbox in Region.objects.filter(pk__in=missing).values_list(
            "pk", "boundary_row__geometry", "bbox"
        ):
            geometry = shape(boundary)
            shapely.prepare(geometry)
            _GEOMETRY_CACHE[(pk, tuple(bbox or ()))] = (geometry, float(geometry.area))
    return {pk: _GEOMETRY_CACHE[(pk, bbox)] for pk, bbox in rows if (pk, bbox) in _GEOMETRY_CACHE}


def _existed(valid_from: dt.date | None, valid_to: dt.date | None, day: dt.date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def _predecessor_on(region_id: int, day: dt.date) -> Region | None:
    """The region that held this territory on ``day``, before ``region_id`` was formed."""
    seen: set[int] = set()
    frontier = [region_id]
    while frontier:
        current = Region.objects.get(pk=frontier.pop(0))
        for predecessor in current.predecessors.order_by("pk"):
            if predecessor.pk in seen:
                continue
            seen.add(predecessor.pk)
            if predecessor.existed_on(day):
                return predecessor
            frontier.append(predecessor.pk)
    return None


def region_at(lat: float, lon: float, on: dt.date | None = None) -> Region | None:
    """The region a point lay in on a date (today by default); ``None`` outside Kazakhstan.

    Boundaries are today's. A point in a region formed later (Shymkent, Zhetisu, ...) belongs,
    on an earlier date, to the region it was formed from.
    """
    from shapely.geometry import Point

    day = on or timezone.localdate()
    point = Point(lon, lat)
    rows = [
        (pk, tuple(bbox or ()), valid_from, valid_to)
        for pk, bbox, valid_from, valid_to in Region.objects.filter(
            boundary_row__isnull=False
        ).values_list("pk", "bbox", "valid_from", "valid_to")
    ]
    shapes = _geometries([(pk, bbox) for pk, bbox, _f, _t in rows])

    def near(bbox: tuple[float, ...], margin: float) -> bool:
        return len(bbox) == 4 and (
            bbox[0] - margin <= lon <= bbox[2] + margin
            and bbox[1] - margin <= lat <= bbox[3] + margin
        )

    containing = [
        (shapes[pk][1], pk, valid_from, valid_to)
        for pk, bbox, valid_from, valid_to in rows
        if pk in shapes and near(bbox, 0) and shapes[pk][0].covers(point)
    ]
    if not containing:
        distances = [
            (shapes[pk][0].distance(point), pk, valid_from, valid_to)
            for pk, bbox, valid_from, valid_to in rows
            if pk in shapes and near(bbox, _NEAREST_TOLERANCE)
        ]
        distances = [d for d in distances if d[0] <= _NEAREST_TOLERANCE]
        containing = sorted(distances)[:1]
    # The smallest first: a city lies inside the oblast drawn around it.
    containing.sort()
    for _size, pk, valid_from, valid_to in containing:
        if _existed(valid_from, valid_to, day):
            return Region.objects.get(pk=pk)
    for _size, pk, _from, _to in containing:
        predecessor = _predecessor_on(pk, day)
        if predecessor is not None:
            return predecessor
    return None


def region_boundary_on(region: Region, day: dt.date) -> dict[str, Any] | None:
    """The region's extent on a date, as GeoJSON. A region that goes on today with a smaller
    territory (Almaty oblast after Zhetisu, East Kazakhstan after Abai, Karaganda after
    Ulytau) covered, before the split, the regions formed from it as well."""
    import shapely
    from shapely.geometry import mapping, shape

    if not region.boundary:
        return None
    if region.valid_to is not None:
        # A region that no longer exists is stored with the whole extent it had.
        return dict(region.boundary)
    later = [
        successor.boundary
        for successor in region.successors.with_boundary()
        if successor.boundary and successor.valid_from and successor.valid_from > day
    ]
    if not later:
        return dict(region.boundary)
    union = shapely.union_all([shape(region.boundary), *(shape(b) for b in later)])
    result: dict[str, Any] = json.loads(json.dumps(mapping(union)))
    return result


_OBLAST_WORDS = re.compile(r"(?<![\w-])(облыс|област|region|oblast)")
_CITY_WORDS = re.compile(r"(?<![\w-])(кала|город|гг?\.|city)")
# An akimat of a district, town or village names its region too, but is not the region's.
_DISTRICT_WORDS = re.compile(r"(?<![\w-])(район|аудан|ауыл|сельск|поселк|кент\b|district)")
_KIND_WORDS = re.compile(
    r"(?<![\w-])(облысы|области|область|облыс|каласы|кала|город|города|г\.|region|oblast|city)"
    r"(?![\w-])"
)


def _region_stems(region: Region) -> set[str]:
    from jospar.core.naming import match_key
    from jospar.core.regions import REGIONS_BY_CODE

    spec = REGIONS_BY_CODE.get(region.code)
    stems = {match_key(stem) for stem in spec.stems} if spec is not None else set()
    names = [region.name_kk, region.name_ru, region.name_en]
    for former in region.former_names or []:
        if isinstance(former, dict):
            names.extend(str(former.get(f"name_{lang}", "")) for lang in ("kk", "ru", "en"))
    for name in names:
        stem = " ".join(_KIND_WORDS.sub(" ", match_key(name)).split())
        if stem:
            stems.add(stem)
    return stems


def region_find_by_name(text: str, on: dt.date | None = None) -> Region | None:
    """The region a name in running text means ("Нур-Султана", "Алматы облысының",
    "Туркестанской области"), former names included; ``None`` when none or ambiguous.

    ``Алматы`` alone is the city or the oblast by the word beside it; a district's, town's or
    village's name is not taken for its region's.
    """
    from jospar.core.naming import match_key

    key = match_key(text)
    if not key or _DISTRICT_WORDS.search(key):
        return None
    regions = list(Region.objects.all())
    found = [
        region
        for region in regions
        if any(re.search(r"(?<![\w-])" + re.escape(stem), key) for stem in _region_stems(region))
    ]
    oblast, city = bool(_OBLAST_WORDS.search(key)), bool(_CITY_WORDS.search(key))
    if oblast != city:
        wanted = RegionKind.OBLAST if oblast else RegionKind.CITY
        found = [region for region in found if region.kind == wanted]
    if on is not None and len(found) > 1:
        found = [region for region in found if region.existed_on(on)] or found
    return found[0] if len(found) == 1 else None


# --- organisations: who holds the functions now --------------------------------------------


def organisation_resolve_current(org: Organisation, on: dt.date | None = None) -> Organisation:
    """The body that holds ``org``'s functions today (or on ``on``): through merged duplicates,
    and renames and mergers recorded as succession up to that date."""
    day = on or timezone.localdate()
    seen: set[int] = set()
    current = org
    while current.pk not in seen:
        seen.add(current.pk)
        if current.merged_into_id is not None:
            current = Organisation.objects.get(pk=current.merged_into_id)
            continue
        step = (
            Succession.objects.filter(
                predecessor=current, kind__in=[SuccessionKind.RENAMED, SuccessionKind.MERGED]
            )
            .filter(Q(on_date__isnull=True) | Q(on_date__lte=day))
            .select_related("successor")
            .order_by(F("on_date").desc(nulls_last=True), "-pk")
            .first()
        )
        if step is None:
            break
        current = step.successor
    return current


def organisation_by_code(lang: str, code: str) -> Organisation | None:
    """The one live organisation the directory knows by this code in this language."""
    key = match_key(code)
    if not key:
        return None
    found: dict[int, Organisation] = {}
    for alias in OrganisationAlias.objects.filter(lang=lang, code_key=key).select_related(
        "organisation"
    ):
        organisation = alias.organisation
        seen = {organisation.pk}
        while organisation.merged_into_id is not None and organisation.merged_into_id not in seen:
            organisation = Organisation.objects.get(pk=organisation.merged_into_id)
            seen.add(organisation.pk)
        found[organisation.pk] = organisation
    return next(iter(found.values())) if len(found) == 1 else None
