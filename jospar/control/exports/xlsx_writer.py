"""The report as an Excel workbook: the same table on the first sheet, the counts on the second.

Text that people typed (reports, titles) is always written as text: a value that begins like a
formula (``=``, ``+``, ``-``, ``@``; the rule is ``jospar.core.spreadsheet``'s) is stored as a
string cell with the quote prefix set, so that Excel neither computes it on opening nor after the
cell is edited.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jospar.control.exports import labels
from jospar.control.exports.data import ConsolidatedReport, Row, summarise
from jospar.core.spreadsheet import starts_like_formula

Progress = Callable[[int, int], None]

# Excel keeps at most this many characters in a cell.
CELL_LIMIT = 32767
COLUMN_WIDTHS = (7, 48, 22, 26, 22, 70, 24)
HEADER_ROW = 6
FONT = "Times New Roman"

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
BODY_FONT = Font(name=FONT, size=11)
BOLD_FONT = Font(name=FONT, size=11, bold=True)


def _limit(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def put_text(cell: Any, text: str) -> None:
    """Write text as text, whatever it begins with."""
    value = _limit(text)
    cell.value = value
    if starts_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _information(row: Row) -> CellRichText | str:
    parts: list[str | TextBlock] = []
    bold = InlineFont(rFont=FONT, b=True)
    for entry in row.reported:
        if parts:
            parts.append("\n\n")
        parts.append(TextBlock(bold, row.entry_label(entry)))
        body = "\n".join(entry.paragraphs)
        if body:
            parts.append(": " + body)
        for link in entry.links:
            parts.append("\n" + (f"{link.title} — {link.url}" if link.title else link.url))
        if entry.attachments:
            parts.append("\n" + labels.attachments_line(entry.attachments))
        for line in entry.evidence:
            parts.append("\n" + line)
    missing = row.not_reported
    if missing:
        if parts:
            parts.append("\n\n")
        parts.append(labels.not_reported_line(missing))
    if not any(isinstance(p, TextBlock) for p in parts):
        return "".join(str(p) for p in parts)
    total = sum(len(p.text if isinstance(p, TextBlock) else p) for p in parts)
    if total > CELL_LIMIT:
        # Rich text past Excel's limit would be cut by Excel in the middle of a run.
        return _limit("".join(p.text if isinstance(p, TextBlock) else p for p in parts))
    return CellRichText(parts)


def _status(row: Row) -> str:
    groups = row.status_groups()
    if len(groups) == 1:
        return str(groups[0][0].label)
    return "\n".join(f"{status.label}: {', '.join(names)}" for status, names in groups)


def _title_rows(sheet: Any, report: ConsolidatedReport) -> None:
    last = get_column_letter(len(COLUMN_WIDTHS))
    lines = [
        (labels.report_heading(report), Font(name=FONT, size=14, bold=True)),
        (report.plan_title, Font(name=FONT, size=12, bold=True)),
        (
            " · ".join(
                x
                for x in (
                    labels.period_line(report),
                    labels.approval_line(report),
                    labels.organisation_line(report),
                )
                if x
            ),
            Font(name=FONT, size=12),
        ),
        (labels.status_date_line(report), Font(name=FONT, size=10, italic=True)),
    ]
    for number, (text, font) in enumerate(lines, start=1):
        sheet.merge_cells(f"A{number}:{last}{number}")
        cell = sheet.cell(row=number, column=1)
        put_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[2].height = 32


def _header(sheet: Any, report: ConsolidatedReport) -> None:
    for column, heading in enumerate(labels.column_headings(report), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=heading)
        cell.font, cell.fill, cell.alignment, cell.border = (
            BOLD_FONT,
            HEADER_FILL,
            WRAP_CENTER,
            BORDER,
        )
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _section_row(sheet: Any, number: int, text: str) -> None:
    sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=7)
    cell = sheet.cell(row=number, column=1)
    put_text(cell, text)
    cell.font, cell.fill, cell.alignment = BOLD_FONT, SECTION_FILL, WRAP_CENTER
    for column in range(1, 8):
        sheet.cell(row=number, column=column).border = BORDER


def _activity_row(sheet: Any, number: int, row: Row) -> None:
    values: list[Any] = [
        row.number,
        row.title,
        row.completion_form,
        "\n".join(row.executors),
        row.deadline_text,
        _information(row),
        _status(row),
    ]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=number, column=column)
        if isinstance(value, CellRichText):
            cell.value = value
        else:
            put_text(cell, str(value))
        cell.font, cell.alignment, cell.border = BODY_FONT, WRAP, BORDER
    sheet.cell(row=number, column=1).alignment = Alignment(horizontal="center", vertical="top")


def _summary_sheet(sheet: Any, report: ConsolidatedReport) -> None:
    summary = summarise(report)
    statuses = [status for status, _count in summary.by_status]
    sheet.cell(row=1, column=1, value=_("Obligations by status")).font = BOLD_FONT
    sheet.cell(row=2, column=1, value=_("Status")).font = BOLD_FONT
    sheet.cell(row=2, column=2, value=_("Obligations")).font = BOLD_FONT
    number = 3
    for status, count in summary.by_status:
        sheet.cell(row=number, column=1, value=str(status.label))
        sheet.cell(row=number, column=2, value=count)
        number += 1
    sheet.cell(row=number, column=1, value=_("Total")).font = BOLD_FONT
    sheet.cell(row=number, column=2, value=summary.total).font = BOLD_FONT

    number += 2
    sheet.cell(row=number, column=1, value=_("Obligations by executor and status")).font = BOLD_FONT
    number += 1
    headings = [_("Executor"), *[str(s.label) for s in statuses], _("Total")]
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=number, column=column, value=heading)
        cell.font, cell.alignment, cell.fill = BOLD_FONT, WRAP_CENTER, HEADER_FILL
    for label, counts, total in summary.by_executor:
        number += 1
        put_text(sheet.cell(row=number, column=1), label)
        for column, status in enumerate(statuses, start=2):
            sheet.cell(row=number, column=column, value=counts.get(status, 0))
        sheet.cell(row=number, column=len(headings), value=total)
    sheet.column_dimensions["A"].width = 48
    for column in range(2, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16


def write_xlsx(report: ConsolidatedReport, progress: Progress | None = None) -> bytes:
    """The report as .xlsx bytes. Call it with the report's language active."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = pgettext("sheet", "Information")[:31]
    _title_rows(sheet, report)
    _header(sheet, report)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    number = HEADER_ROW
    section = ""
    total = len(report.rows)
    for index, row in enumerate(report.rows, start=1):
        if row.section and row.section != section:
            number += 1
            _section_row(sheet, number, row.section)
        section = row.section
        number += 1
        _activity_row(sheet, number, row)
        if progress is not None and (index % 50 == 0 or index == total):
            progress(index, total)
    if not report.rows:
        _section_row(sheet, number + 1, labels.no_rows_line(report))
    _summary_sheet(workbook.create_sheet(pgettext("sheet", "Summary")[:31]), report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
