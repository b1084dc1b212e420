"""Amending acts → the changes they make to a plan (`plan-import.md`, section "Amendments").

An amending act states its changes in fixed legal formulas ("строку, порядковый номер 5,
изложить в следующей редакции", "реттік нөмірі 7-жол алып тасталсын", …). The reader finds each
formula in the act's text, in order, with what it addresses: the decree and table it amends
(`target`), the section or subsection it stands in, the row numbers, the column, the words to
replace and the new row's cells. What it cannot place is a warning; it never raises on text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jospar.planparser.acts import first_dated_act
from jospar.planparser.model import Lang
from jospar.planparser.sources import load
from jospar.planparser.textutil import detect_lang, fold

_I = re.IGNORECASE | re.DOTALL
_Q = r"[«\"“„]"  # opening quote
_QE = r"[»\"”“]"  # closing quote
_NUM = r"\d{1,4}(?:-\d{1,4}){0,2}"  # "5", "5-1", "123-99"
_NUMS = rf"{_NUM}(?:\s*(?:,|и|және)\s*{_NUM})*"

# Each formula: (op, pattern). Patterns run over the act's text with whitespace folded.
_FORMULAS: list[tuple[str, re.Pattern[str]]] = [
    # --- Russian ---
    (
        "replace_plan",
        re.compile(
            r"(?:план\w*|приложени\w*)[^.;]{0,200}?изложить\s+в\s+новой\s+редакции\s+согласно"
            r"\s+приложению",
            _I,
        ),
    ),
    (
        "add_section",
        re.compile(
            rf"дополнить\s+(?:разделом|подразделом)(?:\s+и\s+строк\w*)?,?\s*(?:порядков\w+\s+"
            rf"номер\w*\s+(?P<number>{_NUMS}),?\s*)?следующего\s+содержания\s*:",
            _I,
        ),
    ),
    (
        "replace_row",
        re.compile(
            rf"строк[аиу],?\s+порядков\w+\s+номер\w*\s+(?P<number>{_NUMS}),?\s+изложить\s+в\s+"
            r"следующей\s+редакции\s*:",
            _I,
        ),
    ),
    (
        "add_row",
        re.compile(
            rf"дополнить\s+строк(?:ой|ами),?\s+порядков\w+\s+номер\w*\s+(?P<number>{_NUMS}),?\s+"
            r"следующего\s+содержания\s*:",
            _I,
        ),
    ),
    (
        "remove_row",
        re.compile(
            rf"строк[аиу],?\s+порядков\w+\s+номер\w*\s+(?P<number>{_NUMS}),?\s+исключить",
            _I,
        ),
    ),
    (
        "replace_words",
        re.compile(
            rf"(?:в\s+строке,?\s+порядковый\s+номер\s+(?P<number>{_NUM})\s*[:,]?\s*)?"
            rf"(?:в\s+графе\s+(?P<column>\d{{1,2}})\s+)?слов[оа]?\s+{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+"
            rf"заменить\s+слов(?:ом|ами)\s+{_Q}(?P<new>[^«»\n]{{1,2000}}?){_QE}",
            _I,
        ),
    ),
    (
        "add_words",
        re.compile(
            rf"(?:в\s+строке,?\s+порядковый\s+номер\s+(?P<number>{_NUM})\s*[:,]?\s*)?"
            rf"(?:в\s+графе\s+(?P<column>\d{{1,2}})\s+)?после\s+слов[аом]?\s+{_Q}(?P<old>[^«»\n]{{1,500}}?)"
            rf"{_QE}\s+дополнить\s+слов(?:ом|ами)\s+{_Q}(?P<new>[^«»\n]{{1,2000}}?){_QE}",
            _I,
        ),
    ),
    (
        "replace_heading",
        re.compile(
            rf"(?:наименование|заголовок)\s+(?:раздела|подраздела)\s+{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+"
            rf"изложить\s+в\s+следующей\s+редакции\s*:\s*{_Q}(?P<new>[^«»\n]{{1,2000}}?){_QE}",
            _I,
        ),
    ),
    (
        "remove_section",
        re.compile(rf"(?:раздел|подраздел)\s+{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+исключить", _I),
    ),
    (
        "replace_section",
        re.compile(
            rf"(?:раздел|подраздел)\s+{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+изложить\s+в\s+следующей\s+"
            r"редакции\s*:",
            _I,
        ),
    ),
    (
        "replace_note",
        re.compile(
            r"(?:примечание|расшифровк\w+\s+аббревиатур)\s+изложить\s+в\s+следующей\s+"
            r"редакции\s*:",
            _I,
        ),
    ),
    (
        "change_decree_point",
        re.compile(
            r"(?<![\w-])пункт\s+(?P<number>\d{1,3})\s+(?:постановления\s+|распоряжения\s+)?"
            r"изложить\s+в\s+следующей\s+редакции\s*:",
            _I,
        ),
    ),
    # --- Kazakh ---
    (
        "replace_plan",
        re.compile(
            r"(?:жоспар\w*|қосымша\w*)[^.;]{0,200}?(?:осы\s+\w+\s+)?қосымшаға\s+сәйкес\s+жаңа\s+"
            r"редакцияда\s+жазылсын",
            _I,
        ),
    ),
    (
        "add_section",
        re.compile(
            rf"мынадай\s+мазмұндағы\s+(?:бөліммен|кіші\s+бөліммен)(?:\s+және\s+реттік\s+нөмірі\s+"
            rf"(?P<number>{_NUMS})-жолмен)?\s+толықтырылсын\s*:",
            _I,
        ),
    ),
    (
        "replace_row",
        re.compile(
            rf"реттік\s+нөмір(?:i|і)\s+(?P<number>{_NUMS})-жол(?:дар)?\s+мынадай\s+редакцияда\s+"
            r"жазылсын\s*:",
            _I,
        ),
    ),
    (
        "add_row",
        re.compile(
            rf"мынадай\s+мазмұндағы\s+реттік\s+нөмір(?:i|і)\s+(?P<number>{_NUMS})-жол(?:дар)?мен\s+"
            r"толықтырылсын\s*:",
            _I,
        ),
    ),
    (
        "remove_row",
        re.compile(
            rf"реттік\s+нөмір(?:i|і|лері)\s+(?P<number>{_NUMS})-жол(?:дар)?\s+алып\s+тасталсын", _I
        ),
    ),
    (
        "replace_words",
        re.compile(
            rf"(?:реттік\s+нөмірі\s+(?P<number>{_NUM})-жолда\s*:?\s*)?(?:(?P<column>\d{{1,2}})-"
            rf"бағандағы\s+)?{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+деген\s+сөз(?:дер)?\s+{_Q}(?P<new>[^«»\n]{{1,2000}}?){_QE}"
            r"\s+деген\s+сөз(?:дер)?мен\s+ауыстырылсын",
            _I,
        ),
    ),
    (
        "add_words",
        re.compile(
            rf"(?:реттік\s+нөмірі\s+(?P<number>{_NUM})-жолда\s*:?\s*)?(?:(?P<column>\d{{1,2}})-"
            rf"бағанда\s+)?{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+деген\s+сөз(?:дер)?ден\s+кейін\s+{_Q}"
            rf"(?P<new>[^«»\n]{{1,2000}}?){_QE}\s+деген\s+сөз(?:дер)?мен\s+толықтырылсын",
            _I,
        ),
    ),
    (
        "remove_section",
        re.compile(
            rf"{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+деген\s+(?:кіші\s+)?бөлім\s+алып\s+тасталсын",
            _I,
        ),
    ),
    (
        "replace_section",
        re.compile(
            rf"{_Q}(?P<old>[^«»\n]{{1,500}}?){_QE}\s+деген\s+(?:кіші\s+)?бөлім\s+мынадай\s+редакцияда\s+"
            r"жазылсын\s*:",
            _I,
        ),
    ),
    (
        "replace_note",
        re.compile(
            r"(?:ескертпе|аббревиатуралардың\s+толық\s+жазылуы)\s+мынадай\s+редакцияда\s+"
            r"жазылсын\s*:",
            _I,
        ),
    ),
    (
        "change_decree_point",
        re.compile(
            r"(?<![\w-])(?P<number>\d{1,3})-тармақ\s+мынадай\s+редакцияда\s+жазылсын\s*:", _I
        ),
    ),
]

# Ops whose new content follows the formula (a row, a section, a note or a point's text).
_WITH_CONTENT = {
    "replace_row",
    "add_row",
    "add_section",
    "replace_section",
    "replace_note",
    "change_decree_point",
}
_SECTION_RU = re.compile(rf"в\s+(?:под)?раздел[еа]\s+{_Q}(?P<name>[^»\"”]{{2,300}}){_QE}", _I)
_SECTION_KK = re.compile(rf"{_Q}(?P<name>[^»\"”]{{2,300}}){_QE}\s+деген\s+(?:кіші\s+)?бөлімде", _I)
_APPENDIX = re.compile(r"в\s+приложении\s+(?P<n>\d{1,2})|(?P<k>\d{1,2})-қосымшада", _I)
# The decree amended: "Внести в постановление … от DATE № N «…» следующие изменения" (or "В
# постановление … внести …"; "… қаулысына мынадай өзгерістер енгізілсін"), and the table in it:
# "в Плане …, утвержденном указанным распоряжением:" /
# "көрсетілген өкіммен бекітілген … жоспарында:".
_ACT_WORDS = r"(?:постановлени|распоряжени|указ|приказ|решени)\w*"
_TARGET_RU = [
    re.compile(
        rf"внести\s+в\s+(?P<what>{_ACT_WORDS}[^:]{{0,600}}?)\s+следующ\w+\s+(?:изменени|дополнени)",
        _I,
    ),
    re.compile(
        rf"(?<!\w)в\s+(?P<what>{_ACT_WORDS}[^:]{{0,600}}?)\s+внести\s+следующ\w+\s+изменени",
        _I,
    ),
]
_TARGET_KK = [
    re.compile(
        r"(?P<what>[^.:;\n]{0,600}?(?:қаулысына|өкіміне|жарлығына|бұйрығына|шешіміне))\s+"
        r"мынадай\s+(?:өзгеріс|толықтыру)[^:]{0,80}?енгізілсін",
        _I,
    )
]
_TABLE = [
    re.compile(
        r"(?<!\w)в\s+(?P<table>(?:план|перечн|приложени|таблиц)\w*[^:;]{0,300}?),?\s+"
        r"утвержденн\w+\s+(?:указанным|этим|названным)\s+\w+\s*:",
        _I,
    ),
    re.compile(r"(?:көрсетілген|аталған)\s+\w+\s+бекітілген\s+(?P<table>[^:;]{0,300}?)\s*:", _I),
]
_ONE_LANGUAGE = re.compile(
    r"(?:изменени\w+\s+(?:вносится|внесено|вносятся)|(?:вносится|внесено|вносятся)\s+"
    r"изменени\w+)\s+на\s+(?:государственном|казахском)\s+"
    r"языке,?\s+текст\s+на\s+русском\s+языке\s+не\s+меняется"
    r"|орыс\s+тіліндегі\s+мәтіні\s+өзгермейді",
    _I,
)
_TITLE_WORDS = re.compile(
    r"о\s+внесении\s+изменени|өзгеріс\w*\s+(?:мен\s+толықтыру\w*\s+)?енгізу"
    r"|о\s+некоторых\s+вопросах|кейбір\s+мәселелері",
    _I,
)
_CONTENT_END = re.compile(r"[»\"”]\s*[;.]?\s*(?:\n|$)")
_CELL_SPLIT = re.compile(r"[ ]*(?:\||\t+)[ ]*")
_ROW_NUMBER = re.compile(rf"^\s*{_Q}?\s*(?P<n>{_NUM})\s*[.)]?(?:\s|$)")
MAX_CHANGES = 2000


@dataclass
class AmendmentChange:
    op: str
    target: str | None = None
    section: str | None = None
    number: list[str] = field(default_factory=list)
    column: int | None = None
    old: str | None = None
    new: str | None = None
    row: dict[str, Any] | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "target": self.target,
            "section": self.section,
            "number": self.number,
            "column": self.column,
            "old": self.old,
            "new": self.new,
            "row": self.row,
            "warnings": self.warnings,
        }


@dataclass
class ParsedAmendment:
    lang: Lang
    title: str
    number: str | None
    date: str | None
    changes: list[AmendmentChange] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    one_language: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "act": {"title": self.title, "number": self.number, "date": self.date},
            "lang": self.lang,
            "one_language": self.one_language,
            "changes": [c.to_json() for c in self.changes],
            "warnings": self.warnings,
        }


def parse_amendment(
    data: bytes | str, filename: str = "act.txt", lang: Lang | None = None
) -> ParsedAmendment:
    """Read an amending act (txt, docx, html); PlanParseError on unreadable input only."""
    source = load(data, filename)
    lines = [fold(line) for line in source.text.split("\n")]
    text = source.text.replace("\r\n", "\n")
    # Spaces folded, line breaks and tabs kept: a new row's cells are told apart by them.
    flat = re.sub(r"[ \u00a0\u2000-\u200b\u202f]+", " ", text).strip()
    act_date, act_number = _own_act(lines)
    result = ParsedAmendment(
        lang=lang or detect_lang(text),
        title=_title(lines),
        number=act_number,
        date=act_date.isoformat() if act_date else None,
        one_language=_ONE_LANGUAGE.search(flat) is not None,
    )
    matches = _formula_matches(flat)
    targets = _targets(flat)
    for index, (start, end, op, m) in enumerate(matches[:MAX_CHANGES]):
        next_start = matches[index + 1][0] if index + 1 < len(matches) else len(flat)
        change = AmendmentChange(op=op, target=_target_at(targets, start))
        change.section = _section_before(flat, start, matches[index - 1][1] if index else 0)
        groups = m.groupdict()
        if groups.get("number"):
            change.number = _numbers(groups["number"])
        if groups.get("column"):
            change.column = int(groups["column"])
        for key in ("old", "new"):
            if groups.get(key):
                setattr(change, key, fold(groups[key]))
        if op in _WITH_CONTENT:
            content = _content(flat[end:next_start])
            if op == "add_section":
                heading, content = _heading_and_row(content)
                change.new = heading
            if op in ("replace_row", "add_row", "add_section"):
                change.row = _row(content)
                _check_row_number(change)
            elif op != "add_section":
                change.new = "\n".join(line.strip() for line in content.split("\n")) or None
            if not content:
                change.warnings.append(
                    {"code": "no_content", "message": "The new text of this change is missing."}
                )
        result.changes.append(change)
    if len(matches) > MAX_CHANGES:
        result.warnings.append(
            {"code": "too_many_changes", "message": f"Only the first {MAX_CHANGES} are read."}
        )
    if not result.changes:
        result.warnings.append(
            {"code": "no_changes", "message": "No change in the amending formulas was found."}
        )
    return result


_OWN_ACT_LINE = re.compile(
    r"^(?:постановление|распоряжение|указ|приказ|решение)\b|(?:қаулысы|өкімі|жарлығы|бұйрығы|"
    r"шешімі)\.?$",
    _I,
)


def _own_act(lines: list[str]) -> tuple[Any, str | None]:
    """The act's own date and number: the line that names it ("Распоряжение … от DATE № N",
    "… DATE № N өкімі"), else the first dated act of its head."""
    for line in lines[:40]:
        if _OWN_ACT_LINE.search(line):
            found = first_dated_act(line)
            if found[0] is not None:
                return found
    return first_dated_act(" ".join(lines[:40]))


def _title(lines: list[str]) -> str:
    """The act's heading: the lines that say what it amends ("О внесении изменений …")."""
    for i, line in enumerate(lines[:60]):
        if _TITLE_WORDS.search(line):
            parts = [line]
            for nxt in lines[i + 1 : i + 4]:
                if not nxt or nxt.endswith(":") or len(" ".join(parts)) > 400:
                    break
                parts.append(nxt)
            return fold(" ".join(parts))
    first = next((line for line in lines if line), "")
    return first[:300]


