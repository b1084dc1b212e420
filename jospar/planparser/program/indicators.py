"""What an indicator line states: its target values and which way is better.

A target is filled only where the line prints a value with its unit ("2022 жылға қарай – 100%",
"1000 адамға арттырып", "к 2025 году – 80 %"); a year is a value's year, never a value. A line with
several values (a schedule) keeps `target` empty and lists them all in `targets`.
"""

from __future__ import annotations

import re

from jospar.planparser.program.model import Direction, Indicator, IndicatorKind, Target

_I = re.IGNORECASE
_NUM = r"(\d{1,3}(?:[  ]\d{3})+|\d+(?:[.,]\d+)?)"
# Units by their stems; the printed case ending is dropped ("адамға" → "адам").
_UNITS: list[tuple[str, str]] = [
    (r"%|процент\w*|пайыз\w*", "%"),
    (r"адам\w*", "адам"),
    (r"человек\w*|чел\.", "человек"),
    (r"сағат\w*", "сағат"),
    (r"час(?:а|ов)?\b", "час"),
    (r"бірлік\w*", "бірлік"),
    (r"единиц\w*|ед\.", "единиц"),
    (r"млрд\.?", "млрд"),
    (r"млн\.?", "млн"),
    (r"мың\w*", "мың"),
    (r"тыс\.?|тысяч\w*", "тыс"),
    (r"теңге\w*|тенге", "теңге"),
    (r"рет\b|раз(?:а)?\b", "рет"),
]
_UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNITS)
_VALUE = re.compile(rf"(?<![\w\-.,]){_NUM}\s*(?P<unit>{_UNIT_RE})", _I)
_YEAR = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*(?:жыл\w*|г\.|год\w*)\s*(?:қарай|дейін|до)?", _I
)
_RU_YEAR = re.compile(r"(?:к|до|в)\s+(?P<year>(?:19|20)\d{2})\s*(?:г\.|год\w*)", _I)

_INCREASE = re.compile(r"(?<!\w)(?:арттыр|ұлғайт|көтер|повыш|увелич|рост\b|прирост)", _I)
_DECREASE = re.compile(r"(?<!\w)(?:төмендет|азайт|сниж|сокращ|уменьш)", _I)


def _unit_of(printed: str) -> str:
    for pattern, unit in _UNITS:
        if re.fullmatch(pattern, printed, _I):
            return unit
    return printed.lower()


def _number(printed: str) -> float | int:
    digits = printed.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    value = float(digits)
    return int(value) if value.is_integer() else value


def targets_of(text: str) -> list[Target]:
    """Every value-with-unit the line states, each with the year stated next to it."""
    years = [(m.start(), int(m.group("year"))) for m in _YEAR.finditer(text)]
    years += [(m.start(), int(m.group("year"))) for m in _RU_YEAR.finditer(text)]
    out: list[Target] = []
    for m in _VALUE.finditer(text):
        raw = m.group(1)
        year = _nearest_year(years, m.start())
        out.append(Target(_number(raw), _unit_of(m.group("unit")), year))
    return out


def _nearest_year(years: list[tuple[int, int]], pos: int) -> int | None:
    """The year printed within a short distance before the value (or right after it)."""
    best: tuple[int, int] | None = None
    for start, year in years:
        distance = pos - start if start <= pos else (start - pos) * 2
        if distance <= 40 and (best is None or distance < best[0]):
            best = (distance, year)
    return best[1] if best else None


def direction_of(text: str) -> Direction | None:
    up = _INCREASE.search(text) is not None
    down = _DECREASE.search(text) is not None
    if up == down:
        return None
    return "increase" if up else "decrease"


def indicator(text: str, kind: IndicatorKind, line: int | None) -> tuple[Indicator, bool]:
    """The indicator of one list item, and whether it states several values (a warning)."""
    targets = targets_of(text)
    several = len(targets) > 1
    return (
        Indicator(
            text=text,
            kind=kind,
            target=targets[0] if len(targets) == 1 else None,
            targets=targets,
            direction=direction_of(text),
            line=line,
        ),
        several,
    )
