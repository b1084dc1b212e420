"""`jospar parse-deadlines`: JSON lines in, one JSON line out per non-blank input line."""

from __future__ import annotations

import io
import json
from typing import Any

from jospar.planparser.deadlines_cli import run_parse_deadlines

PERIOD = {"start": "2015-11-01", "end": "2016-12-31"}


def run(*lines: str) -> tuple[int, list[dict[str, Any]], str]:
    out = io.StringIO()
    code = run_parse_deadlines(io.StringIO("".join(line + "\n" for line in lines)), out)
    raw = out.getvalue()
    return code, [json.loads(line) for line in raw.splitlines()], raw


def line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_good_lines_answer_in_order() -> None:
    code, answers, raw = run(
        line(deadline_text="до 16 ноября 2015 года", lang="ru", period=PERIOD),
        line(
            deadline_text="2016 жылдың бірінші жартыжылдығы",
            lang="kk",
            period={"start": "2015-01-01", "end": "2016-12-31"},
            other_column_text="2016 ж., 10-шы шілдеге, ПӘ-ге ақпарат",
        ),
        line(deadline_text="тұрақты", lang="kk", period=PERIOD, other_column_text=None),
    )
    assert code == 0
    assert answers == [
        {
            "window": {"start": "2015-11-01", "end": "2015-11-16"},
            "reports": ["2015-11-16"],
            "warnings": [],
        },
        {
            "window": {"start": "2016-01-01", "end": "2016-06-30"},
            "reports": ["2016-07-10"],
            "warnings": [],
        },
        {"window": PERIOD, "reports": [], "warnings": []},
    ]
    assert "\\u" not in raw  # ensure_ascii=False: Cyrillic stays readable


def test_a_bad_json_line_between_good_ones_gets_an_error_and_the_rest_run() -> None:
    good = line(deadline_text="к 20 декабря 2016 года", lang="ru", period=PERIOD)
    code, answers, _ = run(good, "{not json", good)
    assert code == 0
    assert len(answers) == 3
    assert answers[0] == answers[2]
    assert answers[0]["reports"] == ["2016-12-20"]
    assert set(answers[1]) == {"error"}
    assert answers[1]["error"]


def test_missing_and_bad_fields_get_errors() -> None:
    bad_lines = [
        line(lang="ru", period=PERIOD),
        line(deadline_text=5, lang="ru", period=PERIOD),
        line(deadline_text="2016 год", period=PERIOD),
        line(deadline_text="2016 год", lang="en", period=PERIOD),
        line(deadline_text="2016 год", lang="ru"),
        line(deadline_text="2016 год", lang="ru", period="2016"),
        line(deadline_text="2016 год", lang="ru", period={"start": "2016-13-01", "end": None}),
        line(deadline_text="2016 год", lang="ru", period={"start": 2016, "end": None}),
        line(deadline_text="2016 год", lang="ru", period=PERIOD, other_column_text=["x"]),
        "[1, 2, 3]",
        '"just a string"',
        "null",
    ]
    code, answers, _ = run(*bad_lines)
    assert code == 0
    assert len(answers) == len(bad_lines)
    for answer in answers:
        assert list(answer) == ["error"]


def test_unknown_plan_ends_and_absent_other_column() -> None:
    _, answers, _ = run(
        line(deadline_text="ежеквартально", lang="ru", period={"start": None, "end": None})
    )
    assert answers[0]["window"] == {"start": None, "end": None}
    assert answers[0]["reports"] == []
    assert [w["code"] for w in answers[0]["warnings"]] == ["deadline_no_plan_period"]


def test_activity_goes_into_warnings() -> None:
    _, answers, _ = run(
        line(deadline_text="согласно плану", lang="ru", period=PERIOD, activity="12")
    )
    assert answers[0]["warnings"][0]["activity"] == "12"
    assert answers[0]["warnings"][0]["code"] == "deadline_event_relative"


def test_blank_lines_are_skipped() -> None:
    good = line(deadline_text="2016 год", lang="ru", period=PERIOD)
    code, answers, _ = run("", good, "   ", "\t", good, "")
    assert code == 0
    assert len(answers) == 2


def test_empty_input() -> None:
    assert run() == (0, [], "")


def test_windows_line_endings_and_odd_text() -> None:
    text = line(deadline_text="к 1 марта 2016 года\r\n\x00", lang="ru", period=PERIOD) + "\r"
    _, answers, _ = run(text)
    assert answers[0]["reports"] == ["2016-03-01"]