def _formula_matches(flat: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every formula in the text, in order; where two overlap, the one starting first wins
    (then the longer)."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for op, pattern in _FORMULAS:
        for m in pattern.finditer(flat):
            found.append((m.start(), m.end(), op, m))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str, re.Match[str]]] = []
    last_end = -1
    for item in found:
        if item[0] >= last_end:
            kept.append(item)
            last_end = item[1]
    return kept


def _targets(flat: str) -> list[tuple[int, str]]:
    """Where each amended decree, and each table of it, starts being addressed."""
    out: list[tuple[int, str]] = []
    decree = ""
    marks: list[tuple[int, str, str]] = []
    for pattern in (*_TARGET_RU, *_TARGET_KK):
        for m in pattern.finditer(flat):
            act_date, number = first_dated_act(m.group("what"))
            when = act_date.isoformat() if act_date else "?"
            marks.append((m.start(), "decree", f"{when} № {number or '?'}"))
    for pattern in _TABLE:
        for m in pattern.finditer(flat):
            marks.append((m.start(), "table", fold(m.group("table"))[:160]))
    for start, kind, label in sorted(marks):
        if kind == "decree":
            decree = label
            out.append((start, decree))
        else:
            out.append((start, f"{decree} / {label}" if decree else label))
    return out


def _target_at(targets: list[tuple[int, str]], pos: int) -> str | None:
    current = None
    for start, label in targets:
        if start <= pos:
            current = label
    return current


