"""The executors cell: "МИР (свод), МОН, РГУ «Қоғамдық келісім» (по согласованию) - наполнение".

The cell is read as a careful person reads it. Marks in brackets belong to the executor before
them; a role after a dash belongs to the executor it follows, or, where the cell has several
roles, each later role to every executor since the previous one; a group of akimats is one
executor; a legal form standing alone belongs to the quoted name before it. Printed codes are
kept as printed. Whatever had to be repaired is reported, naming the activity, so that a
person checks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from jospar.planparser import akimats
from jospar.planparser.model import AKIMATS, Executor, Lang, ParseWarning
from jospar.planparser.textutil import fold

# Placeholders for marks once read, so that later steps see them as single characters.
AGREE = "\ue001"
LEAD = "\ue002"
_PLACEHOLDERS = AGREE + LEAD

_MARK_AGREE = re.compile(
    r"^(?:по\s+согл(?:асовани\w*|\.)?|по\s+согласию|келіс\w*\s+бойынша|келісімі\s+бойынша)$",
    re.IGNORECASE,
)
_MARK_LEAD = re.compile(r"^(?:свод\w*|жинақта\w*|головн\w*)(?:\s.*)?$", re.IGNORECASE)
# A mark without brackets counts only where an executor ends: before a comma, a dash or the end
# ("Комиссия по согласованию тарифов" is a name).
_BARE_MARK = re.compile(
    r"(?<![\w(])(по\s+согласованию|келісім\s+бойынша)(?=\s*(?:,|$|[-–—]\s|\ue001|\ue002))",
    re.IGNORECASE,
)

# Organisational-legal forms of Kazakhstan, as Russian and Kazakh abbreviations.
# fmt: off
LEGAL_FORMS = frozenset({
    "РГУ", "ГУ", "КГУ", "РГКП", "РГП", "ГКП", "КГП", "ТОО", "АО", "НАО", "ЗАО", "ОАО", "РОО",
    "ОО", "ОФ", "ЧУ", "НУО", "ОЮЛ", "ПХВ", "РММ", "ММ", "КММ", "АҚ", "ЖАҚ", "КЕАҚ", "ЖШС",
    "РҚБ", "ҚБ", "РМК", "РМҚК", "МКК", "ШЖҚ", "ҚҚ", "ЖМ", "КҰ", "ЗТБ",
})
# fmt: on
# Country prefixes that stand before a code ("ҚР ИДМ") and are not executors of their own.
_COUNTRY = frozenset({"ҚР", "РК"})
_QUOTE_OPEN = "«“„"
_QUOTE_CLOSE = "»”"
_DASH = "-–—"
# Russian postpositive participles and "который": a clause describing the name before it.
_PARTICIPLE = re.compile(
    r"^(?:котор\w*|[а-яё]+(?:ющ|ящ|ущ|ащ|вш|ем|им)"
    r"(?:ий|ая|ое|ее|ие|ые|их|ых|им|ым|ими|ыми|ую|юю|его|ого|ему|ому|ей|ой)(?:ся|сь)?)$"
)
_PREPOSITIONS = frozenset(
    {"в", "во", "на", "по", "с", "со", "для", "за", "при", "от", "из", "о", "об", "к", "под", "над"}
)
_LETTER = re.compile(r"[^\W\d_]")
_MARK_SEP = re.compile(r"[,;]")
_JUNK_EDGE = '()«»"“”„' + _DASH + ",;:. "


@dataclass
class _Item:
    text: str
    lead: bool = False
    agree: bool = False
    role: str | None = None
    group: bool = False
    printed: str = ""


# --- step 1: marks ---------------------------------------------------------------------------


def _mark_kinds(inner: str) -> str | None:
    """Placeholders for a bracket's content if it is made of marks only, else None."""
    parts = [p.strip() for p in _MARK_SEP.split(inner) if p.strip()]
    if not parts:
        return None
    out = ""
    for p in parts:
        p = fold(p)
        if _MARK_AGREE.match(p):
            out += AGREE
        elif _MARK_LEAD.match(p):
            out += LEAD
        else:
            return None
    return out


