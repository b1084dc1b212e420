"""Plans as PDF with a text layer: the seed plans laid out as PDF read like their text."""

from __future__ import annotations

import io
from functools import cache

import pytest

from jospar.planparser import PlanParseError, parse_plan
from jospar.planparser.tests.seedtools import (
    PLAN_SEEDS,
    gold_mismatches,
    html_page,
    pipe_table,
    seed_text,
    tab_table,
)

weasyprint = pytest.importorskip("weasyprint")

_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid #000; padding: 2pt; vertical-align: top; }
tr { break-inside: auto; }
p { margin: 0 0 2pt; }
"""


@cache
def _pdf(name: str, css: str = _CSS) -> bytes:
    text = seed_text(name)
    table = pipe_table(text) if name == PLAN_SEEDS[0] else tab_table(text)
    page = html_page(table.before, table.header, table.items, table.after, 5)
    out = io.BytesIO()
    weasyprint.HTML(string=page).write_pdf(out, stylesheets=[weasyprint.CSS(string=css)])
    return out.getvalue()


@pytest.mark.parametrize("name", PLAN_SEEDS)
def test_seed_plan_as_pdf_matches_the_gold(name: str) -> None:
    plan = parse_plan(_pdf(name), filename="plan.pdf")
    assert gold_mismatches(plan, name) == []


def test_rows_broken_across_pages_stay_one_activity() -> None:
    # A small page breaks rows (and the table, whose header is printed again) across pages.
    small = _CSS.replace("A4 landscape", "A6 landscape").replace("9pt", "7pt")
    data = _pdf(PLAN_SEEDS[1], small)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) > 10
    plan = parse_plan(data, filename="plan.pdf")
    assert gold_mismatches(plan, PLAN_SEEDS[1]) == []


def test_a_scanned_pdf_is_refused_saying_so() -> None:
    out = io.BytesIO()
    # A page with only a drawing and no text: what a scan without recognised text looks like.
    weasyprint.HTML(
        string='<svg width="200" height="100"><rect width="200" height="100"/></svg>'
    ).write_pdf(out)
    with pytest.raises(PlanParseError) as exc:
        parse_plan(out.getvalue(), filename="scan.pdf")
    assert exc.value.code == "scanned_pdf"


def test_a_damaged_pdf_is_refused() -> None:
    with pytest.raises(PlanParseError) as exc:
        parse_plan(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF", filename="x.pdf")
    assert exc.value.code == "unreadable_pdf"


def test_pdfium_pages_read_as_pdfplumber_reads_them() -> None:
    # The characters, rulings and cells taken with PDFium are those pdfplumber (pdfminer) finds
    # on the same page: the speed-up changes no text.
    import pdfplumber
    import pypdfium2
    import pypdfium2.raw as raw
    from pdfplumber.table import TableFinder

    from jospar.planparser import pdf as pdfmod

    data = _pdf(PLAN_SEEDS[1])
    document = pypdfium2.PdfDocument(data)
    with document, pdfplumber.open(io.BytesIO(data)) as reference:
        for index in (0, 1, len(reference.pages) - 1):
            theirs = reference.pages[index]
            pdfium_page = document[index]
            page = pdfmod._read_page(raw, pdfium_page)
            pdfium_page.close()
            assert [c["text"] for c in page.chars] == [c["text"] for c in theirs.chars]
            for ours, their in zip(page.chars, theirs.chars, strict=True):
                for key in ("x0", "x1", "top", "bottom"):
                    # PDFium computes in single precision: a few hundredths of a point.
                    assert abs(ours[key] - their[key]) < 0.05, (key, ours, their)
            found = TableFinder(page, pdfmod._settings(page)).tables  # type: ignore[arg-type]
            expected = theirs.find_tables(pdfmod._settings(theirs))  # type: ignore[arg-type]
            ours_boxes = [x for t in found for x in t.bbox]
            assert ours_boxes == pytest.approx([x for t in expected for x in t.bbox], abs=0.05)
            for table, their_table in zip(found, expected, strict=True):
                assert pdfmod._extract(table, page.chars) == their_table.extract()
