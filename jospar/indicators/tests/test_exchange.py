"""CSV and DHIS2 dataValueSets: export → import round trips, bad files refused whole with
clear errors, nothing half-written."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jospar.core.errors import ServiceError
from jospar.indicators.interop import export_csv, export_data_value_sets
from jospar.indicators.models import Correction, DataValue, ValueOrigin, ValueState
from jospar.indicators.services.exchange import values_import
from jospar.indicators.tests.conftest import World

CSV_GOOD = (
    "indicator,period,region,value,comment\n"
    "share,2024Q3,north-x,40.5,из отчёта\n"
    "share,2024Q3,south-x,80,\n"
    "count,2024Q4,north-x,12,\n"
    "national,2024Q3,KZ,7,\n"
)


def _state(world: World) -> list[tuple[object, ...]]:
    return world.snapshot()


def _approved() -> list[tuple[str, str, str | None, Decimal]]:
    return sorted(
        (v.indicator.code, v.period, v.region.code if v.region else None, v.current)
        for v in DataValue.objects.filter(state=ValueState.APPROVED).select_related(
            "indicator", "region"
        )
    )


def test_csv_round_trip(world: World) -> None:
    centre = world.people["controller"]
    result = values_import(actor=centre, filename="a.csv", data=CSV_GOOD.encode())
    assert result.created == 4
    first = _approved()
    assert ("share", "2024Q3", "north-x", Decimal("40.5")) in first
    assert DataValue.objects.filter(origin=ValueOrigin.IMPORTED).count() == 4
    exported = export_csv(DataValue.objects.select_related("indicator", "region"))
    DataValue.objects.all().delete()
    values_import(actor=centre, filename="b.csv", data=exported.encode())
    assert _approved() == first
    # The same file again changes nothing.
    again = values_import(actor=centre, filename="b.csv", data=exported.encode())
    assert (again.created, again.corrected, again.unchanged) == (0, 0, 4)


def test_data_value_sets_round_trip_and_correction(world: World) -> None:
    centre = world.people["controller"]
    values_import(actor=centre, filename="a.csv", data=CSV_GOOD.encode())
    first = _approved()
    document = export_data_value_sets(DataValue.objects.select_related("indicator", "region"))
    assert {"dataElement", "period", "orgUnit", "value"} <= set(document["dataValues"][0])
    DataValue.objects.all().delete()
    values_import(actor=centre, filename="d.json", data=json.dumps(document).encode())
    assert _approved() == first
    # A changed figure for an approved value becomes a correction keeping both.
    for item in document["dataValues"]:
        if item["dataElement"] == "count":
            item["value"] = "13"
    result = values_import(actor=centre, filename="d2.json", data=json.dumps(document).encode())
    assert result.corrected == 1
    count = DataValue.objects.get(indicator=world.count)
    assert (count.value, count.current) == (Decimal(12), Decimal(13))
    assert Correction.objects.count() == 1


BAD = [
    ("a.csv", "indicator,period,value\nshare,2024Q3,1\n", "region"),
    ("a.csv", "indicator,period,region,value,extra\nshare,2024Q3,north-x,1,x\n", "extra"),
    ("a.csv", "indicator,period,region,value\nshare,2024Q9,north-x,1\n", "2024Q9"),
    ("a.csv", "indicator,period,region,value\nshare,2024Q3,north-x,abc\n", "abc"),
    ("a.csv", "indicator,period,region,value\nnope,2024Q3,north-x,1\n", "nope"),
    ("a.csv", "indicator,period,region,value\nshare,2024Q3,atlantis,1\n", "atlantis"),
    ("a.csv", "indicator,period,region,value\nshare,2024,north-x,1\n", "2024"),
    ("a.csv", "indicator,period,region,value\nnational,2024Q3,north-x,1\n", "national"),
    (
        "a.csv",
        "indicator,period,region,value\nshare,2024Q3,north-x,1\nshare,2024Q3,north-x,2\n",
        "on row 3",
    ),
    ("a.json", "{not json", "JSON"),
    ("a.json", '{"values": []}', "dataValues"),
    ("a.json", '{"dataValues": [1]}', "object"),
    (
        "a.json",
        '{"dataValues": [{"dataElement": "share", "period": "2024Q3", "orgUnit": "north-x"}]}',
        "number",
    ),
    ("a.csv", "", "empty"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD)
def test_bad_files_write_nothing(world: World, name: str, text: str, expected: str) -> None:
    # A good value first: it must not be written either.
    if name.endswith(".csv") and "\n" in text:
        header, rest = text.split("\n", 1)
        if "region" in header and "extra" not in header:
            text = header + "\ncount,2024Q3,south-x,5\n" + rest
    before = _state(world)
    with pytest.raises(ServiceError) as caught:
        values_import(actor=world.people["controller"], filename=name, data=text.encode())
    problems = " ".join(caught.value.fields.get("file", [str(caught.value.message)]))
    assert expected.lower() in problems.lower(), problems
    assert _state(world) == before


def test_a_value_in_its_approval_flow_is_not_overwritten(world: World) -> None:
    from jospar.indicators.periods import parse_period
    from jospar.indicators.services.values import ValueEntry, values_save

    values_save(
        actor=world.people["office_north"],
        region=world.north,
        period=parse_period("2024Q3"),
        entries=[ValueEntry(world.share.pk, Decimal(1))],
    )
    before = _state(world)
    with pytest.raises(ServiceError) as caught:
        values_import(actor=world.people["controller"], filename="a.csv", data=CSV_GOOD.encode())
    assert "not overwritten" in caught.value.fields["file"][0]
    assert _state(world) == before


def test_only_the_centre_imports(world: World) -> None:
    before = _state(world)
    for who in ("office_north", "observer"):
        with pytest.raises(ServiceError):
            values_import(actor=world.people[who], filename="a.csv", data=CSV_GOOD.encode())
    assert _state(world) == before


def test_pages(world: World) -> None:
    centre = Client()
    centre.force_login(world.people["controller"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = centre.post(
        reverse("indicators:exchange"),
        {"file": SimpleUploadedFile("a.csv", CSV_GOOD.encode(), "text/csv")},
    )
    assert response.status_code == 302
    csv_text = centre.get(reverse("indicators:export-csv")).content.decode("utf-8-sig")
    assert "share,2024Q3,north-x,40.5" in csv_text
    document = json.loads(centre.get(reverse("indicators:export-json")).content)
    assert len(document["dataValues"]) == 4
    bad = centre.post(
        reverse("indicators:exchange"),
        {"file": SimpleUploadedFile("a.csv", b"indicator\nx\n", "text/csv")},
    )
    assert bad.status_code == 400
    assert "import-problems" in bad.content.decode()
    observer = Client()
    observer.force_login(world.people["observer"])
    assert observer.get(reverse("indicators:export-csv")).status_code == 200
    assert observer.post(reverse("indicators:exchange"), {}).status_code == 403