def _extract_marks(text: str, repairs: list[str]) -> str:
    out: list[str] = []
    i = 0
    while True:
        j = text.find("(", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        close = text.find(")", j + 1)
        nxt = text.find("(", j + 1)
        if close != -1 and (nxt == -1 or close < nxt):
            inner, end, closed = text[j + 1 : close], close + 1, True
        else:
            comma = text.find(",", j + 1)
            stop = comma if comma != -1 else len(text)
            if nxt != -1:
                stop = min(stop, nxt)
            inner, end, closed = text[j + 1 : stop], stop, False
        kinds = _mark_kinds(inner)
        if kinds is None:
            out.append(text[j:end])
        else:
            out.append(" " + kinds + " ")
            if not closed:
                repairs.append(f"closed the bracket of the mark '({fold(inner)}'")
        i = end
    result = "".join(out)

    def bare(m: re.Match[str]) -> str:
        repairs.append(f"read the mark '{m.group(1)}' written without brackets")
        return " " + (_mark_kinds(m.group(1)) or "") + " "

    return _BARE_MARK.sub(bare, result)


# --- step 2: commas --------------------------------------------------------------------------


def _split_commas(
    text: str, *, parens: bool = True, quotes: bool = True
) -> tuple[list[str], bool, bool]:
    """Split at commas outside brackets and quotes; report unbalanced brackets and quotes.

    A closing » after nested quotes closes them all, as Russian typography writes
    «Агентство «Хабар».
    """
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    quote = 0
    straight = False
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in _QUOTE_OPEN:
            quote += 1
        elif ch in _QUOTE_CLOSE:
            doubled = i + 1 < len(text) and text[i + 1] in _QUOTE_CLOSE
            quote = max(0, quote - 1) if doubled or quote <= 1 else 0
        elif ch == '"':
            straight = not straight
        inside = (parens and depth > 0) or (quotes and (quote > 0 or straight))
        if ch in ",;" and not inside:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts, depth > 0, quote > 0 or straight


def _segments(text: str, repairs: list[str]) -> list[str]:
    parts, open_paren, open_quote = _split_commas(text)
    if open_paren:
        repairs.append("a bracket is never closed; read the commas inside it as separators")
        parts, _, open_quote = _split_commas(text, parens=False)
    if open_quote:
        repairs.append("a quotation mark is never closed; read the commas after it as separators")
        parts, _, _ = _split_commas(text, parens=not open_paren, quotes=False)
    stripped = [p.strip() for p in parts]
    if any(not p for p in stripped):
        repairs.append("removed a stray comma")
    return [p for p in stripped if p]


def _is_clause(segment: str) -> bool:
    """Does this part describe the name before it ("выполняющие государственный заказ")?"""
    ws = segment.replace(AGREE, " ").replace(LEAD, " ").split()
    if not ws or not _PARTICIPLE.match(ws[0]):
        return False
    return len(ws) >= 4 or any(w in _PREPOSITIONS for w in ws[1:])


# --- step 3: roles and marks inside a segment ---------------------------------------------------


def _split_role(segment: str) -> tuple[str, str | None]:
    """Split "МИР - размещение" at the first dash that stands apart, outside quotes."""
    depth = 0
    quote = 0
    for i, ch in enumerate(segment):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in _QUOTE_OPEN:
            quote += 1
        elif ch in _QUOTE_CLOSE:
            quote = 0 if quote > 1 else max(0, quote - 1)
        elif ch in _DASH and depth == 0 and quote == 0:
            before = segment[i - 1] if i > 0 else " "
            after = segment[i + 1] if i + 1 < len(segment) else ""
            apart = before.isspace() or before in _PLACEHOLDERS
            if apart and (after.isspace() or not after or after not in _DASH):
                return segment[:i], segment[i + 1 :].strip(" " + _DASH) or None
    return segment, None


def _pieces(segment: str, repairs: list[str]) -> list[_Item]:
    head, role = _split_role(segment)
    items: list[_Item] = []
    cur = _Item("")
    text: list[str] = []
    seen_mark = False
    for ch in head:
        if ch in _PLACEHOLDERS:
            if ch == AGREE:
                cur.agree = True
            else:
                cur.lead = True
            seen_mark = True
            continue
        if seen_mark and not ch.isspace():
            cur.text = "".join(text)
            items.append(cur)
            cur = _Item("")
            text = []
            seen_mark = False
        text.append(ch)
    cur.text = "".join(text)
    items.append(cur)
    # Text after a mark that has no letters is debris of the copy (")»-"), not an executor.
    cleaned: list[_Item] = []
    for k, it in enumerate(items):
        if k > 0 and not _LETTER.search(it.text):
            if it.text.strip():
                repairs.append(f"dropped the stray characters '{it.text.strip()}'")
            cleaned[-1].lead |= it.lead
            cleaned[-1].agree |= it.agree
            continue
        if k > 0 and _LETTER.search(cleaned[-1].text):
            repairs.append(
                f"a comma is missing between '{fold(cleaned[-1].text)}' and '{fold(it.text)}'"
            )
        cleaned.append(it)
    cleaned[-1].role = fold(role) if role else None
    for it in cleaned:
        it.text = fold(it.text)
    return cleaned


# --- step 4: joins -------------------------------------------------------------------------


def _absorb(into: _Item, other: _Item) -> None:
    into.lead |= other.lead
    into.agree |= other.agree
    if other.role and not into.role:
        into.role = other.role


def _attach_bare_marks(items: list[_Item], repairs: list[str]) -> list[_Item]:
    out: list[_Item] = []
    for it in items:
        if not _LETTER.search(it.text):
            if out and (it.lead or it.agree or it.role):
                what = "the mark" if (it.lead or it.agree) else f"the role '{it.role}'"
                repairs.append(f"{what} after a stray comma was given to '{out[-1].text}'")
                _absorb(out[-1], it)
            elif it.text.strip():
                repairs.append(f"dropped the unreadable part '{it.text.strip()}'")
            continue
        out.append(it)
    return out


def _group_items(
    items: list[_Item], glossary: Mapping[str, str], repairs: list[str]
) -> list[_Item]:
    out: list[_Item] = []
    pending: list[_Item] = []  # city/oblast parts waiting for their akimat word

    def close(parts: list[_Item]) -> None:
        joined = ", ".join(p.text for p in parts)
        head = parts[0]
        merged = _Item(joined, printed=joined)
        for p in parts:
            _absorb(merged, p)
        if akimats.is_group(joined):
            merged.group = True
            debris = joined.rstrip()[len(joined.rstrip().rstrip(_JUNK_EDGE)) :]
            if debris.strip(" .,"):
                repairs.append(f"read the garbled akimat group '{joined}' as all akimats")
        elif len(parts) > 1:
            merged.text = joined
        else:
            merged = head
        out.append(merged)

    i = 0
    while i < len(items):
        it = items[i]
        expansion = glossary.get(it.text)
        if akimats.is_local_bodies(it.text, expansion):
            out.extend(pending)
            pending = []
            it.group = True
            it.printed = it.text
            out.append(it)
            i += 1
            continue
        if akimats.has_akimat_word(it.text):
            if akimats.akimat_word_first(it.text):
                out.extend(pending)
                pending = []
                parts = [it]
                i += 1
                while (
                    i < len(items)
                    and akimats.is_region_list(items[i].text)
                    and not akimats.has_akimat_word(items[i].text)
                ):
                    parts.append(items[i])
                    i += 1
                close(parts)
            else:
                close([*pending, it])
                pending = []
                i += 1
            continue
        if akimats.is_region_list(it.text) and not (it.lead or it.agree or it.role):
            pending.append(it)
        else:
            out.extend(pending)
            pending = []
            out.append(it)
        i += 1
    out.extend(pending)
    return out


def _legal_form(text: str) -> bool:
    return text.strip(" .") in LEGAL_FORMS


def _has_legal_form(text: str) -> bool:
    return any(w.strip(".,") in LEGAL_FORMS for w in text.split())


def _has_quote(text: str) -> bool:
    return any(q in text for q in _QUOTE_OPEN + '"')


def _join_legal_forms(items: list[_Item], lang: Lang, repairs: list[str]) -> list[_Item]:
    drop: set[int] = set()
    for i, it in enumerate(items):
        if not _legal_form(it.text):
            continue
        candidates = list(range(i - 1, -1, -1)) + list(range(i + 1, len(items)))
        target = next(
            (
                k
                for k in candidates
                if k not in drop
                and not items[k].group
                and _has_quote(items[k].text)
                and not _has_legal_form(items[k].text)
            ),
            None,
        )
        if target is None:
            repairs.append(f"the legal form '{it.text}' stands alone with no name to join")
            continue
        form = it.text.strip(" .")
        t = items[target]
        t.text = f"{t.text} {form}" if lang == "kk" else f"{form} {t.text}"
        _absorb(t, it)
        drop.add(i)
        repairs.append(f"joined the legal form '{form}' standing alone to '{t.text}'")
    return [it for i, it in enumerate(items) if i not in drop]


def _split_glued_codes(
    items: list[_Item], glossary: Mapping[str, str], repairs: list[str]
) -> list[_Item]:
    out: list[_Item] = []
    for it in items:
        pair = _CONJUNCTION.match(it.text)
        if pair and not it.group and all(_is_code(w, glossary) for w in pair.groups()):
            # "МФ и МНЭ", "ҚМ және ҰЭМ": two executors joined by a conjunction.
            out.append(_Item(pair.group(1)))
            out.append(_Item(pair.group(2), it.lead, it.agree, it.role))
            continue
        ws = it.text.split()
        if (
            len(ws) >= 2
            and not it.group
            and all(w in glossary for w in ws)
            and not any(w in _COUNTRY or w in LEGAL_FORMS for w in ws)
        ):
            repairs.append(f"a comma is missing between the codes in '{it.text}'")
            for w in ws[:-1]:
                out.append(_Item(w))
            last = _Item(ws[-1], it.lead, it.agree, it.role)
            out.append(last)
        else:
            out.append(it)
    return out


def _is_code(word: str, glossary: Mapping[str, str]) -> bool:
    if word in glossary:
        return True
    return (
        word.isalpha()
        and len(word) <= 8
        and sum(1 for c in word if c.isupper()) >= 2
        and word not in _COUNTRY
    )


def _clean_code(text: str, repairs: list[str]) -> str:
    code = text.strip(" ,;:")
    # Strip debris at the edges, but only brackets that are unbalanced and dashes.
    while code and (
        code[-1] in _DASH
        or (code[-1] == ")" and code.count("(") < code.count(")"))
        or (code[-1] == "(")
    ):
        code = code[:-1].rstrip(" ,;:")
    while code and (code[0] in _DASH + ")" or (code[0] == "(" and ")" not in code)):
        code = code[1:].lstrip(" ,;:")
    if code != text.strip(" ,;:"):
        repairs.append(f"removed stray characters around '{code}'")
    return code


def _name(code: str, glossary: Mapping[str, str]) -> str | None:
    if code in glossary:
        return glossary[code]
    ws = code.split()
    if len(ws) == 2 and ws[0] in _COUNTRY:
        return glossary.get(ws[1])
    return None


_STARTS_NEW = re.compile(
    r"^(?:[«\"“]|[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]*"
    r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])"
)
_ENDS_COMPLETE = re.compile(r"(?:[»\")]|\b[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\w*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\w*)\s*$")
_CONJUNCTION = re.compile(r"^(\S+)\s+(?:и|және|мен|а также)\s+(\S+)$")


