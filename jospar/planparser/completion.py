"""What must come out of an activity, read from its "form of completion" cell.

A plan's column «форма завершения» / «аяқтау нысаны» says what an activity must produce: an
order of a minister, a draft law, information to the Presidential Administration, publications
in the media, a forum held. The control loop asks the executor for the evidence each of these
calls for, so the cell is read into a small vocabulary of *completion kinds*:

- ``act`` — a legal act adopted (order, decree, resolution, law): its number, date and file;
- ``draft_law`` — a draft of a legal act (law, code, decree): where it is registered;
- ``information`` — information, a note or a report to a state body: the document;
- ``media`` — publications, articles, videos, broadcasts: the links;
- ``event`` — a forum, meeting, conference, contest, exhibition held: date, place, people;
- ``other`` — none of these (a brandbook, a pool of speakers, methodical materials).

The rules are word stems in Kazakh and Russian, not whole phrases, so that "приказ министра",
"приказом МКС", "МСМ бұйрығы" and "бұйрық" read alike. A cell may name several kinds
("информация в АП, публикации в СМИ"); ``other`` is given only when no rule matched a cell
that has text. A draft is told from an act by the word for draft (проект, жоба) standing with
the act's word, in either order. Pure functions, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KINDS: tuple[str, ...] = ("act", "draft_law", "information", "media", "event", "other")

# The stem must start a word (Cyrillic words: \b works on str patterns with re.UNICODE).
_B = r"(?<![\w])"

_ACT_WORD = (
    r"приказ|постановлени|указ(?:а|ом|ы|ов)?\b|распоряжени|закон(?!одат)|кодекс|решени[ея]"
    r"|нормативн|бұйры[қғ]|қаулы|жарлы[қғ]|өкім|заң|кодек|шешім|нқа\b|нпа\b"
)
# Drafts: "проект закона", "законопроект", "заң жобасы", "қаулы жобасын".
_DRAFT = re.compile(
    rf"{_B}законопроект|{_B}проект\w*\s+(?:\w+\s+){{0,3}}?(?:{_ACT_WORD})"
    rf"|{_B}(?:{_ACT_WORD})\w*\s+(?:\w+\s+){{0,2}}?жоба"
    rf"|{_B}внесени\w*\s+(?:\w+\s+){{0,3}}?(?:в\s+)?(?:парламент|мажилис|правительств)"
    rf"|{_B}(?:парламент|мәжіліс|үкімет)\w*\s+(?:\w+\s+){{0,2}}?енгіз",
)
_ACT = re.compile(
    rf"{_B}(?:{_ACT_WORD})|{_B}утвержд|{_B}бекіт|{_B}принят\w*\s+(?:\w+\s+)?(?:акт|закон)",
)
_INFORMATION = re.compile(
    rf"{_B}(?:информаци[яиюей]|справк|доклад|отч[её]т|сведени|аналитическ\w*\s+записк"
    rf"|служебн\w*\s+записк"
    rf"|медиаплан|медиа-план|ақпарат(?!тық)|анықтама|баяндама|есеп|мәлімет|хабарлам|медиажоспар"
    rf"|медиа-жоспар)",
)
_MEDIA = re.compile(
    rf"{_B}(?:сми\b|бақ\b|публикаци|опубликова|стать[яиейю]|материал\w*\s+(?:в\s+)?сми"
    rf"|видеоролик|ролик|интернет|телепередач|радиопередач|репортаж|интервью|эфир"
    rf"|телеэфир|соцсет|социальн\w*\s+сет|медиа(?!план|-план|жоспар|-жоспар)|рубрик"
    rf"|аудиоджингл|инфографик|пресс-релиз|мақала|жарияла|жариялан|бейнеролик|роликтер"
    rf"|сұхбат|телебағдарлама|бағдарлама\w*\s+эфир|айдар|әлеуметтік\s+желі"
    rf"|ақпараттық\s+материал|газет|журнал(?!ист))",
)
_EVENT = re.compile(
    rf"{_B}(?:(?<!интернет-)форум|конференци|семинар|совещани|заседани|встреч|круглы\w*\s+стол"
    rf"|акци[яиюей]|фестивал|конкурс|выставк|экспозици|мероприяти|слет|съезд"
    rf"|презентаци|концерт|тренинг|флешмоб|марафон|турнир|олимпиад|парад|церемони|событийн"
    rf"|форумдар|конференция|кеңес|отырыс|кездесу|дөңгелек\s+үстел|байқау|көрме|іс-шара"
    rf"|тұсаукесер|жиын|құрылтай|оқиғалар|мерекел|салтанатты)",
)


def _norm(text: str) -> str:
    text = text.lower().replace("ё", "е")
    # "интернет- роликтер" (a hyphenated word broken at the line end) and stray spaces.
    text = re.sub(r"-\s+", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def completion_kinds(forms: Iterable[str] | str | None) -> list[str]:
    """The completion kinds a "form of completion" cell asks for, in the order of ``KINDS``.

    ``forms`` is the cell as the parser gives it (a list of parts) or a string; anything else
    (None, an empty list) gives no kind. Never raises on text.
    """
    if forms is None:
        return []
    parts = [forms] if isinstance(forms, str) else [p for p in forms if isinstance(p, str)]
    text = _norm(" ; ".join(parts))
    if not re.search(r"[^\W\d_]{2,}", text):
        return []
    found: set[str] = set()
    drafts = _DRAFT.search(text) is not None
    if drafts:
        found.add("draft_law")
        # An act besides the draft: "приказ ...; проект закона" — the act's word elsewhere.
        if _ACT.search(_DRAFT.sub(" ", text)):
            found.add("act")
    elif _ACT.search(text):
        found.add("act")
    if _INFORMATION.search(text):
        found.add("information")
    # "интернет-форум" is a place to publish, not an event; drop it before looking for events.
    if _MEDIA.search(text):
        found.add("media")
    if _EVENT.search(re.sub(r"интернет-форум\w*", " ", text)):
        found.add("event")
    if not found:
        found.add("other")
    return [k for k in KINDS if k in found]


def merge_kinds(*lists: Iterable[str]) -> list[str]:
    """The kinds of both language versions together, in the order of ``KINDS``; ``other``
    only when neither version names a kind of its own."""
    found = {k for kinds in lists for k in kinds if k in KINDS}
    if len(found) > 1:
        found.discard("other")
    return [k for k in KINDS if k in found]
