"""A small world for the indicators' tests: two regions with their akimats' offices, the centre,
an observer, a ministry's executor, and a few indicators."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from jospar.core.models import Organisation, OrganisationKind, Region, RegionKind, Role, User
from jospar.indicators.models import (
    Aggregation,
    DataValue,
    Indicator,
    IndicatorKind,
    Level,
    Method,
)
from jospar.indicators.periods import PeriodType


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English, whatever the site's default language."""
    with translation.override("en"):
        yield


@dataclass
class World:
    north: Region
    south: Region
    people: dict[str, User]
    share: Indicator  # quarterly, regional, weighted mean, plausible 0..100
    count: Indicator  # quarterly, regional, summed
    national: Indicator  # quarterly, entered nationally

    def snapshot(self) -> list[tuple[Any, ...]]:
        from jospar.core.models import AuditEvent
        from jospar.indicators.models import Correction

        values = list(DataValue.objects.order_by("pk").values_list())
        corrections = list(Correction.objects.order_by("pk").values_list())
        return [tuple(values), tuple(corrections), (AuditEvent.objects.count(),)]


def _user(name: str, role: Role | None, organisation: Organisation | None = None) -> User:
    user = User.objects.create_user(name, password="pw-for-tests-1", organisation=organisation)
    if role is not None:
        user.role_grants.create(role=role)
    return user


def make_region(code: str, population: int) -> Region:
    region = Region.objects.create(
        code=code,
        kind=RegionKind.OBLAST,
        name_kk=f"{code} облысы",
        name_ru=f"{code} область",
        name_en=f"{code} Region",
        population=population,
    )
    Organisation.objects.create(
        kind=OrganisationKind.AKIMAT,
        name_ru=f"Акимат {code}",
        name_kk=f"{code} әкімдігі",
        region=region,
    )
    return region


def make_indicator(code: str, **kwargs: Any) -> Indicator:
    defaults: dict[str, Any] = {
        "name_kk": f"{code} көрсеткіші",
        "name_ru": f"Показатель {code}",
        "kind": IndicatorKind.OUTCOME,
        "method": Method.LOCAL_REPORTS,
        "frequency": PeriodType.QUARTERLY,
        "level": Level.REGION,
    }
    defaults.update(kwargs)
    return Indicator.objects.create(code=code, **defaults)


@pytest.fixture
def world(db: None) -> World:
    north = make_region("north-x", 1_000_000)
    south = make_region("south-x", 3_000_000)
    department = Organisation.objects.create(
        kind=OrganisationKind.STATE_INSTITUTION,
        name_ru="Управление внутренней политики",
        parent=north.akimat,
    )
    ministry = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Министерство")
    people = {
        "office_north": _user("office_north", Role.EXECUTOR, north.akimat),
        "office_north_department": _user("office_north_dep", Role.EXECUTOR, department),
        "office_south": _user("office_south", Role.EXECUTOR, south.akimat),
        "ministry": _user("ministry", Role.EXECUTOR, ministry),
        "observer": _user("observer", Role.OBSERVER),
        "civic_official": _user("civic_north", Role.CIVIC_OFFICIAL, north.akimat),
        "controller": _user("controller", Role.CONTROLLER),
        "administrator": _user("administrator", Role.ADMINISTRATOR),
    }
    share = make_indicator(
        "share",
        unit="%",
        aggregation=Aggregation.WEIGHTED_MEAN,
        plausible_min=Decimal(0),
        plausible_max=Decimal(100),
    )
    count = make_indicator("count", aggregation=Aggregation.SUM, unit="")
    national = make_indicator("national", level=Level.NATIONAL, method=Method.STATISTICS)
    return World(north, south, people, share, count, national)
