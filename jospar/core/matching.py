"""Likely bodies for a name the directory does not know: "did you mean …" for a plan's executor.

Each live organisation is compared by all its names and printings (Kazakh, Russian, English and
the aliases documents used), without the state's name, with the name the plan prints: mostly by
the words they share (their first letters, so that grammatical endings do not count; words every
body's name has, such as "министерство", do not count), a little by their letters. An
abbreviation the body also used counts in its favour. Read-only.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from jospar.core.models import Organisation, OrganisationAlias
from jospar.core.naming import core_name_key, match_key

THRESHOLD = 0.35
CODE_BONUS = 0.25
WORDS_WEIGHT = 0.7
STEM = 5
_GENERIC = {
    "министерство",
    "министрлігі",
    "министрлиги",
    "агентство",
    "агенттігі",
    "агенттиги",
    "комитет",
    "комитеті",
    "комитети",
    "ministry",
    "agency",
    "committee",
    "of",
    "and",
    "the",
    "for",
    "и",
    "по",
    "делам",
    "және",
    "істері",
    "истери",
    "ісі",
}


@lru_cache(maxsize=50_000)
def _stems(key: str) -> frozenset[str]:
    return frozenset(
        word[:STEM] for word in re.findall(r"\w+", key) if word not in _GENERIC and len(word) > 1
    )


def _likeness(matcher: difflib.SequenceMatcher[str], stems: frozenset[str], known: str) -> float:
    known_stems = _stems(known)
    words = (
        2 * len(stems & known_stems) / (len(stems) + len(known_stems))
        if stems and known_stems
        else 0.0
    )
    matcher.set_seq1(known)
    return WORDS_WEIGHT * words + (1 - WORDS_WEIGHT) * matcher.ratio()


@dataclass(frozen=True)
class Candidate:
    organisation: Organisation
    score: float  # 0..1, higher is likelier

    @property
    def percent(self) -> int:
        return round(100 * self.score)


def _names_by_organisation() -> dict[int, tuple[Organisation, set[str], set[str]]]:
    """Every live organisation with its folded names and abbreviations (one query each)."""
    table: dict[int, tuple[Organisation, set[str], set[str]]] = {}
    for org in Organisation.objects.filter(merged_into__isnull=True).only(
        "id", "kind", "name_kk", "name_ru", "name_en", "abbr_kk", "abbr_ru", "region_id"
    ):
        names = {core_name_key(n) for n in (org.name_kk, org.name_ru, org.name_en) if n}
        codes = {match_key(c) for c in (org.abbr_kk, org.abbr_ru) if c}
        table[org.pk] = (org, names, codes)
    for org_id, code, name in OrganisationAlias.objects.filter(
        organisation__merged_into__isnull=True
    ).values_list("organisation_id", "code", "name"):
        entry = table.get(org_id)
        if entry is None:
            continue
        if name:
            entry[1].add(core_name_key(name))
        if code:
            entry[2].add(match_key(code))
    return table


def organisation_candidates(
    items: list[tuple[str, str]], *, limit: int = 3
) -> dict[tuple[str, str], list[Candidate]]:
    """``{(code, name): [Candidate, ...]}`` best first, for each printed executor."""
    table = _names_by_organisation()
    answers: dict[tuple[str, str], list[Candidate]] = {}
    for code, name in items:
        wanted = core_name_key(name) if name else ""
        code_key = match_key(code) if code else ""
        matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        stems = _stems(wanted)
        scored: list[Candidate] = []
        for org, names, codes in table.values():
            best = 0.0
            if wanted:
                for known in names:
                    # Without a shared word the letters alone cannot reach the threshold.
                    if stems and not stems & _stems(known):
                        continue
                    best = max(best, _likeness(matcher, stems, known))
            if code_key and code_key in codes:
                best = min(1.0, best + CODE_BONUS) if wanted else max(best, 0.6)
            if best >= THRESHOLD:
                scored.append(Candidate(org, round(best, 3)))
        scored.sort(key=lambda c: (-c.score, c.organisation.pk))
        answers[(code, name)] = scored[:limit]
    return answers
