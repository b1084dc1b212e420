"""The report as a Word document, in the layout of information sent to the Presidential
Administration: a title block, then the plan's table with what each executor reported.

python-docx has no API for a repeated header row, cell shading, a row that may not break, the
language of the text or a hyperlink: those are written as WordprocessingML elements, each in the
place the schema orders it (Word refuses a file whose elements are out of order).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jospar.control.exports import labels
from jospar.control.exports.data import ConsolidatedReport, Row

FONT = "Times New Roman"
TITLE_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
SMALL_SIZE = Pt(10)
# A4 landscape less the margins (20 mm left, 15 mm right) is 262 mm, shared by the 7 columns.
# The executors and mark columns hold the longest single words («орындаушылар», «Қабылданды»).
COLUMN_WIDTHS_MM = (11, 55, 26, 37, 32, 71, 30)
# Cell padding left and right, in twentieths of a point (1 mm): Word's default is 1.9 mm.
CELL_PADDING_TWIPS = 57
HEADER_FILL = "D9D9D9"
SECTION_FILL = "F2F2F2"
WORD_LANGS = {"kk": "kk-KZ", "ru": "ru-RU"}

Progress = Callable[[int, int], None]

# Elements that follow <w:shd> in a cell's properties, and <w:lang> in a run's (ECMA-376).
_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_CANT_SPLIT = (
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
)
_AFTER_TBL_HEADER = _AFTER_CANT_SPLIT[2:]


def _set_fonts(rpr: Any, name: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _set_lang(rpr: Any, code: str) -> None:
    existing = rpr.find(qn("w:lang"))
    if existing is not None:
        rpr.remove(existing)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), code)
    rpr.insert_element_before(lang, *_AFTER_LANG)


def _shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.insert_element_before(shading, *_AFTER_SHD)


def _repeat_as_header(row: Any) -> None:
    """Mark a row as a header row: Word repeats it at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.insert_element_before(cant_split, *_AFTER_CANT_SPLIT)
    header = OxmlElement("w:tblHeader")
    tr_pr.insert_element_before(header, *_AFTER_TBL_HEADER)


def _fixed_layout(table: Any) -> None:
    """Columns as wide as set (not stretched by their text), with narrow cell padding."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    # tblLayout comes after the table's width, borders and shading, before its margins and look.
    tbl_pr.insert_element_before(
        layout, "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), str(CELL_PADDING_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def _page_number(paragraph: Any) -> None:
    """A PAGE field: Word and LibreOffice put the page's number there."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(separate)
    shown = paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    shown._r.append(end)


def _hyperlink(paragraph: Any, url: str, text: str) -> None:
    """A clickable link for web addresses; any other scheme stays plain text."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        paragraph.add_run(text)
        return
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(color)
    rpr.append(underline)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _paragraph(container: Any, first: bool = False) -> Any:
    """The cell's own empty paragraph for its first text, a new one after it."""
    if first and container.paragraphs and not container.paragraphs[0].text:
        return container.paragraphs[0]
    return container.add_paragraph()


def _text_cell(cell: Any, lines: list[str] | tuple[str, ...], *, center: bool = False) -> None:
    for index, line in enumerate(lines or [""]):
        paragraph = _paragraph(cell, first=index == 0)
        paragraph.add_run(line)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _information_cell(cell: Any, row: Row) -> None:
    first = True
    for entry in row.reported:
        paragraphs = entry.paragraphs
        head = _paragraph(cell, first=first)
        first = False
        head.add_run(row.entry_label(entry)).bold = True
        if paragraphs:
            head.add_run(": " + paragraphs[0])
        for text in paragraphs[1:]:
            _paragraph(cell).add_run(text)
        for link in entry.links:
            _hyperlink(_paragraph(cell), link.url, link.title or link.url)
        if entry.attachments:
            _paragraph(cell).add_run(labels.attachments_line(entry.attachments)).italic = True
        for line in entry.evidence:
            _paragraph(cell).add_run(line)
    missing = row.not_reported
    if missing:
        _paragraph(cell, first=first).add_run(labels.not_reported_line(missing)).italic = True


def _status_cell(cell: Any, row: Row) -> None:
    groups = row.status_groups()
    if len(groups) == 1:
        _paragraph(cell, first=True).add_run(str(groups[0][0].label))
        return
    first = True
    for status, names in groups:
        paragraph = _paragraph(cell, first=first)
        first = False
        paragraph.add_run(str(status.label)).bold = True
        small = _paragraph(cell).add_run(", ".join(names))
        small.font.size = SMALL_SIZE


def _setup(document: Any, lang: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(15)
    section.footer_distance = Mm(8)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = TABLE_SIZE
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr, FONT)
    _set_lang(rpr, WORD_LANGS.get(lang, "ru-RU"))
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _title_block(document: Any, report: ConsolidatedReport) -> None:
    def line(
        text: str, *, bold: bool = False, italic: bool = False, size: Any = TITLE_SIZE
    ) -> None:
        if not text:
            return
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, size

    line(labels.report_heading(report), bold=True)
    line(report.plan_title, bold=True)
    line(labels.approval_line(report), italic=True, size=TABLE_SIZE)
    line(labels.period_line(report), bold=True)
    line(labels.organisation_line(report), size=TABLE_SIZE)
    status = document.add_paragraph()
    status.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = status.add_run(labels.status_date_line(report))
    run.italic, run.font.size = True, SMALL_SIZE


def _header_rows(table: Any, report: ConsolidatedReport) -> None:
    headings = labels.column_headings(report)
    for values in (headings, [str(i) for i in range(1, len(headings) + 1)]):
        row = table.add_row()
        _repeat_as_header(row)
        for cell, text in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(text).bold = True
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _shade(cell, HEADER_FILL)


def _spanning_row(table: Any, text: str, *, fill: str | None) -> None:
    row = table.add_row()
    cell = row.cells[0].merge(row.cells[-1])
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(text).bold = fill is not None
    if fill is not None:
        _shade(cell, fill)


def _activity_row(table: Any, row: Row) -> None:
    cells = table.add_row().cells
    _text_cell(cells[0], [row.number], center=True)
    _text_cell(cells[1], [row.title])
    _text_cell(cells[2], [row.completion_form])
    _text_cell(cells[3], list(row.executors))
    _text_cell(cells[4], [row.deadline_text])
    _information_cell(cells[5], row)
    _status_cell(cells[6], row)


def write_docx(report: ConsolidatedReport, progress: Progress | None = None) -> bytes:
    """The report as .docx bytes. Call it with the report's language active."""
    document = Document()
    _setup(document, report.lang)
    _title_block(document, report)
    table = document.add_table(rows=0, cols=len(COLUMN_WIDTHS_MM))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table)
    # Set before any row is added: python-docx gives each new cell its grid column's width,
    # which Word needs (it takes each cell's width, not the grid's).
    for column, width in zip(table.columns, COLUMN_WIDTHS_MM, strict=True):
        column.width = Mm(width)
    _header_rows(table, report)
    section = ""
    total = len(report.rows)
    for index, row in enumerate(report.rows, start=1):
        if row.section and row.section != section:
            _spanning_row(table, row.section, fill=SECTION_FILL)
        section = row.section
        _activity_row(table, row)
        if progress is not None and (index % 25 == 0 or index == total):
            progress(index, total)
    if not report.rows:
        _spanning_row(table, labels.no_rows_line(report), fill=None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
