"""Program text → program tree (`../shared/spec/program-import.md`).

The text is read line by line. A heading (recognised by its words, `headings.py`) opens a block;
lines after it are the block's list items (a marker starts an item, an unmarked line continues an
item that has not ended with ";" or "."), its prose, or its codes, by the block's kind. A list
that has ended gives way to free prose, which is the node's description. Nothing is dropped:
blocks the tree does not model are kept in `other_sections`, and what the reader is unsure of is
a warning on its node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jospar.planparser.model import Lang
from jospar.planparser.program import headings as h
from jospar.planparser.program.indicators import indicator
from jospar.planparser.program.model import (
    BaseProject,
    IndicatorKind,
    KeyEvent,
    OtherSection,
    ParsedProgram,
    ProgramDirection,
    Stage,
    Subprogram,
    Warning,
)
from jospar.planparser.program.text import (
    codes,
    first_sentence,
    fold_name,
    item_text,
    take_task_sentences,
)
from jospar.planparser.sources import Block, Cell, Para, TableRow, load
from jospar.planparser.textutil import detect_lang, fold

_LIST_BLOCKS = {
    "goals",
    "tasks",
    "target_indicators",
    "outcome_indicators",
    "key_events",
    "activities",
    "bp_list",
    "directions_list",
    "intro_list",
}
_PROSE_BLOCKS = {"purpose", "other", "sp_description", "bp_description", "preamble", "closing"}

_STAGE = re.compile(
    r"(?P<name>[^\s().,;:«»\"]+\s+(?:кезең\w*|этап\w*))\s*\(?\s*(?P<a>(?:19|20)\d{2})\s*"
    r"[-–—]\s*(?P<b>(?:19|20)\d{2})",
    re.IGNORECASE,
)
_INTRO_ITEM = re.compile(r"^\s*\d{1,2}\s*[.)]\s*«([^»]{2,200})»\s*[–—\-]\s*(.*)$")
_DIRECTION_SECTION = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*(.+?)\s*:\s*$")
_DEADLINE = re.compile(
    r"(?:(?:до|к|не\s+позднее)\s+)?(?:\d{1,2}\s+[а-яәғқңөұүһі]+\s+)?(?:(?:I{1,3}|IV)\s*"
    r"(?:квартал\w*|тоқсан\w*)\s+)?(?:19|20)\d{2}\s*(?:г\.|год\w*|жыл\w*)"
    r"(?:\s+(?:\d{1,2}\s+)?[а-яәғқңөұүһі]+\s+(?:дейін|айына))?",
    re.IGNORECASE,
)


@dataclass
class _Item:
    text: str
    line: int
    number: str | None


@dataclass
class _Block:
    kind: str
    line: int
    heading: str | None = None
    items: list[_Item] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    open_item: bool = False
    raw_codes: list[str] = field(default_factory=list)


def parse_program(
    data: bytes | str, filename: str = "program.txt", lang: Lang | None = None
) -> ParsedProgram:
    """Read a program's text (txt, docx, html) into its tree; raises PlanParseError on bad input."""
    source = load(data, filename)
    lines = _lines(source.blocks) if source.blocks is not None else source.text.split("\n")
    reader = _Reader(lines, lang or detect_lang(source.text))
    return reader.run()


def _lines(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, TableRow):
            out.append(" | ".join(fold(c) for c in b.cells if c.strip()))
        elif isinstance(b, (Para, Cell)):
            out.extend(b.text.split("\n"))
    return out


