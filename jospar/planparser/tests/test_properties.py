"""Whatever the input, parse_plan returns a plan or refuses it with PlanParseError.

Random text and bytes, and the seed plans damaged the way copied text gets damaged: lines and
cells lost or doubled, characters swapped, garbage inserted.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.planparser import ParsedPlan, PlanParseError, parse_plan
from jospar.planparser.tests.seedtools import (
    GOLD,
    PLAN_SEEDS,
    numbered_cells,
    seed_text,
)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Letters, digits and the punctuation plans are made of, so that garbage looks like plan text.
_ALPHABET = st.sampled_from(
    list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАБВГДЕКМНОПРСТУЦІӘҒҚҢӨҰҮ")
    + list('0123456789.,;:()«»"-–— \t|\n')
    + ["\u00a0", "\x0c"]
)
_SEEDS = {name: seed_text(name) for name in PLAN_SEEDS} if GOLD.exists() else {}


def _parse(data: bytes | str) -> ParsedPlan | None:
    """The plan, or None where it was refused; any other exception fails the test."""
    refused: PlanParseError | None = None
    try:
        return parse_plan(data)
    except PlanParseError as exc:
        refused = exc
    assert refused.code
    assert refused.message
    return None


def _check(plan: ParsedPlan | None, text: str) -> None:
    if plan is None:
        return
    assert len(plan.activities) <= numbered_cells(text)
    for act in plan.activities:
        codes = {w.code for w in act.warnings}
        if not act.executors:
            assert any(c.startswith("executors") for c in codes), act.number
        if not act.deadline_text:
            assert codes, act.number
        if plan.period.start is not None and act.window.start is None and act.window.end is None:
            assert codes, (act.number, act.deadline_text)
        assert act.reports == sorted(act.reports)
        assert act.number
    plan.to_json()


@SETTINGS
@given(st.text(alphabet=_ALPHABET, max_size=3000))
def test_random_text(text: str) -> None:
    _check(_parse(text), text)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    plan = _parse(data)
    if plan is not None:
        assert len(plan.activities) <= numbered_cells(plan.source_text)


@st.composite
def _table_text(draw: st.DrawFn) -> str:
    """A small random table in one of the text layouts, numbered or not."""
    width = draw(st.integers(2, 7))
    rows = draw(
        st.lists(
            st.lists(st.text(_ALPHABET, max_size=40), min_size=width, max_size=width),
            min_size=1,
            max_size=8,
        )
    )
    layout = draw(st.sampled_from(["pipe", "tab"]))
    out: list[str] = []
    for i, row in enumerate(rows, start=1):
        cells = [f"{i}.", *row[1:]] if draw(st.booleans()) else row
        if layout == "pipe":
            out.append(" | ".join(c.replace("\n", " ").replace("|", " ") for c in cells))
        else:
            out.extend("\t" + c for c in cells)
    return "\n".join(out)


@SETTINGS
@given(_table_text())
def test_random_tables(text: str) -> None:
    _check(_parse(text), text)


_OPS = st.sampled_from(["del", "dup", "swap", "garbage", "delcell", "dupcell", "blank"])


@st.composite
def _mutated_seed(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(PLAN_SEEDS))
    lines = _SEEDS[name].split("\n")
    ops = draw(
        st.lists(
            st.tuples(_OPS, st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=12
        )
    )
    for op, a, b in ops:
        if not lines:
            break
        i = a % len(lines)
        line = lines[i]
        if op == "del":
            del lines[i]
        elif op == "dup":
            lines.insert(i, line)
        elif op == "blank":
            lines.insert(i, "")
        elif op == "swap" and len(line) >= 2:
            j, k = b % len(line), (b // 7) % len(line)
            chars = list(line)
            chars[j], chars[k] = chars[k], chars[j]
            lines[i] = "".join(chars)
        elif op == "garbage":
            lines.insert(i, draw(st.text(_ALPHABET, max_size=60)))
        elif op in ("delcell", "dupcell") and "|" in line:
            cells = line.split("|")
            j = b % len(cells)
            if op == "delcell":
                del cells[j]
            else:
                cells.insert(j, cells[j])
            lines[i] = "|".join(cells)
        elif op in ("delcell", "dupcell"):
            # In the TAB layouts a cell is a TAB line: find the nearest one.
            tab = next((k for k in range(i, len(lines)) if lines[k].startswith("\t")), None)
            if tab is not None:
                if op == "delcell":
                    del lines[tab]
                else:
                    lines.insert(tab, lines[tab])
    return "\n".join(lines)


@SETTINGS
@given(_mutated_seed())
def test_mutated_seeds(text: str) -> None:
    _check(_parse(text), text)


@SETTINGS
@given(_mutated_seed())
def test_mutated_seeds_as_bytes_in_windows_1251(text: str) -> None:
    data = text.encode("cp1251", errors="replace")
    plan = _parse(data)
    if plan is not None:
        _check(plan, plan.source_text)
