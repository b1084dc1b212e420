"""Surveys: margins of error against the textbook, population weighting, imports of answers
(all or nothing, every problem reported) and a question feeding an indicator."""

from __future__ import annotations

import io
import math

import pytest
from openpyxl import Workbook

from jospar.core.errors import ServiceError
from jospar.indicators.models import DataValue, Method, ValueOrigin
from jospar.indicators.models_surveys import AnswerCount, SurveyResponse, SurveyWave, WaveSample
from jospar.indicators.periods import PeriodType
from jospar.indicators.services.surveys import (
    survey_create,
    survey_import,
    wave_counts_set,
    wave_create,
    wave_feed_indicators,
)
from jospar.indicators.survey_results import share_of, wave_results, weighted_share
from jospar.indicators.tests.conftest import World, make_indicator

YES_NO = [
    {"code": "yes", "text_kk": "Иә", "text_ru": "Да"},
    {"code": "no", "text_kk": "Жоқ", "text_ru": "Нет"},
]


def test_margin_of_error_textbook_cases() -> None:
    # The classic poll: 1 000 respondents, half say yes → ±3.1 points (95 %).
    half = share_of(500, 1000)
    assert half.share == 50
    assert round(half.margin or 0, 1) == 3.1
    # 400 respondents, 50 % → ±4.9; 1 000 respondents, 20 % → ±2.5.
    assert round(share_of(200, 400).margin or 0, 1) == 4.9
    assert round(share_of(200, 1000).margin or 0, 1) == 2.5
    assert share_of(0, 0).share is None


def test_weighting_by_population() -> None:
    # A proportional sample: weighting changes nothing.
    proportional, weighted = weighted_share([(10, 100, 1_000), (60, 300, 3_000)])
    assert weighted
    assert proportional.share == pytest.approx(100 * 70 / 400)
    # Over-sampled small region: the plain share would be (80 + 60) / 400 = 35 %.
    skewed, _ = weighted_share([(80, 100, 1_000_000), (60, 300, 9_000_000)])
    assert skewed.share == pytest.approx(100 * (0.1 * 0.8 + 0.9 * 0.2))
    expected = 1.96 * math.sqrt(0.01 * 0.8 * 0.2 / 100 + 0.81 * 0.2 * 0.8 / 300)
    assert (skewed.margin or 0) / 100 == pytest.approx(expected, rel=1e-3)
    # No population: the plain share, unweighted.
    plain, weighted = weighted_share([(80, 100, 0), (60, 300, 9)])
    assert not weighted
    assert plain.share == 35


@pytest.fixture
def wave(world: World) -> SurveyWave:
    centre = world.people["controller"]
    anthem = make_indicator(
        "anthem", method=Method.SURVEY, frequency=PeriodType.SIX_MONTHLY, unit="%"
    )
    survey = survey_create(
        actor=centre,
        code="symbols",
        title_kk="Мемлекеттік рәміздер",
        title_ru="Государственные символы",
        questions=[
            {
                "code": "q1",
                "text_kk": "Әнұранның сөзін білесіз бе?",
                "text_ru": "Знаете ли вы слова гимна?",
                "answers": YES_NO,
                "indicator": anthem,
                "indicator_answers": ["yes"],
            },
            {"code": "q2", "text_kk": "Ту?", "text_ru": "Флаг?", "answers": YES_NO},
        ],
    )
    return wave_create(
        actor=centre, survey=survey, period="2024S1", planned={world.north.pk: 4, world.south.pk: 4}
    )


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


GOOD = [
    "respondent;region;q1;q2",
    "r1;north-x;yes;no",
    "r2;north-x;yes;",
    "r3;north-x;no;no",
    "r4;south-x;no;yes",
]


def test_import_counts_and_results(world: World, wave: SurveyWave) -> None:
    report = survey_import(
        actor=world.people["controller"], wave=wave, filename="a.csv", data=_csv(GOOD)
    )
    assert report.respondents == 4
    assert report.by_region == {"north-x": 3, "south-x": 1}
    samples = dict(WaveSample.objects.values_list("region__code", "achieved"))
    assert samples == {"north-x": 3, "south-x": 1}
    q1 = wave_results(wave)[0]
    assert q1.by_region[world.north.pk]["yes"].share == pytest.approx(200 / 3)
    # North (1 M people) 2/3 yes, south (3 M) 0/1: (1·2/3 + 3·0) / 4.
    assert q1.national["yes"].share == pytest.approx(100 * (2 / 3) / 4)
    q2 = wave_results(wave)[1]
    assert q2.respondents[world.north.pk] == 2  # r2 did not answer it


