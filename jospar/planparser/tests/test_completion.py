"""The completion kinds read from a "form of completion" cell, in Kazakh and Russian.

The wordings here are written for these tests (not copied from the seed plans), so that the
rules are held to word stems in other inflections and orders than the seeds print.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jospar.planparser.completion import KINDS, completion_kinds, merge_kinds


@pytest.mark.parametrize(
    ("cell", "kinds"),
    [
        # Russian
        ("приказом Министра культуры", ["act"]),
        ("утверждение правил приказом МИО", ["act"]),
        ("постановления акиматов областей", ["act"]),
        ("Указ Президента", ["act"]),
        ("законопроект", ["draft_law"]),
        ("разработка проекта Закона о языках", ["draft_law"]),
        ("проект постановления Правительства", ["draft_law"]),
        ("внесение в Мажилис Парламента", ["draft_law"]),
        ("справка в Администрацию Президента", ["information"]),
        ("доклад в Правительство", ["information"]),
        ("отчёт", ["information"]),
        ("медиаплан", ["information"]),
        ("статьи в республиканских газетах", ["media"]),
        ("видеоролики на телеканалах", ["media"]),
        ("выступления в эфире", ["media"]),
        ("проведение республиканского конкурса", ["event"]),
        ("круглые столы, семинары", ["event"]),
        ("фестиваль молодёжи", ["event"]),
        ("сведения в МИОР; публикации в СМИ", ["information", "media"]),
        ("приказ; проект закона", ["act", "draft_law"]),
        ("методическое пособие", ["other"]),
        ("указание руководства", ["other"]),
        # Kazakh
        ("Мәдениет министрінің бұйрығымен", ["act"]),
        ("облыс әкімдіктерінің қаулылары", ["act"]),
        ("ережелерді бекіту", ["act"]),
        ("Заң жобасын әзірлеу", ["draft_law"]),
        ("Үкімет қаулысының жобасы", ["draft_law"]),
        ("Мәжіліске енгізу", ["draft_law"]),
        ("Парламент Мәжілісіне енгізу", ["draft_law"]),
        ("Үкіметке баяндама", ["information"]),
        ("ПӘ-ге мәліметтер", ["information"]),
        ("республикалық басылымдардағы мақалалар", ["media"]),
        ("БАҚ-та жариялау", ["media"]),
        ("әлеуметтік желілердегі бейнероликтер", ["media"]),
        ("дөңгелек үстелдер, семинарлар", ["event"]),
        ("облыстық байқау", ["event"]),
        ("форум өткізу, ПӘ-ге ақпарат", ["information", "event"]),
        ("интернет-форумдардағы пікірталас", ["media"]),
        ("әдістемелік ұсынымдар", ["other"]),
    ],
)
def test_cell_kinds(cell: str, kinds: list[str]) -> None:
    assert completion_kinds(cell) == kinds


def test_parts_are_read_together_and_inflections_alike() -> None:
    assert completion_kinds(["бұйрық", "БАҚ материалдары"]) == ["act", "media"]
    assert completion_kinds(["ПРИКАЗ МИНИСТРА"]) == completion_kinds(["приказом министра"])
    # A word broken across lines at its hyphen still reads.
    assert completion_kinds("интернет- роликтер") == ["media"]


def test_nothing_to_read_gives_no_kind() -> None:
    assert completion_kinds(None) == []
    assert completion_kinds([]) == []
    assert completion_kinds("") == []
    assert completion_kinds("2016 ж., 10") == []


def test_languages_merge_without_other_beside_a_kind() -> None:
    assert merge_kinds(["information"], ["other"]) == ["information"]
    assert merge_kinds(["media"], ["act", "media"]) == ["act", "media"]
    assert merge_kinds(["other"], []) == ["other"]
    assert merge_kinds([], []) == []


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=300), st.lists(st.text(max_size=60), max_size=5)))
def test_never_raises_and_stays_in_the_vocabulary(cell: object) -> None:
    kinds = completion_kinds(cell)  # type: ignore[arg-type]
    assert all(k in KINDS for k in kinds)
    assert kinds == [k for k in KINDS if k in kinds]
    assert "other" not in kinds or kinds == ["other"]
