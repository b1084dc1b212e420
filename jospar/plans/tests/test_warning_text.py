"""The parser's warnings, read from the parser itself, in the reader's language.

The warnings are produced by the real parser functions here, so that a change of the parser's
wording that the translation no longer recognises fails a test instead of showing English.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from jospar.planparser import parse_plan
from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.executors import parse_executors
from jospar.planparser.model import Period
from jospar.plans import warning_text as wt
from jospar.plans.warning_text import KNOWN_CODES, warning_text

PLANPARSER = Path(wt.__file__).resolve().parents[1] / "planparser"
PLAN = Period(dt.date(2021, 1, 1), dt.date(2023, 12, 31))
NO_PLAN = Period(None, None)
GLOSSARY = {"МФ": "Министерство финансов", "МНЭ": "Министерство национальной экономики"}
# The sentences used when a warning's detail is not recognised: a test must not end there.
GENERIC = {
    str(wt._EXECUTORS_REPAIRED_OTHER),
    str(wt._ROW_OTHER),
    str(wt._COLUMN_MISSING_OTHER),
}


def _codes_in_the_parser() -> set[str]:
    """Every warning code the parser's sources name (the same search as the contract's grep)."""
    found: set[str] = set()
    pattern = re.compile(
        r'code="([a-z_]+)"|"((?:deadline|executors|row|title|column|no_plan)_[a-z_]+)"'
    )
    for path in PLANPARSER.glob("*.py"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    # Field names that the same search finds; they are not warnings.
    return found - {"deadline_text"}


def _deadline(text: str, period: Period = PLAN, other: str | None = None) -> list[dict[str, Any]]:
    result = parse_deadline(text, lang="ru", period=period, other_column_text=other, activity="7")
    return [w.to_json() for w in result.warnings]


def _executors(cell: str) -> list[dict[str, Any]]:
    _, warnings = parse_executors(cell, lang="ru", glossary=GLOSSARY, activity="3")
    return [w.to_json() for w in warnings]


def _translated(warning: dict[str, Any]) -> tuple[str, str, str]:
    texts = []
    for lang in ("en", "kk", "ru"):
        with translation.override(lang):
            texts.append(warning_text(warning))
    return texts[0], texts[1], texts[2]


def _check(warnings: list[dict[str, Any]], code: str) -> dict[str, Any]:
    """The warning of ``code`` is worded by this module, in all three languages."""
    matching = [w for w in warnings if w["code"] == code]
    assert matching, f"the parser raised no {code}: {warnings}"
    for warning in matching:
        english, kazakh, russian = _translated(warning)
        # A warning left in the parser's words would read the same in every language.
        assert english not in GENERIC, warning
        assert kazakh != english, warning
        assert russian != english, warning
        if warning["activity"]:
            for text in (english, kazakh, russian):
                assert warning["activity"] in text, (warning, text)
    return matching[0]


def test_every_code_the_parser_raises_is_worded() -> None:
    codes = _codes_in_the_parser()
    assert len(codes) >= 20  # the search works
    assert codes <= KNOWN_CODES, f"codes without a translated sentence: {codes - KNOWN_CODES}"


@pytest.mark.parametrize(
    ("code", "text", "period"),
    [
        ("deadline_empty", "", PLAN),
        ("deadline_too_long", "x" * 2500, PLAN),
        ("deadline_unreadable", "31 февраля 2022 года", PLAN),
        ("deadline_no_plan_period", "ежемесячно", NO_PLAN),
        ("deadline_event_relative", "после принятия закона", PLAN),
        ("deadline_event_with_date", "после принятия закона, до 1 марта 2022 года", PLAN),
        ("deadline_invalid_date", "31 февраля 2022 года", PLAN),
        ("deadline_recurrence_unsupported", "еженедельно", PLAN),
        ("deadline_partly_read", "15 2022 года", PLAN),
        ("deadline_outside_plan_period", "до 1 марта 2030 года", PLAN),
        ("deadline_year_missing", "1 марта", PLAN),
        ("deadline_no_reports", "ежеквартально, до 1 марта 2021 года", PLAN),
    ],
)
def test_deadline_warnings(code: str, text: str, period: Period) -> None:
    warning = _check(_deadline(text, period), code)
    with translation.override("ru"):
        shown = warning_text(warning)
    if code == "deadline_invalid_date":
        assert "«31 февраля»" in shown
    if code == "deadline_outside_plan_period":
        assert "01.03.2030" in shown
    if code == "deadline_year_missing":
        assert "«1 марта»" in shown


@pytest.mark.parametrize(
    ("cell", "detail"),
    [
        ("МФ МНЭ", "МФ МНЭ"),
        ("МФ (свод", "(свод"),
        ("МФ, , МНЭ", None),
        ("«АО «Хабар, МФ", None),
        ("(МФ, МНЭ", "МФ"),
        ("МФ, МФ", "МФ"),
        ("АО, «Казахтелеком»", "«Казахтелеком»"),
        ("МФ, ))", "))"),
    ],
)
def test_executor_repairs_keep_their_detail(cell: str, detail: str | None) -> None:
    warnings = _executors(cell)
    _check(warnings, "executors_repaired")
    if detail:
        with translation.override("kk"):
            assert any(detail in warning_text(w) for w in warnings), warnings


def test_every_repair_the_executors_reader_words_is_recognised() -> None:
    """Each ``repairs.append(...)`` of the executors' reader matches one of the patterns."""
    source = (PLANPARSER / "executors.py").read_text(encoding="utf-8")
    templates = re.findall(r'repairs\.append\(\s*f?"((?:[^"\\]|\\.)*)"', source)
    assert len(templates) >= 12
    for template in templates:
        # `{what}` is "the mark" or "the role '…'"; every other placeholder is quoted text.
        for what in ("the mark", "the role 'задача'"):
            sample = re.sub(r"\{[^}]*\}", "ABC", template.replace("{what}", what))
            assert any(p.fullmatch(sample) for p, _ in wt._REPAIRS), sample


