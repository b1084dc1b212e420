"""Corrections a person makes to a read program tree before saving it.

A correction is a small JSON object applied to the tree as the reader gave it, so that the
corrections are kept with the revision (and replayed on the same text) instead of edits lost in
the tree. A node is addressed by its path: `[i]` is sub-program i, `[i, j]` base project j of it
(0-based, in the text's order).

- `{"op": "rename", "path": [...], "name": "..."}`
- `{"op": "move", "path": [i, j], "to": [k]}` — a base project to another sub-program (at the end)
- `{"op": "merge", "path": [i, j], "into": [i, k]}` — j's lists are appended to k's; j goes
- `{"op": "split", "path": [i, j], "name": "...", "take": {"key_events": [3, 4], ...}}` — a new
  base project after j, named, taking the listed items of j
- `{"op": "target", "path": [...], "indicator": n, "value": 100, "unit": "%", "year": 2022}` —
  an indicator's stated target (value null clears it)
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

_LISTS = ("goals", "tasks", "outcome_indicators", "key_events", "co_executors")
MAX_NAME = 500


class CorrectionError(ValueError):
    """A correction that cannot be applied; its `code` is worded for people by the service."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def apply_corrections(tree: dict[str, Any], corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of `tree` with the corrections applied in order; CorrectionError on a bad one."""
    out = copy.deepcopy(tree)
    for correction in corrections:
        apply_one(out, correction)
    return out


def apply_one(tree: dict[str, Any], c: dict[str, Any]) -> None:
    op = c.get("op")
    if op == "rename":
        name = _name(c.get("name"))
        _node(tree, c.get("path"))["name"] = name
    elif op == "move":
        sp, j = _bp_path(tree, c.get("path"))
        target = _node(tree, c.get("to"), depth=1)
        if target is sp:
            raise CorrectionError("same_parent")
        target["base_projects"].append(sp["base_projects"].pop(j))
    elif op == "merge":
        sp, j = _bp_path(tree, c.get("path"))
        into = _node(tree, c.get("into"), depth=2)
        source = sp["base_projects"][j]
        if into is source:
            raise CorrectionError("same_node")
        for key in _LISTS:
            into.setdefault(key, []).extend(source.get(key, []))
        into["co_executors"] = list(dict.fromkeys(into.get("co_executors", [])))
        sp["base_projects"].remove(source)
    elif op == "split":
        sp, j = _bp_path(tree, c.get("path"))
        source = sp["base_projects"][j]
        new: dict[str, Any] = {
            "name": _name(c.get("name")),
            "printed_number": None,
            "description": "",
            "other_sections": [],
            "warnings": [],
            **{key: [] for key in _LISTS},
        }
        take = c.get("take") or {}
        if not isinstance(take, dict):
            raise CorrectionError("bad_take")
        for key, indexes in take.items():
            if key not in _LISTS or not isinstance(indexes, list):
                raise CorrectionError("bad_take")
            items = source.get(key, [])
            chosen = sorted({_index(i, len(items)) for i in indexes})
            new[key] = [items[i] for i in chosen]
            source[key] = [item for i, item in enumerate(items) if i not in chosen]
        sp["base_projects"].insert(j + 1, new)
    elif op == "target":
        node = _node(tree, c.get("path"))
        key = "target_indicators" if "target_indicators" in node else "outcome_indicators"
        items = node.get(key, [])
        indicator = items[_index(c.get("indicator"), len(items))]
        indicator["target"] = _target(c)
        if indicator["target"] is not None:
            indicator["targets"] = [indicator["target"]]
    else:
        raise CorrectionError("unknown_op")


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CorrectionError("empty_name")
    name = " ".join(value.split())
    if len(name) > MAX_NAME or "\x00" in name:
        raise CorrectionError("bad_name")
    return name


def _index(value: object, size: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise CorrectionError("no_such_node")
    return value


def _node(tree: dict[str, Any], path: object, depth: int | None = None) -> dict[str, Any]:
    if not isinstance(path, list) or not 1 <= len(path) <= 2:
        raise CorrectionError("no_such_node")
    if depth is not None and len(path) != depth:
        raise CorrectionError("no_such_node")
    sp: dict[str, Any] = tree["subprograms"][_index(path[0], len(tree["subprograms"]))]
    if len(path) == 1:
        return sp
    bps = sp["base_projects"]
    node: dict[str, Any] = bps[_index(path[1], len(bps))]
    return node


def _bp_path(tree: dict[str, Any], path: object) -> tuple[dict[str, Any], int]:
    _node(tree, path, depth=2)
    assert isinstance(path, list)
    sp: dict[str, Any] = tree["subprograms"][path[0]]
    return sp, int(path[1])


def _target(c: dict[str, Any]) -> dict[str, Any] | None:
    value = c.get("value")
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation as exc:
        raise CorrectionError("bad_value") from exc
    if not number.is_finite() or abs(number) >= Decimal(10) ** 14:
        raise CorrectionError("bad_value")
    year = c.get("year")
    if year not in (None, ""):
        try:
            year = int(str(year))
        except ValueError as exc:
            raise CorrectionError("bad_year") from exc
        if not 1990 <= year <= 2100:
            raise CorrectionError("bad_year")
    else:
        year = None
    unit = str(c.get("unit") or "").strip()[:32] or None
    as_number: float | int = int(number) if number == number.to_integral_value() else float(number)
    return {"value": as_number, "unit": unit, "year": year}
