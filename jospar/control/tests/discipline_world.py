"""A small control schedule built by hand, whose discipline figures are known in advance.

Deadlines are set directly (days from ``today``), so that weekends and holidays play no part.
Counted: a b c d e f g i m (9). On time: a b i (3). Late: c d g m (4, delays 5 3 2 1).
Overdue: e f (2, for 10 and 4 days). Not counted: h (not yet due), j (returned, not yet due).
Excluded: k (withdrawn), l (activity out of force).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from jospar.control.discipline_counts import discipline_counts_rebuild
from jospar.control.models import Obligation
from jospar.core.models import Organisation, OrganisationKind, Region, RegionBoundary, RegionKind
from jospar.plans.models import Activity, ActivityExecutor, Plan

ALMATY = ZoneInfo("Asia/Almaty")


def square(x: float, y: float) -> dict[str, object]:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]],
    }


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


@dataclass
class World:
    today: dt.date
    plan1: Plan
    plan2: Plan
    ministry1: Organisation
    ministry2: Organisation
    akimat1: Organisation
    akimat2: Organisation
    region1: Region
    region2: Region
    obligations: dict[str, Obligation] = field(default_factory=dict)

    def deadline(self, name: str) -> dt.date:
        deadline = self.obligations[name].deadline
        assert deadline is not None
        return deadline


COUNTED = "abcdefgim"
ON_TIME = "abi"
LATE = "cdgm"
OVERDUE = "ef"
DELAY_DAYS = 5 + 3 + 2 + 1 + 10 + 4


def build(today: dt.date, tag: str = "") -> World:
    region1 = Region.objects.create(
        code=f"alpha{tag}",
        kind=RegionKind.OBLAST,
        name_kk="Альфа облысы",
        name_ru="Альфа область",
        name_en=f"Alpha{tag}",
        bbox=[60, 45, 61, 46],
    )
    RegionBoundary.objects.create(region=region1, geometry=square(60, 45))
    region2 = Region.objects.create(
        code=f"beta{tag}",
        kind=RegionKind.OBLAST,
        name_kk="Бета облысы",
        name_ru="Бета область",
        name_en=f"Beta{tag}",
        bbox=[62, 45, 63, 46],
    )
    RegionBoundary.objects.create(region=region2, geometry=square(62, 45))
    akimat1 = Organisation.objects.create(
        kind=OrganisationKind.AKIMAT,
        name_ru="Акимат Альфа",
        name_kk="Альфа әкімдігі",
        region=region1,
    )
    akimat2 = Organisation.objects.create(
        kind=OrganisationKind.AKIMAT,
        name_ru="Акимат Бета",
        name_kk="Бета әкімдігі",
        region=region2,
    )
    ministry1 = Organisation.objects.create(
        kind=OrganisationKind.MINISTRY, name_ru=f"Министерство один{tag}", abbr_ru="М1"
    )
    ministry2 = Organisation.objects.create(
        kind=OrganisationKind.MINISTRY, name_ru=f"Министерство два{tag}", abbr_ru="М2"
    )
    plan1 = Plan.objects.create(title_ru=f"План один{tag}", approved_on=today - dt.timedelta(400))
    plan2 = Plan.objects.create(title_ru=f"План два{tag}", approved_on=today - dt.timedelta(400))

    def activity(plan: Plan, number: str, in_force: bool = True) -> Activity:
        return Activity.objects.create(
            plan=plan,
            number=number,
            position=int(number),
            title_ru=f"Мероприятие {number}",
            in_force=in_force,
        )

    x1, x2, x3 = activity(plan1, "1"), activity(plan1, "2"), activity(plan1, "3", in_force=False)
    y1 = activity(plan2, "1")

    def executor(act: Activity, position: int, org: Organisation | None, **kw: object) -> Any:
        return ActivityExecutor.objects.create(
            activity=act,
            position=position,
            code_ru=org.abbr_ru if org else "акиматы",
            organisation=org,
            **kw,
        )

    e11 = executor(x1, 1, ministry1, lead=True)
    e12 = executor(x1, 2, ministry2)
    group = executor(x2, 1, None, is_akimat_group=True)
    e3 = executor(x3, 1, ministry1)
    y_m2 = executor(y1, 1, ministry2)
    y_a1 = executor(y1, 2, akimat1)

    world = World(today, plan1, plan2, ministry1, ministry2, akimat1, akimat2, region1, region2)

    def owe(
        name: str,
        act: Activity,
        ex: ActivityExecutor,
        org: Organisation,
        days: int,
        *,
        region: Region | None = None,
        submitted: int | None = None,
        returned: int | None = None,
        accepted: bool = False,
        in_force: bool = True,
    ) -> None:
        """``days``: deadline from today; ``submitted``/``returned``: days from the deadline."""
        deadline = today + dt.timedelta(days=days)
        submitted_on = deadline + dt.timedelta(days=submitted) if submitted is not None else None
        obligation = Obligation.objects.create(
            activity=act,
            executor=ex,
            organisation=org,
            region=region,
            due_on=deadline,
            deadline=deadline,
            submitted_at=at(submitted_on) if submitted_on else None,
            submitted_on=submitted_on,
            returned_at=at(deadline + dt.timedelta(days=returned), 15)
            if returned is not None
            else None,
            accepted_at=at(submitted_on + dt.timedelta(days=1), 16)
            if accepted and submitted_on
            else None,
            in_force=in_force,
        )
        world.obligations[name] = obligation

    owe("a", x1, e11, ministry1, -30, submitted=-2)
    owe("b", x1, e11, ministry1, -60, submitted=-1, accepted=True)
    owe("c", x1, e11, ministry1, -20, submitted=5)
    owe("d", x1, e12, ministry2, -40, submitted=3, accepted=True)
    owe("e", x1, e12, ministry2, -10)
    # Submitted the day before the deadline, returned three days later, not sent again.
    owe("f", x2, group, akimat1, -4, region=region1, submitted=-1, returned=2)
    # Returned, then sent again two days after the deadline.
    owe("g", x2, group, akimat1, -50, region=region1, submitted=2, returned=-3)
    owe("h", x2, group, akimat2, 20, region=region2)
    owe("i", x2, group, akimat2, 30, region=region2, submitted=-31)
    owe("j", x2, group, akimat2, 25, region=region2, submitted=-40, returned=-30)
    owe("k", y1, y_m2, ministry2, -15, in_force=False)
    owe("l", x3, e3, ministry1, -15)
    # An akimat named by name: its region's figures include it.
    owe("m", y1, y_a1, akimat1, -8, submitted=1)
    # Written directly, not by the services: counted for the dashboards as `jospar synth` does.
    discipline_counts_rebuild()
    return world
