"""Which of the regions existing on a day continues a region that no longer exists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jospar.core.models import Region
from jospar.core.selectors.directory import regions_existing_on


def region_heirs_on(
    day: dt.date, existing_on_day: Iterable[Region] | None = None
) -> dict[int, Region]:
    """``{id of a region gone by day: the region existing on day that continues it}``.

    A region renamed or split continues in its successor with the largest territory (South
    Kazakhstan in Turkistan oblast, not in the city of Shymkent carved out of it); a successor
    that itself ended is followed to its own successor. ``existing_on_day``: the regions
    existing on day, where the caller has read them already."""
    found = regions_existing_on(day) if existing_on_day is None else existing_on_day
    existing = {region.pk: region for region in found}
    successors: dict[int, list[int]] = {}
    for region_id, successor_id in Region.predecessors.through.objects.values_list(
        "to_region_id", "from_region_id"
    ):
        successors.setdefault(region_id, []).append(successor_id)
    gone = [pk for pk in Region.objects.values_list("pk", flat=True) if pk not in existing]
    heirs: dict[int, Region] = {}
    for pk in gone:
        seen = {pk}
        current = pk
        while current not in existing:
            following = [s for s in successors.get(current, []) if s not in seen]
            if not following:
                break
            alive = [existing[s] for s in following if s in existing]
            current = (
                max(alive, key=lambda r: (r.area_km2 or 0.0, -r.pk)).pk if alive else following[0]
            )
            seen.add(current)
        if current in existing:
            heirs[pk] = existing[current]
    return heirs
