"""Plans published as PDF with a text layer: tables read from the page layout (`pdfplumber`).

A PDF has no rows or cells, only characters and lines at positions; pdfplumber finds the tables
from the ruling lines and gives each cell's text, so that a PDF becomes the same blocks as a Word
file: paragraphs outside tables and table rows, in reading order. What the layout adds:

- a table continued on the next page repeats its header there: a row equal to the table's first
  row is the printed header again, not an activity, and is dropped;
- a row broken by the page ends on one page and goes on at the top of the next with an empty
  number cell: the two parts are joined into one row, cell by cell, as Word has it;
- a scanned PDF has no characters at all: it is refused, saying so, never read as empty.
"""

from __future__ import annotations

import io
from typing import Any

from jospar.planparser.model import PlanParseError
from jospar.planparser.textutil import fold, is_numbering_run

# A plan of a few hundred activities is a few dozen pages; a file past this is not a plan.
MAX_PAGES = 1000


def _settings(page: Any) -> dict[str, Any]:
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


def pdf_blocks(data: bytes) -> list[Any]:
    """The PDF's paragraphs and table rows in reading order (sources.Para / sources.TableRow)."""
    from jospar.planparser.sources import Para, TableRow

    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds of errors on a damaged file
        raise PlanParseError("unreadable_pdf", f"This PDF cannot be read: {exc}") from exc
    blocks: list[Any] = []
    header: list[str] | None = None
    last_row: Any = None
    chars = 0
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise PlanParseError(
                "input_too_large", f"The PDF has more than {MAX_PAGES} pages; a plan has fewer."
            )
        for page_index, page in enumerate(pdf.pages):
            first_row = page_index > 0
            try:
                chars += len(page.chars)
                tables = page.find_tables(_settings(page))
                placed: list[tuple[float, list[Any]]] = []
                outside = page
                for table in tables:
                    rows: list[Any] = []
                    for raw in table.extract():
                        cells = [fold(c or "") if c is not None else "" for c in raw]
                        if header is None:
                            header = cells
                        elif cells == header:
                            continue  # the header printed again on this page
                        merged = [c is None for c in raw]
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
                    outside = outside.outside_bbox(table.bbox)
                for line in outside.extract_text_lines(keep_blank_chars=False):
                    placed.append((float(line["top"]), [Para(line["text"])]))
            except PlanParseError:
                raise
            except Exception as exc:
                raise PlanParseError(
                    "unreadable_pdf", f"A page of this PDF cannot be read: {exc}"
                ) from exc
            for _top, items in sorted(placed, key=lambda item: item[0]):
                blocks.extend(items)
    if chars == 0:
        raise PlanParseError(
            "scanned_pdf",
            "This PDF has no text layer: it is a scanned image. Upload the plan as .docx, as "
            "text, or as a PDF saved from the document (not scanned).",
        )
    return blocks
