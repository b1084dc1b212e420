"""The program reader (`jospar parse-program`) against the contract and its public gold."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.planparser.model import PlanParseError
from jospar.planparser.program import parse_program
from jospar.planparser.program.cli import run_parse_program
from jospar.planparser.tests.programgold import PROGRAM_SEED, program_gold, score
from jospar.planparser.tests.seedtools import seed_bytes, seed_file


def _parsed() -> dict[str, object]:
    return parse_program(seed_bytes(PROGRAM_SEED), filename=PROGRAM_SEED).to_json()


def test_seed_program_reproduces_the_gold() -> None:
    result = score(_parsed())
    print(
        f"program gold: {result.matched}/{result.gold} facts matched "
        f"(recall {result.recall:.1%}, precision {result.precision:.1%})"
    )
    assert result.recall >= 0.95, result.missed[:20]
    assert result.precision >= 0.95, result.extra[:20]


def test_the_score_falls_when_the_tree_is_wrong() -> None:
    """The scorer is not lenient: a dropped event, a wrong target and an invented code count."""
    tree = _parsed()
    broken = copy.deepcopy(tree)
    sp = broken["subprograms"][0]  # type: ignore[index]
    bp = sp["base_projects"][0]
    bp["key_events"].pop()
    bp["outcome_indicators"][0]["target"] = None
    bp["co_executors"].append("ЖОҚ")
    before, after = score(tree), score(broken)
    assert after.matched <= before.matched - 3
    assert after.precision < before.precision


def test_required_warnings_are_on_their_nodes() -> None:
    tree = parse_program(seed_bytes(PROGRAM_SEED))
    mismatches = {
        (bp.name, bp.printed_number)
        for sp in tree.subprograms
        for bp in sp.base_projects
        if any(w.code == "printed_number_mismatch" for w in bp.warnings)
    }
    assert mismatches == {
        ("Азаматтық бастамалар картасы", "0."),
        ("Азаматтық бақылау", "0."),
        ("Жомарт жүрек", "0."),
        ("Туған өлке мәдениеті", "1."),
    }


def test_tree_shape_of_the_seed() -> None:
    tree = parse_program(seed_bytes(PROGRAM_SEED))
    gold = program_gold()
    assert [sp.name for sp in tree.subprograms] == [sp["name"] for sp in gold["subprograms"]]
    assert [len(sp.base_projects) for sp in tree.subprograms] == [3, 3, 4, 0]
    assert [d.name for d in tree.subprograms[3].directions] == [
        d["name"] for d in gold["subprograms"][3]["directions"]
    ]
    # Line 110 and 274 are co-executor headings printed as list items, not events.
    assert len(tree.subprograms[0].base_projects[2].key_events) == 5
    assert len(tree.subprograms[2].base_projects[2].key_events) == 8
    # The closing parts are kept, not made nodes.
    headings = [s.heading for s in tree.other_sections]
    assert "ЖОБАЛЫҚ ТАПСЫРМА" in headings
    assert "Қосымша 2" in headings


RUSSIAN_PROGRAM = """ПРОГРАММА «ТУГАН ЖЕР»

Программа реализуется в два этапа. На первом этапе (2018-2020 годы) создаются механизмы, на втором
этапе (2021-2025 годы) они развиваются.
1) «Малая родина» – поддержка инициатив жителей сёл;
2) «Новая культура» – развитие культуры
в регионах;

ПОДПРОГРАММА «МАЛАЯ РОДИНА»
Подпрограмма направлена на поддержку сёл.
Цель подпрограммы: вовлечение жителей в развитие сёл.
Целевые индикаторы:
1) доля жителей, участвующих в проектах, к 2020 году – 30%;
2) снижение числа заброшенных объектов;
Методы измерения: социологические опросы, статистика
Базовые проекты:
1. «Меценаты села»;
2. «Чистое село».
1. Базовый проект «Меценаты села»
Проект привлекает меценатов.
Цели:
1) привлечение меценатов;
2) поддержка земляков.
Показатели результатов:
1) количество проектов с участием меценатов, не менее 100 единиц;
2) увеличение объёма пожертвований
в сельские школы.
Ключевые события:
- форум меценатов до 1 декабря 2019 года;
- ежегодная премия меценатам.
Соисполнители: МКС, МФ, МИО, НПО
3. Базовый проект «Чистое село»
Задачи: уборка территорий, посадка деревьев.
Показатели результатов:
- количество очищенных сёл.
Соисполнители: МЭ, МИО.