class _Reader:
    def __init__(self, lines: list[str], lang: Lang) -> None:
        self.lines = lines
        self.program = ParsedProgram(title=_title(lines), lang=lang)
        self.sp: Subprogram | None = None
        self.bp: BaseProject | None = None
        self.block = _Block("preamble", 1)
        self.preamble: list[tuple[int, str]] = []
        self.listed: list[tuple[str, str | None, int]] = []
        self.listed_directions: list[str] = []
        self.program_directions: list[str] = []
        self.direction: ProgramDirection | None = None
        self.closing = False

    # --- the walk ------------------------------------------------------------------------

    def run(self) -> ParsedProgram:
        title_lines = _title_line_count(self.lines)
        for number, raw in enumerate(self.lines, start=1):
            if number <= title_lines:
                continue
            for part in h.split_inline(raw):
                self._line(number, part)
        self._flush()
        self._close_subprogram()
        self._intro_summaries()
        return self.program

    def _line(self, number: int, raw: str) -> None:
        text = fold(raw)
        if not text:
            self.block.open_item = False
            return
        if self.closing:
            if h.is_closing(text):
                self._flush()
                self.block = _Block("closing", number, heading=text)
            else:
                self.block.prose.append(text)
            return
        if h.is_closing(text):
            self._flush()
            self._close_subprogram()
            self.closing = True
            self.block = _Block("closing", number, heading=text)
            return
        if self.sp is None:
            self.preamble.append((number, text))
        node = h.subprogram_heading(text)
        if node is not None:
            self._open_subprogram(node.name, node.number, number)
            return
        if self.sp is None and self._inferred_subprogram(text, number):
            return
        node = h.base_project_heading(text)
        if node is not None and self.sp is not None:
            self._open_base_project(node.name, node.number, number)
            return
        heading = h.labelled(text)
        if heading is not None:
            self._open_block(heading, number, text)
            return
        self._content(number, raw, text)

    # --- nodes -------------------------------------------------------------------------

    def _open_subprogram(self, name: str, printed: str | None, line: int) -> None:
        self._flush()
        self._close_subprogram()
        self.sp = Subprogram(name=name, printed_number=printed, line=line)
        self.program.subprograms.append(self.sp)
        self.block = _Block("sp_description", line)

    def _inferred_subprogram(self, text: str, line: int) -> bool:
        """Older programs: a listed "main direction" given a section of its own is a sub-program."""
        if not self.program_directions or self.block.kind == "directions_list":
            return False
        name = h.strip_marker(text).rstrip(":. ")
        folded = fold_name(name)
        if not any(folded == fold_name(d) for d in self.program_directions):
            return False
        self._open_subprogram(name, None, line)
        assert self.sp is not None
        self.sp.warnings.append(
            Warning("subprogram_inferred", f'"{name}" is a listed main direction', line)
        )
        return True

    def _close_subprogram(self) -> None:
        self._close_base_project()
        if self.sp is not None:
            self._union_base_projects(self.sp)
        self.sp = None
        self.listed = []
        self.listed_directions = []
        self.direction = None

    def _open_base_project(self, name: str, printed: str | None, line: int) -> None:
        self._flush()
        self._close_base_project()
        assert self.sp is not None
        self.bp = BaseProject(name=name, printed_number=printed, line=line)
        self.sp.base_projects.append(self.bp)
        self.block = _Block("bp_description", line)

    def _close_base_project(self) -> None:
        self.bp = None

    # --- blocks ------------------------------------------------------------------------

    def _open_block(self, heading: h.Heading, line: int, text: str) -> None:
        self._flush()
        kind: str = heading.kind
        if kind in ("base_project_list", "directions", "other"):
            self._close_base_project()
        if kind == "goals" and self.bp is None:
            kind = "purpose"
        if kind == "directions":
            kind = "directions_list"
        if kind == "base_project_list":
            kind = "bp_list"
        if kind == "target_group" and self.sp is not None and self.sp.target_group is None:
            self.block = _Block("target_group", line)
            if heading.value:
                self.sp.target_group = first_sentence(heading.value)
            return
        self.block = _Block(kind, line, heading=heading.label)
        if heading.value:
            self._first_value(heading.value, line)

    def _first_value(self, value: str, line: int) -> None:
        b = self.block
        if b.kind in ("co_executors", "methods"):
            b.raw_codes.append(value)
        elif b.kind in _LIST_BLOCKS:
            # "Негізгі міндеті: X." is one item, whatever commas X holds.
            b.items.append(_Item(h.strip_marker(value), line, None))
            b.open_item = True
        else:
            b.prose.append(value)

    def _content(self, line: int, raw: str, text: str) -> None:
        b = self.block
        if b.kind in ("co_executors", "methods"):
            if not b.raw_codes or b.raw_codes[-1].rstrip().endswith(","):
                b.raw_codes.append(h.strip_marker(text))
                return
            self._flush()
            self.block = _Block(self._description_kind(), line)
            self._content(line, raw, text)
            return
        if b.kind == "target_group":
            if self.sp is not None and self.sp.target_group is None:
                self.sp.target_group = first_sentence(text)
            return
        if b.kind in ("directions_list", "activities") and self._direction_section(line, text):
            return
        if b.kind in _LIST_BLOCKS:
            self._list_line(line, raw, text)
            return
        b.prose.append(text)

    def _list_line(self, line: int, raw: str, text: str) -> None:
        b = self.block
        marked = h.MARKER.match(raw) is not None
        if marked:
            m = h.NUMBERED.match(raw)
            b.items.append(_Item(h.strip_marker(text), line, m.group(1) if m else None))
            b.open_item = True
            return
        last = b.items[-1] if b.items else None
        if last is not None and b.open_item and not last.text.rstrip().endswith((";", ".")):
            last.text += " " + text
            return
        if last is None:
            if text.endswith(":") or b.kind in ("bp_list", "directions_list", "intro_list"):
                b.prose.append(text)  # the sentence that introduces the list
                return
            b.items.append(_Item(text, line, None))
            b.open_item = True
            return
        # The list has ended: free prose of the node follows.
        self._flush()
        self.block = _Block(self._description_kind(), line)
        self.block.prose.append(text)

    def _description_kind(self) -> str:
        if self.bp is not None:
            return "bp_description"
        if self.sp is not None:
            return "sp_description"
        return "preamble"

    def _direction_section(self, line: int, text: str) -> bool:
        m = _DIRECTION_SECTION.match(text)
        if m is None or self.sp is None:
            return False
        if self.block.kind == "directions_list":
            self.listed_directions = [item_text(i.text) for i in self.block.items]
        index = int(m.group(1)) - 1
        name = m.group(2)
        if not 0 <= index < len(self.listed_directions):
            return False
        listed = self.listed_directions[index]
        if not _same_start(listed, name):
            return False
        self._flush()
        self.direction = ProgramDirection(name=listed, line=line)
        self.sp.directions.append(self.direction)
        if fold_name(listed) != fold_name(name):
            self.sp.warnings.append(
                Warning(
                    "direction_name_variant",
                    f'direction {index + 1} is listed as "{listed}" but its section is headed '
                    f'"{name}"',
                    line,
                )
            )
        self.block = _Block("activities", line)
        return True

    # --- closing a block: its items go to the node ---------------------------------------

    def _flush(self) -> None:
        b = self.block
        self.block = _Block(self._description_kind(), b.line)
        items = [_Item(item_text(i.text), i.line, i.number) for i in b.items]
        items = [i for i in items if i.text]
        self._numbering_warning(b, items)
        if b.kind == "goals" and self.bp is not None:
            self.bp.goals.extend(i.text for i in items)
        elif b.kind == "tasks":
            (self.bp.tasks if self.bp else self._sp().tasks).extend(i.text for i in items)
        elif b.kind in ("target_indicators", "outcome_indicators"):
            self._indicators(b.kind, items)
        elif b.kind == "key_events":
            events = [KeyEvent(i.text, _deadline(i.text), i.line) for i in items]
            (self.bp.key_events if self.bp else self._sp().key_events).extend(events)
        elif b.kind == "co_executors":
            found = codes(" ".join(b.raw_codes))
            (self.bp.co_executors if self.bp else self._sp().co_executors).extend(found)
        elif b.kind == "methods":
            self._sp().methods.extend(codes(" ".join(b.raw_codes), keep_inner_and=True))
        elif b.kind == "bp_list":
            for i in items:
                m = re.search(r"«([^»]{2,200})»", i.text)
                self.listed.append((fold(m.group(1)) if m else i.text, i.number, i.line))
        elif b.kind == "directions_list":
            names = [i.text for i in items]
            if self.sp is None:
                self.program_directions = names
            elif not self.sp.directions:
                self.listed_directions = names
        elif b.kind == "activities" and self.direction is not None:
            self.direction.activities.extend(i.text for i in items)
        elif b.kind == "purpose":
            self._purpose(b, items)
        elif b.kind in ("other", "closing"):
            self._other(b, items)
        elif b.kind == "bp_description" and self.bp is not None:
            self._bp_description(b)
        elif b.kind == "sp_description" and self.sp is not None:
            self.sp.description = _join(self.sp.description, " ".join(b.prose))

    def _sp(self) -> Subprogram:
        if self.sp is None:
            # A block before any sub-program: kept under an unnamed one, never dropped.
            self.sp = Subprogram(name="", line=self.block.line)
            self.sp.warnings.append(
                Warning("block_outside_subprogram", "a block before the first sub-program")
            )
            self.program.subprograms.append(self.sp)
        return self.sp

    def _indicators(self, kind: str, items: list[_Item]) -> None:
        ind_kind: IndicatorKind = "target" if kind == "target_indicators" else "outcome"
        node_warnings = self.bp.warnings if self.bp else self._sp().warnings
        for i in items:
            ind, several = indicator(i.text, ind_kind, i.line)
            if several:
                node_warnings.append(
                    Warning("several_values", "the indicator states several values", i.line)
                )
            if ind_kind == "outcome" and self.bp is not None:
                self.bp.outcome_indicators.append(ind)
            else:
                self._sp().target_indicators.append(ind)

    def _purpose(self, b: _Block, items: list[_Item]) -> None:
        text = " ".join([*b.prose, *(i.text for i in items)])
        sp = self._sp()
        sp.purpose = _join(sp.purpose or "", text) or None

    def _other(self, b: _Block, items: list[_Item]) -> None:
        text = "\n".join([*b.prose, *(i.text for i in items)])
        section = OtherSection(b.heading, text, b.line)
        if b.kind == "closing":
            self.program.other_sections.append(section)
        elif self.bp is not None:
            self.bp.other_sections.append(section)
        elif self.sp is not None:
            self.sp.other_sections.append(section)
        else:
            self.program.other_sections.append(section)

    def _bp_description(self, b: _Block) -> None:
        assert self.bp is not None
        prose, tasks = take_task_sentences(" ".join(b.prose))
        for task in tasks:
            self.bp.tasks.append(task)
            self.bp.warnings.append(
                Warning("task_in_prose", "the task is stated inside a prose sentence", b.line)
            )
        self.bp.description = _join(self.bp.description, prose)

    def _numbering_warning(self, b: _Block, items: list[_Item]) -> None:
        numbers = [i.number for i in items]
        if len(items) < 2 or b.kind in ("bp_list",):
            return
        printed = [int(n) for n in numbers if n is not None]
        if printed and (
            None in numbers or printed != list(range(printed[0], printed[0] + len(printed)))
        ):
            node = self.bp or self.sp
            if node is not None:
                node.warnings.append(
                    Warning(
                        "irregular_list_numbering",
                        f"{b.heading or b.kind}: items numbered "
                        + ", ".join(n or "—" for n in numbers),
                        items[0].line,
                    )
                )

    # --- after the walk ----------------------------------------------------------------

    def _union_base_projects(self, sp: Subprogram) -> None:
        """The list and the sections, matched by folded name; numbers checked against position."""
        sections = {fold_name(bp.name): bp for bp in sp.base_projects}
        listed_names = {fold_name(name) for name, _, _ in self.listed}
        for name, number, line in self.listed:
            bp = sections.get(fold_name(name))
            if bp is None:
                missing = BaseProject(name=name, printed_number=None, line=line)
                missing.listed_number = number
                missing.warnings.append(
                    Warning(
                        "listed_without_section", f'"{name}" is listed but has no section', line
                    )
                )
                sp.base_projects.append(missing)
            else:
                bp.listed_number = number
        for position, bp in enumerate(sp.base_projects, start=1):
            if self.listed and fold_name(bp.name) not in listed_names:
                bp.warnings.append(
                    Warning("section_not_listed", f'"{bp.name}" is not in the list', bp.line)
                )
            listed = f' (list printed "{bp.listed_number}")' if bp.listed_number else ""
            if bp.printed_number is None:
                if any(b.printed_number for b in sp.base_projects):
                    bp.warnings.append(
                        Warning(
                            "no_printed_number", f"section heading has no number{listed}", bp.line
                        )
                    )
            elif int(re.sub(r"\D", "", bp.printed_number)) != position:
                bp.warnings.append(
                    Warning(
                        "printed_number_mismatch",
                        f'section printed "{bp.printed_number}" at position {position}{listed}',
                        bp.line,
                    )
                )

    def _intro_summaries(self) -> None:
        """The program's introductory list gives each sub-program its one-line aim, and stages."""
        items: list[list[str]] = []
        for _line, text in self.preamble:
            m = _INTRO_ITEM.match(text)
            if m:
                items.append([m.group(1), m.group(2)])
            elif (
                items
                and not items[-1][1].rstrip().endswith((";", "."))
                and not h.MARKER.match(text)
            ):
                items[-1][1] += " " + text
        by_name = {fold_name(name): item_text(aim) for name, aim in items}
        for sp in self.program.subprograms:
            sp.summary = sp.summary or by_name.get(fold_name(sp.name))
        seen: set[tuple[int, int]] = set()
        # A stage's words may break across lines ("на втором\nэтапе (2021-2025 годы)").
        for m in _STAGE.finditer(" ".join(text for _line, text in self.preamble)):
            key = (int(m.group("a")), int(m.group("b")))
            if key not in seen and key[0] <= key[1]:
                seen.add(key)
                self.program.stages.append(Stage(fold(m.group("name")), *key))


def _title_line_count(lines: list[str]) -> int:
    """How many physical lines the heading takes: the first non-empty lines up to a blank one."""
    seen = 0
    for index, line in enumerate(lines[:12]):
        if line.strip():
            seen += 1
            if seen == 4:
                return index + 1
        elif seen:
            return index
    return 0


_NAMED_TITLE = re.compile(
    r"^\s*(?:Атауы|Наименование|Название)\s*:\s*(?P<title>\S.*)$", re.IGNORECASE
)


def _title(lines: list[str]) -> str:
    """The heading lines; a passport's "Атауы: …" / "Наименование: …" names it better."""
    for line in lines[:15]:
        m = _NAMED_TITLE.match(line)
        if m:
            return fold(m.group("title")).rstrip(".")
    return fold(" ".join(lines[: _title_line_count(lines)]))


def _join(a: str, b: str) -> str:
    return fold(f"{a} {b}")


def _same_start(listed: str, printed: str) -> bool:
    a, b = fold_name(listed), fold_name(printed)
    return a == b or b.startswith(a[: max(8, len(a) - 4)]) or a.startswith(b)


def _deadline(text: str) -> str | None:
    m = _DEADLINE.search(text)
    return fold(m.group(0)) if m else None
