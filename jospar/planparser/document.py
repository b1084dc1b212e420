"""A plan's text → ParsedPlan: layout, columns, glossary, executors and deadlines put together."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath

from jospar.planparser.acts import find_approval, find_plan_period
from jospar.planparser.columns import ColumnMap, Role, align_row, assign_columns
from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.executors import parse_executors
from jospar.planparser.glossary import parse_glossary
from jospar.planparser.layout import Layout, PlanRow, read_layout
from jospar.planparser.model import (
    Activity,
    DeadlineResult,
    Lang,
    ParsedPlan,
    ParseWarning,
    Period,
    PlanParseError,
)
from jospar.planparser.textutil import PLAN_WORD, detect_lang, fold

_APPROVAL_MARK = re.compile(r"УТВЕРЖД|БЕКІТІЛ|Утвержд|бекітіл|распоряжени|өкімімен|постановлени")
_TRAILING_TERM = re.compile(r"\s*\((?=[^()]*(?:\d{4}|срок|мерзім))[^()]*\)\s*$", re.IGNORECASE)
# "Утвердить прилагаемый План ... (далее - План)", "Қоса беріліп отырған ... жоспар бекітілсін".
_APPROVE_CLAUSE = re.compile(
    r"(?:[Уу]твердить\s+прилагаем\w+|[Ққ]оса\s+беріліп\s+отырған)\s+(.+?)"
    r"(?:\s+бекітілсін|\s*\((?:далее|бұдан әрі)|\.\s|$)"
)
_ABOUT = re.compile(r"^(?:Об утверждении\s+(.+)|(.+?)\s+бекіту туралы)$")


# The same heading in ordinary case: "План мероприятий по ...", "... іс-шаралар жоспары".
_PLAN_HEADING = re.compile(
    r"^план(?:\s+мероприятий)?(?![\w-])|(?<![\w-])жоспары?(?:\s*\(.*\))?\s*\.?$", re.IGNORECASE
)


def _title_from_plan_word(lines: list[str], word: re.Pattern[str] = PLAN_WORD) -> str | None:
    for i, line in enumerate(lines):
        if not line or len(line) > 300 or not word.search(line):
            continue
        if _APPROVE_CLAUSE.search(line):
            continue
        m = word.search(line)
        assert m is not None
        parts = [line]
        # "ПЛАН ..." opens a Russian heading; "ЖОСПАРЫ" closes a Kazakh one, even when it
        # stands alone on its line under "ІС-ШАРАЛАР".
        if m.start() == 0 and m.group(0)[:4].casefold() == "план":
            # Russian order: the name goes on over the following short lines.
            for nxt in lines[i + 1 :]:
                if not nxt:
                    continue
                if nxt.startswith("(") or len(nxt) > 200 or _APPROVAL_MARK.search(nxt):
                    break
                parts.append(nxt)
                if len(parts) >= 6:
                    break
        else:
            # Kazakh order: "«...» науқанының ІС-ШАРАЛАР ЖОСПАРЫ", the name before the word.
            for prev in reversed(lines[:i]):
                if not prev:
                    continue
                if _APPROVAL_MARK.search(prev) or prev.endswith(".") or len(prev) > 200:
                    break
                parts.insert(0, prev)
                if len(parts) >= 6:
                    break
        title = _TRAILING_TERM.sub("", " ".join(parts))
        return title.strip() or None
    return None


def find_title(preamble: str, filename: str) -> str:
    """The plan's name: its heading, else the approving clause, else the act's name."""
    lines = [fold(ln) for ln in preamble.split("\n")]
    title = _title_from_plan_word(lines) or _title_from_plan_word(lines, _PLAN_HEADING)
    if title:
        return title
    flat = fold(preamble)
    m = _APPROVE_CLAUSE.search(flat)
    if m:
        return _TRAILING_TERM.sub("", m.group(1)).strip(" .")
    for line in lines:
        if line:
            a = _ABOUT.match(line)
            if a:
                return (a.group(1) or a.group(2) or "").strip()
    return PurePath(filename).stem


def _cells_by_role(
    row: PlanRow, cmap: ColumnMap, glossary: Mapping[str, str], warnings: list[ParseWarning]
) -> dict[Role, str]:
    cells = row.cells
    if len(cells) == cmap.width:
        cols: list[int | None] = list(range(len(cells)))
    else:
        cols = align_row(cells, cmap, glossary)
        warnings.append(
            ParseWarning(
                "row_layout",
                f"Activity {row.number}: the row has {len(cells)} cells where the table has "
                f"{cmap.width}; cells were matched to columns by their content. Please check.",
                row.number,
            )
        )
    out: dict[Role, str] = {}
    # Financing may take several columns ("Предполагаемые расходы", "Источники
    # финансирования"): their cells are joined in the order the plan prints them.
    financing: list[str] = []
    for cell, col in zip(cells, cols, strict=True):
        if col is None:
            continue
        role = cmap.roles[col]
        if role == "financing" or (role is None and col in cmap.extra_financing):
            financing.append(cell)
        elif role is not None:
            out[role] = cell if role not in out else out[role] + "\n" + cell
    if financing:
        out["financing"] = "; ".join(c for c in financing if c.strip())
    return out


def _deadline(
    text: str, *, lang: Lang, period: Period, other: str | None, number: str
) -> DeadlineResult:
    if not text:
        return DeadlineResult(
            Period(None, None),
            [],
            [ParseWarning("deadline_missing", f"Activity {number} has no deadline.", number)],
        )
    try:
        return parse_deadline(
            text, lang=lang, period=period, other_column_text=other, activity=number
        )
    except Exception as exc:  # one unreadable cell must not cost the whole plan
        return DeadlineResult(
            Period(None, None),
            [],
            [
                ParseWarning(
                    "deadline_error",
                    f"The deadline of activity {number} could not be read ({exc}): '{text}'.",
                    number,
                )
            ],
        )


def _activity(
    row: PlanRow, cmap: ColumnMap, *, lang: Lang, glossary: Mapping[str, str], period: Period
) -> Activity:
    warnings: list[ParseWarning] = [
        ParseWarning("row_layout", f"Activity {row.number}: {r}.", row.number) for r in row.remarks
    ]
    by_role = _cells_by_role(row, cmap, glossary, warnings)
    title = fold(by_role.get("title", ""))
    if not title:
        warnings.append(
            ParseWarning("title_missing", f"Activity {row.number} has no title.", row.number)
        )
    completion_raw = by_role.get("completion")
    completion = [fold(p) for p in (completion_raw or "").split(";") if fold(p)]
    executors, ex_warnings = parse_executors(
        by_role.get("executors", ""), lang=lang, glossary=glossary, activity=row.number
    )
    warnings.extend(ex_warnings)
    deadline_text = fold(by_role.get("deadline", ""))
    other = fold(completion_raw) if completion_raw is not None else None
    result = _deadline(
        deadline_text, lang=lang, period=period, other=other or None, number=row.number
    )
    warnings.extend(result.warnings)
    controller: list[str] | None = None
    if cmap.column("controller") is not None:
        controller = [fold(c) for c in by_role.get("controller", "").split(",") if fold(c)]
    financing: str | None = None
    if cmap.column("financing") is not None or cmap.extra_financing:
        financing = fold(by_role.get("financing", ""))
    return Activity(
        number=row.number,
        section=row.section,
        title=title,
        completion_form=completion,
        executors=executors,
        deadline_text=deadline_text,
        window=result.window,
        reports=sorted(result.reports),
        controller=controller,
        financing=financing,
        warnings=warnings,
        source_cells=[c.strip() for c in row.cells],
    )


def parse_layout(
    layout: Layout,
    *,
    filename: str = "plan.txt",
    lang: Lang | None = None,
    period: Period | None = None,
) -> ParsedPlan:
    if not layout.rows:
        raise PlanParseError(
            "not_a_plan",
            "No table of activities was found: no row starts with an activity number. "
            "This looks like a document other than an action plan.",
        )
    lng: Lang = lang or detect_lang(layout.text)
    glossary = parse_glossary(layout.trailing) or parse_glossary(layout.text)
    cmap = assign_columns([r.cells for r in layout.rows], layout.header, glossary)
    if cmap.column("executors") is None and cmap.column("deadline") is None:
        raise PlanParseError(
            "not_a_plan",
            "The numbered rows have neither executors nor deadlines: this is not an action plan.",
        )
    plan_warnings: list[ParseWarning] = []
    for role in ("title", "executors", "deadline"):
        if cmap.column(role) is None:
            plan_warnings.append(
                ParseWarning(
                    "column_missing", f"No column of the table reads as the {role} column."
                )
            )
    if period is None:
        found = find_plan_period(layout.preamble, lng)
        if found is None:
            plan_warnings.append(
                ParseWarning(
                    "no_plan_period",
                    "The text states no period for the plan; give it (--period START END) so "
                    "that open-ended deadlines can be resolved.",
                )
            )
            period = Period(None, None)
        else:
            period = found
    approved_on, approval_number = find_approval(layout.preamble, lng)
    activities = [
        _activity(row, cmap, lang=lng, glossary=glossary, period=period) for row in layout.rows
    ]
    return ParsedPlan(
        lang=lng,
        title=find_title(layout.preamble, filename),
        period=period,
        glossary=glossary,
        activities=activities,
        warnings=plan_warnings,
        approved_on=approved_on,
        approval_number=approval_number,
        source_text=layout.text,
    )


def parse_plan(
    data: bytes | str,
    *,
    filename: str = "plan.txt",
    lang: Lang | None = None,
    period: Period | None = None,
) -> ParsedPlan:
    """Read a plan (.txt in UTF-8 or Windows-1251, .docx, .html) into data.

    Raises PlanParseError for input that is not a plan at all: binary, empty, too large, or a
    document without a table of numbered activities.
    """
    layout = read_layout(data, filename)
    return parse_layout(layout, filename=filename, lang=lang, period=period)