def test_import_of_xlsx(world: World, wave: SurveyWave) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in GOOD:
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    survey_import(
        actor=world.people["controller"], wave=wave, filename="a.xlsx", data=buffer.getvalue()
    )
    assert SurveyResponse.objects.count() == 4


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["respondent;q1;q2", "r1;yes;no"], "region"),
        (["respondent;region;q1;q9", "r1;north-x;yes;no"], "q9"),
        (["respondent;region;q1", "r1;north-x;maybe"], "maybe"),
        (["respondent;region;q1", "r1;north-x;yes", "r1;south-x;no"], "r1"),
        (["respondent;region;q1", "r1;atlantis;yes"], "atlantis"),
        (["respondent;region;q1", ";north-x;yes"], "Line 3"),
        (["respondent;region;q1;q1", "r1;north-x;yes;yes"], "q1"),
        (["respondent;region;q1"], "respondents"),
    ],
)
def test_bad_files_are_refused_whole(
    world: World, wave: SurveyWave, rows: list[str], expected: str
) -> None:
    # A good row comes first: nothing of it may be imported either.
    if len(rows) > 1:
        rows = [
            rows[0],
            "ok1;north-x;" + ";".join("yes" for _ in rows[0].split(";")[2:]),
            *rows[1:],
        ]
    with pytest.raises(ServiceError) as caught:
        survey_import(
            actor=world.people["controller"], wave=wave, filename="a.csv", data=_csv(rows)
        )
    assert any(expected in problem for problem in caught.value.fields["file"])
    assert not SurveyResponse.objects.exists()
    assert not AnswerCount.objects.exists()
    assert WaveSample.objects.filter(achieved__gt=0).count() == 0


def test_unreadable_files(world: World, wave: SurveyWave) -> None:
    for name, data in [("a.xlsx", b"PK\x03\x04garbage"), ("a.csv", b""), ("a.csv", b"a\x00b")]:
        with pytest.raises(ServiceError):
            survey_import(actor=world.people["controller"], wave=wave, filename=name, data=data)


def test_second_import_of_the_same_people_is_refused(world: World, wave: SurveyWave) -> None:
    centre = world.people["controller"]
    survey_import(actor=centre, wave=wave, filename="a.csv", data=_csv(GOOD))
    with pytest.raises(ServiceError) as caught:
        survey_import(actor=centre, wave=wave, filename="a.csv", data=_csv(GOOD[:2]))
    assert "already imported" in caught.value.fields["file"][0]
    assert SurveyResponse.objects.count() == 4


def test_only_the_centre_imports(world: World, wave: SurveyWave) -> None:
    with pytest.raises(ServiceError):
        survey_import(
            actor=world.people["office_north"], wave=wave, filename="a.csv", data=_csv(GOOD)
        )
    assert not SurveyResponse.objects.exists()


def test_question_feeds_its_indicator(world: World, wave: SurveyWave) -> None:
    centre = world.people["controller"]
    q1 = wave.survey.questions.get(code="q1")
    wave_counts_set(
        actor=centre, wave=wave, question=q1, region=world.north, counts={"yes": 30, "no": 10}
    )
    wave_counts_set(
        actor=centre, wave=wave, question=q1, region=world.south, counts={"yes": 10, "no": 30}
    )
    assert wave_feed_indicators(actor=centre, wave=wave) == 3
    values = {
        v.region_id: v.value
        for v in DataValue.objects.filter(indicator__code="anthem", period="2024S1")
    }
    assert values[world.north.pk] == 75
    assert values[world.south.pk] == 25
    assert values[None] == 37.5  # (1·75 + 3·25) / 4
    assert DataValue.objects.filter(origin=ValueOrigin.SURVEY).count() == 3
    with pytest.raises(ServiceError):
        wave_counts_set(actor=centre, wave=wave, question=q1, region=world.north, counts={"x": 1})


def test_wave_page_and_import_form(world: World, wave: SurveyWave) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    centre = Client()
    centre.force_login(world.people["controller"])
    url = reverse("indicators:wave", args=[wave.pk])
    response = centre.post(url, {"file": SimpleUploadedFile("a.csv", _csv(GOOD), "text/csv")})
    assert response.status_code == 302
    page = centre.get(url).content.decode()
    assert 'data-question="q1"' in page
    assert "±" in page
    bad = centre.post(url, {"file": SimpleUploadedFile("a.csv", _csv(GOOD), "text/csv")})
    assert bad.status_code == 400
    assert "import-problems" in bad.content.decode()
    observer = Client()
    observer.force_login(world.people["observer"])
    assert observer.get(url).status_code == 200
    assert observer.get(reverse("indicators:surveys")).status_code == 200
    assert observer.post(url, {}).status_code == 403
    official = Client()
    official.force_login(world.people["civic_official"])
    assert official.get(url).status_code == 404
