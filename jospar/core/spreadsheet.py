"""Text that people typed, written into a spreadsheet (CSV or XLSX) as text, never as a formula.

A spreadsheet program computes a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some programs, after a tab or a line break, or with the full-width forms of these signs that
some input methods type). A citizen's ``=HYPERLINK("http://…","click")`` in a public CSV would
become a live link, or worse, on the reader's machine. One rule for every export: such a cell is
marked as text — in XLSX by the quote prefix, in CSV by a leading apostrophe (what the programs
themselves write when text is typed with one).
"""

from __future__ import annotations

FORMULA_START: tuple[str, ...] = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\uff1d",  # FULLWIDTH EQUALS SIGN
    "\uff0b",  # FULLWIDTH PLUS SIGN
    "\uff0d",  # FULLWIDTH HYPHEN-MINUS
    "\uff20",  # FULLWIDTH COMMERCIAL AT
)


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(value: object) -> str:
    """A CSV cell of text that no spreadsheet program computes."""
    text = "" if value is None else str(value)
    return "'" + text if starts_like_formula(text) else text
