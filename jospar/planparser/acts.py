"""The plan's own period and the act approving it, read from the plan's text."""

from __future__ import annotations

import datetime as dt
import re

from .dateexpr import read
from .dates import MONTH, month_word, normalize
from .model import Lang, Period

_EXPLICIT_PERIOD_RE = re.compile(
    r"(?:срок\w*\s+(?:реализации|исполнения|действия)|(?:іске|жүзеге)\s+асыру\s+мерзім\w*"
    r"|орындау\s+мерзім\w*)\s*[:–-]?\s*(?P<body>[^)\n;]{1,160})"
)
_FOR_YEARS_RE = re.compile(
    r"(?<!\w)на\s+(?P<a>(?:19|20)\d\d)(?:\s*[–-]\s*(?P<b>(?:19|20)\d\d))?\s*(?:годы|год|гг|г)(?!\w)"
    r"|(?<!\w)(?P<c>(?:19|20)\d\d)(?:\s*[–-]\s*(?P<d>(?:19|20)\d\d))?\s*(?:жылдарға|жылға)"
    r"\s+арналған"
)


def find_plan_period(text: str, lang: Lang) -> Period | None:
    """The plan's own period as its text states it, or None.

    An explicit "срок реализации: ноябрь 2015 года - декабрь 2016 года" / "іске асыру мерзімі:
    ..." wins over a title's "на 2016-2018 годы" / "2015-2016 жылдарға арналған", which may also
    name other plans the text mentions; of the latter the first one (the title's) is taken.
    """
    norm = normalize(text)
    for m in _EXPLICIT_PERIOD_RE.finditer(norm):
        r = read(m.group("body"), lang, None, None)
        if r.units:
            return Period(min(u.start for u in r.units), max(u.end for u in r.units))
    m2 = _FOR_YEARS_RE.search(norm)
    if m2 is None:
        return None
    first = int(m2.group("a") or m2.group("c"))
    last_text = m2.group("b") or m2.group("d")
    last = int(last_text) if last_text else first
    if last < first:
        return None
    return Period(dt.date(first, 1, 1), dt.date(last, 12, 31))


_ACT_NO = r"№\s*(?P<no>[\w][\w./-]*)"
_RU_DATED = (
    r"(?P<d1>\d{1,2})\s+(?P<m1>" + MONTH + r")\s+(?P<y1>(?:19|20)\d\d)\s*(?:года|г\.?)?"
    r"|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>(?:19|20)\d\d)\s*(?:года|г\.?)?"
)
_KK_DATED = r"(?P<y3>(?:19|20)\d\d)\s*(?:жылғы|ж\.?)\s*(?P<d3>\d{1,2})\s*-?\s*(?P<m3>" + MONTH + ")"
_RU_ACT_RE = re.compile(r"(?<!\w)от\s+(?:" + _RU_DATED + r")\s*" + _ACT_NO)
_KK_ACT_RE = re.compile(r"(?<!\w)(?:" + _KK_DATED + "|" + _RU_DATED + r")\s*" + _ACT_NO)
# "УТВЕРЖДЕН(А/О/Ы)" stamps the plan; "утвержденных" would cite another act's approval.
_RU_APPROVED_RE = re.compile(r"(?<!\w)утвержден[аоы]?(?!\w)")
_KK_APPROVED_RE = re.compile(
    r"\s*(?:өкімімен|қаулысымен|жарлығымен|бұйрығымен|шешімімен)?\s*бекітілді(?!\w)"
)
_RU_HEAD_RE = re.compile(r"(?<!\w)(?:распоряжение|постановление|указ|приказ|решение)(?!\w)")
_KK_HEAD_RE = re.compile(r"\s*(?:өкімі|қаулысы|жарлығы|бұйрығы|шешімі)(?!\w)")
_HEAD_CHARS = 1500


def _act_date(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    try:
        if g.get("d1"):
            return dt.date(int(g["y1"]), month_word(g["m1"])[0], int(g["d1"]))
        if g.get("d2"):
            return dt.date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        if g.get("d3"):
            return dt.date(int(g["y3"]), month_word(g["m3"])[0], int(g["d3"]))
    except ValueError:
        return None
    return None


def find_approval(text: str, lang: Lang) -> tuple[dt.date | None, str | None]:
    """Date and number of the act approving the plan, or (None, None).

    Only an act the text presents as approving the plan counts: "УТВЕРЖДЕН распоряжением ...
    от 30 октября 2015 года № 10", "2015 жылғы 30 қазандағы № 10 өкімімен БЕКІТІЛДІ", or the
    act heading the document ("Распоряжение ... от ... № 10"). Acts cited inside the plan
    (amended decrees, approved rules) are not its approval.
    """
    norm = normalize(text)
    # The number is taken as printed ("№ 15-П"); folding keeps offsets unless lower-casing
    # changed the length, which only a few exotic letters do.
    source = text if len(text) == len(norm) else norm
    found: list[tuple[int, dt.date, str]] = []
    for m in _RU_APPROVED_RE.finditer(norm):
        act = _RU_ACT_RE.search(norm, m.end(), m.end() + 300)
        if act is not None:
            found.append((m.start(), *_dated(act, source)))
    for act in _KK_ACT_RE.finditer(norm):
        if _KK_APPROVED_RE.match(norm, act.end()):
            found.append((act.start(), *_dated(act, source)))
    head = norm[:_HEAD_CHARS]
    for m in _RU_HEAD_RE.finditer(head):
        act = _RU_ACT_RE.search(head, m.end(), m.end() + 200)
        if act is not None:
            found.append((m.start(), *_dated(act, source)))
    for act in _KK_ACT_RE.finditer(head):
        if _KK_HEAD_RE.match(head, act.end()):
            found.append((act.start(), *_dated(act, source)))
    for _, day, number in sorted(found, key=lambda f: f[0]):
        if day != _NO_DATE:
            return day, number
    return None, None


_NO_DATE = dt.date.min


def first_dated_act(text: str) -> tuple[dt.date | None, str | None]:
    """The first act in `text` with its date and number ("от 5 марта 2021 года № 120",
    "2021 жылғы 5 наурыздағы № 120"), or (None, None): the heading of an amending act names
    itself first, and its preamble the decree it amends."""
    norm = normalize(text)
    source = text if len(text) == len(norm) else norm
    found = [m for pattern in (_RU_ACT_RE, _KK_ACT_RE) for m in pattern.finditer(norm)]
    for act in sorted(found, key=lambda m: m.start()):
        day, number = _dated(act, source)
        if day != _NO_DATE:
            return day, number
    return None, None


def _dated(act: re.Match[str], source: str) -> tuple[dt.date, str]:
    number = source[act.start("no") : act.end("no")].rstrip(".-/")
    return _act_date(act) or _NO_DATE, number
