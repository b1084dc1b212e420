"""Local executive bodies written as a group: "акиматы гг. Астаны, Алматы и областей",
"Астана, Алматы ққ., облыс әкімдіктері", "ЖАО".

A group names all regions at once, so it is one executor (AKIMATS) that the control schedule
expands; a single named akimat ("акимат Костанайской области") is an ordinary executor. The
difference is grammatical: the group speaks of oblasts in general (plural, or the bare
attributive "облыс"), a named akimat qualifies the oblast with its name.
"""

from __future__ import annotations

import re

# Akimat (body) or akim (official) in Russian and Kazakh.
_AKIMAT_WORD = re.compile(r"акимат|\bакимы\b|әкімдік|әкімдер", re.IGNORECASE)
_AKIMAT_FIRST = re.compile(r"^\W*(?:акимат|акимы)", re.IGNORECASE)
# "Local executive bodies", in words or as the usual abbreviation.
_LOCAL_BODIES = re.compile(
    r"местн\w*\s+исполнительн\w*\s+орган|жергілікті\s+атқарушы\s+орган|^(?:жао|мио)$",
    re.IGNORECASE,
)
# Words that may stand in the list of cities and oblasts around an akimat word.
_REGION_WORD = re.compile(
    r"^(?:г|гг|город\w*|қ|ққ|қала\w*|и|және|республиканского|значения|столиц\w*|астан\w*"
    r"|алматы|шымкент\w*|нұр-сұлтан\w*|нур-султан\w*|облыс\w*|област\w*|район\w*"
    r"|аудан\w*)$",
    re.IGNORECASE,
)
# The cities of republican significance, which a group lists beside the oblasts.
_REPUBLIC_CITY = re.compile(
    r"^(?:астан\w*|алматы|шымкент\w*|нұр-сұлтан\w*|нур-султан\w*)$", re.IGNORECASE
)
_WORD = re.compile(r"[\w-]+")
_OBLAST = re.compile(r"област\w*|облыс\w*", re.IGNORECASE)
_RU_ADJECTIVE = re.compile(r"(?:ской|цкой|ной|ского|ных|ских)$", re.IGNORECASE)
_GENERIC_OBLAST = re.compile(r"^(?:областей|облыстар|облыстардың|облыстарда|облыс)$", re.IGNORECASE)


def has_akimat_word(text: str) -> bool:
    return _AKIMAT_WORD.search(text) is not None


def akimat_word_first(text: str) -> bool:
    """Russian order: "акиматы гг. Астаны, ..." — the list follows the akimat word."""
    return _AKIMAT_FIRST.match(text) is not None


def is_region_list(text: str) -> bool:
    """A part of the list of cities and oblasts ("Алматы ққ.", "Алматы и областей")."""
    ws = _WORD.findall(text)
    return bool(ws) and all(_REGION_WORD.match(w) for w in ws)


def is_local_bodies(text: str, expansion: str | None = None) -> bool:
    """ "ЖАО", "местные исполнительные органы", or a code the glossary expands so."""
    t = " ".join(_WORD.findall(text))
    if _LOCAL_BODIES.search(t):
        return True
    return expansion is not None and _LOCAL_BODIES.search(expansion) is not None


def is_group(text: str) -> bool:
    """Does an akimat phrase name all regions (True) or particular ones (False)?"""
    if is_local_bodies(text):
        return True
    if not has_akimat_word(text):
        return False
    ws = _WORD.findall(text)
    generic = False
    for i, w in enumerate(ws):
        if not _OBLAST.fullmatch(w):
            continue
        if not _GENERIC_OBLAST.match(w):
            return False  # "области", "облысы", "облысының": one oblast, named
        prev = ws[i - 1] if i > 0 else ""
        if prev and _RU_ADJECTIVE.search(prev) and not _REPUBLIC_CITY.match(prev):
            return False  # "Костанайской и Павлодарской областей"
        if prev[:1].isupper() and not _REPUBLIC_CITY.match(prev) and not _AKIMAT_WORD.match(prev):
            return False  # "Қостанай және Павлодар облыстарының"
        generic = True
    return generic
