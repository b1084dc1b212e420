"""What the public may not see of a citizen's text: IINs, phone numbers and e-mail addresses.

`mask_personal_data` is a pure function. It runs once, when a service stores a text, and its
result is what every public page, list, feed and e-mail shows; the akimat keeps the original.

What is masked, each replaced by ``[***]``:

* an e-mail address;
* an IIN: twelve digits standing alone whose first six are a plausible date (month 01–12, day
  01–31) — a mistyped IIN, with a wrong check digit, identifies a person as well as a right one;
* a phone number as people in Kazakhstan write it: ``+7 701 123 45 67``, ``8 (701) 123-45-67``,
  ``87011234567``, ``+7 (7172) 55-66-77``, ``701 123 45 67``, a city number ``253-45-67``, and
  any ``+`` followed by 8 to 15 digits (a foreign number).

Ordinary numbers are left alone: years, dates, house and flat numbers, amounts written with
thousands separators (``1 500 000``, ``7 000 000 000``), numbers of fewer than seven digits.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "[***]"

# The local part as RFC 5322 allows it unquoted; the last label of the domain has a letter.
_ATEXT = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(
    rf"(?<!{_ATEXT}){_ATEXT}+@(?:[\w-]+\.)+[\w-]*[^\W\d_][\w-]*(?![\w-])",
    re.UNICODE,
)
# Twelve digits not touching another digit.
_TWELVE = re.compile(r"(?<!\d)\d{12}(?!\d)")
# Between two digits of one phone number: up to three of these (") ", " - ", "-(", ...).
_SEPARATORS = frozenset(" -.()\u00a0\u2009\u2011\u2012\u2013")
_MAX_SEPARATORS = 3
# The Kazakh (and Russian) numbering plan after +7 / 8: 7xx (Kazakhstan) and 9xx (mobile).
_TRUNK_NEXT = frozenset("79")
# Kazakh codes without a prefix: mobile 70x–77x and landline 71xx/72xx.
_BARE_SECOND = frozenset("01234567")


def iin_date_is_plausible(digits: str) -> bool:
    """The first six of twelve digits read as YYMMDD, and the seventh as a century digit."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31 and digits[6] in "0123456"


def iin_checksum_ok(iin: str) -> bool:
    """The IIN's check digit (the two-pass weighted sum of the national standard)."""
    if len(iin) != 12 or not iin.isdigit():
        return False
    digits = [int(ch) for ch in iin]
    total = sum(d * w for d, w in zip(digits[:11], range(1, 12), strict=True)) % 11
    if total == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        total = sum(d * w for d, w in zip(digits[:11], weights, strict=True)) % 11
        if total == 10:
            return False
    return total == digits[11]


def _is_phone_start(text: str, pos: int) -> bool:
    ch = text[pos]
    if not (ch.isdigit() or ch in "+("):
        return False
    # Not the inside of a longer number: the previous character is not a digit.
    return pos == 0 or not text[pos - 1].isdigit()


def _scan_digits(text: str, pos: int) -> tuple[bool, list[tuple[int, int]], list[str]]:
    """From ``pos``: whether it starts with ``+``, each digit's (index, end), and the groups of
    digits between separators (their lengths tell a phone from an amount)."""
    plus = False
    i = pos
    n = len(text)
    while i < n and text[i] in "+(" and i - pos < 3:
        plus = plus or text[i] == "+"
        i += 1
        while i < n and text[i] == " " and i - pos < 3:
            i += 1
    digits: list[tuple[int, int]] = []
    groups: list[str] = []
    current = ""
    while i < n:
        if text[i].isdigit() and text[i].isascii():
            digits.append((i, i + 1))
            current += text[i]
            i += 1
            continue
        run = 0
        j = i
        while j < n and text[j] in _SEPARATORS and run < _MAX_SEPARATORS:
            j += 1
            run += 1
        if run == 0 or j >= n or not (text[j].isdigit() and text[j].isascii()):
            break
        groups.append(current)
        current = ""
        i = j
    if current:
        groups.append(current)
    return plus, digits, groups


def _looks_like_amount(groups: list[str]) -> bool:
    # 1 500 000, 75 000 000: every group after the first is a thousands group.
    return len(groups) >= 2 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _phone_length(text: str, pos: int) -> int:
    """How many characters from ``pos`` form a phone number (0: none)."""
    plus, digits, groups = _scan_digits(text, pos)
    if not digits:
        return 0
    number = "".join(text[a] for a, _b in digits)
    # A number ends where a group of digits ends: "7 0 8701..." is not "7 0 8701123" + rest.
    ends: list[int] = []
    for group in groups:
        ends.append((ends[-1] if ends else 0) + len(group))
    take = 0
    if plus:
        if number[0] == "7" and 11 in ends:
            take = 11
        elif number[0] != "7":
            take = max((end for end in ends if 8 <= end <= 15), default=0)
    elif _looks_like_amount(groups):
        take = 0
    elif number[0] in "78" and number[1:2] in _TRUNK_NEXT and 11 in ends:
        take = 11
    elif number[0] == "7" and number[1:2] in _BARE_SECOND and 10 in ends:
        take = 10
    elif len(groups) >= 3 and [len(g) for g in groups[:3]] == [3, 2, 2]:
        # A city number, 253-45-67, written with dashes: dates are never 3-2-2.
        first, last = digits[0][0], digits[6][1]
        if "-" in text[first:last] and set(text[first:last]) <= set("0123456789-"):
            take = 7
    if take == 0:
        return 0
    end = digits[take - 1][1]
    if end < len(text) and text[end] == ")":
        end += 1
    return end - pos


def _mask_phones(text: str) -> str:
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        if _is_phone_start(text, i):
            length = _phone_length(text, i)
            if length:
                out.append(MASK)
                i += length
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _mask_iin(match: re.Match[str]) -> str:
    value = match.group(0)
    # Every IIN begins with a date; its check digit is not required, since a mistyped IIN
    # identifies a person as well (and twelve digits of an amount pass the check one time in
    # eleven).
    return MASK if iin_date_is_plausible(value) else value


def mask_personal_data(text: str) -> str:
    """The text with e-mail addresses, IINs and phone numbers replaced by ``[***]``."""
    if not text:
        return text or ""
    masked = _EMAIL.sub(MASK, text)
    masked = _TWELVE.sub(_mask_iin, masked)
    return _mask_phones(masked)


def mask_survey(survey: dict[str, Any]) -> dict[str, Any]:
    """Survey answers as the public may see them: free text masked, choices as they are."""
    public: dict[str, Any] = {}
    for key, value in survey.items():
        if isinstance(value, str):
            public[key] = mask_personal_data(value)
        elif isinstance(value, list):
            public[key] = [mask_personal_data(v) if isinstance(v, str) else v for v in value]
        else:
            public[key] = value
    return public


def public_author_name(report: Any) -> str:
    """The author's name as the public sees it: nothing for an anonymous report or one sent
    by an Open311 client without an account; otherwise the first name and an initial."""
    if getattr(report, "is_anonymous", True):
        return ""
    author = getattr(report, "author", None)
    if author is None:
        return ""
    first = (author.first_name or "").strip()
    last = (author.last_name or "").strip()
    if not first and not last:
        return ""
    return f"{first} {last[:1]}.".strip() if last else first
