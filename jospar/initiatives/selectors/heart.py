"""What Generous Heart reads: a nominee's evidence drawn from jospar's own data (pledges on
initiatives implemented in the cycle's year and region, confirmed volunteer hours), the
candidates of a nomination, the cycle's page and its results."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jospar.core.models import OrganisationKind
from jospar.initiatives.models import (
    HeartCategory,
    HeartCycle,
    HeartJuror,
    HeartNomination,
    HeartNominee,
    InitiativeState,
    NeedKind,
    Pledge,
    PledgerKind,
    PledgeState,
)
from jospar.initiatives.selectors.initiatives import public_ids

# Which pledges count for which nomination ("other": every kind).
CATEGORY_KINDS: dict[str, tuple[str, ...]] = {
    HeartCategory.PATRON: (PledgerKind.PATRON,),
    HeartCategory.VOLUNTEER: (PledgerKind.VOLUNTEER,),
    HeartCategory.NGO: (PledgerKind.NGO,),
    HeartCategory.OTHER: tuple(PledgerKind.values),
}


@dataclass
class Evidence:
    pledges: list[Pledge] = field(default_factory=list)
    money: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    materials: int = 0

    @property
    def initiatives(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for pledge in self.pledges:
            seen.setdefault(pledge.initiative_id, pledge.initiative)
        return list(seen.values())

    @property
    def empty(self) -> bool:
        return not self.pledges

    def add(self, pledge: Pledge) -> None:
        kind = pledge.need.kind
        if kind == NeedKind.VOLUNTEERS:
            if pledge.confirmed_quantity <= 0:
                return  # hours count once the author confirmed them
            self.hours += pledge.confirmed_quantity
        elif kind == NeedKind.MONEY:
            self.money += pledge.quantity
        else:
            self.materials += 1
        self.pledges.append(pledge)


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def year_pledges(cycle: HeartCycle, category: str) -> QuerySet[Pledge]:
    """Pledges, not withdrawn, on initiatives implemented in the cycle's year (and region)."""
    start, end = _year_bounds(cycle.year)
    rows = Pledge.objects.filter(
        state=PledgeState.PLEDGED,
        kind__in=CATEGORY_KINDS[category],
        initiative__state=InitiativeState.IMPLEMENTED,
        initiative__implemented_at__gte=start,
        initiative__implemented_at__lt=end,
    )
    if cycle.region_id is not None:
        rows = rows.filter(initiative__region_id=cycle.region_id)
    return rows.select_related("need", "initiative", "initiative__region", "user", "organisation")


def subject_key(person_id: int | None, organisation_id: int | None) -> str:
    return f"o{organisation_id}" if organisation_id is not None else f"p{person_id}"


def _key(pledge: Pledge) -> str:
    # A person's own pledges; an organisation's through any of its members.
    return subject_key(pledge.user_id, pledge.organisation_id)


def evidence_by_subject(cycle: HeartCycle, category: str) -> dict[str, Evidence]:
    found: dict[str, Evidence] = defaultdict(Evidence)
    for pledge in year_pledges(cycle, category).order_by("initiative__implemented_at", "pk"):
        found[_key(pledge)].add(pledge)
    return {key: value for key, value in found.items() if not value.empty}


def nominee_evidence(nominee: HeartNominee) -> Evidence:
    nomination = nominee.nomination
    rows = year_pledges(nomination.cycle, nomination.category)
    if nominee.organisation_id is not None:
        rows = rows.filter(organisation_id=nominee.organisation_id)
    else:
        rows = rows.filter(user_id=nominee.person_id or 0, organisation__isnull=True)
    evidence = Evidence()
    for pledge in rows.order_by("initiative__implemented_at", "pk"):
        evidence.add(pledge)
    return evidence


@dataclass
class Candidate:
    key: str
    name: str
    evidence: Evidence
    nominee: HeartNominee | None = None


@dataclass
class Candidates:
    named: list[Candidate]
    private: int


def fits(category: str, person_id: int | None, organisation: Any) -> bool:
    if category == HeartCategory.NGO:
        return organisation is not None and organisation.kind == OrganisationKind.NGO
    if category == HeartCategory.VOLUNTEER:
        return organisation is None
    return True


def candidates(nomination: HeartNomination) -> Candidates:
    """Who the year's data shows for this nomination: organisations and people who agreed to a
    public profile by name; people who did not only counted. Jury members are left out."""
    cycle = nomination.cycle
    found = evidence_by_subject(cycle, nomination.category)
    people = {int(k[1:]) for k in found if k.startswith("p")}
    public = public_ids(people)
    jurors = set(HeartJuror.objects.filter(cycle=cycle).values_list("user_id", flat=True))
    nominees = {
        subject_key(n.person_id, n.organisation_id): n
        for n in HeartNominee.objects.filter(nomination=nomination).select_related(
            "person", "organisation"
        )
    }
    named, private = [], 0
    for key, evidence in found.items():
        first = evidence.pledges[0]
        organisation = first.organisation if key.startswith("o") else None
        if not fits(nomination.category, first.user_id, organisation):
            continue
        if organisation is None:
            if first.user_id in jurors:
                continue
            if first.user_id not in public:
                private += 1
                continue
            name = first.user.get_full_name() or first.user.get_username()
        else:
            name = str(organisation)
        named.append(Candidate(key, name, evidence, nominees.get(key)))
    named.sort(key=lambda c: (-(c.evidence.money + c.evidence.hours), c.name))
    return Candidates(named, private)


def cycles_list() -> QuerySet[HeartCycle]:
    return HeartCycle.objects.select_related("region").order_by("-year", "region__name_kk", "pk")


def cycle_nominations(cycle: HeartCycle) -> list[HeartNomination]:
    """The nominations with their nominees (and ballot) in three queries."""
    return list(
        HeartNomination.objects.filter(cycle=cycle)
        .select_related("ballot")
        .prefetch_related(_nominees_prefetch())
        .order_by("position", "pk")
    )


def _nominees_prefetch() -> Any:
    from django.db.models import Prefetch

    return Prefetch(
        "nominees",
        queryset=HeartNominee.objects.select_related("person", "organisation", "option").order_by(
            "place", "pk"
        ),
    )


def juror_cycles(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(HeartJuror.objects.filter(user_id=user.pk).values_list("cycle_id", flat=True))


def own_votes(user: Any, ballot_ids: list[int]) -> dict[int, int]:
    """Ballot id → the option this person chose."""
    from jospar.initiatives.models import Vote

    if not getattr(user, "is_authenticated", False) or not ballot_ids:
        return {}
    return dict(
        Vote.objects.filter(voter_id=user.pk, ballot_id__in=ballot_ids).values_list(
            "ballot_id", "option_id"
        )
    )
