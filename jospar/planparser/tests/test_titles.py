"""A plan's title is read from its own heading lines, never taken from the file's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from jospar.planparser import parse_plan
from jospar.planparser.document import find_title
from jospar.planparser.tests.seedtools import PLAN_SEEDS, seed_bytes

DEMO_SEEDS = sorted((Path(__file__).resolve().parents[2] / "plans" / "demo_seeds").glob("*.txt"))

# Each seed's title as a person reads it from its heading (or, where the heading is cut, its
# approving clause).
TITLES = {
    "000_cd8375e37760b29f.txt": (
        "«Болашағы Біртұтас Ел» жалпыұлттық ақпараттық науқанының ІС-ШАРАЛАР ЖОСПАРЫ"
    ),
    "001_995ec698e315c512.txt": (
        "ПЛАН МЕРОПРИЯТИЙ общенациональной информационной кампании «Нация Единого Будущего»"
    ),
    "003_a9a4330e1c30fd6a.txt": (
        "2015-2016 жылдарға арналған мемлекеттік рәміздерді, елді мекендердің, қалалардың,"
        " аудандардың, Астана және Алматы қалалары мен облыстардың нышандарын қолдану мен"
        " ілгерілету жүйесін жаңғырту жөніндегі жоспар"
    ),
}


@pytest.mark.parametrize("name", PLAN_SEEDS)
def test_every_seed_plan_has_its_title(name: str) -> None:
    parsed = parse_plan(seed_bytes(name), filename=name)
    assert parsed.title == TITLES[name]
    assert Path(name).stem not in parsed.title


@pytest.mark.parametrize("path", DEMO_SEEDS, ids=lambda p: p.name)
def test_every_demo_seed_has_a_title_from_its_text(path: Path) -> None:
    parsed = parse_plan(path.read_bytes(), filename=path.name)
    assert parsed.title == TITLES[path.name]


@pytest.mark.parametrize(
    ("preamble", "title"),
    [
        (
            "УТВЕРЖДЕН\nраспоряжением Президента\nот 1 марта 2016 года № 5\n\n"
            "План мероприятий\nпо развитию государственного языка\nна 2016-2018 годы\n",
            "План мероприятий по развитию государственного языка на 2016-2018 годы",
        ),
        (
            "Қазақстан Республикасы Президентінің\n2016 жылғы 1 наурыздағы № 5 өкімімен\n"
            "БЕКІТІЛДІ\n\nМемлекеттік тілді дамыту жөніндегі\n2016-2018 жылдарға арналған\n"
            "іс-шаралар жоспары\n",
            "Мемлекеттік тілді дамыту жөніндегі 2016-2018 жылдарға арналған іс-шаралар жоспары",
        ),
        (
            "Мемлекеттік тілді дамыту жөніндегі 2016-2018 жылдарға арналған\nІС-ШАРАЛАР\nЖОСПАРЫ\n",
            "Мемлекеттік тілді дамыту жөніндегі 2016-2018 жылдарға арналған ІС-ШАРАЛАР ЖОСПАРЫ",
        ),
        ("ПЛАН\nМЕРОПРИЯТИЙ\nпо развитию туризма\n", "ПЛАН МЕРОПРИЯТИЙ по развитию туризма"),
    ],
)
def test_headings_split_over_lines_are_joined(preamble: str, title: str) -> None:
    assert find_title(preamble, "upload-2016.txt") == title


def test_the_file_name_is_the_last_resort() -> None:
    assert find_title("Какой-то текст без заголовка.\n", "upload-2016.txt") == "upload-2016"
