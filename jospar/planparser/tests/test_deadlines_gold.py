"""Every activity of the three seed plans: the deadline cell gives the gold window and reports."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.model import Lang, Period
from jospar.planparser.tests.seedtools import GOLD, seed_text

_NUMBER = re.compile(r"(\d+)\.")


def _rows_pipe(text: str) -> dict[str, list[str]]:
    """000: one row per line, cells separated by "|"."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        m = _NUMBER.fullmatch(cells[0]) if len(cells) >= 5 else None
        if m:
            rows[m.group(1)] = cells
    return rows


def _rows_tab(text: str) -> dict[str, list[str]]:
    """001 and 003: each cell is a line starting with a TAB; a row starts at a "N." cell."""
    rows: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("\t"):
            continue
        cell = line.strip()
        m = _NUMBER.fullmatch(cell)
        if m:
            current = [cell]
            rows[m.group(1)] = current
        elif current is not None:
            current.append(cell)
    return rows


def _cases() -> list[Any]:
    if not GOLD.exists():
        return []
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    cases = []
    for plan in gold["plans"]:
        text = seed_text(plan["file"])
        pipe = plan["file"].startswith("000_")
        rows = _rows_pipe(text) if pipe else _rows_tab(text)
        period = Period(
            dt.date.fromisoformat(plan["period"]["start"]),
            dt.date.fromisoformat(plan["period"]["end"]),
        )
        for act in plan["activities"]:
            cells = rows[act["number"]]
            if plan["file"].startswith("003_"):
                deadline, other = cells[2], cells[4]
            else:
                deadline, other = cells[4], cells[2]
            case_id = f"{plan['file'][:3]}-{act['number']}"
            cases.append(pytest.param(plan["lang"], period, deadline, other, act, id=case_id))
    return cases


def test_all_seed_activities_are_covered() -> None:
    assert len(_cases()) == 74


@pytest.mark.parametrize(("lang", "period", "deadline", "other", "act"), _cases())
def test_gold(lang: Lang, period: Period, deadline: str, other: str, act: dict[str, Any]) -> None:
    result = parse_deadline(
        deadline, lang=lang, period=period, other_column_text=other, activity=act["number"]
    )
    got = result.to_json()
    assert got["window"] == act["window"], deadline
    assert got["reports"] == act["reports"], deadline
