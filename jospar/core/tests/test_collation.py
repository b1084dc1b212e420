"""Names sort in the alphabet of the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from jospar.core.collation import KAZAKH_ALPHABET, sort_key, sorted_for_people


def _sorted(words: list[str], lang: str) -> list[str]:
    return sorted(words, key=lambda w: sort_key(w, lang))


@pytest.mark.parametrize(
    "expected",
    [
        ["Алматы", "Әділет", "Білім"],
        ["Көлік", "Қаржы", "Ложа"],
        ["Облыс", "Өнер", "Павлодар"],
        ["Уақыт", "Ұлттық", "Үкімет", "Фермер"],
        ["Гүл", "Ғылым", "Дене"],
        ["Нұр", "Ңә", "Облыс"],
        ["Хабар", "Һәм", "Цирк"],
        ["Ыстық", "Іле", "Ьа", "Экология"],
    ],
)
def test_kazakh_alphabet(expected: list[str]) -> None:
    shuffled = list(reversed(expected))
    assert _sorted(shuffled, "kk") == expected
    # Code points alone get it wrong: that is what this key is for.
    assert sorted(shuffled) != expected


def test_the_whole_kazakh_alphabet_in_order() -> None:
    letters = list(KAZAKH_ALPHABET.upper())
    assert len(letters) == 42
    assert _sorted(list(reversed(letters)), "kk") == letters


def test_russian_alphabet_with_kazakh_names() -> None:
    words = [
        "Яблоко",
        "Ёлка",
        "Ель",
        "Әділет",
        "Алматы",
        "Қаржы",
        "Кострома",
        "Лес",
        "Иртыш",
        "Іле",
        "Йошкар",
    ]
    assert _sorted(words, "ru") == [
        "Алматы",
        "Әділет",
        "Ёлка",
        "Ель",
        "Иртыш",
        "Іле",
        "Йошкар",
        "Кострома",
        "Қаржы",
        "Лес",
        "Яблоко",
    ]


def test_case_quotes_and_digits() -> None:
    assert _sorted(["«Қазақстан темір жолы» АҚ", "Қазына", "қабат"], "kk") == [
        "қабат",
        "«Қазақстан темір жолы» АҚ",
        "Қазына",
    ]
    assert _sorted(["Б", "2 мектеп", "10 мектеп", "Apple", "а"], "kk") == [
        "10 мектеп",
        "2 мектеп",
        "Apple",
        "а",
        "Б",
    ]
    # A word and its longer continuation: the shorter first; a space separates words.
    assert _sorted(["Ақтөбе облысы", "Ақ", "Ақтау"], "kk") == ["Ақ", "Ақтау", "Ақтөбе облысы"]
    # Latin "i" typed for "і" sorts as "і".
    assert _sorted(["Әдiлет", "Әдеп", "Әдыл"], "kk") == ["Әдеп", "Әдыл", "Әдiлет"]


def test_the_active_language_decides() -> None:
    names = ["Үкімет", "Ұлттық", "Уақыт", "Фермер"]
    with translation.override("kk"):
        assert sorted_for_people(names, str) == ["Уақыт", "Ұлттық", "Үкімет", "Фермер"]
    with translation.override("ru"):
        assert sorted_for_people(names, str) == ["Уақыт", "Ұлттық", "Үкімет", "Фермер"]
        assert sorted_for_people(["Ёж", "Еда", "Жук"], str) == ["Еда", "Ёж", "Жук"]


@pytest.mark.django_db
def test_filter_choices_follow_the_alphabet() -> None:
    from jospar.control.selectors.obligations import obligation_regions
    from jospar.core.models import Region, RegionKind

    for code, kk, ru in [
        ("almaty-o", "Алматы облысы", "Алматинская область"),
        ("akmola", "Ақмола облысы", "Акмолинская область"),
        ("abai", "Абай облысы", "Абайская область"),
        ("east", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область"),
    ]:
        Region.objects.create(
            code=code, kind=RegionKind.OBLAST, name_kk=kk, name_ru=ru, name_en=code
        )
    with translation.override("kk"):
        assert [r.name for r in obligation_regions()] == [
            "Абай облысы",
            "Ақмола облысы",
            "Алматы облысы",
            "Шығыс Қазақстан облысы",
        ]
    with translation.override("ru"):
        assert [r.name for r in obligation_regions()] == [
            "Абайская область",
            "Акмолинская область",
            "Алматинская область",
            "Восточно-Казахстанская область",
        ]
