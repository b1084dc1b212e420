"""Input files as a neutral stream of blocks: paragraphs, table rows, and TAB-line cells.

A plan reaches us as plain text (UTF-8 or Windows-1251, as copied from the legal database),
as a Word file, or as the HTML page of adilet.zan.kz. Everything downstream works on blocks,
so that the same rules find rows and columns whatever the file was.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

from jospar.planparser.model import PlanParseError
from jospar.planparser.pdf import pdf_blocks
from jospar.planparser.textutil import control_share, fold

MAX_BYTES = 20 * 1024 * 1024

SourceKind = Literal["text", "docx", "html", "pdf"]


@dataclass
class Para:
    """A paragraph or line outside any table."""

    text: str


@dataclass
class TableRow:
    """A row of a real table; `merged[i]` marks a cell that continues the cell above it."""

    cells: list[str]
    merged: list[bool] = field(default_factory=list)
    # The number was not in the text but Word's automatic list numbering (counted here).
    auto_numbered: bool = False


@dataclass
class Cell:
    """One cell of the TAB-line text layout: rows are not marked, they are found later."""

    text: str


Block = Para | TableRow | Cell


@dataclass
class Source:
    kind: SourceKind
    text: str
    # None for plain text: its blocks depend on which text layout it uses (layout.py).
    blocks: list[Block] | None


# Letters that Windows-1251 has at the byte values where KZ-1048 puts Kazakh letters; they never
# occur in Russian or Kazakh prose, so seeing them means the file is really KZ-1048.
_KZ1048_TELLS = frozenset("ЌЋќћЎўЈҐЄЇґєјЅѕї")
_HTML_SNIFF = re.compile(r"<\s*(?:!doctype\s+html|html|body|table)\b", re.IGNORECASE)


def decode_text(data: bytes) -> str:
    """Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PlanParseError("binary_input", "The file is not readable text.") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # A UTF-8 file with a few broken bytes (a bad copy) is still UTF-8.
        loose = data.decode("utf-8", errors="replace")
        if loose.count("\ufffd") <= max(3, len(loose) // 1000):
            return loose.lstrip("\ufeff")
        text = data.decode("cp1251", errors="replace")
        if sum(1 for ch in text if ch in _KZ1048_TELLS) >= 3:
            text = data.decode("kz1048", errors="replace")
    return text.lstrip("\ufeff")


def _check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise PlanParseError(
            "input_too_large",
            f"The file is {size // (1024 * 1024)} MB; a plan may be at most "
            f"{MAX_BYTES // (1024 * 1024)} MB.",
        )


def _is_html(filename: str, text: str) -> bool:
    name = filename.lower()
    if name.endswith((".html", ".htm", ".xhtml")):
        return True
    return _HTML_SNIFF.search(text[:4000]) is not None


def load(data: bytes | str, filename: str = "plan.txt") -> Source:
    """Read `data` into a Source, or refuse it with PlanParseError."""
    if isinstance(data, str):
        _check_size(len(data))
        text = data.lstrip("\ufeff")
    else:
        _check_size(len(data))
        if data.startswith(b"PK\x03\x04"):
            return _load_docx(data, filename)
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise PlanParseError(
                "unsupported_format",
                "This is an old Word (.doc) file; save it as .docx or as text and upload again.",
            )
        if data.startswith(b"%PDF"):
            blocks = pdf_blocks(data)
            return Source("pdf", _render(blocks), blocks)
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
        if b"\x00" in data[:65536] and not utf16:
            raise PlanParseError("binary_input", "The file is binary, not a plan's text.")
        text = decode_text(data)
    if not text.strip():
        raise PlanParseError("empty_input", "The file is empty.")
    if "\x00" in text or control_share(text[:65536]) > 0.02:
        raise PlanParseError("binary_input", "The file is binary, not a plan's text.")
    if _is_html(filename, text):
        blocks = _html_blocks(text)
        return Source("html", _render(blocks), blocks)
    return Source("text", text.replace("\r\n", "\n").replace("\r", "\n"), None)


def _render(blocks: list[Block]) -> str:
    """The text a person compares the parsed plan with: tables as one `|`-row per line."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, TableRow):
            out.append(" | ".join(fold(c) for c in b.cells))
        else:
            out.append(b.text)
    return "\n".join(out)


# --- Word -----------------------------------------------------------------------------------


def _load_docx(data: bytes, filename: str) -> Source:
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        blocks: list[Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_docx_rows(item))
            else:
                blocks.extend(Para(line) for line in item.text.split("\n"))
    except PlanParseError:
        raise
    except Exception as exc:  # python-docx fails in many ways on a damaged or foreign zip
        name = filename.lower()
        what = "Word file" if name.endswith(".docx") else "zip archive, not a Word file,"
        raise PlanParseError("unreadable_docx", f"This {what} cannot be read: {exc}") from exc
    if not any(isinstance(b, TableRow) for b in blocks) and not any(
        b.text.strip() for b in blocks if isinstance(b, Para)
    ):
        raise PlanParseError("empty_input", "The Word file is empty.")
    return Source("docx", _render(blocks), blocks)


def _docx_rows(table: object) -> list[Block]:
    rows: list[Block] = []
    # The XML elements of the previous row's cells. References are kept (not ids): lxml
    # proxies are created on access, and the id of a freed one is soon reused.
    prev_tcs: list[object] = []
    counters: dict[int, int] = {}  # column → last automatic number
    for row in getattr(table, "rows", []):
        cells: list[str] = []
        merged: list[bool] = []
        seen: list[object] = []
        tcs: list[object] = []
        auto = False
        for cell in row.cells:
            # A horizontally merged cell is yielded once per grid column: keep it once.
            if any(cell is s for s in seen):
                continue
            seen.append(cell)
            tc = getattr(cell, "_tc", None)
            tcs.append(tc)
            # A vertically merged cell is yielded again for each row it spans, with the same
            # XML element as in the row above: that is how continuation is recognised.
            is_merged = tc is not None and any(tc is p for p in prev_tcs)
            merged.append(is_merged)
            text = cell.text
            if not text.strip() and not is_merged and _list_numbered(tc):
                # Word shows "1." from list numbering that is not part of the text.
                col = len(cells)
                counters[col] = counters.get(col, 0) + 1
                text = f"{counters[col]}."
                auto = True
            cells.append(text)
        prev_tcs = tcs
        rows.append(TableRow(cells, merged, auto))
    return rows


def _list_numbered(tc: object) -> bool:
    xpath = getattr(tc, "xpath", None)
    if xpath is None:
        return False
    try:
        return bool(xpath("./w:p/w:pPr/w:numPr"))
    except Exception:  # an XML dialect python-docx does not map: no numbering then
        return False


# --- HTML -----------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript"})


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 1000))
    except ValueError:
        return 1


class _TableState:
    def __init__(self) -> None:
        self.row: list[str] | None = None
        self.merged: list[bool] = []
        self.cell: list[str] | None = None
        self.col = 0
        # grid column → (rows still covered, the spanning cell's text)
        self.pending: dict[int, list[object]] = {}
        self.cell_rowspan = 1
        self.cell_colspan = 1


class _HtmlBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.outside: list[str] = []
        self.tables: list[_TableState] = []
        self.skip = 0

    # text outside tables
    def _flush_outside(self) -> None:
        text = "".join(self.outside)
        self.outside = []
        for line in text.split("\n"):
            if line.strip():
                self.blocks.append(Para(line))

    def _sink(self) -> list[str]:
        if self.tables and self.tables[-1].cell is not None:
            cell = self.tables[-1].cell
            assert cell is not None
            return cell
        return self.outside

    def _fill_pending(self, state: _TableState) -> None:
        assert state.row is not None
        while state.col in state.pending:
            left, text = state.pending[state.col]
            state.row.append(str(text))
            state.merged.append(True)
            assert isinstance(left, int)
            if left <= 1:
                del state.pending[state.col]
            else:
                state.pending[state.col] = [left - 1, text]
            state.col += 1

    def _close_cell(self, state: _TableState) -> None:
        if state.cell is None or state.row is None:
            return
        text = "".join(state.cell)
        lines = [ln.strip() for ln in text.split("\n")]
        text = "\n".join(ln for ln in lines if ln)
        state.row.append(text)
        state.merged.append(False)
        if state.cell_rowspan > 1:
            state.pending[state.col] = [state.cell_rowspan - 1, text]
        state.col += state.cell_colspan
        state.cell = None

    def _close_row(self, state: _TableState) -> None:
        self._close_cell(state)
        if state.row is None:
            return
        if state.pending and max(state.pending) >= state.col:
            self._fill_pending(state)
        if any(c.strip() for c in state.row):
            self.blocks.append(TableRow(state.row, state.merged))
        state.row = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        if tag == "table":
            if self.tables and self.tables[-1].cell is not None:
                # A table inside a cell: what the cell said so far stands on its own.
                cell = self.tables[-1].cell
                self.outside.extend(cell)
                cell.clear()
            self._flush_outside()
            self.tables.append(_TableState())
            return
        if not self.tables:
            if tag in _BLOCK_TAGS:
                self.outside.append("\n")
            return
        state = self.tables[-1]
        if tag == "tr":
            self._close_row(state)
            state.row = []
            state.merged = []
            state.col = 0
        elif tag in ("td", "th"):
            if state.row is None:
                state.row, state.merged, state.col = [], [], 0
            self._close_cell(state)
            self._fill_pending(state)
            a = dict(attrs)
            state.cell_rowspan = _span(a.get("rowspan"))
            state.cell_colspan = _span(a.get("colspan"))
            state.cell = []
        elif tag in _BLOCK_TAGS:
            self._sink().append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "table" and self.tables:
            state = self.tables.pop()
            self._close_row(state)
            self._flush_outside()
            return
        if not self.tables:
            if tag in _BLOCK_TAGS:
                self.outside.append("\n")
            return
        state = self.tables[-1]
        if tag in ("td", "th"):
            self._close_cell(state)
        elif tag == "tr":
            self._close_row(state)
        elif tag in _BLOCK_TAGS:
            self._sink().append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._sink().append(data.replace("\n", " "))

    def finish(self) -> list[Block]:
        self.close()
        while self.tables:
            state = self.tables.pop()
            self._close_row(state)
        self._flush_outside()
        return self.blocks


def _html_blocks(text: str) -> list[Block]:
    parser = _HtmlBlocks()
    parser.feed(text)
    return parser.finish()