def _section_before(flat: str, pos: int, floor: int) -> str | None:
    """The section a formula addresses: "в подразделе «…»" just before it, after the previous
    formula (the one point's preamble)."""
    window = flat[max(floor, pos - 400) : pos]
    found = None
    for pattern in (_SECTION_RU, _SECTION_KK):
        for m in pattern.finditer(window):
            found = fold(m.group("name"))
    appendix = None
    for m in _APPENDIX.finditer(window):
        appendix = m.group("n") or m.group("k")
    if appendix and not found:
        return f"appendix {appendix}"
    return found


def _numbers(text: str) -> list[str]:
    return re.findall(_NUM, text)


def _content(text: str) -> str:
    """The new text after a formula, up to the next change: quotes and point markers trimmed."""
    t = text.strip(" \n")
    # The new text is quoted: it ends at the closing quote followed by ";" or "." and a line end.
    end = _CONTENT_END.search(t)
    if end is not None:
        t = t[: end.start() + 1]
    # The next point ("2)", "3.") of the act starts the next change.
    t = re.split(r"\s(?:\d{1,2}\)|\d{1,2}\.)\s+(?=[а-яәғқңөұүһі])", t, maxsplit=1)[0]
    t = t.strip().rstrip(";").strip()
    if t[:1] in '«"“„':
        t = t[1:]
    if t[-2:] in ("».", "»;") or t[-1:] in '»"”':
        t = t.rstrip(".;").rstrip('»"”')
    return t.strip()


