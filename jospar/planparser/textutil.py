"""Small text helpers shared by the layout, column and executor readers.

All patterns are compiled once at import: the parser runs on every upload and in property tests
thousands of times, so per-call compilation would dominate its cost.
"""

from __future__ import annotations

import re

from jospar.planparser.model import Lang

UPPER_CYR = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER_CYR = "а-яёәғқңөұүһі"

# An activity number as a cell of its own: "1.", "12", "1)", "3.1." ("№ 5" in some exports).
NUMBER_CELL = re.compile(r"^\s*(?:№\s*)?(\d{1,4}(?:\.\d{1,3}){0,3})\s*[.)]?\s*$")

_WS = re.compile(r"\s+")
_PAREN = re.compile(r"\([^()]*\)?")
_WORDS = re.compile(r"[^\W\d_]+")
# Section enumerators: "II.", "ІІ." (Kazakh І), "1.", "2)".
_ENUMERATOR = re.compile(r"^\s*(?:[IVXLІ]+|\d{1,2})\s*[.)]\s*")
# Headings that are not in capitals still name themselves ("Раздел 2.", "1-бөлім", "Глава").
_NAMED_HEADING = re.compile(
    r"^\s*(?:раздел|глава|направление|бөлім|тарау|бағыт|\d{1,2}\s*-\s*(?:бөлім|тарау|бағыт))\b",
    re.IGNORECASE,
)
_GLOSSARY_MARKER = re.compile(r"аббревиатур|сокращени|қысқарту|қысқартул", re.IGNORECASE)
# The plan's own name in capitals: "ПЛАН МЕРОПРИЯТИЙ", "... ІС-ШАРАЛАР ЖОСПАРЫ".
PLAN_WORD = re.compile(r"(?<![\w-])(?:ПЛАН|ЖОСПАРЫ?)(?![\w-])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def fold(text: str) -> str:
    """Whitespace folded to single spaces (NBSP and line breaks included), trimmed."""
    return _WS.sub(" ", text).strip()


def number_of(cell: str) -> str | None:
    """The activity number printed in `cell`, without its trailing dot, or None."""
    m = NUMBER_CELL.match(cell)
    return m.group(1) if m else None


def is_bare_int(cell: str) -> bool:
    """A column-numbering cell ("1", "2", ...): digits with no dot or bracket."""
    s = cell.strip()
    return s.isdigit() and len(s) <= 2


def is_numbering_run(cells: list[str]) -> bool:
    """The row "1 | 2 | 3 | 4 | 5" that numbers the columns under the header."""
    vals = [c.strip() for c in cells if c.strip()]
    if len(vals) < 3 or not all(is_bare_int(v) for v in vals):
        return False
    return [int(v) for v in vals] == list(range(1, len(vals) + 1))


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def kazakh_share(text: str) -> float:
    """Share of Kazakh-only letters among Cyrillic letters."""
    cyr = len(_CYRILLIC.findall(text))
    return len(_KAZAKH.findall(text)) / cyr if cyr else 0.0


def detect_lang(text: str) -> Lang:
    # A Russian plan quotes Kazakh names («Мәңгілік Ел», «Қоғамдық келісім»), so a few Kazakh
    # letters prove nothing; Kazakh running text has them in roughly every tenth letter.
    return "kk" if kazakh_share(text) >= 0.02 else "ru"


def is_heading_like(text: str) -> bool:
    """A section heading: text in capitals ("II. РЕАЛИЗАЦИОННЫЙ ПЕРИОД (...)") or a named one.

    A list of codes ("МСМ, ӘдМ, СІМ", "ІСБ, МБАҰЖБ") is in capitals too; headings differ by
    having long capitalised words, which codes do not.
    """
    t = fold(text)
    if not t or NUMBER_CELL.match(t) or len(t) > 400:
        return False
    if _NAMED_HEADING.match(t) and len(t) < 250:
        return True
    core = _PAREN.sub(" ", t)
    core = _ENUMERATOR.sub("", core)
    letters = [c for c in core if c.isalpha()]
    if len(letters) < 6:
        return False
    upper = sum(1 for c in letters if c.isupper())
    if upper / len(letters) < 0.85:
        return False
    words = _WORDS.findall(core)
    long_upper = [w for w in words if len(w) >= 4 and w.isupper()]
    if not (len(long_upper) >= 2 or any(len(w) >= 8 for w in long_upper)):
        return False
    parts = [p.strip() for p in core.split(",")]
    return not (len(parts) > 1 and all(len(p) <= 8 for p in parts))


def is_glossary_marker(line: str) -> bool:
    """The line that opens the plan's glossary ("Примечание: расшифровка аббревиатур:")."""
    t = fold(line)
    return 0 < len(t) <= 150 and _GLOSSARY_MARKER.search(t) is not None


def is_plan_title(line: str) -> bool:
    return PLAN_WORD.search(line) is not None


def control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def words(text: str) -> list[str]:
    return _WORDS.findall(text)
