"""Text helpers of the program reader: items, names, codes, sentences."""

from __future__ import annotations

import re

from jospar.planparser.textutil import fold

_TRAILING = re.compile(r"\s*[;.,:]\s*$")
_QUOTES = re.compile(r"[«»\"“”„'`’]")
# "Базалық жобаның негізгі міндеті болып X табылады." / "Основной задачей … является X."
_TASK_SENTENCE = [
    re.compile(
        r"(?:Базалық\s+жобаның\s+)?[Нн]егізгі\s+міндеті\s+болып\s+(?P<task>.+?)\s+табылады\.?",
    ),
    re.compile(
        r"[Оо]сновн\w+\s+задач\w+\s+(?:базового\s+проекта\s+)?являет\w+\s+(?P<task>.+?)\.(?=\s|$)"
    ),
]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«\"A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")


def item_text(text: str) -> str:
    """A list item as the tree holds it: whitespace folded, one trailing ; . , or : dropped."""
    return _TRAILING.sub("", fold(text), count=1)


def fold_name(name: str) -> str:
    """A name folded for matching a list against its sections: case, quotes and spacing."""
    return fold(_QUOTES.sub(" ", name)).casefold().rstrip(".:;, ")


def first_sentence(text: str) -> str:
    return item_text(_SENTENCE_END.split(fold(text), maxsplit=1)[0])


def codes(text: str, *, keep_inner_and: bool = False) -> list[str]:
    """Co-executor codes (or measurement methods) as printed, split at commas outside brackets."""
    del keep_inner_and  # "және"/"и" never splits: it joins words that share their head noun.
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [t for t in (item_text(p) for p in out) if t]


def take_task_sentences(prose: str) -> tuple[str, list[str]]:
    """Tasks stated as a sentence of prose, taken out of it: (the prose left, the tasks)."""
    tasks: list[str] = []
    for pattern in _TASK_SENTENCE:
        while True:
            m = pattern.search(prose)
            if m is None:
                break
            tasks.append(item_text(m.group("task")))
            prose = fold(prose[: m.start()] + " " + prose[m.end() :])
    return prose, tasks