def _heading_and_row(content: str) -> tuple[str | None, str]:
    """A new section's heading (the lines before its first numbered row) and the row."""
    lines = content.split("\n")
    for i, line in enumerate(lines):
        if _ROW_NUMBER.match(line):
            heading = fold(" ".join(lines[:i])) or None
            return heading, "\n".join(lines[i:])
    return None, content


def _row(content: str) -> dict[str, Any] | None:
    """A new row: its cells split at tabs or table bars, else one cell per line."""
    if not content:
        return None
    if "\t" in content or "|" in content:
        cells = [fold(c) for c in _CELL_SPLIT.split(content)]
    else:
        cells = [fold(c) for c in content.split("\n")]
    cells = [c for c in cells if c]
    m = _ROW_NUMBER.match(content)
    return {"number": m.group("n") if m else None, "cells": cells, "text": fold(content)}


def _check_row_number(change: AmendmentChange) -> None:
    """A new row printed with another number than the formula names: both kept, a warning."""
    if change.row is None or not change.number or change.row.get("number") is None:
        return
    printed = change.row["number"]
    if printed not in change.number:
        change.warnings.append(
            {
                "code": "printed_number_mismatch",
                "message": f"The formula names row {', '.join(change.number)} but the new row "
                f"is printed {printed}.",
            }
        )
