"""How documents name bodies: keys for matching names, and whether an expansion names a body.

Pure functions, no database: the plan importer's glossary handling and the directory services
share them, and tests run them on every entry of the seed plans' glossaries.
"""

from __future__ import annotations

import re

from jospar.core.models import OrganisationKind

_QUOTES = "«»“”„‟\"'‘’‚‹›`"
_QUOTE_TO_SPACE = str.maketrans(dict.fromkeys(_QUOTES, " "))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Latin letters typed for their Cyrillic look-alikes inside Cyrillic words ("Әдiлет
# министрлiгi" in the 2016 plan is typed with a Latin i).
_LATIN_LOOKALIKES = str.maketrans(
    {
        "A": "А",
        "B": "В",
        "C": "С",
        "E": "Е",
        "H": "Н",
        "I": "І",
        "K": "К",
        "M": "М",
        "O": "О",
        "P": "Р",
        "T": "Т",
        "X": "Х",
        "Y": "У",
        "a": "а",
        "c": "с",
        "e": "е",
        "i": "і",
        "o": "о",
        "p": "р",
        "x": "х",
        "y": "у",
    }
)
# For matching only: a Kazakh letter typed as its Russian base ("Қогамдық" for "Қоғамдық" in the
# Russian text of the 2015 plan) is the same name to a reader.
_KAZAKH_TO_BASE = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
    }
)
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]")


def fold_spaces(text: str) -> str:
    """Line breaks and runs of spaces are layout, not part of a name."""
    return " ".join(text.split())


def _fix_lookalikes(text: str) -> str:
    return " ".join(
        word.translate(_LATIN_LOOKALIKES) if _CYRILLIC.search(word) else word
        for word in text.split()
    )


def match_key(text: str) -> str:
    """The form two printings of one name share: case, spaces, quotes and look-alike letters
    folded. Word order and wording are kept: "Республики Казахстан" placed differently is a
    different printing for a person to judge, not for this key to hide."""
    folded = _fix_lookalikes(text.translate(_QUOTE_TO_SPACE)).casefold()
    return folded.translate(_KAZAKH_TO_BASE).strip(" .,;:")[:500]


# "Қазақстан Республикасының", "Қазақстан Республикасы", "Республики Казахстан", "РК", "ҚР":
# plans of different years attach the state's name in different grammatical forms.
_STATE_QUALIFIER = re.compile(
    r"(?<![\w-])(казакстан республикасынын|казакстан республикасы|республики казахстан"
    r"|республика казахстан|рк|кр)(?![\w-])"
)


def core_name_key(text: str) -> str:
    """``match_key`` without the state's name. Only used together with an agreeing code: alone
    it would say nothing about which body is meant."""
    return " ".join(_STATE_QUALIFIER.sub(" ", match_key(text)).split())


