"""Masking personal data in what the public sees: examples, and properties over generated
IINs, phone numbers and e-mail addresses embedded in random text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from jospar.civic.privacy import (
    MASK,
    iin_checksum_ok,
    iin_date_is_plausible,
    mask_personal_data,
    mask_survey,
    public_author_name,
)

# --- examples -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "+7 701 123 45 67",
        "+7 (701) 123-45-67",
        "+77011234567",
        "8 701 123 45 67",
        "8 (701) 123-45-67",
        "8(701)1234567",
        "87011234567",
        "8-701-123-45-67",
        "+7 (7172) 55-66-77",
        "8 7172 556677",
        "+7 727 250 00 00",
        "701 123 45 67",
        "7011234567",
        "253-45-67",
        "+996 555 123 456",
        "+7 916 123-45-67",
        "8\u00a0701\u00a0123\u00a045\u00a067",
    ],
)
def test_phone_numbers_are_masked(phone: str) -> None:
    text = f"Звоните по номеру {phone}, спросить Айгерим."
    masked = mask_personal_data(text)
    assert masked == f"Звоните по номеру {MASK}, спросить Айгерим."


@pytest.mark.parametrize(
    "text",
    [
        "тел:87011234567",
        "тел87011234567",
        "(8 701) 123 45 67",
        "номер 8 701 123 45 67.",
    ],
)
def test_phone_numbers_touching_words_and_punctuation(text: str) -> None:
    masked = mask_personal_data(text)
    assert "1234567" not in re.sub(r"\D", "", masked)
    assert MASK in masked


def test_iin_email_and_phone_together() -> None:
    text = (
        "Мой ИИН 900101300123, почта aigerim.s+home@mail.kz, тел. 8 701 123 45 67. "
        "Яма у дома 15 на улице Абая с 2023 года, ремонт на 1 500 000 тенге."
    )
    assert mask_personal_data(text) == (
        f"Мой ИИН {MASK}, почта {MASK}, тел. {MASK}. "
        "Яма у дома 15 на улице Абая с 2023 года, ремонт на 1 500 000 тенге."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ремонт обещали в 2023 году, сейчас 2025-й.",
        "Дом 12, квартира 345, подъезд 4, этаж 9.",
        "Бюджет 7 000 000 000 теңге, из них 150 000 000 на дороги.",
        "Смета 75 000 000 тг; 1 200 500 тенге; 3 500 тенге.",
        "Сроки: 12.05.2023, 2023-12-01, 01/02/2024, с 10:30 до 18:00.",
        "Маршрут 37, остановка №125, 12 км, 45 минут.",
        "Площадь 1250 м², высота 2,5 м, 100 000 000 000 тиын.",
        "Номер договора 2023/145-А от 15 марта.",
        "Уже 150 дней, 300 жителей, 3 подъезда.",
        "Координаты 43.238, 76.945.",
        "8 домов и 701 квартира.",
        "Температура +25, давление 760.",
        "",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_masking_twice_changes_nothing_more() -> None:
    text = "ИИН 900101300123 и +7 701 123 45 67, a@b.kz"
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once


def test_a_mistyped_iin_is_still_masked_a_random_twelve_digit_amount_is_not() -> None:
    mistyped = "900101300124"
    assert iin_date_is_plausible(mistyped)
    assert mask_personal_data(f"ИИН {mistyped}") == f"ИИН {MASK}"
    # 150 billion: "150000000000" is no date (month 00).
    assert mask_personal_data("сумма 150000000000 тиын") == "сумма 150000000000 тиын"


def test_iin_checksum() -> None:
    valid = _iin(dt.date(1990, 1, 1), 3, 12)
    assert valid is not None
    assert iin_checksum_ok(valid)
    assert not iin_checksum_ok("000000000001")
    assert not iin_checksum_ok("12345")


def test_mask_survey_masks_free_text_only() -> None:
    assert mask_survey({"route": "37, водитель тел. 87011234567", "count": 3, "x": ["a@b.kz"]}) == {
        "route": f"37, водитель тел. {MASK}",
        "count": 3,
        "x": [MASK],
    }


def test_public_author_name() -> None:
    class Author:
        first_name = "Айгерім"
        last_name = "Сейітқызы"

    class Report:
        is_anonymous = False
        author = Author()

    assert public_author_name(Report()) == "Айгерім С."
    Report.is_anonymous = True
    assert public_author_name(Report()) == ""


# --- properties -----------------------------------------------------------------------------


def _iin(born: dt.date, century_sex: int, serial: int) -> str | None:
    """A valid IIN: YYMMDD, the century-and-sex digit, a four-digit serial, the check digit."""
    body = f"{born:%y%m%d}{century_sex}{serial:04d}"
    digits = [int(c) for c in body]
    check = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if check == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check == 10:
            return None
    return body + str(check)


@st.composite
def iins(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    century_sex = draw(st.integers(1, 6))
    serial = draw(st.integers(0, 9999))
    iin = _iin(born, century_sex, serial)
    assume(iin is not None)
    assert iin is not None
    return iin


_SEP = st.sampled_from(["", " ", "-", " - ", "\u00a0"])


@st.composite
def kz_phones(draw: st.DrawFn) -> tuple[str, str]:
    """(as written, its last seven digits) in the ways people in Kazakhstan write numbers."""
    code = draw(
        st.one_of(
            st.sampled_from(
                ["700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"]
            ),
            st.sampled_from(["727", "717", "712", "721", "725"]),
        )
    )
    rest = draw(st.text("0123456789", min_size=7, max_size=7))
    prefix = draw(st.sampled_from(["+7", "+7 ", "8", "8 ", "8-", "+7-", ""]))
    bracket = draw(st.booleans()) and prefix != ""
    sep = draw(_SEP)
    area = f"({code})" if bracket else code
    layout = draw(st.sampled_from(["3-2-2", "7", "3-4"]))
    if layout == "3-2-2":
        tail = f"{rest[:3]}{sep}{rest[3:5]}{sep}{rest[5:]}"
    elif layout == "3-4":
        tail = f"{rest[:3]}{sep}{rest[3:]}"
    else:
        tail = rest
    gap = " " if bracket else sep
    return f"{prefix}{area}{gap}{tail}", rest


_NOISE = st.text(
    alphabet=st.sampled_from(
        list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі ABCdef,.;:!?()-–«»\n0123456789")
    ),
    max_size=40,
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(before=_NOISE, iin=iins(), after=_NOISE)
@example(before="5", iin="900101300123", after="7")
def test_a_generated_iin_never_leaks(before: str, iin: str, after: str) -> None:
    text = f"{before} {iin} {after}"
    masked = mask_personal_data(text)
    assert iin not in masked


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(before=_NOISE, phone=kz_phones(), after=_NOISE)
@example(before="7 0", phone=("87011234567", "1234567"), after="")
@example(before="дом 5", phone=("8 701 123 45 67", "1234567"), after="кв. 7")
def test_a_generated_phone_never_leaks(before: str, phone: tuple[str, str], after: str) -> None:
    written, last_seven = phone
    text = f"{before} {written} {after}"
    masked = mask_personal_data(text)
    assert written not in masked
    # The number's own digits are gone: what digits remain come from the noise around it.
    remaining = _digits(masked)
    assume(last_seven not in _digits(before) + _digits(after))
    assert last_seven not in remaining


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(before=_NOISE, email=st.emails(), after=_NOISE)
def test_a_generated_email_never_leaks(before: str, email: str, after: str) -> None:
    text = f"{before} {email} {after}"
    masked = mask_personal_data(text)
    assert email not in masked
    local = email.split("@", 1)[0]
    assume(len(local) >= 4 and local not in before + after)
    assert local not in masked


_WORDS = st.sampled_from(
    ["үй", "дом", "кв.", "жылы", "году", "теңге", "тенге", "маршрут", "подъезд", "на", "и", "км"]
)


@st.composite
def ordinary_numbers(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["year", "house", "amount", "date", "small", "decimal"]))
    if kind == "year":
        return str(draw(st.integers(1900, 2100)))
    if kind == "house":
        return str(draw(st.integers(1, 999))) + draw(st.sampled_from(["", "а", "/2", "Б"]))
    if kind == "amount":
        value = draw(st.integers(1_000, 999_000_000_000))
        return f"{value:,}".replace(",", " ")
    if kind == "date":
        day = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
        return day.strftime(draw(st.sampled_from(["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"])))
    if kind == "decimal":
        return f"{draw(st.integers(0, 9999))},{draw(st.integers(0, 99))}"
    return str(draw(st.integers(0, 99_999)))


@settings(max_examples=400)
@given(parts=st.lists(st.tuples(_WORDS, ordinary_numbers()), min_size=1, max_size=8))
def test_ordinary_numbers_in_running_text_are_never_mangled(
    parts: list[tuple[str, str]],
) -> None:
    text = " ".join(f"{word} {number}" for word, number in parts) + "."
    assert mask_personal_data(text) == text


@settings(max_examples=200)
@given(text=st.text(max_size=200))
def test_masking_is_idempotent_and_never_fails(text: str) -> None:
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once
