"""Open311 GeoReport v2, write side: POST requests with a key, form-encoded and multipart, and
what the public may read back (never the person's name, e-mail or phone)."""

from __future__ import annotations

from typing import Any

import pytest

from jospar.civic.models import (
    CitizenReport,
    Open311Client,
    QuestionType,
    ReportMedia,
    ReportSource,
    ReportState,
    TopicQuestion,
)
from jospar.civic.services import open311_client_issue, open311_client_revoke

from .conftest import ALMATY, MOSCOW, World, jpeg_with_exif, upload
from .open311_client import SpecClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec() -> SpecClient:
    return SpecClient()


@pytest.fixture
def key(world: World) -> str:
    _client, plain = open311_client_issue(actor=world.admin, name="Mobile app")
    return plain


def _form(key: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": "roads",
        "lat": str(ALMATY[0]),
        "long": str(ALMATY[1]),
        "address_string": "Абай даңғылы, 10, Алматы",
        "description": "Жолда үлкен шұңқыр бар, көліктер зақымдалуда.",
        "attribute[problem]": "pothole",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_form_encoded_creates_the_report(
    spec: SpecClient, world: World, key: str, fmt: str
) -> None:
    answer = spec.post(
        "requests",
        fmt,
        _form(
            key,
            email="citizen@example.kz",
            first_name="Айгерім",
            last_name="Сейітқызы",
            phone="+7 701 123 45 67",
            device_id="device-1",
            account_id="acc-42",
            jurisdiction_id="jospar.kz",
        ),
    )
    assert answer.status == 200, answer.text
    assert answer.root in ("", "service_requests")
    assert isinstance(answer.data, list)
    assert len(answer.data) == 1
    item = answer.data[0]
    assert set(item) == {"service_request_id", "service_notice", "account_id"}
    assert item["account_id"] == "acc-42"
    assert item["service_notice"]
    if fmt == "json":
        assert isinstance(answer.raw[0]["service_request_id"], str)
    report = CitizenReport.objects.get(pk=int(item["service_request_id"]))
    assert report.source == ReportSource.OPEN311
    assert report.api_client is not None
    assert report.api_client.name == "Mobile app"
    assert report.author is None
    assert report.contact_email == "citizen@example.kz"
    assert report.contact_name == "Айгерім Сейітқызы"
    assert report.survey == {"problem": "pothole"}
    assert report.address == "Абай даңғылы, 10, Алматы"
    assert report.region == world.almaty
    assert report.state == ReportState.PUBLISHED
    assert report.description == "Жолда үлкен шұңқыр бар, көліктер зақымдалуда."


def test_multivaluelist_attribute_is_repeated(spec: SpecClient, world: World, key: str) -> None:
    TopicQuestion.objects.create(
        topic=world.roads,
        code="sides",
        position=99,
        datatype=QuestionType.MULTI,
        text_kk="Қай жағы?",
        text_ru="С какой стороны?",
        text_en="Which side?",
        values=[{"key": "left", "name_en": "Left"}, {"key": "right", "name_en": "Right"}],
    )
    form = [*_form(key).items(), ("attribute[sides][]", "left"), ("attribute[sides][]", "right")]
    answer = spec.post("requests", "json", form)
    assert answer.status == 200, answer.text
    report = CitizenReport.objects.get(pk=int(answer.data[0]["service_request_id"]))
    assert report.survey == {"problem": "pothole", "sides": ["left", "right"]}


def test_invalid_attribute_is_400_with_the_message(
    spec: SpecClient, world: World, key: str
) -> None:
    for fmt in ("xml", "json"):
        answer = spec.post("requests", fmt, _form(key, **{"attribute[problem]": "volcano"}))
        assert answer.status == 400
        assert answer.data[0]["code"] == "400"
        assert any("survey.problem" in e["description"] for e in answer.data[1:])
    assert not CitizenReport.objects.exists()


def test_multipart_with_a_photo_and_its_public_copy(
    spec: SpecClient,
    world: World,
    key: str,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    photo = upload("pothole.jpg", jpeg_with_exif(), "image/jpeg")
    # The public copy is made by a task once the request's transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        answer = spec.post(
            "requests",
            "xml",
            {**_form(key), "media": photo, "media_url": "https://example.org/p.jpg"},
            multipart=True,
        )
    assert answer.status == 200, answer.text
    report_id = answer.data[0]["service_request_id"]
    media = ReportMedia.objects.get(report_id=int(report_id))
    assert media.public_file
    _xml, js = spec.both(f"requests/{report_id}")
    url = js.raw[0]["media_url"]
    assert url.startswith("http://testserver/")
    assert url.endswith(media.public_file.url)
    with media.public_file.open("rb") as handle:
        data = handle.read()
    assert b"SecretPhoneMaker" not in data
    assert b"Aigerim" not in data


def test_key_missing_wrong_or_revoked_is_403(spec: SpecClient, world: World, key: str) -> None:
    client = Open311Client.objects.get()
    open311_client_revoke(actor=world.admin, client=client)
    for fmt in ("xml", "json"):
        for form in (_form(""), _form("j311_wrong"), _form(key)):
            answer = spec.post("requests", fmt, form)
            assert answer.status == 403, answer.text
            assert answer.data[0]["code"] == "403"
            assert answer.data[0]["description"]
        if fmt == "xml":
            assert answer.root == "errors"
    assert not CitizenReport.objects.exists()


def test_api_key_may_come_in_the_query(spec: SpecClient, world: World, key: str) -> None:
    form = _form(key)
    form.pop("api_key")
    answer = spec.post("requests", "json", form, query=f"api_key={key}&jurisdiction_id=jospar.kz")
    assert answer.status == 200, answer.text


def test_service_code_unknown_is_404_and_missing_400(
    spec: SpecClient, world: World, key: str
) -> None:
    assert spec.post("requests", "json", _form(key, service_code="volcanoes")).status == 404
    answer = spec.post("requests", "xml", _form(key, service_code=""))
    assert answer.status == 400
    assert answer.data[0]["code"] == "400"
    assert not CitizenReport.objects.exists()


def test_wrong_jurisdiction_in_the_body_is_404(spec: SpecClient, world: World, key: str) -> None:
    answer = spec.post("requests", "json", _form(key, jurisdiction_id="sfgov.org"))
    assert answer.status == 404
    assert not CitizenReport.objects.exists()


@pytest.mark.parametrize(
    ("lat", "long"),
    [("abc", "76.9"), ("43.2", ""), ("91", "76.9"), ("43.2", "181"), ("nan", "76.9")],
)
def test_bad_coordinates_are_400(
    spec: SpecClient, world: World, key: str, lat: str, long: str
) -> None:
    answer = spec.post("requests", "json", _form(key, lat=lat, long=long))
    assert answer.status == 400, answer.text
    assert answer.raw[0]["code"] == 400
    assert not CitizenReport.objects.exists()


def test_outside_kazakhstan_is_400_with_the_message(
    spec: SpecClient, world: World, key: str
) -> None:
    for fmt in ("xml", "json"):
        answer = spec.post(
            "requests",
            fmt,
            _form(key, lat=str(MOSCOW[0]), long=str(MOSCOW[1])),
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status == 400
        assert (
            "Kazakhstan" in answer.data[0]["description"]
            or "Қазақстан" in (answer.data[0]["description"])
        )
    assert not CitizenReport.objects.exists()


def test_location_address_only_and_address_id(spec: SpecClient, world: World, key: str) -> None:
    no_point = _form(key, lat="", long="")
    answer = spec.post("requests", "json", no_point)
    assert answer.status == 400
    assert "lat" in answer.raw[0]["description"]
    only_id = _form(key, lat="", long="", address_string="", address_id="545483")
    answer = spec.post("requests", "json", only_id)
    assert answer.status == 400
    assert "address_id" in answer.raw[0]["description"]
    assert not CitizenReport.objects.exists()


def test_a_body_without_charset_is_utf8(spec: SpecClient, world: World, key: str) -> None:
    from urllib.parse import urlencode

    text = "Қоқыс жәшіктері толып кеткен, иіс шығады — өтінемін, шығарыңыздар."
    body = urlencode(_form(key, description=text)).encode("utf-8")
    answer = spec.post("requests", "json", body, content_type="application/x-www-form-urlencoded")
    assert answer.status == 200, answer.text
    report = CitizenReport.objects.get(pk=int(answer.data[0]["service_request_id"]))
    assert report.description == text
    listed = spec.get(f"requests/{report.pk}", "json").raw[0]
    assert listed["description"] == text


def test_no_personal_data_in_any_open311_output(spec: SpecClient, world: World, key: str) -> None:
    description = (
        "Жолда шұңқыр. Хабарласыңыз: aigerim.s@mail.kz, +7 701 123 45 67, ЖСН 900101350123."
    )
    answer = spec.post(
        "requests",
        "json",
        _form(
            key,
            description=description,
            email="hidden.person@example.kz",
            first_name="Гүлнар",
            last_name="Жақсыбекова",
            phone="+7 777 765 43 21",
            device_id="imei-3550",
        ),
    )
    assert answer.status == 200, answer.text
    report_id = answer.data[0]["service_request_id"]
    outputs = [
        spec.get(resource, fmt).text
        for resource in ("requests", f"requests/{report_id}")
        for fmt in ("xml", "json")
    ]
    outputs.append(answer.text)
    secrets = [
        "hidden.person",
        "example.kz",
        "Гүлнар",
        "Жақсыбекова",
        "777 765",
        "765 43 21",
        "imei-3550",
        "aigerim.s@mail.kz",
        "701 123 45 67",
        "900101350123",
    ]
    for output in outputs:
        for secret in secrets:
            assert secret not in output, (secret, output)
    assert "[***]" in outputs[0]
