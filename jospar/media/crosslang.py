"""The same story in Kazakh and in Russian, told apart from other stories on the same topic, with
packaged data only (nothing is downloaded, no translation model).

A text becomes a set of language-neutral features:

- dates (a day with a month: «12 қазанда» and «12 октября» are ``d:12.10``), years, and other
  numbers (``1,2 миллиард`` and ``1,2 миллиарда`` share ``n:1.2``);
- words in the Latin alphabet inside a Cyrillic text (``bnews.kz``, «Jas Otan»);
- proper names, transliteration-normalised: Kazakh letters folded onto Russian ones (ә→а, қ→к,
  ұ→у, ...; х and һ onto к, since «Қазақстан» is «Казахстан») and then reduced to their first
  consonants, so that «Түркістанда» and «Туркестане» are both ``c:тркс``;
- the first five letters of long words once normalised, which catch the loanwords both
  languages share (фестиваль, экспедиция, мониторинг, гектар);
- concepts of a small Kazakh–Russian glossary (``data/glossary_kk_ru.txt``): the state bodies'
  abbreviations from the notes of the seed plan in both languages (ИДМ = МИР, ПӘ = АП) and the
  words regional news and the plans use (мектеп = школа, көрме = выставка).

Two texts' similarity is the weight of their shared features over the geometric mean of their
weights (a cosine of weighted sets). A publication is linked to its best counterpart in the
other language published within ``WINDOW_DAYS`` when the similarity reaches ``THRESHOLD``, or
at once when a page names the other as its language version (``hreflang``), or when both carry
the same photo. Candidates are found through ``PublicationBand`` keys of the rarer features
(dates, numbers, names, Latin words) in week buckets, so the lookup is indexed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary_kk_ru.txt"
THRESHOLD = 0.30
WINDOW_DAYS = 3
CONFLICT = 0.5
# Both carry the same photo (``jospar.media.photos``): added to the similarity.
PHOTO_BONUS = 0.2
MAX_KEYS = 24
# The candidates sharing the most keys with a new publication that are scored.
CANDIDATES = 8
# A story's facts are in its first paragraphs: the features are read from this much text.
TEXT_CHARS = 2000
LANGS = ("kk", "ru")

_FOLD = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "х": "к",
        "һ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "і": "и",
        "й": "и",
        "ё": "е",
        "ъ": "",
        "ь": "",
    }
)
# The 2021 Kazakh Latin alphabet onto the folded Cyrillic letters.
_LATIN = str.maketrans(
    {
        "a": "а",
        "ä": "а",
        "b": "б",
        "c": "ч",
        "ç": "ч",
        "d": "д",
        "e": "е",
        "f": "ф",
        "g": "г",
        "ğ": "г",
        "h": "к",
        "i": "и",
        "ı": "ы",
        "j": "ж",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "ñ": "н",
        "o": "о",
        "ö": "о",
        "p": "п",
        "q": "к",
        "r": "р",
        "s": "с",
        "ş": "ш",
        "t": "т",
        "u": "у",
        "ū": "у",
        "ü": "у",
        "v": "в",
        "w": "у",
        "y": "ы",
        "z": "з",
    }
)
_VOWELS = frozenset("аеиоуыэюя")
_KK_MONTHS = {
    "кантар": 1,
    "акпан": 2,
    "наурыз": 3,
    "сауир": 4,
    "мамыр": 5,
    "маусым": 6,
    "шилде": 7,
    "тамыз": 8,
    "кыркуиек": 9,
    "казан": 10,
    "караша": 11,
    "желтоксан": 12,
}
_RU_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "мая": 5,
    "маи": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
# Features nearly every text of the country carries: they tell nothing.
_COMMON = frozenset(
    {
        "w:казак",
        "c:кзкс",
        "w:респу",
        "c:рспб",
        "w:прези",
        "c:прзд",
        "g:област",
        "g:город",
    }
)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:-\w+)?|[\w.-]+", re.UNICODE)
_NUMBER = re.compile(r"^(\d{1,3}(?:[.,]\d+)?|\d{4,})(?:-\w*)?$")
_QUOTED = re.compile(r"[«\"“]([^»\"”]{2,80})[»\"”]")
_LATIN_WORD = re.compile(r"^[a-z][a-z0-9.-]*[a-z0-9]$")

WEIGHTS = {"d": 4.0, "y": 1.0, "n": 2.0, "s": 1.0, "l": 3.0, "q": 3.0, "c": 2.0, "g": 1.0}
WORD_WEIGHT = 1.0
KEY_KINDS = ("d", "n", "l", "q", "c")


def fold(word: str) -> str:
    """Lower-case, Kazakh letters folded onto Russian ones."""
    return word.lower().translate(_FOLD)


def skeleton(folded: str) -> str:
    """The first four consonants (the first letter kept as it is): a name's spelling in either
    language reduces to the same skeleton."""
    if not folded:
        return ""
    rest = [ch for ch in folded[1:] if ch not in _VOWELS and ch.isalpha()]
    return (folded[0] + "".join(rest))[:4]


@dataclass(frozen=True)
class Concept:
    name: str
    kk: tuple[str, ...]
    ru: tuple[str, ...]
    abbreviation: bool


@lru_cache(maxsize=1)
def glossary() -> tuple[Concept, ...]:
    concepts = []
    for raw in GLOSSARY.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        left, right = (side.strip() for side in line.split("=", 1))
        kk = tuple(fold(s.strip()) for s in left.split("|") if s.strip())
        ru = tuple(fold(s.strip()) for s in right.split("|") if s.strip())
        abbreviation = left.isupper() or right.isupper()
        concepts.append(Concept(ru[0], kk, ru, abbreviation))
    return tuple(concepts)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    out = {}
    for c in glossary():
        if c.abbreviation:
            for form in (*c.kk, *c.ru):
                out[form] = c.name
    return out


# A Kazakh stem's last consonant voices before a vowel: мектеп → мектебі, тарак → тарагы.
_VOICED = {"п": "б", "к": "г"}


@lru_cache(maxsize=1)
def _stems() -> tuple[dict[str, str], int]:
    """Every stem (and a Kazakh stem's voiced form) to its concept, and the longest stem."""
    table: dict[str, str] = {}
    for c in glossary():
        if c.abbreviation:
            continue
        for stem in (*c.kk, *c.ru):
            table.setdefault(stem, c.name)
    for stem, name in list(table.items()):
        if len(stem) >= 4 and stem[-1] in _VOICED:
            table.setdefault(stem[:-1] + _VOICED[stem[-1]], name)
    return table, max((len(k) for k in table), default=0)


@lru_cache(maxsize=65_536)
def _concept(folded: str) -> str | None:
    """The concept of the longest glossary stem the word starts with."""
    table, longest = _stems()
    for size in range(min(len(folded), longest), 1, -1):
        name = table.get(folded[:size])
        if name is not None:
            return name
    return None


@lru_cache(maxsize=65_536)
def _month(folded: str) -> int | None:
    for table in (_KK_MONTHS, _RU_MONTHS):
        for stem, month in table.items():
            if folded.startswith(stem):
                return month
    return None


def _number(token: str) -> str | None:
    m = _NUMBER.match(token)
    if not m:
        return None
    value = m.group(1).replace(",", ".")
    return value.rstrip(".")


@lru_cache(maxsize=131_072)
def _word(token: str, latin_kazakh: bool) -> tuple[str, tuple[tuple[str, float], ...], bool]:
    """A word's folded form and features, worked out once per word (a day's news repeats its
    words): final when it is a Latin word or an abbreviation (no date can follow from it)."""
    lowered = token.lower()
    if not latin_kazakh and _LATIN_WORD.match(lowered) and len(lowered) >= 3:
        return lowered, (("l:" + lowered, WEIGHTS["l"]),), True
    folded = fold(token)
    if latin_kazakh:
        folded = folded.translate(_LATIN)
    if token.isupper() and len(token) >= 2 and folded in _abbreviations():
        return folded, (("g:" + _abbreviations()[folded], WEIGHTS["g"] * 2),), True
    if not folded.isalpha():
        return folded, (), False
    keys = []
    concept = _concept(folded)
    if concept is not None:
        keys.append(("g:" + concept, WEIGHTS["g"]))
    if token[0].isupper() and len(folded) >= 4:
        shape = skeleton(folded)
        if len(shape) >= 3:
            keys.append(("c:" + shape, WEIGHTS["c"]))
    if len(folded) >= 6 and concept is None:
        keys.append(("w:" + folded[:5], WORD_WEIGHT))
    return folded, tuple(keys), False


def features(text: str, *, latin_kazakh: bool = False) -> dict[str, float]:
    """The text's language-neutral features with their weights."""
    found: dict[str, float] = {}

    def add(key: str, weight: float) -> None:
        if key not in _COMMON:
            found[key] = max(found.get(key, 0.0), weight)

    for name in _QUOTED.findall(text):
        words = [fold(w) for w in re.findall(r"\w+", name)]
        if latin_kazakh:
            words = [w.translate(_LATIN) for w in words]
        joined = "".join(w[:4] for w in words if w)
        if len(joined) >= 4:
            add("q:" + joined, WEIGHTS["q"])
    tokens = _TOKEN.findall(text)
    previous_number: str | None = None
    for raw in tokens:
        token = raw.strip(".-")
        if not token:
            continue
        number = _number(token)
        if number is not None:
            if len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100:
                add("y:" + number, WEIGHTS["y"])
            elif number.replace(".", "").isdigit():
                small = len(number) == 1
                add("n:" + number, WEIGHTS["s"] if small else WEIGHTS["n"])
            previous_number = number
            continue
        folded, keys, final = _word(token, latin_kazakh)
        if final:
            for key, weight in keys:
                add(key, weight)
            previous_number = None
            continue
        month = _month(folded) if previous_number is not None else None
        if month is not None and previous_number is not None and previous_number.isdigit():
            day = int(previous_number)
            if 1 <= day <= 31:
                add(f"d:{day}.{month}", WEIGHTS["d"])
            previous_number = None
            continue
        previous_number = None
        for key, weight in keys:
            add(key, weight)
    return found


def _figures(found: dict[str, float]) -> set[str]:
    return {k for k in found if k.startswith(("n:", "d:"))}


def publication_features(title: str, text: str, *, latin_kazakh: bool = False) -> dict[str, float]:
    """The features of a publication's title and the start of its text."""
    return features(f"{title}\n{text[:TEXT_CHARS]}", latin_kazakh=latin_kazakh)


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Shared weight over the geometric mean of the two weights; halved when both texts give
    figures (numbers, dates) and none of them agree, as two stories on one topic do."""
    if not a or not b:
        return 0.0
    shared = sum(min(a[k], b[k]) for k in a.keys() & b.keys())
    score = shared / math.sqrt(sum(a.values()) * sum(b.values()))
    figures_a, figures_b = _figures(a), _figures(b)
    if figures_a and figures_b and not figures_a & figures_b:
        score *= CONFLICT
    return score


def is_same_story(a: dict[str, float], b: dict[str, float]) -> bool:
    return similarity(a, b) >= THRESHOLD


def _key(kind: str, value: str) -> int:
    digest = hashlib.blake2b(f"xl:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def week_of(day: dt.date) -> int:
    return day.toordinal() // 7


def band_keys(
    found: dict[str, float], day: dt.date, weeks: Iterable[int] | None = None
) -> list[int]:
    """Keys of the rarer features, in the week bucket(s) given (the day's own by default)."""
    strong = sorted(
        (k for k in found if k.split(":", 1)[0] in KEY_KINDS), key=lambda k: (-found[k], k)
    )[:MAX_KEYS]
    buckets = list(weeks) if weeks is not None else [week_of(day)]
    return [_key(str(b), k) for b in buckets for k in strong]


def lookup_keys(found: dict[str, float], day: dt.date) -> list[int]:
    week = week_of(day)
    return band_keys(found, day, weeks=(week - 1, week, week + 1))


def alternate_key(url_hash: str) -> int:
    """The key a page's language version is found by (the hash of its normalised address)."""
    return _key("alt", url_hash)