ПОДПРОГРАММА «НОВАЯ КУЛЬТУРА»
Цель: развитие культуры в регионах.
Финансирование:
Средства местных бюджетов.
"""


def test_russian_program_is_read_by_the_same_rules() -> None:
    tree = parse_program(RUSSIAN_PROGRAM)
    assert tree.lang == "ru"
    assert [(s.name, s.start_year, s.end_year) for s in tree.stages] == [
        ("первом этапе", 2018, 2020),
        ("втором этапе", 2021, 2025),
    ]
    small, culture = tree.subprograms
    assert small.name == "МАЛАЯ РОДИНА"
    assert small.summary == "поддержка инициатив жителей сёл"
    assert culture.summary == "развитие культуры в регионах"
    assert small.purpose == "вовлечение жителей в развитие сёл."
    assert culture.purpose == "развитие культуры в регионах."
    share, ruins = small.target_indicators
    assert share.target is not None
    assert (
        share.target.value,
        share.target.unit,
        share.target.year,
    ) == (30, "%", 2020)
    assert ruins.direction == "decrease"
    assert ruins.kind == "target"
    assert small.methods == ["социологические опросы", "статистика"]
    patrons, clean = small.base_projects
    assert patrons.goals == ["привлечение меценатов", "поддержка земляков"]
    assert [i.text for i in patrons.outcome_indicators] == [
        "количество проектов с участием меценатов, не менее 100 единиц",
        "увеличение объёма пожертвований в сельские школы",
    ]
    assert patrons.outcome_indicators[1].direction == "increase"
    assert [e.deadline_text for e in patrons.key_events] == ["до 1 декабря 2019 года", None]
    assert patrons.co_executors == ["МКС", "МФ", "МИО", "НПО"]
    assert clean.tasks == ["уборка территорий, посадка деревьев"]
    assert [w.code for w in clean.warnings] == ["printed_number_mismatch"]
    assert [s.heading for s in culture.other_sections] == ["Финансирование"]


def test_listed_and_sections_are_a_union_with_warnings() -> None:
    text = RUSSIAN_PROGRAM.replace("2. «Чистое село».", "2. «Чистое село»;\n3. «Без раздела».")
    tree = parse_program(
        text.replace("3. Базовый проект «Чистое село»", "2. Базовый проект «Другое»")
    )
    names = [bp.name for bp in tree.subprograms[0].base_projects]
    assert names == ["Меценаты села", "Другое", "Чистое село", "Без раздела"]
    codes = {bp.name: [w.code for w in bp.warnings] for bp in tree.subprograms[0].base_projects}
    assert "section_not_listed" in codes["Другое"]
    assert "listed_without_section" in codes["Без раздела"]


def test_a_plan_is_not_a_program_but_is_not_refused() -> None:
    tree = parse_program(seed_bytes("001_995ec698e315c512.txt"))
    assert tree.subprograms == []


def test_bad_input_is_refused_with_a_code() -> None:
    with pytest.raises(PlanParseError) as exc:
        parse_program(b"\x00\x01binary")
    assert exc.value.code == "binary_input"
    with pytest.raises(PlanParseError):
        parse_program(b"   \n  ")


def test_cli_prints_the_tree(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_parse_program([str(seed_file(PROGRAM_SEED))], out, err) == 0
    data = json.loads(out.getvalue())
    assert data["lang"] == "kk"
    assert len(data["subprograms"]) == 4
    out, err = io.StringIO(), io.StringIO()
    assert run_parse_program([str(tmp_path / "missing.txt")], out, err) == 2
    assert json.loads(err.getvalue())["code"] == "file_not_found"


_SEED_LINES = seed_bytes(PROGRAM_SEED).decode("utf-8").split("\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_SEED_LINES),
            st.text(
                alphabet=st.sampled_from("«»:;.,-–·1)0 \tабвӘҚқ\nПодпрограммаКІШІ БАҒДАРЛАМАСЫ"),
                max_size=60,
            ),
        ),
        max_size=80,
    )
)
def test_never_raises_on_mutated_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    if not text.strip():
        return
    tree = parse_program(text)
    json.dumps(tree.to_json(), ensure_ascii=False)


@settings(max_examples=20, deadline=None)
@given(st.randoms(use_true_random=False))
def test_never_raises_on_shuffled_seed(rnd: object) -> None:
    lines = list(_SEED_LINES)
    rnd.shuffle(lines)  # type: ignore[attr-defined]
    tree = parse_program("\n".join(lines))
    json.dumps(tree.to_json(), ensure_ascii=False)
