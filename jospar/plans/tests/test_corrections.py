"""``apply_correction``: pure Python, no database."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import pytest

from jospar.planparser import parse_plan
from jospar.planparser.corrections import (
    CORRECTED_KEY,
    FIELDS,
    CorrectionError,
    apply_correction,
    apply_corrections,
    cell_text,
)
from jospar.plans.tests.conftest import seed


@cache
def _parsed(prefix: str) -> dict[str, Any]:
    path = seed(prefix)
    return parse_plan(path.read_bytes(), filename=path.name).to_json()


def plan(prefix: str = "003") -> dict[str, Any]:
    return copy.deepcopy(_parsed(prefix))


def activity(data: dict[str, Any], number: str) -> dict[str, Any]:
    return next(a for a in data["activities"] if a["number"] == number)


def test_source_cells_are_part_of_the_parse() -> None:
    cells = activity(plan(), "4")["source_cells"]
    assert "2016 ж., 1-ші наурызға дейін" in cells
    assert "МСМ" in cells


def test_deadline_correction_gives_new_window_and_reports() -> None:
    original = plan()
    result = apply_correction(
        original, activity_number="4", field="deadline_text", value="2016 ж.,  15 наурызға"
    )
    item = activity(result, "4")
    assert item["deadline_text"] == "2016 ж., 15 наурызға"
    assert item["window"] == {"start": "2015-01-01", "end": "2016-03-15"}
    assert item["reports"] == ["2016-03-15"]
    assert item[CORRECTED_KEY] == {"deadline_text": "2016 ж., 15 наурызға"}
    # The input is left as it was.
    assert original == plan()


def test_unreadable_deadline_gets_a_warning_that_goes_when_fixed() -> None:
    broken = apply_correction(
        plan(), activity_number="4", field="deadline_text", value="іс-шарадан кейін 15 күн ішінде"
    )
    item = activity(broken, "4")
    assert item["window"] == {"start": None, "end": None}
    assert item["reports"] == []
    assert item["warnings"]
    assert all(w["code"].startswith("deadline_") for w in item["warnings"])
    assert all(w["activity"] == "4" for w in item["warnings"])
    fixed = apply_correction(
        broken, activity_number="4", field="deadline_text", value="2016 ж., 1-ші наурызға дейін"
    )
    assert activity(fixed, "4")["warnings"] == []
    assert activity(fixed, "4")["reports"] == ["2016-03-01"]


def test_completion_form_is_split_and_its_dates_give_the_reports() -> None:
    data = plan()
    # Activity 6: the completion column says when to report (10 July), rule 6.
    assert activity(data, "6")["reports"] == ["2016-07-10"]
    result = apply_correction(
        data, activity_number="6", field="completion_form", value="ПӘ-ге ақпарат ; хаттама;"
    )
    item = activity(result, "6")
    assert item["completion_form"] == ["ПӘ-ге ақпарат", "хаттама"]
    # Without dates there, the half-year's last day is the report date (rule 3).
    assert item["reports"] == ["2016-06-30"]
    back = apply_correction(
        result,
        activity_number="6",
        field="completion_form",
        value="2016 ж., 20-шы тамызға, ПӘ-ге ақпарат",
    )
    assert activity(back, "6")["reports"] == ["2016-08-20"]


def test_deadline_correction_still_reads_dates_from_the_completion_cell() -> None:
    result = apply_correction(
        plan(), activity_number="6", field="deadline_text", value="2016 жылдың екінші жартыжылдығы"
    )
    item = activity(result, "6")
    assert item["window"] == {"start": "2016-07-01", "end": "2016-12-31"}
    assert item["reports"] == ["2016-07-10"]


def test_executors_are_read_again_with_the_plans_glossary() -> None:
    result = apply_correction(
        plan(), activity_number="5", field="executors", value="БҒМ (жинақтау), МСМ - талдау, ЖАО"
    )
    executors = activity(result, "5")["executors"]
    assert [e["code"] for e in executors] == ["БҒМ", "МСМ", "akimats"]
    assert executors[0]["lead"] is True
    assert executors[1]["role"] == "талдау"
    assert executors[0]["name"] == "Қазақстан Республикасы Білім және ғылым министрлігі"


def test_executor_warnings_follow_the_corrected_cell() -> None:
    data = plan("000")
    item = activity(data, "1")
    assert [w["code"] for w in item["warnings"]] == ["executors_repaired"]
    result = apply_correction(
        data,
        activity_number="1",
        field="executors",
        value="МСМ, БҒМ, ДСӘДМ, «Қоғамдық келісім» РММ, ОКҚ (келісім бойынша), ИДМ",
    )
    assert activity(result, "1")["warnings"] == []
    assert [e["code"] for e in activity(result, "1")["executors"]] == [
        e["code"] for e in item["executors"]
    ]
    garbled = apply_correction(
        result, activity_number="1", field="executors", value="МСМ, БҒМ ОКҚ (келісім бойынша)"
    )
    codes = [w["code"] for w in activity(garbled, "1")["warnings"]]
    assert codes
    assert all(code.startswith("executors_") for code in codes)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "  Жаңа   атауы ", "Жаңа атауы"),
        ("section", "3. ЖАҢА БӨЛІМ", "3. ЖАҢА БӨЛІМ"),
        ("section", "", None),
        ("financing", "республикалық бюджет", "республикалық бюджет"),
        ("financing", " ", None),
        ("controller", "ІСБ, МҚБ ,", ["ІСБ", "МҚБ"]),
        ("controller", "", None),
    ],
)
def test_plain_fields(field: str, value: str, expected: Any) -> None:
    result = apply_correction(plan(), activity_number="3", field=field, value=value)
    assert activity(result, "3")[field] == expected


def test_number_correction_renames_the_activity_and_its_warnings() -> None:
    data = apply_correction(
        plan(), activity_number="4", field="deadline_text", value="түсініксіз мәтін"
    )
    result = apply_correction(data, activity_number="4", field="number", value="4-1")
    item = activity(result, "4-1")
    assert all(w["activity"] == "4-1" for w in item["warnings"])
    assert not any(a["number"] == "4" for a in result["activities"])


@pytest.mark.parametrize(
    ("number", "field", "value", "code"),
    [
        ("4", "colour", "x", "unknown_field"),
        ("4", "window", "2016-01-01", "unknown_field"),
        ("404", "title", "x", "unknown_activity"),
        ("4", "title", " ", "empty_value"),
        ("4", "number", "", "empty_value"),
        ("4", "number", "5", "number_taken"),
        ("4", "executors", "  ", "empty_value"),
        ("4", "executors", "— , ;", "no_executors"),
        ("4", "title", "x" * 10_001, "value_too_long"),
    ],
)
def test_refusals(number: str, field: str, value: str, code: str) -> None:
    original = plan()
    with pytest.raises(CorrectionError) as caught:
        apply_correction(original, activity_number=number, field=field, value=value)
    assert caught.value.code == code
    assert original == plan()


def test_replaying_corrections_is_deterministic() -> None:
    corrections = [
        {"activity": "4", "field": "deadline_text", "value": "2016 ж., 15 наурызға"},
        {"activity": "5", "field": "executors", "value": "МСМ (жинақтау), ЖАО"},
        {"activity": "2", "field": "number", "value": "2а"},
        {"activity": "2а", "field": "completion_form", "value": "заң жобасы"},
    ]
    once = apply_corrections(plan(), corrections)
    twice = apply_corrections(plan(), corrections)
    assert once == twice
    step = plan()
    for c in corrections:
        step = apply_correction(
            step, activity_number=c["activity"], field=c["field"], value=c["value"]
        )
    assert step == once


def test_cell_text_starts_from_the_cell_as_printed() -> None:
    data = plan()
    assert cell_text(data, activity_number="5", field="executors") == "МСМ, ЖАО"
    assert cell_text(data, activity_number="6", field="completion_form") == (
        "2016 ж., 10-шы шілдеге, ПӘ-ге ақпарат"
    )
    assert cell_text(data, activity_number="2", field="controller") == "ІСБ, МҚБ"
    corrected = apply_correction(data, activity_number="5", field="executors", value="МСМ,  ЖАО")
    assert cell_text(corrected, activity_number="5", field="executors") == "МСМ, ЖАО"
    for field in FIELDS:
        assert isinstance(cell_text(data, activity_number="1", field=field), str)
