"""Seed plans and their gold data for the plan-importer tests, and ways to re-lay them out.

The re-layout helpers read the seeds with deliberately naive code of their own (not the
parser's), so that a test which rebuilds a seed as a Word table or an HTML page checks the
reader of that format, not the text layout reader a second time.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The contract lives in ../shared beside the checkout; when it is there the tests read it, so that
# a change of the contract is felt at once. A fresh clone without it uses the committed copies
# (the plan seeds are the demo's, the program documents and the gold file are in fixtures/);
# test_fixtures_match_the_contract fails when the copies drift from the contract.
SHARED = REPO.parent / "shared"
_LIVE = (SHARED / "spec" / "plan-import.gold.json").exists()
SEEDS = SHARED / "seeds" if _LIVE else REPO / "jospar" / "plans" / "demo_seeds"
GOLD = SHARED / "spec" / "plan-import.gold.json" if _LIVE else FIXTURES / "plan-import.gold.json"
PLAN_SEEDS = ("000_cd8375e37760b29f.txt", "001_995ec698e315c512.txt", "003_a9a4330e1c30fd6a.txt")
OTHER_SEEDS = ("002_8999394f61b35e2b.txt", "004_86bc6c33fc392a94.txt")


_NUMBER = re.compile(r"\d{1,3}\.")


def seed_file(name: str) -> Path:
    path = SEEDS / name
    return path if path.exists() else FIXTURES / name


def seed_bytes(name: str) -> bytes:
    return seed_file(name).read_bytes()


def seed_text(name: str) -> str:
    return seed_bytes(name).decode("utf-8")


def gold() -> dict[str, dict[str, Any]]:
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    return {p["file"]: p for p in data["plans"]}


@dataclass
class SeedTable:
    """A seed's table as naive pieces: text before, [heading or row] items, text after."""

    before: list[str]
    header: list[str] | None
    items: list[str | list[str]]  # a heading (str) or a row (list of cells)
    after: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[list[str]]:
        return [i for i in self.items if isinstance(i, list)]


def _heading(cell: str) -> bool:
    first = cell.split("\n")[0].split("(")[0].strip()
    return first.upper() == first and " " in first and "," not in first and len(first) > 12


def tab_table(text: str) -> SeedTable:
    """001/003: cells are TAB lines (continued by non-TAB lines); rows start at "N." cells."""
    lines = text.split("\n")
    cells: list[str] = []
    before: list[str] = []
    after: list[str] = []
    cur: list[str] | None = None
    blanks = 0
    for line in lines:
        if line.lstrip(" ").startswith("\t"):
            if cur is not None:
                cells.append("\n".join(cur))
            cur = [line.strip()]
            blanks = 0
        elif not line.strip():
            blanks += 1
        elif cur is not None and blanks < 2:
            cur.append(line.strip())
            blanks = 0
        elif cur is None:
            before.append(line)
        else:
            after.append(line)
    if cur is not None:
        cells.append("\n".join(cur))
    first = next(i for i, c in enumerate(cells) if _NUMBER.fullmatch(c))
    head = cells[:first]
    header = head[:5] if head and head[0].startswith("№") else None
    items: list[str | list[str]] = [h for h in head if _heading(h)]
    row: list[str] | None = None
    for c in cells[first:]:
        if _NUMBER.fullmatch(c):
            row = [c]
            items.append(row)
        elif _heading(c):
            items.append(c)
            row = None
        elif row is not None:
            row.append(c)
    return SeedTable(before, header, items, after)


def pipe_table(text: str) -> SeedTable:
    """000: one row per line with cells between `|`."""
    before: list[str] = []
    after: list[str] = []
    header: list[str] | None = None
    items: list[str | list[str]] = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) >= 5 and _NUMBER.fullmatch(cells[0]):
            items.append(cells)
        elif len(cells) >= 5 and cells[0] == "№":
            header = cells
        elif len(cells) >= 5:
            continue
        elif (header or items) and not after and line.strip() and _heading(line.strip()):
            items.append(line.strip())
        elif not items:
            before.append(line)
        else:
            after.append(line)
    return SeedTable(before, header, items, after)


