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

# "По итогам" / "қорытындысы бойынша" a period that has no number of its own (rule 10): the
# result of each quarter is reported, i.e. a quarterly recurrence. Russian puts the period after
# the words, with an optional adjective ("отчетного", "каждого"); Kazakh before them, in the
# genitive or bare ("жарты жылдың қорытындысы бойынша", "жыл қорытындысымен").
_RESULT_RU = (
    r"по\s+(?:итогам|результатам|окончании|завершении)\s+"
    r"(?:(?:каждого|отч[её]тного|текущего|истекшего|прошедшего|очередного|календарного)\s+)?"
)
_RESULT_KK_PRE = r"(?:(?:әр|есепті|ағымдағы|өткен)\s+)?"
_RESULT_KK_POST = r"\s+қорытынды" + _L + r"*(?:\s+бойынша)?"


def _result(ru_word: str, kk_word: str) -> str:
    return _RESULT_RU + ru_word + "|" + _RESULT_KK_PRE + kk_word + _RESULT_KK_POST


# A weekday rule (rule 11): "в последнюю пятницу каждого месяца", "каждый первый понедельник
# квартала", "әр айдың соңғы жұмасында". The ordinal and the weekday are one token; the period
# the rule repeats over may stand with them (after in Russian, before in Kazakh) or be a
# recurrence elsewhere in the clause ("ежемесячно, в первый вторник").
_WD_NTH_RU = r"(?:перв|втор|трет|четв[её]рт|последн)" + _L + "*"
_WD_NTH_KK = r"(?:бірінші|екінші|үшінші|төртінші|соңғы)(?!\w)"
_WD_RU = r"(?:понедельник|вторник|сред[аеуы]|четверг|пятниц|суббот|воскресень)" + _L + "*"
_WD_KK_STEMS = ("дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі")
_WD_KK = "(?:" + "|".join(_kk_stem(w) for w in _WD_KK_STEMS) + ")" + _L + "*"
_WD_UNIT_RU = r"(?:месяц|квартал|полугоди)" + _L + "*"
_WD_UNIT_KK = r"(?:ай|т[оө][қк]сан|жарты\s?жыл)" + _L + "*"
_WEEKDAY = (
    r"(?:кажд" + _L + r"*\s+)?" + _WD_NTH_RU + r"\s+" + _WD_RU
    + r"(?:\s+(?:(?:кажд|отч[её]тн|текущ)" + _L + r"*\s+)?" + _WD_UNIT_RU + ")?"
    + r"|(?:әр\s+)?(?:" + _WD_UNIT_KK + r"\s+)?" + _WD_NTH_KK + r"\s+" + _WD_KK
)  # fmt: skip
_WD_UNIT_MONTHS = {"м": 1, "к": 3, "п": 6, "а": 1, "т": 3, "ж": 6}

# A year named by its relation to the reporting year, not by its number: "до 15 июля текущего
# года", "ағымдағы жылдың 15 шілдесіне", "до 30 января следующего года", "келесі жылдың 30
# қаңтарына". A day or month it qualifies recurs every year of the window.
_CURYEAR = (
    r"(?:(?:текущ|отч[её]тн)"
    + _L
    + r"*|этого|данного)\s+(?:календарн"
    + _L
    + r"*\s+)?год(?:а|у)?(?!\w)"
    r"|(?:ағымдағы|есепті|осы)\s+(?:күнтізбелік\s+)?жыл" + _L + "*"
)
_NEXTYEAR = (
    r"(?:следующ|последующ)" + _L + r"*\s+(?:календарн" + _L + r"*\s+)?год(?:а|у)?(?!\w)"
    r"|год(?:а|у)?,?\s+следующ" + _L + r"*\s+за\s+отч[её]тн" + _L + r"*(?:\s+год" + _L + "*)?"
    r"|(?:есепті\s+жылдан\s+)?(?:келесі|кейінгі)\s+(?:күнтізбелік\s+)?жыл" + _L + "*"
)

