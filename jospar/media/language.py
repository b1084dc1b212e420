"""The language and script of a publication: Kazakh (Cyrillic or the 2021 Latin alphabet),
Russian, English, or mixed.

Rules first, the packaged model (``py3langid``, shipped inside its wheel: nothing is downloaded)
where the rules cannot tell. Letters only Kazakh uses (ә ғ қ ң ө ұ ү һ і in Cyrillic; ä ğ ı ñ ö
ş ū ü and a frequent q in the 2021 Latin alphabet) decide Kazakh; a Cyrillic text without them
is Russian or Kazakh by the model restricted to those two; a Latin text without them is Kazakh
when its common words are Kazakh, else English. A text is mixed when two languages (or two
scripts) each hold a large share of its letters, judged sentence by sentence.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

KK_CYRILLIC = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
KK_LATIN = frozenset("äğıñöşūüÄĞÑÖŞŪÜİ")
# Common Kazakh words in the 2021 Latin alphabet that have no special letter.
KK_LATIN_WORDS = frozenset(
    [
        "men",
        "jäne",
        "bul",
        "osy",
        "da",
        "de",
        "ta",
        "te",
        "bolyp",
        "bolady",
        "dep",
        "edi",
        "eken",
        "ğana",
        "qazaqstan",
        "respublikasy",
        "jyly",
        "jyldyñ",
        "arqyly",
        "boiynşa",
        "turaly",
        "oblysy",
        "qalasy",
        "audany",
        "kezinde",
        "qatysty",
        "biyl",
        "bar",
        "joq",
        "ol",
        "olar",
        "biz",
        "siz",
        "ony",
        "oğan",
        "kerek",
        "tiis",
        "qajet",
        "ortalyq",
        "memlekettik",
        "halyq",
        "halqy",
    ]
)
EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "was",
        "for",
        "on",
        "that",
        "with",
        "by",
        "as",
        "at",
        "from",
        "are",
        "were",
        "this",
        "be",
        "has",
        "have",
        "it",
        "its",
        "an",
        "will",
        "which",
        "their",
        "been",
        "not",
        "or",
    ]
)
MIXED_SHARE = 0.2

_SENTENCE = re.compile(r"(?<=[.!?…;])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Detected:
    lang: str  # kk, ru, en, mixed, und
    script: str  # Cyrl, Latn, mixed, ""

    def as_dict(self) -> dict[str, str]:
        return {"lang": self.lang, "script": self.script}


_model_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["kk", "ru"])
    return identifier


def _cyrillic_lang(text: str, letters: int) -> str:
    # A share of words, not of letters: a Kazakh name («Қоғамдық келісім») in a Russian
    # sentence has many special letters in few words.
    words = [w for w in _WORD.findall(text) if len(w) >= 3]
    marked = sum(1 for w in words if any(ch in KK_CYRILLIC for ch in w))
    if words and marked / len(words) >= 0.4:
        return "kk"
    if marked:
        # Few marked words: names, or a short Kazakh text. The rest of the words decide.
        text = " ".join(w for w in _WORD.findall(text) if not any(ch in KK_CYRILLIC for ch in w))
    with _model_lock:
        lang, _p = _model().classify(text)
    return "kk" if lang == "kk" else "ru"


def _latin_lang(text: str, letters: int) -> str:
    words = [w.lower() for w in _WORD.findall(text)]
    special = sum(1 for ch in text if ch in KK_LATIN)
    q_count = sum(1 for w in words for ch in w if ch == "q")
    kk_words = sum(1 for w in words if w in KK_LATIN_WORDS)
    en_words = sum(1 for w in words if w in EN_WORDS)
    kk_score = 2 * special + q_count + 2 * kk_words
    en_score = 2 * en_words
    if kk_score > en_score and (special or q_count >= 2 or kk_words >= 1):
        return "kk"
    return "en"


# The letters of the Cyrillic block, and of the Latin blocks (Basic Latin to Latin Extended-B and
# Latin Extended Additional): counted by the regular expression engine, not letter by letter.
_CYRILLIC_LETTER = re.compile("[\u0400-\u0481\u048a-\u04ff]")
_LATIN_LETTER = re.compile(
    "[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
)


def _counts(text: str) -> tuple[int, int]:
    return _CYRILLIC_LETTER.subn("", text)[1], _LATIN_LETTER.subn("", text)[1]


def _one(text: str) -> tuple[str, str, int]:
    cyr, lat = _counts(text)
    letters = cyr + lat
    if letters == 0:
        return "und", "", 0
    if cyr >= lat:
        return _cyrillic_lang(text, letters), "Cyrl", letters
    return _latin_lang(text, letters), "Latn", letters


def detect(text: str) -> Detected:
    text = (text or "")[:20000]
    cyr, lat = _counts(text)
    if cyr + lat < 3:
        return Detected("und", "")
    shares: dict[tuple[str, str], int] = {}
    for sentence in _SENTENCE.split(text):
        lang, script, letters = _one(sentence)
        if letters:
            shares[(lang, script)] = shares.get((lang, script), 0) + letters
    total = sum(shares.values())
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    (lang, script), _top = ranked[0]
    if len(ranked) > 1 and ranked[1][1] / total >= MIXED_SHARE:
        (_lang2, script2), _second = ranked[1]
        return Detected("mixed", script if script == script2 else "mixed")
    # One sentence may still mix two scripts.
    if len(ranked) == 1 and min(cyr, lat) / (cyr + lat) >= MIXED_SHARE and min(cyr, lat) >= 15:
        return Detected("mixed", "mixed")
    return Detected(lang, script)