# A legal form written as a word beside a quoted name ("«Қоғамдық келісім» РММ", "АО «...»").
_LEGAL_FORM_TOKENS: dict[str, OrganisationKind] = {
    **dict.fromkeys(
        ["АО", "АҚ", "ТОО", "ЖШС", "НАО", "КеАҚ", "РГП", "РГКП", "ГКП", "РМК", "РМҚК", "МКК"],
        OrganisationKind.COMPANY,
    ),
    **dict.fromkeys(["РГУ", "РММ", "ГУ", "ММ", "КГУ", "КММ"], OrganisationKind.STATE_INSTITUTION),
    **dict.fromkeys(["РОО", "РҚБ", "ОО", "ҚБ", "ОЮЛ", "ЗТБ", "НПО", "ҮЕҰ"], OrganisationKind.NGO),
}
_LEGAL_FORM_PHRASES: list[tuple[re.Pattern[str], OrganisationKind]] = [
    (
        re.compile(
            r"\b(акционерное общество|акционерлік қоғам\w*|товарищество с ограниченной "
            r"ответственностью|жауапкершілігі шектеулі серіктесті\w*)\b"
        ),
        OrganisationKind.COMPANY,
    ),
    (
        re.compile(r"\b(государственное учреждение|мемлекеттік мекеме\w*)\b"),
        OrganisationKind.STATE_INSTITUTION,
    ),
    (re.compile(r"\b(общественное объединение|қоғамдық бірлесті\w*)\b"), OrganisationKind.NGO),
]
# The expansion of a legal-form abbreviation is not a body ("РГУ - республиканское
# государственное учреждение").
_LEGAL_FORM_ONLY = re.compile(
    r"((республиканское|республикалық|государственное|мемлекеттік|коммунальное|коммуналдық"
    r"|некоммерческое|коммерциялық емес|общественное|қоғамдық|частное|жеке|казенное|қазыналық)"
    r"\s+)*(учреждение|мекеме|мекемесі|объединение|бірлестік|бірлестігі|акционерное общество"
    r"|акционерлік қоғам|акционерлік қоғамы|товарищество с ограниченной ответственностью"
    r"|жауапкершілігі шектеулі серіктестік|предприятие|кәсіпорын|кәсіпорны)"
)
# Groups of bodies and plain terms: a Russian name headed by a plural noun after its
# adjectives, a Kazakh name ending in a plural noun.
_GROUPS = [
    re.compile(
        r"^([\w-]+(ые|ие)\s+)*(органы|организации|учреждения|средства|сми|акиматы"
        r"|объединения)\b"
    ),
    re.compile(
        r"\b(органдар|органдары|ұйымдар|ұйымдары|құралдары|әкімдіктері|мекемелер"
        r"|мекемелері|бақ-тар|бақ-тары|бақ)$"
    ),
]
_PRESIDENT_RU = re.compile(r"\bадминистраци\w* президента\b")
_PRESIDENT_KK = re.compile(r"\bпрезидент\w* әкімшілі\w*")

_K = OrganisationKind
_RU_HEADS: dict[str, OrganisationKind] = {
    "министерство": _K.MINISTRY,
    **dict.fromkeys(["агентство", "комитет", "служба", "инспекция"], _K.AGENCY),
    **dict.fromkeys(["администрация", "секретариат", "отдел"], _K.PRESIDENTIAL),
    "суд": _K.COURT,
    "акимат": _K.AKIMAT,
    **dict.fromkeys(
        [
            "институт",
            "учреждение",
            "центр",
            "университет",
            "академия",
            "управление",
            "департамент",
            "аппарат",
            "музей",
            "библиотека",
            "театр",
        ],
        _K.STATE_INSTITUTION,
    ),
    **dict.fromkeys(["компания", "общество", "товарищество", "предприятие"], _K.COMPANY),
    **dict.fromkeys(
        ["объединение", "ассоциация", "союз", "фонд", "палата", "конгресс", "движение", "партия"],
        _K.NGO,
    ),
    **dict.fromkeys(
        [
            "банк",
            "прокуратура",
            "парламент",
            "сенат",
            "мажилис",
            "правительство",
            "совет",
            "комиссия",
            "ассамблея",
        ],
        _K.OTHER,
    ),
}
_KK_HEADS: dict[str, OrganisationKind] = {
    "министрлігі": _K.MINISTRY,
    **dict.fromkeys(["агенттігі", "комитеті", "қызметі", "инспекциясы"], _K.AGENCY),
    **dict.fromkeys(["әкімшілігі", "хатшылығы", "бөлімі"], _K.PRESIDENTIAL),
    "соты": _K.COURT,
    "әкімдігі": _K.AKIMAT,
    **dict.fromkeys(
        [
            "институты",
            "мекеме",
            "мекемесі",
            "орталығы",
            "университеті",
            "академиясы",
            "басқармасы",
            "департаменті",
            "аппараты",
            "мұражайы",
            "кітапханасы",
            "театры",
        ],
        _K.STATE_INSTITUTION,
    ),
    **dict.fromkeys(["компаниясы", "қоғамы", "серіктестігі", "кәсіпорны"], _K.COMPANY),
    **dict.fromkeys(
        ["бірлестігі", "қауымдастығы", "одағы", "қоры", "палатасы", "конгресі", "партиясы"],
        _K.NGO,
    ),
    **dict.fromkeys(
        [
            "банкі",
            "прокуратурасы",
            "парламенті",
            "сенаты",
            "мәжілісі",
            "үкіметі",
            "кеңесі",
            "комиссиясы",
            "ассамблеясы",
        ],
        _K.OTHER,
    ),
}
# These heads are the Presidential Administration's only when the name says whose they are:
# "Отдел образования акимата" is a local institution, "Байқоңыр қаласының әкімшілігі" is no
# part of the Administration.
_PRESIDENTIAL_IF_NAMED = {"администрация", "отдел", "әкімшілігі", "бөлімі"}


