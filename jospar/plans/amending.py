"""An amending act's changes applied to a plan's parsed text (no database).

The act's changes (``jospar parse-amendment``) name rows by their printed number and columns by
their printed position. Each change is placed on the plan's current rows as cells: the cell's
new text is read again with the importer's own rules (``planparser.corrections``), so a changed
executors or deadline cell gives executors, work window and report dates exactly as an import
of the amended plan would. A change that cannot be placed is a problem on that change; the plan
is only amended when no change has one.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from jospar.planparser.corrections import CorrectionError, apply_correction
from jospar.planparser.executors import parse_executors
from jospar.planparser.model import Lang
from jospar.planparser.textutil import fold

# The changes the table of a plan takes; the others (a decree's points, headings, notes, a
# whole new plan) are listed for the person and left to them.
ROW_OPS = ("replace_row", "add_row", "remove_row", "replace_words", "add_words")
CELL_FIELDS = ("title", "completion_form", "executors", "deadline_text", "controller", "financing")
_TARGET = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})\s*№\s*(?P<number>[^\s/]+)")
_ROW_NUMBER = re.compile(r"^\s*\d{1,4}(?:-\d{1,4}){0,2}\s*[.)]?\s*$")


@dataclass
class PlacedChange:
    """One change of the act as it falls on the plan: rows before and after, cell by cell."""

    index: int
    op: str
    change: dict[str, Any]
    applies: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class AmendedPlan:
    parsed: dict[str, Any]
    placed: list[PlacedChange]

    @property
    def problems(self) -> list[tuple[int, dict[str, str]]]:
        return [(p.index, problem) for p in self.placed for problem in p.problems]

    @property
    def applied(self) -> list[PlacedChange]:
        return [p for p in self.placed if p.applies and not p.problems]


def _fold_cells(cells: list[Any]) -> list[str]:
    return [fold(str(c)) for c in cells]


def column_fields(plan_json: dict[str, Any]) -> dict[int, str]:
    """Which field each printed column (1-based) holds, by a vote over the plan's rows."""
    lang: Lang = "ru" if plan_json.get("lang") == "ru" else "kk"
    glossary = plan_json.get("glossary") or {}
    votes: Counter[tuple[int, str]] = Counter()
    for activity in plan_json.get("activities") or []:
        cells = activity.get("source_cells") or []
        forms = [fold(f) for f in activity.get("completion_form") or []]
        for index, cell in enumerate(cells):
            text = fold(str(cell))
            column = index + 1
            if index == 0 and _ROW_NUMBER.match(text):
                votes[(column, "number")] += 1
            elif text and text == fold(str(activity.get("title") or "")):
                votes[(column, "title")] += 1
            elif text and text == fold(str(activity.get("deadline_text") or "")):
                votes[(column, "deadline_text")] += 1
            elif forms and [fold(p) for p in str(cell).split(";") if fold(p)] == forms:
                votes[(column, "completion_form")] += 1
            elif text and text == fold(str(activity.get("financing") or "")):
                votes[(column, "financing")] += 1
            elif activity.get("controller") and text == ", ".join(activity["controller"]):
                votes[(column, "controller")] += 1
            elif activity.get("executors"):
                found, _w = parse_executors(
                    str(cell), lang=lang, glossary=glossary, activity=str(activity.get("number"))
                )
                if found and [e.to_json() for e in found] == activity["executors"]:
                    votes[(column, "executors")] += 1
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for (column, name), _count in votes.most_common():
        if column not in mapping and name not in taken:
            mapping[column] = name
            taken.add(name)
    return mapping


def targets_plan(change: dict[str, Any], approved_on: str | None, number: str | None) -> bool:
    """Whether a change is aimed at the plan approved by (date, number); a change that names
    no decree is taken to be aimed at it."""
    match = _TARGET.search(str(change.get("target") or ""))
    if match is None or not approved_on or not number:
        return True
    return match["date"] == approved_on and match["number"].strip(".,") == number


def _problem(code: str, message: str, **params: str) -> dict[str, str]:
    """A problem or note on a change: a stable code, an English message, and the values the
    page's own wording needs (``number``, ``words``, ``column``)."""
    return {"code": code, "message": message, **params}


def _find(plan: dict[str, Any], number: str) -> dict[str, Any] | None:
    for activity in plan.get("activities") or []:
        if str(activity.get("number")) == number:
            return activity  # type: ignore[no-any-return]
    return None


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", number)) or (10**9,)


def _cells_of(activity: dict[str, Any], width: int) -> list[str]:
    cells = [str(c) for c in activity.get("source_cells") or []]
    return cells + [""] * (width - len(cells))


def _set_cells(
    plan: dict[str, Any], number: str, cells: list[str], columns: dict[int, str]
) -> dict[str, Any]:
    """The plan with row ``number``'s cells replaced and every changed field read again."""
    activity = _find(plan, number)
    assert activity is not None
    old = _cells_of(activity, len(cells))
    for index, text in enumerate(cells):
        name = columns.get(index + 1)
        if name in CELL_FIELDS and fold(text) != fold(old[index]):
            plan = apply_correction(plan, activity_number=number, field=name, value=text)
    activity = _find(plan, number)
    assert activity is not None
    activity["source_cells"] = list(cells)
    return plan


def _row_cells(change: dict[str, Any], number: str, width: int) -> list[str] | None:
    row = change.get("row") or {}
    cells = [str(c) for c in row.get("cells") or []]
    if not cells:
        return None
    cells[0] = f"{number}."
    return cells + [""] * (width - len(cells))