# (kind, pattern). Each list holds the tokens that start with one sort of character, so that
# at each place only the alternatives that can start there are tried. Within a list the order
# matters where two alternatives can start at the same place: the longer, more specific phrase
# comes first ("после этого" before "после", "по мере" before "по").
_LETTER_TOKENS: tuple[tuple[str, str], ...] = (
    ("WEEKDAY", _WEEKDAY),
    ("NEXTYEAR", _NEXTYEAR),
    ("CURYEAR", _CURYEAR),
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
        r"|кажд" + _L + r"*\s+месяц" + _L + "*"
        r"|" + _result(r"месяц" + _L + "*", r"ай(?:ды[ңн]|ы)?"),
    ),
    (
        "REC_Q",
        r"ежекварт" + _L + r"*|поквартальн" + _L + r"*|т[оө][қк]сан\s+сайын" + _L + r"*"
        r"|" + _ONCE + r"квартал(?!\w)|т[оө][қк]сан(?:ына|да)\s+" + _AT_LEAST + r"(?:бір|1)\s+рет"
        r"|"
        + _result(r"квартал" + _L + "*", r"т[оө][қк]сан" + _L + "*")
        + r"|кажд"
        + _L
        + r"*\s+квартал"
        + _L
        + r"*|әр\s+т[оө][қк]сан"
        + _L
        + "*",
    ),
    (
        "REC_H",
        r"ежеполугод" + _L + r"*|полугодов" + _L + r"*"
        r"|" + _ONCE + r"(?:полугодие|полгода|шесть\s+месяцев|6\s+месяцев)"
        r"|жарты\s?жыл(?:да|ына)\s+" + _AT_LEAST + r"(?:бір|1)\s+рет"
        r"|жарты\s?жыл\s+сайын" + _L + r"*|кажд" + _L + r"*\s+полугоди" + _L + "*"
        r"|"
        + _result(r"полугоди" + _L + "*", r"жарты\s?жыл" + _L + "*")
        + r"|әр\s+жарты\s?жыл"
        + _L
        + "*",
    ),
    (
        "REC_Y",
        r"ежегодн" + _L + r"*|жыл\s+сайын" + _L + r"*|" + _ONCE + r"год(?!\w)"
        r"|кажд" + _L + r"*\s+год(?:а|у)?(?!\w)|әр\s+жыл(?:ы|да)?(?!\w)"
        r"|"
        + _result(r"год(?:а|у)?(?!\w)", r"жыл(?:ды[ңн]|ғы)?")
        # A year with no number of its own is each year of the window (rule 10).
        + r"|(?:в\s+течение|на\s+протяжении)\s+(?:(?:всего|целого|каждого|календарного)\s+)?"
        r"года(?!\w)|(?:бір\s+)?жыл\s+(?:ішінде|бойы" + _L + r"*)|круглогодичн" + _L + "*",
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
RELYEAR_KINDS = frozenset({"CURYEAR", "NEXTYEAR"})


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
    if kind == "WEEKDAY":
        return _weekday_tok(text, s, e)
    return Tok(kind, s, e)


_WD_NTH_RE = re.compile(_WD_NTH_RU + "|" + _WD_NTH_KK)
_WD_DAY_RE = re.compile(_WD_RU + "|" + _WD_KK)
_WD_UNIT_RE = re.compile(r"(?<!\w)(?:" + _WD_UNIT_RU + "|" + _WD_UNIT_KK + ")")
_WD_NTH = {"пер": 1, "вто": 2, "тре": 3, "чет": 4, "пос": 5, "бір": 1, "екі": 2, "үші": 3}
_WD_NTH.update({"төр": 4, "соң": 5})
_WD_DAYS_RU = ("пон", "вто", "сре", "чет", "пят", "суб", "вос")


def _weekday_tok(text: str, s: int, e: int) -> Tok:
    """WEEKDAY: n1 the ordinal (1-4, 5 for the last), n2 the weekday (0 Monday), n3 the months
    of the period it repeats over when the phrase names it (0 when it does not)."""
    nth = _WD_NTH_RE.search(text)
    day = _WD_DAY_RE.search(text, nth.end() if nth else 0)
    if nth is None or day is None:  # pragma: no cover - the token regex and these agree
        return Tok("NUM", s, e)
    word = day.group()
    if word[:3] in _WD_DAYS_RU:
        weekday = _WD_DAYS_RU.index(word[:3])
    else:
        folded = word.translate(_KK_FOLD)
        weekday = next(
            i
            for i, stem in sorted(enumerate(_WD_KK_STEMS), key=lambda x: -len(x[1]))
            if folded.startswith(stem.translate(_KK_FOLD))
        )
    unit = _WD_UNIT_RE.search(text[: nth.start()] + " " + text[day.end() :])
    months = _WD_UNIT_MONTHS.get(unit.group()[0], 0) if unit else 0
    return Tok("WEEKDAY", s, e, _WD_NTH[nth.group()[:3]], weekday, months)


_KK_FOLD = str.maketrans("әіңғүұқөһ", "аингуукох")


# Kinds whose token carries no value beyond its place in the text.
_BARE_KINDS = frozenset(
    {
        "PERM", "THEN", "REC_M", "REC_Q", "REC_H", "REC_Y", "REC_X", "FOLLOW", "LASTMONTH",
        "EVENT", "ENDOF", "START_PRE", "START_POST", "DUE_PRE", "DUE_POST", "NUM", "NUMREF",
        "CURYEAR", "NEXTYEAR",
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