def _without_quoted(text: str) -> str:
    """The name with its quoted proper name removed: «Агентство «Хабар»» is a company's name,
    not an agency. Quotes in printed cells are often unbalanced, so the cut runs from the first
    opening quote to the last closing one."""
    for opening, closing in (("«", "»"), ("“", "”"), ('"', '"')):
        start = text.find(opening)
        end = text.rfind(closing)
        if start != -1 and end > start:
            text = f"{text[:start]} {text[end + 1 :]}"
        else:
            text = text.replace(opening, " ")
    return text


def _head_kind(words: list[str], heads: dict[str, OrganisationKind], low: str) -> _K | None:
    for word in words:
        kind = heads.get(word)
        if kind is None:
            continue
        if word in _PRESIDENTIAL_IF_NAMED and not (
            _PRESIDENT_RU.search(low) or _PRESIDENT_KK.search(low)
        ):
            return _K.STATE_INSTITUTION if word in {"отдел", "бөлімі"} else _K.OTHER
        return kind
    return None


def classify_body_name(name: str) -> OrganisationKind | None:
    """Whether a glossary expansion names a body, and of what kind; ``None`` for group words,
    plain terms and bare legal forms ("средства массовой информации", "орталық мемлекеттік
    органдар", "республиканское государственное учреждение").

    The head noun decides: in Russian it comes first after its adjectives ("Казахстанский
    институт ... при Президенте"), in Kazakh last ("... Ассамблеясы хатшылығы"). A legal form
    written beside a quoted name outranks the words inside the quotes.
    """
    canon = _fix_lookalikes(fold_spaces(name))
    canon = re.sub(r"\s*\([^()]*\)\s*$", "", canon)
    outside = fold_spaces(_without_quoted(canon))
    low = outside.casefold().strip(" .,;:-–")
    if not low:
        return None
    whole = fold_spaces(canon.translate(_QUOTE_TO_SPACE)).casefold().strip(" .,;:-–")
    if _LEGAL_FORM_ONLY.fullmatch(whole) or any(p.search(low) for p in _GROUPS):
        return None
    for token in re.findall(r"[\w-]+", outside):
        if token in _LEGAL_FORM_TOKENS:
            return _LEGAL_FORM_TOKENS[token]
    for pattern, kind in _LEGAL_FORM_PHRASES:
        if pattern.search(low):
            return kind
    words = re.findall(r"[\w-]+", low)
    if _KAZAKH_LETTERS.search(low):
        return _head_kind(list(reversed(words)), _KK_HEADS, low)
    return _head_kind(words, _RU_HEADS, low)


def legal_form_kind(code: str) -> OrganisationKind | None:
    """The kind a printed code's legal form implies ("РГУ «...»" → state institution)."""
    outside = _without_quoted(_fix_lookalikes(code))
    for token in re.findall(r"[\w-]+", outside):
        if token in _LEGAL_FORM_TOKENS:
            return _LEGAL_FORM_TOKENS[token]
    return None


def looks_like_abbreviation(code: str) -> bool:
    """ "МИР", "ӘдМ", "ТжКББ": one short word, mostly capitals."""
    code = code.strip()
    if not code or len(code) > 16 or " " in code:
        return False
    letters = [ch for ch in code if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) * 2 > len(letters)
