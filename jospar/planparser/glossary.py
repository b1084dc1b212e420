"""The plan's own list of abbreviations ("Примечание: расшифровка аббревиатур:").

Entries are "CODE - expansion", either one per line (an expansion may go on over indented
lines) or all run together on one line. Both read the same once whitespace is folded: a new
entry starts wherever an abbreviation-like token is followed by a dash.
"""

from __future__ import annotations

import re

from jospar.planparser.textutil import fold, is_glossary_marker

# CODE, then a dash with a space on at least one side ("ПӘ– Қазақстан", "АП - Администрация").
_ENTRY = re.compile(
    r"(?:(?<=\s)|^)"
    r"([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{0,11})"
    r"(?:\s+[-–—]+\s*|\s*[-–—]+\s+)"
)
# A signature line or rule closes the glossary.
_END = re.compile(r"_{5,}")


def _is_code(token: str) -> bool:
    return sum(1 for c in token if c.isupper()) >= 2


def parse_glossary_text(text: str) -> dict[str, str]:
    """Entries of a glossary body (the text after its opening line)."""
    flat = fold(text)
    starts = [m for m in _ENTRY.finditer(flat) if _is_code(m.group(1))]
    out: dict[str, str] = {}
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(flat)
        name = flat[m.end() : end].strip(" ;,.")
        if name and m.group(1) not in out:
            out[m.group(1)] = name
    return out


def parse_glossary(text: str) -> dict[str, str]:
    """The glossary of a plan's text: {code: expansion}; {} where the plan has none."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if is_glossary_marker(line):
            # The marker line may already hold entries after its colon.
            head = line.split(":", 1)
            first = ""
            if len(head) == 2:
                rest = head[1]
                # "Примечание: расшифровка аббревиатур:" — the entries come after the last colon.
                first = rest.split(":", 1)[1] if ":" in rest else ""
            body = first + "\n" + "\n".join(lines[i + 1 :])
            m = _END.search(body)
            if m is not None and m.start() > 0 and parse_glossary_text(body[: m.start()]):
                body = body[: m.start()]
            return parse_glossary_text(body)
    return {}
