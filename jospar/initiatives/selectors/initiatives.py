"""What pages, the API and the export read: lists with filters, the map's clusters, one
initiative's needs with what is pledged, its contributors, a contributor's profile, and the
open-data rows (no personal data of private people)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Floor
from django.urls import reverse

from jospar.core.models import User
from jospar.initiatives import map_sql
from jospar.initiatives.access.initiatives import visible_initiatives
from jospar.initiatives.models import (
    PUBLIC_STATES,
    ContributorProfile,
    Initiative,
    InitiativeState,
    Need,
    NeedKind,
    Pledge,
    PledgeState,
)

MAP_STATES = (InitiativeState.SELECTED, InitiativeState.IMPLEMENTING, InitiativeState.IMPLEMENTED)
MAP_CELLS_MAX = 4096


@dataclass(frozen=True)
class Filters:
    state: str = ""
    kind: str = ""
    direction: str = ""
    region_id: int | None = None
    open_needs: bool = False


def _open_needs() -> Exists:
    """Some need of the initiative is pledged less than it asks for."""
    pledged = (
        Pledge.objects.filter(need=OuterRef("pk"), state=PledgeState.PLEDGED)
        .values("need")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    from django.db.models import DecimalField, Subquery
    from django.db.models.functions import Coalesce

    needs = (
        Need.objects.filter(initiative=OuterRef("pk"))
        .annotate(
            pledged=Coalesce(Subquery(pledged), Value(Decimal(0)), output_field=DecimalField())
        )
        .filter(Q(pledged__lt=F("quantity")))
    )
    return Exists(needs)


def filtered(rows: QuerySet[Initiative], filters: Filters) -> QuerySet[Initiative]:
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.direction:
        rows = rows.filter(direction=filters.direction)
    if filters.region_id is not None:
        rows = rows.filter(region_id=filters.region_id)
    if filters.open_needs:
        rows = rows.filter(_open_needs(), state__in=(InitiativeState.SELECTED,))
    return rows


def initiative_list(user: Any, filters: Filters) -> QuerySet[Initiative]:
    """Public initiatives (and the person's own or to decide on), newest first."""
    return filtered(visible_initiatives(user), filters).select_related("region", "organisation")


def _cells(bbox: tuple[float, float, float, float], size: float) -> float:
    south, west, north, east = bbox
    return ((north - south) / size + 1) * ((east - west) / size + 1)


def map_zoom(bbox: tuple[float, float, float, float], zoom: int) -> int:
    """The grid's zoom for a viewport: the map's zoom, made coarser until the viewport holds at
    most ``MAP_CELLS_MAX`` cells (a hostile zoom on a wide box)."""
    level = max(0, min(zoom, 20))
    while level > 0 and _cells(bbox, map_sql.cell(level)) > MAP_CELLS_MAX:
        level -= 1
    return level


def cell_step(bbox: tuple[float, float, float, float], zoom: int) -> float:
    return map_sql.cell(map_zoom(bbox, zoom))


ClusterRow = tuple[int, int, int, float, float, int, int]


def _cached_clusters(
    filters: Filters, level: int, zoom: int, box: tuple[int, int, int, int]
) -> list[ClusterRow]:
    """Sums of the kept grid counts of ``level`` (PostgreSQL), regrouped to the zoom's cells."""
    shift = level - zoom
    y0, x0, y1, x1 = box
    where = ["level = %s", "cx BETWEEN %s AND %s", "cy BETWEEN %s AND %s"]
    params: list[Any] = [level, x0 << shift, ((x1 + 1) << shift) - 1]
    params += [y0 << shift, ((y1 + 1) << shift) - 1]
    for column, value in (
        ("state", filters.state),
        ("kind", filters.kind),
        ("direction", filters.direction),
    ):
        if value:
            where.append(f"{column} = %s")
            params.append(value)
    if filters.region_id is not None:
        where.append("region_id = %s")
        params.append(filters.region_id)
    sql = (
        f"SELECT cy >> {shift}, cx >> {shift}, sum(n)::int, sum(sum_lat), sum(sum_lon), "
        "(coalesce(sum(n) FILTER (WHERE state = 'implemented'), 0))::int, sum(sum_id)::bigint "
        f"FROM initiatives_mapcell WHERE {' AND '.join(where)} GROUP BY 1, 2 HAVING sum(n) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (cy, cx, n, lat / n, lon / n, green, ids) for cy, cx, n, lat, lon, green, ids in cursor
        ]


def _grouped_clusters(
    filters: Filters, bounds: tuple[float, float, float, float], size: float
) -> list[ClusterRow]:
    """The initiatives themselves grouped in the database (an index-only scan of
    ``initiative_map_pin`` on PostgreSQL)."""
    south, west, north, east = bounds
    rows = filtered(Initiative.objects.filter(state__in=MAP_STATES), filters).filter(
        latitude__gte=south, latitude__lt=north, longitude__gte=west, longitude__lt=east
    )
    grouped = (
        rows.annotate(
            cy=Floor(F("latitude") / Value(size)),
            cx=Floor(F("longitude") / Value(size)),
        )
        .order_by()
        .values("cy", "cx")
        .annotate(
            count=Count("id"),
            lat=Avg("latitude"),
            lon=Avg("longitude"),
            green=Count("id", filter=Q(state=InitiativeState.IMPLEMENTED)),
            first=Min("id"),
        )
        .values_list("cy", "cx", "count", "lat", "lon", "green", "first")
    )
    return [(int(cy), int(cx), n, lat, lon, g, first) for cy, cx, n, lat, lon, g, first in grouped]


def map_clusters(
    filters: Filters, bbox: tuple[float, float, float, float], zoom: int
) -> list[dict[str, Any]]:
    """The public initiatives on the map in the viewport, grouped on the map's grid in one
    query: red are open for support or being implemented, green are implemented.

    Every cell the viewport touches is counted whole, so a cluster neither moves nor changes
    its count as the map pans. On PostgreSQL, zooms up to 12 read the grid counts the database
    keeps (``initiatives_mapcell``, ``map_sql``) unless "needs still open" narrows the
    initiatives; closer in, and on other databases, the initiatives themselves are grouped."""
    south, west, north, east = bbox
    level_zoom = map_zoom(bbox, zoom)
    size = map_sql.cell(level_zoom)
    y0, y1 = math.floor(south / size), math.floor(north / size)
    x0, x1 = math.floor(west / size), math.floor(east / size)
    level = map_sql.level_for(level_zoom)
    if connection.vendor == "postgresql" and level is not None and not filters.open_needs:
        rows = _cached_clusters(filters, level, level_zoom, (y0, x0, y1, x1))
    else:
        bounds = (y0 * size, x0 * size, (y1 + 1) * size, (x1 + 1) * size)
        rows = _grouped_clusters(filters, bounds, size)
    clusters = []
    for _cy, _cx, count, lat, lon, green, ident in sorted(rows):
        item: dict[str, Any] = {
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "count": count,
            "red": count - green,
            "green": green,
        }
        if count == 1:
            item["url"] = reverse("initiatives:detail", args=[ident])
        clusters.append(item)
    return clusters


@dataclass
class NeedRow:
    need: Need
    pledged: Decimal
    confirmed: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.need.quantity - self.pledged, Decimal(0))

    @property
    def covered(self) -> bool:
        return self.pledged >= self.need.quantity

    @property
    def percent(self) -> int:
        if not self.need.quantity:
            return 100
        return min(100, int(self.pledged * 100 / self.need.quantity))


