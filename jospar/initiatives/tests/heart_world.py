"""A Generous Heart cycle of this year in Almaty for the tests, and moving it between stages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jospar.initiatives import services
from jospar.initiatives.models import Ballot, HeartCycle, HeartNomination, HeartNominee
from jospar.initiatives.tests.conftest import World

# Stage → (nominations_from, jury_from, vote_from, vote_until, results_on), days from today.
_OFFSETS = {
    "announced": (1, 2, 3, 4, 5),
    "nominations": (-1, 1, 2, 3, 4),
    "jury": (-3, 0, 1, 2, 3),
    "vote": (-3, -2, 0, 1, 2),
    "counting": (-5, -4, -3, -1, 2),
}


def _dates(stage: str) -> dict[str, dt.date]:
    today = timezone.localdate()
    names = ("nominations_from", "jury_from", "vote_from", "vote_until", "results_on")
    return {
        name: today + dt.timedelta(days=days)
        for name, days in zip(names, _OFFSETS[stage], strict=True)
    }


def make_cycle(world: World, stage: str = "nominations", *, national: bool = False) -> HeartCycle:
    return services.cycle_create(
        actor=world.admin,
        year=timezone.localdate().year,
        region=None if national else world.almaty,
        jury_weight=60,
        **_dates(stage),
    )


def set_stage(cycle: HeartCycle, stage: str) -> HeartCycle:
    """Move the cycle's dates (and its ballots' windows) so that today is in ``stage``."""
    dates = _dates(stage)
    HeartCycle.objects.filter(pk=cycle.pk).update(**dates)
    start = timezone.make_aware(dt.datetime.combine(dates["vote_from"], dt.time()))
    end = timezone.make_aware(
        dt.datetime.combine(dates["vote_until"] + dt.timedelta(days=1), dt.time())
    )
    Ballot.objects.filter(nomination__cycle=cycle).update(opens_at=start, closes_at=end)
    cycle.refresh_from_db()
    return cycle


def nomination(cycle: HeartCycle, category: str) -> HeartNomination:
    return HeartNomination.objects.get(cycle=cycle, category=category)


def patron_nominee(world: World) -> HeartNominee:
    """The patron (public profile, an implemented initiative made before) nominated as "Best
    patron" of a cycle now in its public vote: the vote tests' nominee."""
    services.profile_set_public(actor=world.patron, is_public=True)
    cycle = make_cycle(world)
    row = services.nominee_propose(
        actor=world.citizen,
        nomination=nomination(cycle, "patron"),
        person=world.patron,
        reason="Paid for the playground.",
    )
    set_stage(cycle, "vote")
    return row