def amend(
    plan_json: dict[str, Any],
    changes: list[dict[str, Any]],
    *,
    approved_on: str | None = None,
    approval_number: str | None = None,
) -> AmendedPlan:
    """``plan_json`` with the act's ``changes`` applied in order, and where each one fell."""
    plan = copy.deepcopy(plan_json)
    columns = column_fields(plan)
    width = max(columns, default=0)
    placed: list[PlacedChange] = []
    for index, change in enumerate(changes):
        op = str(change.get("op") or "")
        item = PlacedChange(index=index, op=op, change=change, applies=False)
        placed.append(item)
        if change.get("skip"):
            item.notes.append(_problem("skipped", "Left out by the person who checks the act."))
            continue
        if op not in ROW_OPS:
            item.notes.append(
                _problem("not_a_row_change", "This change is not made to the table's rows.")
            )
            continue
        if not targets_plan(change, approved_on, approval_number):
            item.notes.append(_problem("other_target", "This change amends another decree."))
            continue
        item.applies = True
        for warning in change.get("warnings") or []:
            # The reader's doubts (a row printed with another number) wait for the person.
            item.problems.append(
                _problem(str(warning.get("code")), str(warning.get("message") or ""))
            )
        if item.problems:
            continue
        try:
            plan = _apply_one(plan, change, item, columns, width)
        except CorrectionError as exc:
            item.problems.append(_problem(exc.code, str(exc)))
    return AmendedPlan(parsed=plan, placed=placed)


def _apply_one(
    plan: dict[str, Any],
    change: dict[str, Any],
    item: PlacedChange,
    columns: dict[int, str],
    width: int,
) -> dict[str, Any]:
    op = item.op
    numbers = [str(n) for n in change.get("number") or []]
    if not numbers:
        item.problems.append(_problem("no_row", "The change names no row."))
        return plan
    if op == "remove_row":
        for number in numbers:
            activity = _find(plan, number)
            if activity is None:
                item.problems.append(
                    _problem(
                        "no_such_row", f"The plan has no row numbered {number}.", number=number
                    )
                )
                continue
            item.rows.append(
                {"number": number, "before": _cells_of(activity, width), "after": None}
            )
        if not item.problems:
            plan["activities"] = [
                a for a in plan.get("activities") or [] if str(a.get("number")) not in numbers
            ]
        return plan
    number = numbers[0]
    activity = _find(plan, number)
    if op == "add_row":
        if activity is not None:
            item.problems.append(
                _problem(
                    "row_exists", f"The plan already has a row numbered {number}.", number=number
                )
            )
            return plan
        cells = _row_cells(change, number, width)
        if cells is None:
            item.problems.append(_problem("no_content", "The new row's cells are missing."))
            return plan
        return _add_row(plan, number, cells, item, columns)
    if activity is None:
        item.problems.append(
            _problem("no_such_row", f"The plan has no row numbered {number}.", number=number)
        )
        return plan
    before = _cells_of(activity, width)
    if op == "replace_row":
        cells = _row_cells(change, number, width)
        if cells is None:
            item.problems.append(_problem("no_content", "The new row's cells are missing."))
            return plan
    else:
        cells = _words_changed(change, before, item)
        if cells is None:
            return plan
    plan = _set_cells(plan, number, cells, columns)
    item.rows.append({"number": number, "before": before, "after": cells})
    return plan


def _words_changed(
    change: dict[str, Any], cells: list[str], item: PlacedChange
) -> list[str] | None:
    old, new = str(change.get("old") or ""), str(change.get("new") or "")
    column = change.get("column")
    if not old:
        item.problems.append(_problem("no_words", "The words to look for are missing."))
        return None
    if column:
        candidates = [int(column) - 1] if 0 < int(column) <= len(cells) else []
        if not candidates:
            item.problems.append(
                _problem(
                    "no_such_column",
                    f"The plan's table has no column {column}.",
                    column=str(column),
                )
            )
            return None
    else:
        candidates = [i for i, c in enumerate(cells) if fold(old) in fold(c)]
    hits = [i for i in candidates if fold(old) in fold(cells[i])]
    if len(hits) != 1:
        where = f"column {column}" if column else "the row"
        item.problems.append(
            _problem("words_not_found", f"The words «{old}» are not in {where}.", words=old)
            if not hits
            else _problem(
                "words_ambiguous", f"The words «{old}» stand in several cells.", words=old
            )
        )
        return None
    result = list(cells)
    cell = fold(cells[hits[0]])
    replacement = new if item.op == "replace_words" else f"{old} {new}"
    result[hits[0]] = cell.replace(fold(old), replacement, 1)
    return result


def _add_row(
    plan: dict[str, Any],
    number: str,
    cells: list[str],
    item: PlacedChange,
    columns: dict[int, str],
) -> dict[str, Any]:
    activities = plan.setdefault("activities", [])
    # After the last row whose number comes before it ("5-1" after "5"), in that row's section.
    position = 0
    section = None
    for i, activity in enumerate(activities):
        if _number_key(str(activity.get("number"))) < _number_key(number):
            position, section = i + 1, activity.get("section")
    activities.insert(
        position,
        {
            "number": number,
            "section": section,
            "title": "",
            "completion_form": [],
            "executors": [],
            "deadline_text": "",
            "controller": None,
            "financing": None,
            "window": {"start": None, "end": None},
            "reports": [],
            "warnings": [],
            "source_cells": [""] * len(cells),
        },
    )
    try:
        plan = _set_cells(plan, number, cells, columns)
    except CorrectionError:
        # Nothing of a row that cannot be read stays in the plan.
        plan["activities"] = [a for a in activities if str(a.get("number")) != number]
        raise
    item.rows.append({"number": number, "before": None, "after": cells})
    return plan
