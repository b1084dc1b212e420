"""Headings of a program text, recognised by their words in Kazakh and Russian, never by position.

A labelled block is "LABEL: value" or "LABEL:" alone, where LABEL names the block; list markers
("6)", "·") printed before a heading do not make it an item (`002_*` lines 110 and 274). The
order of `_LABELS` matters: "Мақсаттық индикаторларын өлшеу әдістері" is a methods heading
before it is a target-indicators one, and "Базалық жобалардың аясында түйін оқиғалар" names key
events before base projects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from jospar.planparser.textutil import fold

BlockKind = Literal[
    "purpose",
    "methods",
    "key_events",
    "co_executors",
    "target_indicators",
    "outcome_indicators",
    "goals",
    "tasks",
    "base_project_list",
    "directions",
    "target_group",
    "other",
]

# A list marker at the start of a line: "–", "-", "·", "•", "1)", "1.", "3 .", "3.Аймақтарда".
MARKER = re.compile(r"^\s*(?:[–—\-·•▪●]|\d{1,2}\s*[.)](?!\d))\s*")
NUMBERED = re.compile(r"^\s*(\d{1,2})\s*([.)])(?!\d)")

_I = re.IGNORECASE
_LABELS: list[tuple[BlockKind, re.Pattern[str]]] = [
    ("methods", re.compile(r"өлшеу\s+әдіс|метод\w*\s+(?:измерени|оценк)", _I)),
    (
        "key_events",
        re.compile(r"(?:маңызды|түйін|түйінді)\s+оқиға|ключев\w+\s+событи|ключев\w+\s+меропр", _I),
    ),
    ("co_executors", re.compile(r"қоса\s+(?:атқарушы|орындаушы)|соисполнител", _I)),
    (
        "target_indicators",
        re.compile(r"мақсат\w*\s+индикатор|целев\w+\s+(?:индикатор|показател)", _I),
    ),
    (
        "outcome_indicators",
        re.compile(
            r"қорытынды\s+көрсеткіш|нәтиже\s+көрсеткіш|показател\w*\s+(?:конечного\s+)?результат",
            _I,
        ),
    ),
    ("purpose", re.compile(r"^(?:кіші\s+бағдарлама\w*\s+мақсаты|цель\s+подпрограммы)$", _I)),
    ("goals", re.compile(r"негізгі\s+мақсат|^мақсат(?:ы|тары)$|^цел[иь]$|^основн\w+\s+цел", _I)),
    (
        "tasks",
        re.compile(r"негізгі\s+міндет|^міндет(?:і|тері)$|^задач[аи]$|^основн\w+\s+задач", _I),
    ),
    ("base_project_list", re.compile(r"^(?:базалық\s+жобалар|базовые\s+проекты)$", _I)),
    (
        "directions",
        re.compile(
            r"негізгі\s+(?:бағыттар|тетіктер)|бағыттар\s*/\s*тетік|основн\w+\s+направлени"
            r"|^направления$|^бағыттар$",
            _I,
        ),
    ),
    ("target_group", re.compile(r"^(?:мақсаттық\s+топ|целевая\s+группа)$", _I)),
    (
        "other",
        re.compile(
            r"^(?:\d\.\s*)?(?:қаржы\s+ресурс|финанс|эксперт\w*\s+(?:қолдау|поддержк)"
            r"|(?:сыртқы\s+)?байланыс\s+стратегия|коммуникац\w*\s+стратеги|стратеги\w+\s+коммуникац"
            r"|алға\s+жылжыту|ключев\w+\s+сообщени|түйін\s+месседж|риск|тәуекел)",
            _I,
        ),
    ),
]

# Where the tree ends: what follows is the program's own other_sections (management, roles, the
# project task form), never nodes.
_CLOSING = re.compile(
    r"^(?:БАҒДАРЛАМАНЫ\s+БАСҚАРУ|УПРАВЛЕНИЕ\s+ПРОГРАММОЙ|ҚОСЫМША\s*-?\s*\d+|ПРИЛОЖЕНИЕ\s*-?\s*\d+"
    r"|ЖОБАЛЫҚ\s+ТАПСЫРМА|ПРОЕКТНОЕ\s+ЗАДАНИЕ)\s*\.?$",
    _I,
)

_SUBPROGRAM = [
    re.compile(r"^(?:(\d{1,2})\s*[.)]\s*)?«([^»]{2,200})»\s*кіші\s+бағдарламасы\s*[.:]?$", _I),
    re.compile(r"^(?:(\d{1,2})\s*[.)]\s*)?подпрограмма\s*«([^»]{2,200})»\s*[.:]?$", _I),
    re.compile(r"^(?:(\d{1,2})\s*[.)]\s*)?«([^»]{2,200})»\s*подпрограмма\s*[.:]?$", _I),
]
_BASE_PROJECT = [
    re.compile(r"^(?:(\d{1,2})\s*([.)])\s*)?«([^»]{2,200})»\s*базалық\s+жоба(?:сы)?\s*[.:]?$", _I),
    re.compile(r"^(?:(\d{1,2})\s*([.)])\s*)?(?:базовый\s+проект)\s*«([^»]{2,200})»\s*[.:]?$", _I),
    re.compile(r"^(?:(\d{1,2})\s*([.)])\s*)?«([^»]{2,200})»\s*базовый\s+проект\s*[.:]?$", _I),
]
_MAX_LABEL_WORDS = 14


@dataclass(frozen=True)
class Heading:
    kind: BlockKind
    label: str
    value: str  # what follows the colon on the same line ("" when nothing)


@dataclass(frozen=True)
class NodeHeading:
    name: str
    number: str | None  # as printed, with its dot or bracket ("0.", "1.")


def strip_marker(text: str) -> str:
    return MARKER.sub("", text, count=1)


def labelled(line: str) -> Heading | None:
    """The block heading `line` is, with the value printed after its colon, or None."""
    text = fold(strip_marker(line))
    head, colon, value = text.partition(":")
    head = head.strip()
    if not head or len(head.split()) > _MAX_LABEL_WORDS:
        return None
    # A heading ends with its colon; a few are printed without it but stand alone.
    stands_alone = bool(colon) or _ends_label(text)
    for kind, pattern in _LABELS:
        if pattern.search(head) and (stands_alone or kind in ("base_project_list", "other")):
            return Heading(kind, head, value.strip())
    return None


def _ends_label(text: str) -> bool:
    return len(text.split()) <= 8 and not text.endswith((";", ","))


def subprogram_heading(line: str) -> NodeHeading | None:
    text = fold(line)
    for pattern in _SUBPROGRAM:
        m = pattern.match(text)
        if m:
            number = m.group(1)
            return NodeHeading(fold(m.group(2)), f"{number}." if number else None)
    return None


def base_project_heading(line: str) -> NodeHeading | None:
    text = fold(line)
    for pattern in _BASE_PROJECT:
        m = pattern.match(text)
        if m:
            number = f"{m.group(1)}{m.group(2)}" if m.group(1) else None
            return NodeHeading(fold(m.group(3)), number)
    return None


def is_closing(line: str) -> bool:
    return _CLOSING.match(fold(line)) is not None


# A heading that runs on after an item on the same line ("… саны; Мемлекеттік органдар-қоса
# атқарушылар және ҮЕҰ: ЖАО"): the split point is the start of the heading's words.
_INLINE_HEADING = re.compile(
    r"(?<=[;.])\s+(?=(?:Мемлекеттік\s+органдар|Соисполнители|Қорытынды\s+көрсеткіш"
    r"|Показатели\s+результат|Ключевые\s+события)[^:]{0,80}:)"
)
# A heading followed on the same line by the first item of its list ("…оқиғалары (…): - Қарт").
_HEADING_THEN_ITEM = re.compile(r"^(?P<head>[^:]{3,160}:)\s+(?P<item>[–—\-·•]\s+\S.*)$")


def split_inline(line: str) -> list[str]:
    """One physical line as the logical lines it holds."""
    parts = _INLINE_HEADING.split(line)
    out: list[str] = []
    for part in parts:
        m = _HEADING_THEN_ITEM.match(part.strip())
        if m and labelled(m.group("head")) is not None:
            out.extend([m.group("head"), m.group("item")])
        else:
            out.append(part)
    return out
