"""From the input's blocks to the plan's table: preamble, header, activity rows, trailing text.

Rows are found by one rule in every format: an activity row is where a cell holding only an
activity number ("1.", "12", "1)") stands. In a real table (Word, HTML, a `|`- or TAB-separated
row per line) that cell sits in the number column; in the TAB-line text layout, where each cell
is a line and rows are not marked at all, the number cells cut the stream of cells into rows,
and the row width is the most common distance between them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from jospar.planparser.columns import header_role
from jospar.planparser.sources import Block, Cell, Para, Source, TableRow, load
from jospar.planparser.textutil import (
    fold,
    is_glossary_marker,
    is_heading_like,
    is_numbering_run,
    is_plan_title,
    number_of,
)


@dataclass
class PlanRow:
    number: str
    cells: list[str]
    merged: list[bool]
    section: str | None
    # What the layout had to guess about this row, for the activity's warnings.
    remarks: list[str] = field(default_factory=list)


@dataclass
class Layout:
    kind: str
    text: str
    preamble: str
    header: list[str] | None
    rows: list[PlanRow]
    trailing: str


_TAB_LINE = re.compile(r"^[ \u00a0]*\t")
# "2. Text", "II. Text", "3) Text": an enumerated heading, the text starting with a capital.
_SECTION_START = re.compile(r"^\s*(?:[IVXLІ]+|\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]")


def read_layout(data: bytes | str, filename: str = "plan.txt") -> Layout:
    """Read a plan file into its layout; raises PlanParseError for input that is not text."""
    source = load(data, filename)
    return layout_of(source)


def layout_of(source: Source) -> Layout:
    if source.blocks is not None:
        return _from_table_rows(source.blocks, source.kind, source.text)
    lines = source.text.split("\n")
    if sum(1 for ln in lines if ln.count("|") >= 2) >= 3:
        return _from_table_rows(_separated(lines, "|"), "pipe", source.text)
    if sum(1 for ln in lines if _tsv_cells(ln) >= 3) >= 3:
        return _from_table_rows(_separated(lines, "\t"), "tsv", source.text)
    return _from_cells(_tab_cells(lines), source.text)


# --- text layouts → blocks -----------------------------------------------------------------


def _tsv_cells(line: str) -> int:
    return sum(1 for p in line.strip("\t ").split("\t") if p.strip())


def _separated(lines: list[str], sep: str) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if line.count(sep) >= 2:
            parts = [p.strip() for p in line.split(sep)]
            # "| a | b |" framing leaves empty cells at both ends.
            if line.strip().startswith(sep) and parts and not parts[0]:
                parts = parts[1:]
            if line.strip().endswith(sep) and parts and not parts[-1]:
                parts = parts[:-1]
            blocks.append(TableRow(parts, [False] * len(parts)))
        else:
            blocks.append(Para(line.replace("\t", " ")))
    return blocks


def _tab_cells(lines: list[str]) -> list[Block]:
    """TAB-line layout: a line starting with TAB opens a cell; other lines continue it.

    Two blank lines in a row end a cell: single blank lines occur inside cells ("брендбук;",
    blank, "информация в АП"), while the glossary and signatures stand further apart.
    """
    blocks: list[Block] = []
    cur: list[str] | None = None
    blanks = 0

    def flush() -> None:
        nonlocal cur
        if cur is not None:
            blocks.append(Cell("\n".join(x for x in cur if x)))
        cur = None

    for line in lines:
        if _TAB_LINE.match(line):
            flush()
            parts = line.lstrip(" \u00a0").split("\t")[1:]
            for part in parts[:-1]:
                blocks.append(Cell(part.strip()))
            cur = [parts[-1].strip()]
            blanks = 0
        elif not line.strip():
            blanks += 1
            if blanks >= 2:
                flush()
        elif cur is not None and not is_glossary_marker(line):
            cur.append(line.replace("\t", " ").strip())
            blanks = 0
        else:
            flush()
            blocks.append(Para(line.replace("\t", " ")))
            blanks = 0
    flush()
    return blocks


# --- helpers -----------------------------------------------------------------------------------


def _is_header(cells: list[str]) -> bool:
    hits = sum(1 for c in cells if header_role(c) is not None)
    return hits >= 2 and hits * 2 >= len([c for c in cells if c.strip()])


def _cut_glossary(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    for i, b in enumerate(blocks):
        if isinstance(b, Para) and is_glossary_marker(b.text):
            return blocks[:i], blocks[i:]
    return blocks, []


def _render(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, TableRow):
            cells = [fold(c) for c in b.cells if c.strip()]
            # A two-column glossary table reads as "CODE - name".
            out.append(" - ".join(cells) if len(cells) == 2 else " | ".join(cells))
        else:
            out.append(b.text)
    return out


def _plausible_next(prev: tuple[int, ...] | None, cur: tuple[int, ...], gap: int) -> bool:
    """Does `cur` continue the numbering after `prev`? Rejects stray numbers in other cells."""
    if prev is None or cur[0] == 1:
        return True
    if cur == prev:
        return gap >= 2
    return prev[0] <= cur[0] <= prev[0] + 5


def _style_of(cell: str) -> str:
    s = cell.strip()
    return s[-1] if s and s[-1] in ".)" else ""


def _number_style(cells: list[str]) -> str | None:
    """How the plan writes its activity numbers ("1.", "1)" or "1"), where most agree.

    In the TAB-line layout a figure in another column ("5" million tenge) looks like an
    activity number; numbers written in the plan's own style are the ones that start rows.
    """
    styles = Counter(_style_of(c) for c in cells if number_of(c) is not None)
    if not styles:
        return None
    style, count = styles.most_common(1)[0]
    return style if count >= 0.7 * sum(styles.values()) else None


def _num_key(number: str) -> tuple[int, ...]:
    return tuple(int(x) for x in number.split("."))


# --- real tables ---------------------------------------------------------------------------


def _number_column(rows: list[TableRow]) -> int:
    votes: Counter[int] = Counter()
    for r in rows:
        if len([c for c in r.cells if c.strip()]) < 2 or is_numbering_run(r.cells):
            continue
        for i, c in enumerate(r.cells):
            if number_of(c) is not None and not (r.merged and r.merged[i]):
                votes[i] += 1
                break
    return votes.most_common(1)[0][0] if votes else 0


def _from_table_rows(blocks: list[Block], kind: str, text: str) -> Layout:
    body, glossary = _cut_glossary(blocks)
    rows = [b for b in body if isinstance(b, TableRow)]
    numcol = _number_column(rows)

    def activity_number(r: TableRow) -> str | None:
        if numcol >= len(r.cells) or is_numbering_run(r.cells):
            return None
        if r.merged and r.merged[numcol]:
            return None
        if len([c for c in r.cells if c.strip()]) < 2:
            return None
        return number_of(r.cells[numcol])

    idx = [i for i, b in enumerate(body) if isinstance(b, TableRow) and activity_number(b)]
    if not idx:
        return Layout(kind, text, "\n".join(_render(body)), None, [], "\n".join(_render(glossary)))
    first, last = idx[0], idx[-1]
    while (last + 1 < len(body) and isinstance(body[last + 1], TableRow)
           and _is_continuation(body[last + 1], numcol)):  # fmt: skip
        last += 1
    preamble: list[str] = []
    header: list[str] | None = None
    section: str | None = None
    # A heading stands right before the first row (blank lines, header rows aside); a line of
    # capitals further up is part of the preamble (the act's name, "УТВЕРЖДЕН").
    pending: int | None = None
    for b in body[:first]:
        if isinstance(b, TableRow):
            if is_numbering_run(b.cells):
                continue
            if _is_header(b.cells):
                header = list(b.cells)
                continue
            nonempty = [c for c in b.cells if c.strip()]
            if len(nonempty) == 1 or (nonempty and is_heading_like(" ".join(nonempty))):
                section = fold(" ".join(nonempty))
                pending = None
                continue
            preamble.extend(_render([b]))
            section = pending = None
        elif b.text.strip():
            preamble.append(b.text)
            t = fold(b.text)
            if (is_heading_like(t) or _SECTION_START.match(t)) and not is_plan_title(t):
                pending = len(preamble) - 1
            else:
                pending = None
    if pending is not None:
        section = fold(preamble.pop(pending))
    out: list[PlanRow] = []
    for b in body[first : last + 1]:
        if isinstance(b, Para):
            t = fold(b.text)
            if not t:
                continue
            if is_heading_like(t) or (kind in ("docx", "html", "pdf") and len(t) < 300):
                section = t
            elif out:
                # A line of a `|` table broken by the copy: it continues the last cell.
                out[-1].cells[-1] = (out[-1].cells[-1] + "\n" + b.text.strip()).strip()
            continue
        if not isinstance(b, TableRow):
            continue
        number = activity_number(b)
        if number is not None:
            merged = list(b.merged) if b.merged else [False] * len(b.cells)
            remarks = (
                ["the number comes from Word's automatic list numbering"] if b.auto_numbered else []
            )
            out.append(PlanRow(number, list(b.cells), merged, section, remarks))
            continue
        if is_numbering_run(b.cells) or _is_header(b.cells):
            continue  # the header repeated on a new page
        nonempty = [c for c in b.cells if c.strip()]
        if not nonempty:
            continue
        if _is_continuation(b, numcol) and out:
            _continue_row(out[-1], b)
        else:
            section = fold(" ".join(nonempty))
    trailing = _render(body[last + 1 :]) + _render(glossary)
    return Layout(kind, text, "\n".join(preamble), header, out, "\n".join(trailing))


def _is_continuation(row: Block, numcol: int) -> bool:
    """A row with no number of its own that carries on the activity above it."""
    if not isinstance(row, TableRow):
        return False
    if row.merged and numcol < len(row.merged) and row.merged[numcol]:
        return True
    nonempty = [c for c in row.cells if c.strip()]
    return len(nonempty) >= 2 and numcol < len(row.cells) and not row.cells[numcol].strip()


def _continue_row(row: PlanRow, cont: TableRow) -> None:
    """A row without a number of its own continues the activity above (a split Word row)."""
    for i, c in enumerate(cont.cells):
        if not c.strip() or (cont.merged and i < len(cont.merged) and cont.merged[i]):
            continue
        if i < len(row.cells):
            row.cells[i] = (row.cells[i] + "\n" + c).strip()
        else:
            row.cells.append(c)
            row.merged.append(False)


# --- the TAB-line layout -------------------------------------------------------------------


@dataclass
class _Item:
    text: str
    kind: str  # "cell" | "heading" | "para"


def _cell_header(cells: list[str]) -> tuple[int, list[str] | None]:
    """The header among the cells before the first row: the last run of two or more cells
    that name different columns ("Наименование мероприятия", "Сроки исполнения", ...)."""
    best: tuple[int, list[str] | None] = (0, None)
    i = 0
    while i < len(cells):
        j = i
        roles: list[str] = []
        while j < len(cells):
            role = header_role(cells[j])
            # Financing is often printed as two columns: "Предполагаемые расходы",
            # "Источники финансирования".
            if role is None or (role in roles and role != "financing"):
                break
            roles.append(role)
            j += 1
        if j - i >= 2:
            best = (i, [fold(c) for c in cells[i:j]])
        i = max(j, i + 1)
    return best


def _from_cells(blocks: list[Block], text: str) -> Layout:
    body, glossary = _cut_glossary(blocks)
    first_cell = next((i for i, b in enumerate(body) if isinstance(b, Cell)), None)
    if first_cell is None:
        return Layout(
            "tabcells", text, "\n".join(_render(body)), None, [], "\n".join(_render(glossary))
        )
    preamble = [b.text for b in body[:first_cell] if isinstance(b, Para)]
    items: list[_Item] = []
    for b in body[first_cell:]:
        if isinstance(b, Cell):
            items.append(_Item(b.text, "heading" if is_heading_like(b.text) else "cell"))
        elif isinstance(b, Para) and b.text.strip():
            items.append(_Item(b.text, "heading" if is_heading_like(b.text) else "para"))

    # Drop the column-numbering run ("1", "2", ... under the header).
    cleaned: list[_Item] = []
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and items[j].kind == "cell" and items[j].text.strip().isdigit():
            j += 1
        if j - i >= 3 and is_numbering_run([it.text for it in items[i:j]]):
            i = j
            continue
        cleaned.append(items[i])
        i += 1

    style = _number_style([it.text for it in cleaned if it.kind == "cell"])
    content: list[str] = []  # the cells, headings removed
    headings: list[tuple[int, str]] = []  # (index in content of the next cell, heading)
    numbers: list[tuple[int, str]] = []
    prev_key: tuple[int, ...] | None = None
    for it in cleaned:
        if it.kind == "heading":
            headings.append((len(content), fold(it.text)))
            continue
        if it.kind == "para":
            # Text after a wide gap inside the table continues the cell before it.
            if content:
                content[-1] = content[-1] + "\n" + it.text.strip()
            else:
                preamble.append(it.text)
            continue
        num = number_of(it.text)
        if num is not None and style is not None and _style_of(it.text) != style:
            num = None  # "5" among "1.", "2.", ...: a figure in another column
        if num is not None:
            key = _num_key(num)
            gap = len(content) - numbers[-1][0] if numbers else len(content)
            if _plausible_next(prev_key, key, gap):
                numbers.append((len(content), num))
                prev_key = key
        content.append(it.text)
    if not numbers:
        rest = preamble + [it.text for it in cleaned]
        return Layout("tabcells", text, "\n".join(rest), None, [], "\n".join(_render(glossary)))

    starts = [p for p, _ in numbers]
    first = starts[0]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    width = Counter(gaps).most_common(1)[0][0] if gaps else len(content) - first
    width = max(width, 1)
    header_at, header = _cell_header(content[:first])
    # Cells between the header (or the last heading) and the first number: the first row's
    # cells that stand before its number, or stray cells of the preamble.
    lead_from = max(
        [header_at + len(header) if header else 0] + [p for p, _ in headings if p <= first]
    )
    lead = first - lead_from
    tail = len(content) - starts[-1]
    offset = 0
    roles = [header_role(h) for h in header] if header else []
    if len(roles) == width and "number" in roles:
        offset = roles.index("number")
    elif 0 < lead < width and tail == width - lead:
        offset = lead
    offset = min(offset, lead)
    preamble.extend(content[: header_at if header else lead_from])
    section: str | None = None
    if offset == 0 and lead >= 1 and _SECTION_START.match(content[first - 1]):
        section = fold(content[first - 1])
        preamble.extend(content[lead_from : first - 1])
    else:
        preamble.extend(content[lead_from : first - offset])

    rows: list[PlanRow] = []
    hi = 0
    for k, (pos, num) in enumerate(numbers):
        start = max(0, pos - offset)
        end = starts[k + 1] - offset if k + 1 < len(numbers) else min(len(content), start + width)
        end = max(end, pos + 1)
        while hi < len(headings) and headings[hi][0] <= start:
            section = headings[hi][1]
            hi += 1
        cells = content[start:end]
        next_section: str | None = None
        # A heading not in capitals ("2. Совершенствование законодательства") is only told
        # by where it stands: one cell too many, between a row and the next number.
        if (
            offset == 0
            and len(cells) == width + 1
            and k + 1 < len(numbers)
            and (_SECTION_START.match(cells[-1]) or is_heading_like(cells[-1]))
        ):
            next_section = fold(cells.pop())
        rows.append(PlanRow(num, cells, [False] * len(cells), section))
        if next_section is not None:
            section = next_section
    last_end = min(len(content), max(0, starts[-1] - offset) + width)
    trailing = [h for p, h in headings[hi:]] + content[last_end:]
    trailing += _render(glossary)
    return Layout("tabcells", text, "\n".join(preamble), header, rows, "\n".join(trailing))
