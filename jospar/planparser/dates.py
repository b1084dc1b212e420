"""The date vocabulary of Kazakh and Russian plan texts, and a scanner built on it.

The scanner turns a cell into a flat list of tokens (a date, a month, a quarter, a year, a
"from"/"until" marker, a recurrence, ...). It decides nothing about what the cell means: binding
years to the months they qualify and turning tokens into a window and report dates is done by
`dateexpr` and `deadlines`, so that the vocabulary can grow without touching those rules.

Everything is matched on lower-cased text; `normalize` is the single place that decides what
"lower-cased" means (dashes, non-breaking spaces and control characters are folded there too).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

from .model import Lang, Period

# Lower-case letters only: \w would also take digits and "_", which must end a suffix.
_L = r"[^\W\d_]"

# Kazakh letters are often replaced by their Russian look-alikes in texts typed on a Russian
# keyboard ("желтоксан", "кантар"); each month stem accepts both spellings.
_KK_LOOKALIKE = {
    "ә": "[әа]",
    "і": "[іи]",
    "ң": "[ңн]",
    "ғ": "[ғг]",
    "ү": "[үу]",
    "ұ": "[ұу]",
    "қ": "[қк]",
    "ө": "[өо]",
    "һ": "[һх]",
}


def _kk_stem(stem: str) -> str:
    return "".join(_KK_LOOKALIKE.get(ch, ch) for ch in stem)


# Russian months take a closed set of case endings; listing them keeps "маяк" or "мартен" out.
_SOFT = "(?:ь|я|е|ю|ём|ем)"
_RU_MONTHS = (
    "январ" + _SOFT,
    "феврал" + _SOFT,
    "март(?:а|е|у|ом)?",
    "апрел" + _SOFT,
    "ма(?:й|я|е|ю|ем)",
    "июн" + _SOFT,
    "июл" + _SOFT,
    "август(?:а|е|у|ом)?",
    "сентябр" + _SOFT,
    "октябр" + _SOFT,
    "ноябр" + _SOFT,
    "декабр" + _SOFT,
)
_KK_MONTHS = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
# Kazakh is agglutinative: a possessive (-ы/-і/-сы/-сі) and one case ending may follow the stem
# (қаңтарға, қаңтарынан, қарашадағы). A closed list, with the look-alike spellings, so that
# "тамызық" (kindling) is not August.
_KK_SUFFIX = (
    r"(?:с?[ыіи])?"
    r"(?:н?[дт][аәе](?:ғы|гі|гы)|н?[дт][еә]гі|[дтн][аәе]н|[дтн][ыіи][ңн]|[ғгқк][аәе]|н[аәе]"
    r"|н?[дт][аәе]|[дтн][ыіи]|[мбп]ен|[аәе])?"
)

MONTH = (
    "(?:"
    + "|".join(_RU_MONTHS)
    + "|"
    + "|".join(_kk_stem(s) + _KK_SUFFIX for s in _KK_MONTHS)
    + r")(?!\w)"
)
_MONTH_WORD_RE = re.compile(
    "|".join(f"(?P<r{i + 1}>{p})" for i, p in enumerate(_RU_MONTHS))
    + "|"
    + "|".join(f"(?P<k{i + 1}>{_kk_stem(s)}{_KK_SUFFIX})" for i, s in enumerate(_KK_MONTHS))
)

_KK_DATIVE = ("ға", "ге", "қа", "ке", "на", "не", "га", "ка")
_KK_ABLATIVE = ("дан", "ден", "тан", "тен", "нан", "нен")


@lru_cache(maxsize=2048)
def month_word(word: str) -> tuple[int, str]:
    """(month number, Kazakh case) of a month word; case is "dat", "abl" or ""; (0, "") if none."""
    m = _MONTH_WORD_RE.fullmatch(word)
    if m is None or m.lastgroup is None:
        return 0, ""
    name = m.lastgroup
    return int(name[1:]), (kk_case(word) if name[0] == "k" else "")


def kk_case(word: str) -> str:
    """The grammatical case a Kazakh word ends in, as far as deadlines care: the dative says
    "by" (қарашаға), the ablative "from" (қарашадан)."""
    if word.endswith(_KK_DATIVE):
        return "dat"
    if word.endswith(_KK_ABLATIVE):
        return "abl"
    return ""


# Ordinals of quarters and half-years: Roman numerals (Latin i/v or Cyrillic і), digits with
# an ordinal suffix ("2-ші", "1-й") and words.
_ORD_WORDS = {
    "бірінші": 1,
    "екінші": 2,
    "үшінші": 3,
    "төртінші": 4,
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четверт": 4,
    "четвёрт": 4,
}
_ORD_DIGIT = r"[1-4](?:\s?-?\s?(?:ші|шы|і|ы|й|ый|ой|ий|го|м|е|ое))?(?!\w)"
_ORD_WORD = (
    r"(?:[iі]{1,3}|[iі]v|v)(?!\w)|бірінші|екінші|үшінші|төртінші"
    r"|перв" + _L + "*|втор" + _L + "*|трет" + _L + "*|четв[её]рт" + _L + "*"
)
_ORD = _ORD_DIGIT + "|" + _ORD_WORD
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


def ordinal_value(text: str) -> int:
    """The value of an ordinal as written before "квартал"/"тоқсан"; 0 if not an ordinal."""
    s = text.strip()
    if not s:
        return 0
    if s[0].isdigit():
        return int(s[0])
    roman = s.replace("і", "i")
    if roman in _ROMAN:
        return _ROMAN[roman]
    for stem, value in _ORD_WORDS.items():
        if s.startswith(stem):
            return value
    return 0


_NUM_WORDS = {
    "бір": 1,
    "один": 1,
    "одного": 1,
    "екі": 2,
    "два": 2,
    "двух": 2,
    "дважды": 2,
    "төрт": 4,
    "четыре": 4,
    "четырех": 4,
    "он екі": 12,
    "двенадцать": 12,
}
_COUNT_WORDS = r"бір|екі|төрт|он\s+екі|один|одного|два|двух|дважды|четыре|четырех|двенадцать"
_COUNT_RE = re.compile(r"\d+|" + _COUNT_WORDS)


def count_value(text: str) -> int:
    """How many times a year "2 раза в год", "жылына екі рет", "дважды в год" says."""
    m = _COUNT_RE.search(text)
    if m is None:
        return 0
    s = " ".join(m.group().split())
    return int(s) if s.isdigit() else _NUM_WORDS.get(s, 0)


_YWORD = r"(?:год" + _L + "*|жыл" + _L + r"*|гг|жж|г|ж)(?!\w)\.?"
_QWORD = r"(?:квартал" + _L + r"*|кв(?:\.|(?!\w))|т[оө][қк]сан" + _L + "*)"
_HWORD = r"(?:полугоди|жарты\s?жыл|жартыс)" + _L + "*"
_AT_LEAST = r"(?:кемінде\s+|кем\s+дегенде\s+)?"
_ONCE = r"(?:(?:один|одного)\s+)?раза?\s+в\s+"
# After a quarter's or half-year's first ordinal: "-IV кварталы", " тоқсан", "-жартыжылдық".
_PERIOD_TAIL = r"(?:\s*[-–]\s*(?:" + _ORD + r"))?\s*-?\s*(?:" + _QWORD + "|" + _HWORD + ")"

# (kind, pattern). Each list holds the tokens that start with one sort of character, so that
# at each place only the alternatives that can start there are tried. Within a list the order
# matters where two alternatives can start at the same place: the longer, more specific phrase
# comes first ("после этого" before "после", "по мере" before "по").
_LETTER_TOKENS: tuple[tuple[str, str], ...] = (
    (
        "PERM",
        r"постоянн" + _L + r"*|на\s+постоянной\s+основе|по\s+мере\s+необходимости"
        r"|по\s+мере\s+потребности|при\s+необходимости|тұрақты(?:\s+түрде|\s+негізде)?(?!\w)"
        r"|үнемі|ұдайы|қажеттілігіне\s+қарай|қажеттілікке\s+қарай|қажетіне\s+қарай"
        r"|қажет\s+болған\s+(?:жағдайда|кезде)|қажеттілік\s+бойынша"
        r"|(?:на\s+протяжении|в\s+течение)\s+всего\s+(?:периода|срока)" + _L + "*"
        r"|(?:на\s+)?весь\s+период" + _L + "*",
    ),
    (
        "THEN",
        r"далее|в\s+дальнейшем|затем|впоследствии|после\s+этого|бұдан\s+әрі|бұдан\s+кейін"
        r"|одан\s+әрі|одан\s+кейін|содан\s+кейін|кейіннен|әрі\s+қарай",
    ),
    (
        "REC_N",
        r"(?:" + _COUNT_WORDS + r")\s+раза?\s+в\s+год(?!\w)|дважды\s+в\s+год(?!\w)"
        r"|жылына\s+" + _AT_LEAST + r"(?:\d{1,2}|" + _COUNT_WORDS + r")\s+рет",
    ),
    (
        "REC_M",
        r"ежемесячн" + _L + r"*|помесячн" + _L + r"*|ай\s+сайын" + _L + r"*"
        r"|" + _ONCE + r"месяц(?!\w)|айына\s+" + _AT_LEAST + r"(?:бір|1)\s+рет"
        r"|кажд" + _L + r"*\s+месяц" + _L + "*",
    ),
    (
        "REC_Q",
        r"ежекварт" + _L + r"*|поквартальн" + _L + r"*|т[оө][қк]сан\s+сайын" + _L + r"*"
        r"|" + _ONCE + r"квартал(?!\w)|т[оө][қк]сан(?:ына|да)\s+" + _AT_LEAST + r"(?:бір|1)\s+рет"
        r"|кажд" + _L + r"*\s+квартал" + _L + r"*|әр\s+т[оө][қк]сан" + _L + "*",
    ),
    (
        "REC_H",
        r"ежеполугод" + _L + r"*|полугодов" + _L + r"*"
        r"|" + _ONCE + r"(?:полугодие|полгода|шесть\s+месяцев|6\s+месяцев)"
        r"|жарты\s?жыл(?:да|ына)\s+" + _AT_LEAST + r"(?:бір|1)\s+рет"
        r"|жарты\s?жыл\s+сайын" + _L + r"*|кажд" + _L + r"*\s+полугоди" + _L + "*"
        r"|әр\s+жарты\s?жыл" + _L + "*",
    ),
    (
        "REC_Y",
        r"ежегодн" + _L + r"*|жыл\s+сайын" + _L + r"*|" + _ONCE + r"год(?!\w)"
        r"|кажд" + _L + r"*\s+год(?:а|у)?(?!\w)|әр\s+жыл(?:ы|да)?(?!\w)",
    ),
    (
        "REC_X",
        r"еженедельн" + _L + r"*|ежедневн" + _L + r"*|ежедекадн" + _L + r"*"
        r"|апта\s+сайын" + _L + r"*|күн\s+сайын" + _L + r"*|" + _ONCE + r"неделю",
    ),
    (
        "FOLLOW",
        r"следующ" + _L + r"*|кейінгі|келесі|после\s+отч[её]тн" + _L + r"*"
        r"|есепті\s+" + _L + r"+\s+кейін(?!\w)",
    ),
    ("LASTMONTH", r"последн" + _L + r"+\s+месяц" + _L + r"*|соңғы\s+айы" + _L + "*"),
    (
        "EVENT",
        r"после(?!\w)|согласно|в\s+соответствии|соответствии|по\s+итогам|по\s+окончании"
        r"|по\s+завершении|по\s+результатам|по\s+мере\s+поступления|по\s+графику"
        r"|по\s+отдельному|в\s+сроки|в\s+установленные|кейін(?!\w)|соң(?!\w)|сәйкес" + _L + "*"
        r"|кестеге|қорытындысы|аяқталғаннан|өткізілгеннен|өткізгеннен",
    ),
    ("RECDAY", r"айды[ңн]\s+\d{1,2}(?!\d)(?:\s*-?\s*" + _L + "{1,6})?"),
    ("PERIOD", "(?:" + _ORD_WORD + ")" + _PERIOD_TAIL),
    ("MONTH", MONTH + r"(?:\s+\d{1,2}(?!\d)\s*-\s*" + _L + "{1,5})?"),
    ("ENDOF", r"конц[аеу]|конец|окончани" + _L + r"*|соңы" + _L + r"*|аяғы" + _L + "*"),
    ("START_PRE", r"начиная\s+со?(?!\w)|со?(?!\w)"),
    ("START_POST", r"бастап"),
    ("DUE_PRE", r"не\s+позднее|не\s+позже|до(?!\w)|к(?!\w)|ко(?!\w)|по(?!\w)"),
    ("DUE_POST", r"дейін" + _L + r"*|кешіктірмей" + _L + "*"),
)
_DIGIT_TOKENS: tuple[tuple[str, str], ...] = (
    ("REC_N", r"\d{1,2}\s+раза?\s+в\s+год(?!\w)"),
    ("REC_M", r"1\s+раза?\s+в\s+месяц(?!\w)"),
    ("REC_Q", r"1\s+раза?\s+в\s+квартал(?!\w)"),
    ("REC_H", r"1\s+раза?\s+в\s+(?:полугодие|полгода)"),
    ("DATE_ISO", r"(?:19|20)\d\d-\d\d-\d\d(?!\d)"),
    ("DATE_DMY", r"\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d\d)(?!\d)(?:\s*" + _YWORD + ")?"),
    ("DAYRANGE", r"\d{1,2}\s*[-–]\s*\d{1,2}(?:\s?-\s?" + _L + r"{1,4})?\s+" + MONTH),
    ("DM", r"\d{1,2}(?:\s?-\s?" + _L + "{1,4}|" + _L + r"{1,3})?\s+" + MONTH),
    (
        "RECDAY",
        r"\d{1,2}(?:\s?-?\s?(?:го|е|ое|ого))?\s+числ" + _L + r"*"
        r"|\d{1,2}\s*-\s*(?:іне|ына|сына|сіне|ін|ы|і|не|на)(?!\w)",
    ),
    (
        "RELDAYS",
        r"\d{1,3}\s*-?\s*(?:календарн" + _L + r"*\s+|рабоч" + _L + r"*\s+|жұмыс\s+)?"
        r"(?:дней|дня|день|күн" + _L + r"*)(?!\w)",
    ),
    ("PERIOD", "(?:" + _ORD_DIGIT + ")" + _PERIOD_TAIL),
    (
        "YEARS",
        r"(?:19|20)\d\d(?:\s*" + _YWORD + r")?\s*[-–]\s*"
        r"(?:(?:19|20)\d\d(?!\d)|\d\d(?!\d)(?=\s*(?:год|гг|г\.|жыл|жж|ж\.)))"
        r"(?:\s*" + _YWORD + ")?",
    ),
    ("YEAR", r"(?:19|20)\d\d(?!\d)(?:\s*" + _YWORD + ")?"),
    ("NUM", r"\d+"),
)
_SIGN_TOKENS: tuple[tuple[str, str], ...] = (("NUMREF", r"№\s*\d[\w/-]*"),)


def _alternation(tokens: tuple[tuple[str, str], ...], tag: str) -> tuple[str, dict[str, str]]:
    # The kind is told by an empty group closing each alternative: a group opening it would
    # keep the regex engine from skipping alternatives by their first character.
    names = {f"{kind}_{tag}{i}": kind for i, (kind, _) in enumerate(tokens)}
    body = "|".join(
        f"(?:{pattern})(?P<{kind}_{tag}{i}>)" for i, (kind, pattern) in enumerate(tokens)
    )
    return body, names


_LETTER_BODY, _LETTER_NAMES = _alternation(_LETTER_TOKENS, "l")
_DIGIT_BODY, _DIGIT_NAMES = _alternation(_DIGIT_TOKENS, "d")
_SIGN_BODY, _SIGN_NAMES = _alternation(_SIGN_TOKENS, "s")
_KIND_OF = {**_LETTER_NAMES, **_DIGIT_NAMES, **_SIGN_NAMES}
_TOKEN_RE = re.compile(
    r"(?<!\w)(?:(?=\d)(?:"
    + _DIGIT_BODY
    + r")|(?=[^\W\d_])(?:"
    + _LETTER_BODY
    + ")|"
    + _SIGN_BODY
    + ")"
)

# Token kinds that name a point or a stretch of calendar time.
ITEM_KINDS = frozenset({"DM", "DAYRANGE", "MONTH", "QUARTER", "HALF"})
DATE_KINDS = frozenset({"DATE_ISO", "DATE_DMY"})
YEAR_KINDS = frozenset({"YEAR", "YEARS"})
REC_KINDS = frozenset({"REC_N", "REC_M", "REC_Q", "REC_H", "REC_Y", "REC_X"})


class Tok(NamedTuple):
    """One scanned token. The meaning of n1..n3 depends on `kind`:

    DM: day, month; DAYRANGE: first day, month, last day; MONTH: -, month;
    QUARTER/HALF: first, last ordinal; YEAR/YEARS: first, last year;
    DATE_*: year, month, day (all 0 if the date does not exist); RECDAY: day;
    RELDAYS: number of days; REC_N: times a year.
    `case` is the Kazakh case of an item's word ("dat", "abl") where it matters.
    """

    kind: str
    start: int
    end: int
    n1: int = 0
    n2: int = 0
    n3: int = 0
    case: str = ""


_FOLD_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00a0\u2000-\u200f\u2028\u2029\u202f\u205f\u3000]")
_DASH_RE = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


def normalize(text: str) -> str:
    """Lower-case, every dash "-" or "–", every odd space or control character a space."""
    s = _FOLD_RE.sub(" ", text)
    s = _DASH_RE.sub("–", s)
    return s.lower()


_INT_RE = re.compile(r"\d+")
_WORD_RE = re.compile(_L + "+")
_PERIOD_PARTS_RE = re.compile(
    r"(" + _ORD + r")(?:\s*[-–]\s*(" + _ORD + r"))?\s*-?\s*(" + _QWORD + "|" + _HWORD + ")"
)


def _year4(digits: str, base: int | None = None) -> int:
    """A year written with two digits: in the century of `base` (the first year of a range,
    "2015-16"), else 19xx above 60 and 20xx below ("16.11.15")."""
    y = int(digits)
    if len(digits) != 2:
        return y
    if base is not None:
        return base - base % 100 + y
    return 1900 + y if y > 60 else 2000 + y


def _date_or_zero(y: int, m: int, d: int) -> tuple[int, int, int]:
    try:
        dt.date(y, m, d)
    except ValueError:
        return 0, 0, 0
    return y, m, d


def _tok(kind: str, text: str, s: int, e: int) -> Tok:
    """Read the values of a token from its text (only matched tokens get this far)."""
    if kind in ("DM", "DAYRANGE", "MONTH"):
        words = _WORD_RE.findall(text)
        nums = _INT_RE.findall(text)
        # The month word is the last word of a date ("20-шы желтоқсанға") and the first of
        # "желтоқсанның 20-сына".
        month, case = month_word(words[0] if kind == "MONTH" else words[-1])
        if kind == "DAYRANGE":
            return Tok(kind, s, e, int(nums[0]), month, int(nums[1]), case)
        if nums:
            return Tok("DM", s, e, int(nums[0]), month, 0, case)
        return Tok(kind, s, e, 0, month, 0, case)
    if kind == "PERIOD":
        m = _PERIOD_PARTS_RE.match(text)
        if m is None:  # pragma: no cover - the token regex and this one agree
            return Tok("NUM", s, e)
        first = ordinal_value(m.group(1))
        last = ordinal_value(m.group(2)) if m.group(2) else first
        word = m.group(3)
        case = kk_case(word) if word[0] in "тж" else ""
        quarter = word.startswith(("кв", "т"))
        return Tok("QUARTER" if quarter else "HALF", s, e, first, last, 0, case)
    if kind in ("YEAR", "YEARS", "DATE_ISO", "DATE_DMY", "RECDAY", "RELDAYS"):
        nums = _INT_RE.findall(text)
        if kind == "YEAR":
            return Tok(kind, s, e, int(nums[0]), int(nums[0]))
        if kind == "YEARS":
            y1, y2 = int(nums[0]), _year4(nums[1], int(nums[0]))
            if not y1 <= y2 <= y1 + 50:
                # "2016-2015": not a range anyone means; the caller sees an unread number.
                return Tok("NUM", s, e)
            return Tok(kind, s, e, y1, y2)
        if kind == "DATE_ISO":
            return Tok(kind, s, e, *_date_or_zero(int(nums[0]), int(nums[1]), int(nums[2])))
        if kind == "DATE_DMY":
            ymd = _date_or_zero(_year4(nums[2]), int(nums[1]), int(nums[0]))
            return Tok(kind, s, e, *ymd)
        return Tok(kind, s, e, int(nums[0]))
    if kind == "REC_N":
        return Tok(kind, s, e, count_value(text))
    return Tok(kind, s, e)


# Kinds whose token carries no value beyond its place in the text.
_BARE_KINDS = frozenset(
    {
        "PERM", "THEN", "REC_M", "REC_Q", "REC_H", "REC_Y", "REC_X", "FOLLOW", "LASTMONTH",
        "EVENT", "ENDOF", "START_PRE", "START_POST", "DUE_PRE", "DUE_POST", "NUM", "NUMREF",
    }
)  # fmt: skip


@lru_cache(maxsize=16384)
def scan(norm: str) -> tuple[Tok, ...]:
    """Tokens of a normalized text, in order. Unknown words are skipped silently."""
    out: list[Tok] = []
    for m in _TOKEN_RE.finditer(norm):
        kind = _KIND_OF[m.lastgroup or ""]
        s, e = m.span()
        tok = Tok(kind, s, e) if kind in _BARE_KINDS else _tok(kind, m.group(), s, e)
        if (
            tok.kind == "MONTH"
            and out
            and out[-1].kind == "YEAR"
            and norm[out[-1].start : out[-1].end].isdigit()
            and _GENITIVE_MONTH_RE.fullmatch(m.group())
        ):
            # "1900 декабря": a Russian month in the genitive follows a day, never a year, so
            # the number is a misprinted day, not the year 1900.
            out[-1] = Tok("NUM", out[-1].start, out[-1].end)
        out.append(tok)
    return tuple(out)


_GENITIVE_MONTH_RE = re.compile(
    r"(?:январ|феврал|апрел|ма|июн|июл|сентябр|октябр|ноябр|декабр)я|(?:марта|августа)"
)


# --- the plan's own period and approval act -------------------------------------------------

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
    # Imported here: dateexpr builds on this module's scanner.
    from .dateexpr import read

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