def needs_of(initiative: Initiative) -> list[NeedRow]:
    totals = {
        row["need_id"]: (Decimal(row["pledged"] or 0), Decimal(row["confirmed"] or 0))
        for row in Pledge.objects.filter(initiative=initiative, state=PledgeState.PLEDGED)
        .values("need_id")
        .annotate(pledged=Sum("quantity"), confirmed=Sum("confirmed_quantity"))
    }
    return [
        NeedRow(need, *totals.get(need.pk, (Decimal(0), Decimal(0))))
        for need in initiative.needs.all()
    ]


def public_ids(user_ids: set[int]) -> set[int]:
    return set(
        ContributorProfile.objects.filter(user_id__in=user_ids, is_public=True).values_list(
            "user_id", flat=True
        )
    )


def contributor_name(pledge: Pledge, public: set[int]) -> str:
    """An organisation by its name; a private person by name only if they agreed."""
    if pledge.organisation_id is not None:
        return str(pledge.organisation)
    if pledge.user_id in public:
        return pledge.user.get_full_name() or pledge.user.get_username()
    return ""


@dataclass
class Contribution:
    pledge: Pledge
    name: str
    profile_url: str = ""


def contributors(initiative: Initiative) -> list[Contribution]:
    pledges = list(
        Pledge.objects.filter(initiative=initiative, state=PledgeState.PLEDGED)
        .select_related("need", "user", "organisation")
        .order_by("created_at", "pk")
    )
    public = public_ids({p.user_id for p in pledges})
    return [
        Contribution(
            p,
            contributor_name(p, public),
            reverse("initiatives:profile", args=[p.user_id]) if p.user_id in public else "",
        )
        for p in pledges
    ]


@dataclass
class Profile:
    user: User
    is_public: bool
    pledges: list[Pledge] = field(default_factory=list)
    money: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)


def contributor_profile(user: User, *, public_only: bool) -> Profile:
    is_public = ContributorProfile.objects.filter(user=user, is_public=True).exists()
    pledges = Pledge.objects.filter(user=user, state=PledgeState.PLEDGED).select_related(
        "initiative", "need", "initiative__region"
    )
    if public_only:
        pledges = pledges.filter(initiative__state__in=PUBLIC_STATES)
    rows = list(pledges.order_by("-created_at", "-pk"))
    profile = Profile(user=user, is_public=is_public, pledges=rows)
    for pledge in rows:
        if pledge.need.kind == NeedKind.MONEY:
            profile.money += pledge.quantity
        if pledge.need.kind == NeedKind.VOLUNTEERS:
            profile.hours += pledge.confirmed_quantity
    return profile


def official_queue(user: Any) -> QuerySet[Initiative]:
    from jospar.initiatives.access.initiatives import coordinated_region_ids, signed_in

    person = signed_in(user)
    rows = Initiative.objects.filter(
        state__in=(
            InitiativeState.SUBMITTED,
            InitiativeState.CHANGES_REQUESTED,
            InitiativeState.SELECTED,
            InitiativeState.IMPLEMENTING,
        )
    ).select_related("region", "author")
    if person is None:
        return rows.none()
    if not person.is_administrator:
        rows = rows.filter(region_id__in=coordinated_region_ids(person))
    return rows.order_by("state", "submitted_at", "pk")
