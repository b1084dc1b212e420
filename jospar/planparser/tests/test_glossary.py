"""The plan's own glossary of abbreviations, in the forms plans print it."""

from __future__ import annotations

import pytest

from jospar.planparser import parse_plan
from jospar.planparser.glossary import parse_glossary
from jospar.planparser.tests.seedtools import PLAN_SEEDS, seed_bytes


def test_one_entry_per_line_with_continued_expansion() -> None:
    text = (
        "Примечание: расшифровка аббревиатур:\n\n"
        "МФ\u00a0\u00a0\u00a0 - Министерство финансов Республики\n\n"
        "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0 Казахстан\n\n"
        "НПП   - Национальная палата предпринимателей «Атамекен»\n"
    )
    assert parse_glossary(text) == {
        "МФ": "Министерство финансов Республики Казахстан",
        "НПП": "Национальная палата предпринимателей «Атамекен»",
    }


def test_all_entries_on_one_line() -> None:
    text = (
        "Ескертпе: Аббревиатураларды ашып жазу:\n"
        "ҚМ - Қазақстан Республикасының Қаржы министрлігі ҰЭМ - Қазақстан Республикасының "
        "Ұлттық экономика министрлігі ЖШС - жауапкершілігі шектеулі серіктестік"
    )
    assert parse_glossary(text) == {
        "ҚМ": "Қазақстан Республикасының Қаржы министрлігі",
        "ҰЭМ": "Қазақстан Республикасының Ұлттық экономика министрлігі",
        "ЖШС": "жауапкершілігі шектеулі серіктестік",
    }


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_dashes(dash: str) -> None:
    text = (
        f"Ескерту: аббревиатуралардың жазылуы:\nҚМ {dash} Қаржы министрлігі\nІІМ{dash} Ішкі істер"
    )
    assert parse_glossary(text) == {"ҚМ": "Қаржы министрлігі", "ІІМ": "Ішкі істер"}


def test_mixed_case_codes() -> None:
    text = (
        "Примечание: расшифровка аббревиатур:\nТиПО - техническое и профессиональное "
        "образование\nМЦРИАП - Министерство цифрового развития\nӘдМ - Әділет министрлігі"
    )
    assert list(parse_glossary(text)) == ["ТиПО", "МЦРИАП", "ӘдМ"]


def test_entries_on_the_marker_line_itself() -> None:
    text = "Примечание: расшифровка аббревиатур: МФ - Министерство финансов; МЮ - Минюст."
    assert parse_glossary(text) == {"МФ": "Министерство финансов", "МЮ": "Минюст"}


def test_hyphenated_words_in_an_expansion_are_not_entries() -> None:
    text = (
        "Примечание: расшифровка аббревиатур:\nНПП - палата предпринимателей - членов "
        "РК-объединения\nМФ - Минфин"
    )
    glossary = parse_glossary(text)
    assert glossary["МФ"] == "Минфин"
    assert "РК" not in glossary


def test_glossary_ends_at_a_signature_rule() -> None:
    text = "Примечание: расшифровка аббревиатур:\nМФ - Минфин\n______________\nЗАО - Иное"
    assert parse_glossary(text) == {"МФ": "Минфин"}


def test_no_glossary() -> None:
    assert parse_glossary("ПЛАН МЕРОПРИЯТИЙ\nМФ - Минфин") == {}


@pytest.mark.parametrize(
    ("name", "size", "code", "expansion"),
    [
        (
            PLAN_SEEDS[0],
            18,
            "ОКҚ",
            "Қазақстан Республикасы Президенті жанындағы Орталық коммуникациялар қызметі",
        ),
        (
            PLAN_SEEDS[1],
            18,
            "САНК",
            "Секретариат Ассамблеи народа Казахстана Администрации Президента Республики Казахстан",
        ),
        (PLAN_SEEDS[2], 13, "ПӘ", "Қазақстан Республикасы Президентінің Әкімшілігі"),
    ],
)
def test_seed_glossaries(name: str, size: int, code: str, expansion: str) -> None:
    glossary = parse_plan(seed_bytes(name), filename=name).glossary
    assert len(glossary) == size
    assert glossary[code] == expansion
