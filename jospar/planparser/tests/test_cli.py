"""`jospar parse-plan`: one JSON object on stdout, or the error shape on stderr with exit 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from jospar.planparser.cli import run_parse_plan
from jospar.planparser.tests.seedtools import PLAN_SEEDS, gold, seed_file

PLAN = (
    "ПЛАН МЕРОПРИЯТИЙ\n\n"
    "№ | Наименование | Ответственные исполнители | Срок\n"
    "1. | Провести семинар | МФ, МНЭ (свод) | до 1 марта 2016 года\n"
    "2. | Подготовить доклад | МЮ | постоянно\n"
    "3. | Обновить сайт | МФ | ежеквартально\n"
)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_parse_plan(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def test_prints_the_plan_as_one_json_object() -> None:
    code, out, err = run([str(seed_file(PLAN_SEEDS[1]))])
    assert code == 0
    assert err == ""
    data = json.loads(out)
    assert {"lang", "title", "period", "glossary", "activities", "warnings"} <= set(data)
    assert data["period"] == gold()[PLAN_SEEDS[1]]["period"]
    assert data["activities"][0]["executors"][0] == {
        "code": "МКС",
        "name": "Министерство культуры и спорта Республики Казахстан",
        "lead": False,
        "by_agreement": False,
        "role": None,
    }
    assert "Нация Единого Будущего" in out  # not \\u-escaped
    assert out.startswith("{\n  ")


def test_period_and_language_options(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    code, out, _ = run([str(path)])
    data = json.loads(out)
    assert code == 0
    assert data["period"] == {"start": None, "end": None}
    assert [w["code"] for w in data["warnings"]] == ["no_plan_period"]
    code, out, _ = run([str(path), "--lang", "kk", "--period", "2016-01-01", "2016-12-31"])
    data = json.loads(out)
    assert data["lang"] == "kk"
    assert data["period"] == {"start": "2016-01-01", "end": "2016-12-31"}
    assert data["warnings"] == []
    assert data["activities"][1]["window"] == {"start": "2016-01-01", "end": "2016-12-31"}


def _error(err: str) -> dict[str, object]:
    payload = json.loads(err)
    assert set(payload) == {"code", "message", "fields"}
    return dict(payload)


def test_missing_file(tmp_path: Path) -> None:
    code, out, err = run([str(tmp_path / "nope.txt")])
    assert code == 2
    assert out == ""
    assert _error(err)["code"] == "file_not_found"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "empty_input"),
        (b"\x00\x01\x02binary", "binary_input"),
        ("Просто текст без таблицы.".encode(), "not_a_plan"),
    ],
)
def test_refused_files(tmp_path: Path, content: bytes, error: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    code, out, err = run([str(path)])
    assert code == 2
    assert out == ""
    payload = _error(err)
    assert payload["code"] == error
    assert payload["fields"] == {"file": [payload["message"]]}


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["a.txt", "--lang", "en"],
        ["a.txt", "--period", "2016-13-01", "2016-12-31"],
        ["a.txt", "--period", "2017-01-01", "2016-12-31"],
        ["a.txt", "--period", "2016-01-01"],
    ],
)
def test_bad_arguments(argv: list[str]) -> None:
    code, out, err = run(argv)
    assert code == 2
    assert out == ""
    assert _error(err)["code"] == "bad_arguments"


def test_help() -> None:
    code, out, _ = run(["--help"])
    assert code == 0
    assert "--period" in out