def _lines_as_list(cell: str) -> str:
    """Executors written one per line (a Word cell) become a comma-separated list.

    A line break separates two executors where the next line opens with a code or a quoted
    name, or the line before ends with one or with a mark; a name wrapped over lines
    ("Министерство финансов" / "Республики Казахстан") does neither and is joined back.
    """
    lines = [ln.strip() for ln in cell.split("\n") if ln.strip()]
    if len(lines) < 2:
        return cell
    out = lines[0]
    for line in lines[1:]:
        if out.endswith((",", ";", "-", "–", "(", "«")):
            out += " " + line
        elif _STARTS_NEW.match(line) or _ENDS_COMPLETE.search(out):
            out += ", " + line
        else:
            out += " " + line
    return out


def parse_executors(
    cell: str,
    *,
    lang: Lang,
    glossary: Mapping[str, str],
    activity: str | None = None,
) -> tuple[list[Executor], list[ParseWarning]]:
    """Executors of one activity, in the cell's order, and warnings for what was repaired."""
    where = f"activity {activity}" if activity else "an activity"
    text = fold(_lines_as_list(cell))
    if not _LETTER.search(text):
        msg = f"The executors cell of {where} is empty or unreadable"
        detail = f": '{text}'" if text else ""
        return [], [ParseWarning("executors_missing", msg + detail + ".", activity)]
    repairs: list[str] = []
    text = _extract_marks(text, repairs)
    segments = _segments(text, repairs)
    joined: list[str] = []
    for seg in segments:
        if joined and lang == "ru" and _is_clause(seg):
            joined[-1] = f"{joined[-1]}, {seg}"
        else:
            joined.append(seg)
    items: list[_Item] = []
    for seg in joined:
        items.extend(_pieces(seg, repairs))
    items = _attach_bare_marks(items, repairs)
    items = _group_items(items, glossary, repairs)
    items = _join_legal_forms(items, lang, repairs)
    items = _split_glued_codes(items, glossary, repairs)

    # Roles: one role stays where it is written; with several, each later role covers
    # every executor since the previous role.
    with_role = [i for i, it in enumerate(items) if it.role]
    if len(with_role) >= 2:
        prev = -1
        for k in with_role:
            for i in range(prev + 1, k):
                items[i].role = items[k].role
            prev = k

    executors: list[Executor] = []
    for it in items:
        if it.group:
            name = glossary.get(it.printed)
            code = AKIMATS
        else:
            code = _clean_code(it.text, repairs)
            if not _LETTER.search(code):
                if code:
                    repairs.append(f"dropped the unreadable part '{code}'")
                continue
            name = _name(code, glossary)
        dup = next((e for e in executors if e.code == code and e.role == it.role), None)
        if dup is not None:
            dup.lead |= it.lead
            dup.by_agreement |= it.agree
            repairs.append(f"'{code}' is listed twice; kept once")
            continue
        executors.append(Executor(code, name, it.lead, it.agree, it.role))

    warnings: list[ParseWarning] = []
    seen: set[str] = set()
    for r in repairs:
        if r in seen:
            continue
        seen.add(r)
        warnings.append(
            ParseWarning(
                "executors_repaired", f"Executors of {where}: {r}; please check.", activity
            )
        )
    if not executors:
        warnings.append(
            ParseWarning(
                "executors_missing",
                f"No executor could be read in the cell of {where}: '{fold(cell)}'.",
                activity,
            )
        )
    return executors, warnings
