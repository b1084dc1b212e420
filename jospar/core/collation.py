"""Sorting names for people in the alphabet of the page's language.

Python sorts by code point, which puts every Kazakh letter (Ә U+04D8, Қ U+049A, Ү U+04AE...)
after Я. The official Kazakh Cyrillic alphabet (42 letters) puts each right after its base
letter: А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я.
Russian pages follow the Russian alphabet (Ё sorted with Е), with the Kazakh letters that
Russian texts quote placed after their base letters as above (І after И, as Unicode's default
order does).

A key of our own rather than ICU (docs/decisions.md, "First-use defects"): PyICU must be
compiled against libicu-dev on every machine, and what is needed here is a few dozen letters.
Case and punctuation do not decide the order (quotes and dashes are skipped, «Ақ жол» sorts as
АҚ ЖОЛ), only break ties; spaces separate words and come first; digits come before letters,
Latin before Cyrillic.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.utils.translation import get_language

T = TypeVar("T")

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
RUSSIAN_ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
# Kazakh letters on a Russian page: right after their base letter (і after и).
_AFTER = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
# Latin look-alikes of Kazakh and Russian letters that slip into documents ("Әдiлет").
_LOOKALIKE = {"i": "і"}


def _russian_order() -> dict[str, tuple[int, int]]:
    order: dict[str, tuple[int, int]] = {}
    for i, letter in enumerate(RUSSIAN_ALPHABET):
        order[letter] = (i, 0)
    order["ё"] = order["е"]
    extra: dict[str, int] = {}
    for letter in "әғқңөұүһі":
        base = order[_AFTER[letter]]
        extra[_AFTER[letter]] = extra.get(_AFTER[letter], 0) + 1
        order[letter] = (base[0], extra[_AFTER[letter]])
    return order


_ORDERS: dict[str, dict[str, tuple[int, int]]] = {
    "kk": {letter: (i, 0) for i, letter in enumerate(KAZAKH_ALPHABET)},
    "ru": _russian_order(),
}

SPACE, DIGIT, LATIN, CYRILLIC, OTHER = range(5)


def _letter_key(char: str, order: dict[str, tuple[int, int]]) -> tuple[int, int, int] | None:
    if char.isspace():
        return (SPACE, 0, 0)
    if char in order:
        return (CYRILLIC, *order[char])
    if char.isdigit():
        return (DIGIT, unicodedata.digit(char, 0), 0)
    if "a" <= char <= "z":
        return (LATIN, ord(char), 0)
    if char.isalpha():
        return (OTHER, ord(char), 0)
    return None  # punctuation, quotes, dashes: no weight of their own


def sort_key(text: str | None, lang: str | None = None) -> tuple[object, ...]:
    """The key that sorts ``text`` in the alphabet of ``lang`` (the active language when
    None; Kazakh for any language other than Russian)."""
    return _sort_key(text or "", (lang or get_language() or "kk")[:2])


# The same names (organisations, regions, plans) are sorted on every page: their keys, a
# character-by-character walk in Python, are kept (the discipline page spent 15 ms a request
# on them). A key depends on the text and the language only.
@functools.lru_cache(maxsize=16_384)
def _sort_key(text: str, language: str) -> tuple[object, ...]:
    order = _ORDERS["ru" if language == "ru" else "kk"]
    folded = unicodedata.normalize("NFC", (text or "").strip()).casefold()
    primary = []
    previous_space = True
    for char in folded:
        key = _letter_key(_LOOKALIKE.get(char, char) if language != "en" else char, order)
        if key is None or (key[0] == SPACE and previous_space):
            continue
        previous_space = key[0] == SPACE
        primary.append(key)
    while primary and primary[-1][0] == SPACE:
        primary.pop()
    # Ties: lower case first, then the text itself, so that the order is total.
    return (tuple(primary), folded, tuple(not c.islower() for c in text or ""), text or "")


def sorted_for_people(
    items: Iterable[T], key: Callable[[T], str | None], lang: str | None = None
) -> list[T]:
    """``items`` sorted by the name ``key`` gives, in the alphabet of the page's language."""
    language = lang or get_language() or "kk"
    return sorted(items, key=lambda item: sort_key(key(item), language))
