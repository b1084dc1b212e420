"""Columns are found by what they hold: the seed tables with their columns reordered."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from jospar.planparser import parse_plan
from jospar.planparser.columns import align_row, assign_columns, cell_scores, header_role
from jospar.planparser.tests.seedtools import (
    PLAN_SEEDS,
    as_pipe_text,
    as_tab_text,
    gold_mismatches,
    pipe_table,
    seed_text,
    tab_table,
)


def _orders(width: int, seed: int, count: int) -> list[list[int]]:
    rnd = random.Random(seed)
    fixed = [list(reversed(range(width))), [1, 0, *range(2, width)]]
    out = list(fixed)
    while len(out) < len(fixed) + count:
        o = list(range(width))
        rnd.shuffle(o)
        if o not in out:
            out.append(o)
    return out


ORDERS_7 = _orders(7, 3, 4)
ORDERS_5 = _orders(5, 5, 3)


@pytest.mark.parametrize("order", ORDERS_7, ids=lambda o: "".join(map(str, o)))
def test_kazakh_seven_columns_in_any_order(order: list[int]) -> None:
    text = as_tab_text(tab_table(seed_text(PLAN_SEEDS[2])), order)
    plan = parse_plan(text)
    assert gold_mismatches(plan, PLAN_SEEDS[2]) == []
    acts = {a.number: a for a in plan.activities}
    assert acts["2"].controller == ["ІСБ", "МҚБ"]
    assert acts["1"].financing == "қаржыландыру талап етілмейді"
    assert acts["1"].source_cells[order.index(0)] == "1."


@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("order", ORDERS_5, ids=lambda o: "".join(map(str, o)))
def test_russian_columns_in_any_order(order: list[int], header: bool) -> None:
    text = as_tab_text(tab_table(seed_text(PLAN_SEEDS[1])), order, header=header)
    plan = parse_plan(text)
    assert gold_mismatches(plan, PLAN_SEEDS[1]) == []
    assert plan.activities[0].completion_form == ["брендбук", "информация в АП"]
    assert plan.activities[10].section == (
        "II. РЕАЛИЗАЦИОННЫЙ ПЕРИОД (ноябрь 2015 года - декабрь 2016 года)"
    )


@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("order", ORDERS_5, ids=lambda o: "".join(map(str, o)))
def test_pipe_table_columns_in_any_order(order: list[int], header: bool) -> None:
    text = as_pipe_text(pipe_table(seed_text(PLAN_SEEDS[0])), order, header=header)
    plan = parse_plan(text)
    assert gold_mismatches(plan, PLAN_SEEDS[0]) == []


def test_header_decides_between_look_alike_columns() -> None:
    # Without a header, two columns of codes are told apart by their variety; with the header
    # reversed the header wins, as a person reading the table would.
    table = tab_table(seed_text(PLAN_SEEDS[1]))
    assert table.header is not None
    text = as_tab_text(table)
    assert "Ответственные" in text
    plan = parse_plan(text)
    assert plan.activities[0].executors[0].code == "МКС"


def test_row_with_a_missing_cell_is_aligned_by_content() -> None:
    table = tab_table(seed_text(PLAN_SEEDS[2]))
    rows = table.rows
    del rows[4][4]  # activity 5 loses its completion cell
    plan = parse_plan(as_tab_text(table))
    fifth = plan.activities[4]
    assert fifth.number == "5"
    assert [e.code for e in fifth.executors] == ["МСМ", "akimats"]
    assert fifth.deadline_text == "2016 ж., 1-ші наурызға"
    assert fifth.controller == ["ІСБ"]
    assert fifth.completion_form == []
    assert any(w.code == "row_layout" for w in fifth.warnings)
    assert gold_mismatches(plan, PLAN_SEEDS[2]) == []


# --- units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("№\nп/п", "number"),
        ("Наименование мероприятия", "title"),
        ("Іс-шараның атауы", "title"),
        ("Форма завершения", "completion"),
        ("Аяқталу нысаны", "completion"),
        ("Ответственные исполнители", "executors"),
        ("Жауапты орындаушылар", "executors"),
        ("Сроки исполнения", "deadline"),
        ("Орындалу мерзімдері", "deadline"),
        ("Предполагаемые расходы (млн. тенге)", "financing"),
        ("Источники финансирования", "financing"),
        ("Болжамды шығыстар", "financing"),
        ("Ответственный за контроль", "controller"),
        ("Бақылауға жауапты", "controller"),
        ("Примечание", None),
    ],
)
def test_header_words(text: str, role: str | None) -> None:
    assert header_role(text) == role


def test_cell_scores_tell_deadline_completion_and_financing_apart() -> None:
    assert max(cell_scores("2016 ж., І тоқсан").items(), key=lambda kv: kv[1])[0] == "deadline"
    assert max(cell_scores("бұйрық; ПӘ-ге ақпарат").items(), key=lambda kv: kv[1])[0] == (
        "completion"
    )
    assert max(cell_scores("не требуется").items(), key=lambda kv: kv[1])[0] == "financing"
    assert max(cell_scores("МФ, МНЭ (свод)").items(), key=lambda kv: kv[1])[0] == "executors"
    assert max(cell_scores("12.").items(), key=lambda kv: kv[1])[0] == "number"


def test_assign_columns_without_header() -> None:
    rows = [
        [
            "Провести семинар для акиматов",
            "1.",
            "до 1 марта 2016 года",
            "МФ, МНЭ (свод)",
            "информация в АП",
            "не требуется",
        ],
        [
            "Разработать методику оценки",
            "2.",
            "ежеквартально",
            "МЮ, акиматы областей",
            "приказ; информация в АП",
            "в пределах выделенных средств",
        ],
        [
            "Обеспечить мониторинг",
            "3.",
            "в течение 2016 года",
            "МФ (по согласованию)",
            "отчет в Правительство",
            "республиканский бюджет",
        ],
    ]
    cmap = assign_columns(rows)
    assert cmap.roles == ["title", "number", "deadline", "executors", "completion", "financing"]
    assert align_row(["Провести", "4.", "МФ", "не требуется"], cmap) == [0, 1, 3, 5]


def test_pipe_table_without_header_keeps_its_first_section() -> None:
    text = as_pipe_text(pipe_table(seed_text(PLAN_SEEDS[0])), header=False)
    plan = parse_plan(text)
    assert plan.activities[0].section == "ДАЙЫНДЫҚ КЕЗЕҢІ(2015 жылғы қараша)"
    assert plan.activities[27].section is not None
    assert plan.activities[27].section.startswith("ІІ. ІСКЕ АСЫРУ")


@pytest.mark.parametrize(
    ("costs", "sources"),
    [("-", "не требуются"), ("не требуются", "-"), ("100,0", "республиканский бюджет")],
)
def test_two_financing_columns_keep_their_printed_order(costs: str, sources: str) -> None:
    # "Предполагаемые расходы" then "Источники финансирования": one financing text, the two
    # cells joined in the order the plan prints them, whichever column scores higher.
    table = tab_table(seed_text(PLAN_SEEDS[1]))
    assert table.header is not None
    table = replace(
        table,
        header=[*table.header, "Предполагаемые расходы (млн. тенге)", "Источники финансирования"],
        items=[i if isinstance(i, str) else [*i, costs, sources] for i in table.items],
    )
    plan = parse_plan(as_tab_text(table))
    assert gold_mismatches(plan, PLAN_SEEDS[1]) == []
    assert {a.financing for a in plan.activities} == {f"{costs}; {sources}"}
    reordered = as_tab_text(table, [0, 1, 2, 3, 4, 6, 5])
    plan = parse_plan(reordered)
    assert {a.financing for a in plan.activities} == {f"{sources}; {costs}"}