def test_executors_missing_and_empty() -> None:
    missing = _check(_executors("-МФ-"), "executors_missing")
    with translation.override("ru"):
        assert "«-МФ-»" in warning_text(missing)
    _check(_executors(""), "executors_missing")


def test_plan_level_warnings_and_missing_deadlines() -> None:
    text = (
        "План мероприятий\n\n"
        "| № п/п | Наименование мероприятия | Форма завершения | Ответственные исполнители |\n"
        "| 1 | Провести совещание | Информация в АП | МФ |\n"
        "| 2 | Подготовить доклад | Информация в АП | МНЭ |\n"
    )
    plan = parse_plan(text.encode())
    plan_warnings = [w.to_json() for w in plan.warnings]
    _check(plan_warnings, "column_missing")
    _check(plan_warnings, "no_plan_period")
    _check([w.to_json() for a in plan.activities for w in a.warnings], "deadline_missing")


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        (
            "row_layout",
            "Activity 4: the row has 5 cells where the table has 7; cells were matched to "
            "columns by their content. Please check.",
            "has 5 cells where the table has 7",
        ),
        (
            "row_layout",
            "Activity 4: the number comes from Word's automatic list numbering.",
            "automatic list numbering",
        ),
        ("title_missing", "Activity 4 has no title.", "has no title"),
        (
            "deadline_error",
            "The deadline of activity 4 could not be read (boom): 'до конца года'.",
            "“до конца года”",
        ),
        (
            "deadline_outside_plan_period",
            "A date of the deadline lies outside the plan's period. (a date before the plan "
            "starts)",
            "before the plan starts",
        ),
    ],
)
def test_row_title_and_rare_deadline_warnings(code: str, message: str, expected: str) -> None:
    """Warnings the seeds do not raise, in the parser's own wording (see document.py)."""
    warning = {"code": code, "message": message, "activity": "4"}
    english, kazakh, russian = _translated(warning)
    assert expected in english
    assert "4" in kazakh
    assert kazakh != english
    assert russian != english


def test_an_unknown_code_keeps_the_parser_s_message() -> None:
    warning = {"code": "something_new", "message": "Something new happened.", "activity": "1"}
    with translation.override("kk"):
        assert warning_text(warning) == "Something new happened."
    # An activity-level warning without its activity keeps the parser's words too.
    assert warning_text({"code": "title_missing", "message": "x", "activity": None}) == "x"
    assert warning_text("not a warning") == "not a warning"
