"""A small world for the calendar's tests: Astana and Almaty, an executor of the Astana akimat
(a state organiser), a citizen who proposes, another citizen, a volunteer, a moderator and an
administrator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jospar.core.models import Organisation, Region, Role, User
from jospar.events import services
from jospar.events.models import PublicEvent

ALMATY_TZ = ZoneInfo("Asia/Almaty")


@dataclass
class World:
    astana: Region
    almaty: Region
    organiser: User
    citizen: User
    other: User
    volunteer: User
    moderator: User
    admin: User


@pytest.fixture
def world(regions: None, make_user: Callable[..., User]) -> World:
    astana = Region.objects.get(code="astana")
    akimat = Organisation.objects.get(region=astana)
    return World(
        astana=astana,
        almaty=Region.objects.get(code="almaty"),
        organiser=make_user(Role.EXECUTOR, organisation=akimat, username="organiser"),
        citizen=make_user(username="citizen"),
        other=make_user(username="other"),
        volunteer=make_user(username="volunteer"),
        moderator=make_user(Role.MODERATOR, username="moderator"),
        admin=make_user(Role.ADMINISTRATOR, username="admin", is_staff=True),
    )


def event_data(world: World, **overrides: Any) -> dict[str, Any]:
    start = timezone.localtime(timezone.now(), ALMATY_TZ).replace(
        hour=10, minute=0, second=0, microsecond=0
    ) + dt.timedelta(days=7)
    data: dict[str, Any] = {
        "title_kk": "Қоғамдық тыңдау",
        "title_ru": "Общественные слушания",
        "kind": "meeting",
        "region": world.astana.pk,
        "place": "Астана, Бейбітшілік көшесі, 11",
        "latitude": 51.128,
        "longitude": 71.43,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "organiser_name": "",
        "volunteers_wanted": 2,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_event(world: World) -> Callable[..., PublicEvent]:
    def make(state: str = "published", **overrides: Any) -> PublicEvent:
        if state == "published":
            return services.event_create(actor=world.organiser, data=event_data(world, **overrides))
        overrides.setdefault("organiser_name", "Residents of Abai 10")
        event = services.event_create(actor=world.citizen, data=event_data(world, **overrides))
        if state == "rejected":
            event = services.event_moderate(
                actor=world.moderator, event=event, publish=False, reason="Not public."
            )
        return event

    return make
