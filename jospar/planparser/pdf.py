"""Plans published as PDF with a text layer: tables read from the page layout.

A PDF has no rows or cells, only characters and lines at positions. The characters (with their
boxes) and the ruling lines are taken from each page with PDFium (`pypdfium2`, a C library:
some thirty times faster than pdfminer's Python interpreter of the page's drawing commands, which
made a 300-row plan take a minute). pdfplumber's table finder then builds the cells from the
rulings and gives each cell's text, exactly as it does on its own pages, so that a PDF becomes the
same blocks as a Word file: paragraphs outside tables and table rows, in reading order. What the
layout adds:

- a table continued on the next page repeats its header there: a row equal to the table's first
  row is the printed header again, not an activity, and is dropped;
- a row broken by the page ends on one page and goes on at the top of the next with an empty
  number cell: the two parts are joined into one row, cell by cell, as Word has it;
- a scanned PDF has no characters at all: it is refused, saying so, never read as empty.

Each page is read once, in one pass, and closed before the next: no layout analysis is repeated
and memory does not grow with the number of pages.
"""

from __future__ import annotations

import ctypes
from typing import Any

from jospar.planparser.model import PlanParseError
from jospar.planparser.textutil import fold, is_numbering_run

# A plan of a few hundred activities is a few dozen pages; a file past this is not a plan.
MAX_PAGES = 1000

# Page object type of a path (pdfium's FPDF_PAGEOBJ_PATH) and the segment types of a path.
_PATH = 2
_MOVETO = 2
# pdfplumber's defaults for edges of the drawing that can be rulings (points).
_MIN_EDGE = 1.0


class _Page:
    """What pdfplumber's table finder reads of a page: its box, characters and edges, in
    pdfplumber's coordinates (points from the top left corner)."""

    def __init__(self, width: float, height: float, chars: list[dict[str, Any]], edges: list[Any]):
        self.bbox = (0.0, 0.0, width, height)
        self.width, self.height = width, height
        self.chars = chars
        self.edges = edges


