"""The program gold (`program-import.gold.json`) as a list of facts, and a parsed tree's score.

A fact is one thing the contract asks the reader to get right, named by the nodes it belongs to
(sub-program and base project by name, so that one missed item does not shift every fact after
it): a node's name and printed number, each purpose, summary, target group, method, goal, task,
key event (and its deadline), co-executor code, direction and activity, each indicator with its
kind, target and direction, each stage, and each warning the contract requires (node and code).
Texts compare as the gold's notes say: whitespace folded, one trailing ; . , or : ignored.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from jospar.planparser.tests.seedtools import FIXTURES, SHARED

_LIVE = SHARED / "spec" / "program-import.gold.json"
GOLD_PATH = _LIVE if _LIVE.exists() else FIXTURES / "program-import.gold.json"
PROGRAM_SEED = "002_8999394f61b35e2b.txt"

Fact = tuple[str, ...]


def program_gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    return data


def norm(text: object) -> str:
    if text is None:
        return "∅"
    s = re.sub(r"\s+", " ", str(text)).strip()
    return re.sub(r"\s*[;.,:]$", "", s)


def _target(t: dict[str, Any] | None) -> str:
    if not t:
        return "∅"
    return f"{t['value']:g}|{t.get('unit')}|{t.get('year')}"


def _indicators(where: Fact, items: list[dict[str, Any]]) -> list[Fact]:
    out: list[Fact] = []
    for i in items:
        key = (*where, "indicator", norm(i["text"]))
        out += [
            key,
            (*key, "kind", i["kind"]),
            (*key, "target", _target(i.get("target"))),
            (*key, "direction", norm(i.get("direction"))),
        ]
    return out


def _events(where: Fact, items: list[dict[str, Any]]) -> list[Fact]:
    out: list[Fact] = []
    for e in items:
        out += [
            (*where, "event", norm(e["text"])),
            (*where, "event", norm(e["text"]), "deadline", norm(e.get("deadline_text"))),
        ]
    return out


def _warnings(where: Fact, node: dict[str, Any]) -> list[Fact]:
    return [(*where, "warning", w["code"]) for w in node.get("warnings", [])]


def facts(tree: dict[str, Any], *, required_warnings_only: bool = True) -> list[Fact]:
    """The facts of a tree in the contract's shape (the gold, or a parsed program's JSON)."""
    out: list[Fact] = [("title", norm(tree["title"])), ("lang", tree["lang"])]
    out += [
        ("stage", norm(s.get("name")), str(s["start_year"]), str(s["end_year"]))
        for s in tree["stages"]
    ]
    for sp in tree["subprograms"]:
        w: Fact = ("sp", norm(sp["name"]))
        out += [w, (*w, "number", norm(sp.get("printed_number")))]
        for field in ("summary", "purpose", "target_group"):
            out.append((*w, field, norm(sp.get(field))))
        out += [(*w, "method", norm(m)) for m in sp.get("methods", [])]
        out += [(*w, "task", norm(t)) for t in sp.get("tasks", [])]
        out += _indicators(w, sp.get("target_indicators", []))
        out += _events(w, sp.get("key_events", []))
        out += [(*w, "co", norm(c)) for c in sp.get("co_executors", [])]
        for d in sp.get("directions", []):
            dw = (*w, "direction", norm(d["name"]))
            out += [dw, *((*dw, "activity", norm(a)) for a in d["activities"])]
        for bp in sp.get("base_projects", []):
            b = (*w, "bp", norm(bp["name"]))
            out += [b, (*b, "number", norm(bp.get("printed_number")))]
            out += [(*b, "goal", norm(g)) for g in bp.get("goals", [])]
            out += [(*b, "task", norm(t)) for t in bp.get("tasks", [])]
            out += _indicators(b, bp.get("outcome_indicators", []))
            out += _events(b, bp.get("key_events", []))
            out += [(*b, "co", norm(c)) for c in bp.get("co_executors", [])]
            out += _warnings(b, bp)
        out += _warnings(w, sp)
    out += _warnings(("program",), tree)
    return out


@dataclass
class Score:
    gold: int
    parsed: int
    matched: int
    missed: list[Fact]
    extra: list[Fact]

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.parsed if self.parsed else 1.0


def score(parsed: dict[str, Any], gold: dict[str, Any] | None = None) -> Score:
    """Recall over the gold's facts; precision over the parsed facts of the same kinds.

    Warnings the gold calls advisory are neither required nor penalised, so a parsed warning
    counts against precision only when its code is one the gold requires somewhere.
    """
    gold = gold or program_gold()
    expected = Counter(facts(gold))
    required_codes = {f[-1] for f in expected if len(f) >= 2 and f[-2] == "warning"}
    got = Counter(
        f
        for f in facts(parsed)
        if not (len(f) >= 2 and f[-2] == "warning" and f[-1] not in required_codes)
    )
    matched = expected & got
    return Score(
        gold=sum(expected.values()),
        parsed=sum(got.values()),
        matched=sum(matched.values()),
        missed=sorted((expected - got).elements()),
        extra=sorted((got - expected).elements()),
    )