def as_tab_text(table: SeedTable, order: list[int] | None = None, header: bool = True) -> str:
    """A SeedTable written back in the TAB-line layout, columns in `order`."""
    out = list(table.before)
    if header and table.header:
        cols = [table.header[i] for i in order] if order else table.header
        out += ["\t" + c.replace("\n", "\n\n") for c in cols]
    for item in table.items:
        if isinstance(item, str):
            out += ["", "\t" + item, ""]
            continue
        cells = [item[i] for i in order] if order else item
        out += ["\t" + c for c in cells] + [""]
    out += ["", "", "", *table.after]
    return "\n".join(out)


def as_pipe_text(table: SeedTable, order: list[int] | None = None, header: bool = True) -> str:
    out = list(table.before)
    if header and table.header:
        cols = [table.header[i] for i in order] if order else table.header
        out.append("\t|\t".join(c.replace("\n", " ") for c in cols))
    for item in table.items:
        if isinstance(item, str):
            out.append(item)
            continue
        cells = [item[i] for i in order] if order else item
        out.append("\t|\t".join(c.replace("\n", " ") for c in cells))
    out += ["", "", *table.after]
    return "\n".join(out)


def numbered_cells(text: str) -> int:
    """How many cells of a text hold only a number: an upper bound for the activities."""
    n = 0
    for line in text.split("\n"):
        for part in re.split(r"[|\t]", line):
            if re.fullmatch(r"\s*(?:№\s*)?\d{1,3}(?:\.\d{1,3}){0,3}\s*[.)]?\s*", part):
                n += 1
    return n


def executor_tuples(executors: list[Any]) -> list[tuple[str, bool, bool, str | None]]:
    return [(e.code, e.lead, e.by_agreement, e.role) for e in executors]


def gold_mismatches(plan: Any, name: str, *, dates: bool = True) -> list[str]:
    """Every difference between a ParsedPlan and the gold of seed `name`, as readable lines."""
    expected = gold()[name]
    problems: list[str] = []
    if len(plan.activities) != len(expected["activities"]):
        problems.append(
            f"{len(plan.activities)} activities, gold has {len(expected['activities'])}"
        )
    for act, exp in zip(plan.activities, expected["activities"], strict=False):
        if act.number != exp["number"]:
            problems.append(f"number {act.number!r} != {exp['number']!r}")
        got = executor_tuples(act.executors)
        want = [(e["code"], e["lead"], e["by_agreement"], e["role"]) for e in exp["executors"]]
        if got != want:
            problems.append(f"{exp['number']}: executors {got} != {want}")
        if dates:
            if act.window.to_json() != exp["window"]:
                problems.append(
                    f"{exp['number']}: window {act.window.to_json()} != {exp['window']}"
                )
            reports = [d.isoformat() for d in act.reports]
            if reports != exp["reports"]:
                problems.append(f"{exp['number']}: reports {reports} != {exp['reports']}")
    return problems


def html_page(
    before: list[str],
    header: list[str] | None,
    items: list[str | list[str]],
    after: list[str],
    width: int,
) -> str:
    def cell(text: str) -> str:
        return "<p>" + "</p><p>".join(html.escape(x) for x in text.split("\n")) + "</p>"

    out = ["<!DOCTYPE html><html><head><title>План</title><style>p{}</style></head><body>"]
    out += [f"<p>{html.escape(line)}</p>" for line in before if line.strip()]
    out.append('<table border="1">')
    if header:
        out.append("<thead>")
        out.append("<tr>" + "".join(f"<th>{cell(h)}</th>" for h in header) + "</tr>")
        out.append("<tr>" + "".join(f"<td>{i + 1}</td>" for i in range(width)) + "</tr>")
        out.append("</thead>")
    for item in items:
        if isinstance(item, str):
            out.append(f'<tr><td colspan="{width}"><b>{cell(item)}</b></td></tr>')
        else:
            out.append("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in item) + "</tr>")
    out.append("</table>")
    out += [f"<p>{html.escape(line)}</p>" for line in after if line.strip()]
    out.append("</body></html>")
    return "\n".join(out)
