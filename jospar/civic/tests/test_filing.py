"""Filing a report: location and routing, the survey, who may file, what the public sees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jospar.civic import geocoding
from jospar.civic.events import EventKind
from jospar.civic.models import (
    CitizenReport,
    Follow,
    Open311Client,
    ReportEvent,
    ReportSource,
    ReportState,
    Topic,
    TopicQuestion,
)
from jospar.civic.privacy import MASK
from jospar.civic.services import (
    open311_client_issue,
    open311_client_revoke,
    validate_survey,
)
from jospar.core.calendar import add_working_days
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, User

from .conftest import ASTANA, BISHKEK, MOSCOW, World

pytestmark = pytest.mark.django_db


def _nothing_filed() -> None:
    assert not CitizenReport.objects.exists()
    assert not ReportEvent.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="civic.report").exists()


def test_a_report_is_routed_by_its_point_and_published_at_once(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    assert report.region == world.almaty
    assert report.akimat == world.almaty_akimat
    assert report.department is None
    assert report.state == ReportState.PUBLISHED
    assert report.is_public
    assert report.is_open
    assert report.published_at is not None
    assert report.response_due_on == add_working_days(
        timezone.localdate(report.published_at), world.roads.response_working_days
    )
    assert report.updated_at == report.published_at
    assert list(report.events.values_list("kind", flat=True)) == ["submitted", "published"]
    assert list(
        AuditEvent.objects.filter(
            object_type="civic.citizenreport", object_id=str(report.pk)
        ).values_list("action", flat=True)
    ) == ["civic.report.filed", "civic.report.published"]
    # The author follows their own report.
    assert Follow.objects.filter(user=world.citizen, report=report).exists()


def test_a_route_sends_the_topic_to_the_department(
    world: World, route_roads: Any, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report()
    assert report.department == world.roads_department
    assert report.akimat == world.almaty_akimat
    # Another region has no route: its akimat answers.
    other = file_report(point=ASTANA)
    assert (other.akimat, other.department) == (world.astana_akimat, None)


@pytest.mark.parametrize("point", [MOSCOW, BISHKEK, (0.0, 0.0)])
def test_a_point_outside_kazakhstan_is_refused(
    world: World, file_report: Callable[..., CitizenReport], point: tuple[float, float]
) -> None:
    with pytest.raises(ServiceError) as refused:
        file_report(point=point)
    assert refused.value.code == "outside_kazakhstan"
    assert "location" in refused.value.fields
    _nothing_filed()


def test_no_location_is_refused(world: World, file_report: Callable[..., CitizenReport]) -> None:
    for address in ("", "Абай даңғылы, 10"):
        with pytest.raises(ServiceError) as refused:
            file_report(point=(None, None), address=address)
        assert refused.value.code == "no_location"
    _nothing_filed()


@pytest.mark.parametrize(
    "point", [(43.2, None), (None, 76.9), (float("nan"), 76.9), (91.0, 76.9), ("x", "y")]
)
def test_an_invalid_point_is_refused(
    world: World, file_report: Callable[..., CitizenReport], point: Any
) -> None:
    with pytest.raises(ServiceError) as refused:
        file_report(point=point)
    assert refused.value.code == "invalid_location"
    _nothing_filed()


def test_an_address_without_a_pin_stands_approximately_in_the_chosen_region(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(point=(None, None), address="Абай даңғылы, 10", region=world.almaty)
    assert report.location_is_approximate
    assert report.region == world.almaty
    from jospar.core.selectors.directory import region_at

    assert region_at(report.latitude, report.longitude) == world.almaty
    event = report.events.get(kind=EventKind.LOCATION_APPROXIMATE)
    assert "Абай даңғылы, 10" in event.public_note


def test_a_configured_geocoder_places_a_typed_address(
    world: World, file_report: Callable[..., CitizenReport], monkeypatch: Any, settings: Any
) -> None:
    settings.GEOCODER_URL = "https://geocoder.invalid/search"
    calls: list[str] = []

    class Fake(geocoding.HttpGeocoder):
        def geocode(self, address: str, *, region: Any = None) -> geocoding.GeoPoint | None:
            calls.append(self.request_url(address, region))
            return self.parse([{"lat": "51.128", "lon": "71.43"}])

    monkeypatch.setattr(geocoding, "get_geocoder", lambda: Fake(settings.GEOCODER_URL, timeout=1))
    report = file_report(point=(None, None), address="Астана, Мәңгілік Ел 8")
    assert (report.latitude, report.longitude, report.region) == (51.128, 71.43, world.astana)
    assert not report.location_is_approximate
    assert calls
    assert "countrycodes=kz" in calls[0]
    assert "format=jsonv2" in calls[0]


def test_a_geocoder_that_fails_is_the_same_as_none(settings: Any) -> None:
    settings.GEOCODER_URL = "http://127.0.0.1:9/nothing-listens-here"
    geocoder = geocoding.get_geocoder()
    assert isinstance(geocoder, geocoding.HttpGeocoder)
    geocoder.timeout = 0.5
    assert geocoder.geocode("Абай 10") is None
    assert geocoding.HttpGeocoder.parse([]) is None
    assert geocoding.HttpGeocoder.parse([{"lat": "x"}]) is None
    settings.GEOCODER_URL = ""
    assert isinstance(geocoding.get_geocoder(), geocoding.NoGeocoder)


def test_a_point_wins_over_a_region_chosen_as_well(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(region=world.astana)
    assert report.region == world.almaty


def test_who_may_file(
    world: World,
    file_report: Callable[..., CitizenReport],
    unconfirmed: User,
    make_user: Callable[..., User],
) -> None:
    with pytest.raises(PermissionRefused) as refused:
        file_report(actor=None)
    assert refused.value.code == "login_required"
    with pytest.raises(PermissionRefused) as refused:
        file_report(actor=unconfirmed)
    assert refused.value.code == "email_unconfirmed"
    gone = make_user(username="gone", is_active=False)
    with pytest.raises(PermissionRefused):
        file_report(actor=gone)
    _nothing_filed()


def test_an_open311_client_files_without_an_account(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    client, _key = open311_client_issue(actor=world.admin, name="Qala app")
    report = file_report(
        actor=None,
        api_client=client,
        contact={
            "first_name": "Ерлан",
            "last_name": "Әбенов",
            "email": "erlan@example.kz",
            "phone": "+7 701 000 00 00",
        },
    )
    assert report.source == ReportSource.OPEN311
    assert report.author is None
    assert (report.contact_name, report.contact_email) == ("Ерлан Әбенов", "erlan@example.kz")
    open311_client_revoke(actor=world.admin, client=client)
    client = Open311Client.objects.get(pk=client.pk)
    with pytest.raises(PermissionRefused) as refused:
        file_report(actor=None, api_client=client)
    assert refused.value.code == "client_revoked"
    other, _key = open311_client_issue(actor=world.admin, name="Another app")
    with pytest.raises(ServiceError) as bad:
        file_report(actor=None, api_client=other, contact={"email": "not-an-address"})
    assert bad.value.code == "invalid_contact"
    assert CitizenReport.objects.count() == 1


def test_description_and_topic_are_checked(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    with pytest.raises(ServiceError) as refused:
        file_report(description="  яма ")
    assert refused.value.code == "description_required"
    with pytest.raises(ServiceError) as refused:
        file_report(description="x" * 5001)
    assert refused.value.code == "text_too_long"
    Topic.objects.filter(pk=world.roads.pk).update(is_active=False)
    world.roads.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        file_report()
    assert refused.value.code == "topic_inactive"
    _nothing_filed()


def test_premoderation_keeps_a_report_submitted(
    world: World, file_report: Callable[..., CitizenReport], settings: Any
) -> None:
    settings.CIVIC_PREMODERATION = True
    report = file_report()
    assert report.state == ReportState.SUBMITTED
    assert not report.is_public
    assert report.published_at is None
    assert report.response_due_on is None


# --- the survey ---------------------------------------------------------------------------


@pytest.fixture
def survey_topic(world: World) -> Topic:
    topic = Topic.objects.create(
        code="survey-test", name_kk="С", name_ru="С", name_en="S", response_working_days=5
    )
    choices = [{"key": k, "name_en": k} for k in ("a", "b", "c")]
    for position, (code, datatype, required, values) in enumerate(
        [
            ("s", "string", True, []),
            ("t", "text", False, []),
            ("n", "number", False, []),
            ("d", "datetime", False, []),
            ("one", "singlevaluelist", False, choices),
            ("many", "multivaluelist", False, choices),
        ]
    ):
        TopicQuestion.objects.create(
            topic=topic,
            code=code,
            position=position,
            datatype=datatype,
            required=required,
            text_kk=code,
            text_ru=code,
            text_en=code,
            values=values,
        )
    return topic


def test_survey_answers_are_validated_by_datatype(survey_topic: Topic) -> None:
    clean = validate_survey(
        survey_topic,
        {
            "s": " Маршрут 37 ",
            "t": "Long\ntext",
            "n": "1 250,5",
            "d": "2025-03-01",
            "one": "b",
            "many": ["a", "c", "a"],
        },
    )
    assert clean == {
        "s": "Маршрут 37",
        "t": "Long\ntext",
        "n": 1250.5,
        "d": "2025-03-01",
        "one": "b",
        "many": ["a", "c"],
    }
    assert validate_survey(survey_topic, {"s": "x", "n": 3, "d": "2025-03-01T10:30"})["n"] == 3
    moment = validate_survey(survey_topic, {"s": "x", "d": "2025-03-01T10:30"})["d"]
    assert dt.datetime.fromisoformat(moment).utcoffset() == dt.timedelta(hours=5)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "survey.s"),
        ({"s": "x", "n": "many"}, "survey.n"),
        ({"s": "x", "n": True}, "survey.n"),
        ({"s": "x", "n": "inf"}, "survey.n"),
        ({"s": "x", "d": "yesterday"}, "survey.d"),
        ({"s": "x", "d": "2025-02-30"}, "survey.d"),
        ({"s": "x", "one": "z"}, "survey.one"),
        ({"s": "x", "many": ["a", "z"]}, "survey.many"),
        ({"s": "two\nlines"}, "survey.s"),
        ({"s": "x" * 501}, "survey.s"),
        ({"s": "x", "unknown": "?"}, "survey.unknown"),
        ({"s": ["list"]}, "survey.s"),
    ],
)
def test_wrong_survey_answers_are_refused(
    survey_topic: Topic, answers: dict[str, Any], field: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        validate_survey(survey_topic, answers)
    assert refused.value.code == "survey_invalid"
    assert field in refused.value.fields


def test_a_wrong_survey_refuses_the_filing(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    with pytest.raises(ServiceError) as refused:
        file_report(survey={"problem": "volcano"})
    assert refused.value.code == "survey_invalid"
    _nothing_filed()


# --- what the public sees -----------------------------------------------------------------


def test_personal_data_is_masked_in_the_public_text(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    report = file_report(
        description="Яма у дома 15. Мой ИИН 900101300123, тел. +7 (701) 123-45-67, "
        "почта aigerim@mail.kz. Ремонт обещали в 2023 году."
    )
    assert report.public_description == (
        f"Яма у дома 15. Мой ИИН {MASK}, тел. {MASK}, почта {MASK}. Ремонт обещали в 2023 году."
    )
    assert "900101300123" in report.description  # the akimat has the original


def test_an_anonymous_report_keeps_its_author_for_the_akimat_only(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    from jospar.civic.privacy import public_author_name

    report = file_report(is_anonymous=True)
    assert report.author == world.citizen
    assert public_author_name(report) == ""
    named = file_report(is_anonymous=False)
    assert public_author_name(named) == "Айгерім С."