def _chars(raw: Any, textpage: Any, left: float, top: float) -> list[dict[str, Any]]:
    """The page's characters as pdfplumber describes them: the box spans the font's descent to
    its size above it (not the glyph's ink), as pdfminer computes it.

    Few calls into PDFium per character: the text comes in one call, and the size and direction
    once per text object (every character of one object shares them)."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = raw.FPDFText_GetText(
        textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    units = buffer.raw[: max(written - 1, 0) * 2]
    codes = [int.from_bytes(units[k : k + 2], "little") for k in range(0, len(units), 2)]
    out: list[dict[str, Any]] = []
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    shapes: dict[int, tuple[bool, float]] = {}
    for i, code in enumerate(codes):
        if code in (0, 10, 13, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            continue
        if code == 32 and raw.FPDFText_IsGenerated(textpage, i) == 1:
            continue  # a space PDFium made up between words; pdfminer has no such character
        if code == 2:
            code = 0x2D  # a hyphen ending a line, which PDFium marks, is a hyphen as printed
        if not raw.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        handle = raw.FPDFText_GetTextObject(textpage, i)
        key = ctypes.cast(handle, ctypes.c_void_p).value or 0
        shape = shapes.get(key) if key else None
        if shape is None:
            raw.FPDFText_GetMatrix(textpage, i, matrix)
            upright = matrix.b == 0 and matrix.c == 0 and matrix.a > 0 and matrix.d > 0
            size = raw.FPDFText_GetFontSize(textpage, i) * (abs(matrix.d) if upright else 1.0)
            shape = (upright, size)
            if key:
                shapes[key] = shape
        upright, size = shape
        bottom = top - rect.bottom
        char_top = bottom - size if upright else top - rect.top
        out.append(
            {
                "text": chr(code),
                "x0": rect.left - left,
                "x1": rect.right - left,
                "top": char_top,
                "bottom": bottom,
                "doctop": char_top,
                "upright": upright,
                "size": size,
                "width": rect.right - rect.left,
                "height": bottom - char_top,
                "object_type": "char",
            }
        )
    return out


def _edges(raw: Any, page: Any, left: float, top: float) -> list[dict[str, Any]]:
    """Straight horizontal and vertical pieces of the page's paths (rulings, box borders), as
    pdfplumber's edges: each pair of consecutive points of a path, transformed to the page."""
    out: list[dict[str, Any]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    matrix = raw.FS_MATRIX()
    for obj in page.get_objects(filter=[_PATH], max_depth=15):
        handle = obj.raw
        if not raw.FPDFPageObj_GetMatrix(handle, matrix):
            continue
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        for s in range(raw.FPDFPath_CountSegments(handle)):
            segment = raw.FPDFPath_GetPathSegment(handle, s)
            if not raw.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            px, py = a * x.value + c * y.value + e - left, top - (b * x.value + d * y.value + f)
            if raw.FPDFPathSegment_GetType(segment) == _MOVETO:
                start = (px, py)
            elif points:
                _add_edge(out, points[-1], (px, py))
            points.append((px, py))
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge(out, (px, py), start)
    return out


def _add_edge(out: list[dict[str, Any]], p0: tuple[float, float], p1: tuple[float, float]) -> None:
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    if abs(p0[0] - p1[0]) < 1e-6:
        orientation = "v"
    elif abs(p0[1] - p1[1]) < 1e-6:
        orientation = "h"
    else:
        return  # a slanted or curved stroke rules no table
    if max(x1 - x0, bottom - top) < _MIN_EDGE:
        return
    out.append(
        {
            "object_type": "line",
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": x1 - x0,
            "height": bottom - top,
            "orientation": orientation,
        }
    )


def _extract(table: Any, chars: list[dict[str, Any]]) -> list[list[str | None]]:
    """pdfplumber's `Table.extract`, the same cells and text, without testing every character
    of the page against every row: the characters are sorted once by their middle height and
    each row takes its slice. Inside a cell the characters keep the page's order, as there."""
    from bisect import bisect_left

    from pdfplumber.utils.text import extract_text

    mids = sorted(
        ((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, i) for i, c in enumerate(chars)
    )
    keys = [m[0] for m in mids]
    out: list[list[str | None]] = []
    for row in table.rows:
        _x0, top, _x1, bottom = row.bbox
        in_row = mids[bisect_left(keys, top) : bisect_left(keys, bottom)]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            x0, top, x1, bottom = cell
            picked = sorted(i for v, h, i in in_row if x0 <= h < x1 and top <= v < bottom)
            cells.append(extract_text([chars[i] for i in picked]) if picked else "")
        out.append(cells)
    return out


def _outside(chars: list[dict[str, Any]], bbox: Any) -> list[dict[str, Any]]:
    """The characters with no part inside the box: pdfplumber's `outside_bbox`, inlined (it
    runs once per table over every character of the page)."""
    b_left, b_top, b_right, b_bottom = bbox
    out = []
    for c in chars:
        width = min(c["x1"], b_right) - max(c["x0"], b_left)
        height = min(c["bottom"], b_bottom) - max(c["top"], b_top)
        if not (height >= 0 and width >= 0 and height + width > 0):
            out.append(c)
    return out


def _settings(page: _Page) -> dict[str, Any]:
    """Close the boxes a page break leaves open: a row broken by the page has no ruling line
    under it on this page (nor over it on the next), so the ends of the vertical rulings are
    given as horizontal lines."""
    verticals = [e for e in page.edges if e.get("orientation") == "v"]
    if not verticals:
        return {}
    return {
        "explicit_horizontal_lines": [
            min(float(e["top"]) for e in verticals),
            max(float(e["bottom"]) for e in verticals),
        ]
    }


def _read_page(raw: Any, pdfium_page: Any) -> _Page:
    left, _bottom, right, top = pdfium_page.get_cropbox()
    textpage = pdfium_page.get_textpage()
    try:
        chars = _chars(raw, textpage, left, top)
    finally:
        textpage.close()
    return _Page(right - left, top - _bottom, chars, _edges(raw, pdfium_page, left, top))


def pdf_blocks(data: bytes) -> list[Any]:
    """The PDF's paragraphs and table rows in reading order (sources.Para / sources.TableRow)."""
    from pdfplumber.table import TableFinder
    from pdfplumber.utils.text import chars_to_textmap

    from jospar.planparser.sources import Para, TableRow

    try:
        import pypdfium2
        import pypdfium2.raw as raw

        pdf = pypdfium2.PdfDocument(data)
    except Exception as exc:  # PDFium refuses a damaged file with an error
        raise PlanParseError("unreadable_pdf", f"This PDF cannot be read: {exc}") from exc
    blocks: list[Any] = []
    header: list[str] | None = None
    last_row: Any = None
    chars = 0
    try:
        if len(pdf) > MAX_PAGES:
            raise PlanParseError(
                "input_too_large", f"The PDF has more than {MAX_PAGES} pages; a plan has fewer."
            )
        for page_index in range(len(pdf)):
            first_row = page_index > 0
            try:
                pdfium_page = pdf[page_index]
                try:
                    page = _read_page(raw, pdfium_page)
                finally:
                    pdfium_page.close()
                chars += len(page.chars)
                tables = TableFinder(page, _settings(page)).tables  # type: ignore[arg-type]
                placed: list[tuple[float, list[Any]]] = []
                outside = page.chars
                for table in tables:
                    rows: list[Any] = []
                    for raw_row in _extract(table, page.chars):
                        cells = [fold(c or "") if c is not None else "" for c in raw_row]
                        if header is None:
                            header = cells
                        elif cells == header:
                            continue  # the header printed again on this page
                        merged = [c is None for c in raw_row]
                        if is_numbering_run(cells):
                            rows.append(TableRow(cells, merged))
                            continue  # the column numbers printed under the header
                        if first_row and cells and not cells[0] and last_row is not None:
                            # The rest of a row the page broke: one row again, as in Word.
                            for i, text in enumerate(cells[: len(last_row.cells)]):
                                if text:
                                    last_row.cells[i] = f"{last_row.cells[i]} {text}".strip()
                            first_row = False
                            continue
                        first_row = False
                        last_row = TableRow(cells, merged)
                        rows.append(last_row)
                    placed.append((float(table.bbox[1]), rows))
                    outside = _outside(outside, table.bbox)
                if outside:
                    textmap = chars_to_textmap(
                        outside,
                        layout_bbox=page.bbox,
                        layout_width=page.width,
                        layout_height=page.height,
                        keep_blank_chars=False,
                    )
                    for line in textmap.extract_text_lines(strip=True, return_chars=False):
                        placed.append((float(line["top"]), [Para(line["text"])]))
            except PlanParseError:
                raise
            except Exception as exc:
                raise PlanParseError(
                    "unreadable_pdf", f"A page of this PDF cannot be read: {exc}"
                ) from exc
            for _top, items in sorted(placed, key=lambda item: item[0]):
                blocks.extend(items)
    finally:
        pdf.close()
    if chars == 0:
        raise PlanParseError(
            "scanned_pdf",
            "This PDF has no text layer: it is a scanned image. Upload the plan as .docx, as "
            "text, or as a PDF saved from the document (not scanned).",
        )
    return blocks
