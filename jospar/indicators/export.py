"""The dashboards as XLSX: one row per indicator, numbers as numbers, text never a formula."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jospar.core.models import Region
from jospar.core.spreadsheet import starts_like_formula
from jospar.indicators.models import ValueState
from jospar.indicators.selectors import DashboardGroup

CELL_LIMIT = 32_000


def _text(cell: Any, text: str) -> None:
    cell.value = text[:CELL_LIMIT]
    if starts_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def dashboard_xlsx(groups: list[DashboardGroup], region: Region | None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Indicators")[:31]
    title = region.name if region else _("Kazakhstan")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    header = [
        _("Sub-program"),
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Period"),
        _("Value"),
        _("State"),
        _("Target"),
        _("Achievement, %"),
        _("Traffic light"),
        _("Regions not reported"),
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    states = dict(ValueState.choices)
    for group in groups:
        for row in group.rows:
            sheet.append([""] * len(header))
            line = sheet.max_row
            _text(sheet.cell(line, 1), group.node.name if group.node else _("Not in a program"))
            _text(sheet.cell(line, 2), row.indicator.code)
            _text(sheet.cell(line, 3), row.indicator.name)
            _text(sheet.cell(line, 4), row.indicator.unit)
            sheet.cell(line, 5).value = row.period
            sheet.cell(line, 6).value = float(row.value) if row.value is not None else None
            sheet.cell(line, 7).value = str(states.get(row.state, "")) if row.state else ""
            if row.target is not None:
                _text(
                    sheet.cell(line, 8),
                    f"{row.target.get_comparator_display()} {row.target.value.normalize():f}",
                )
            percent = row.achievement.percent
            sheet.cell(line, 9).value = float(percent) if percent is not None else None
            sheet.cell(line, 10).value = str(row.achievement.light.label)
            if row.national is not None and row.national.missing:
                sheet.cell(line, 11).value = row.national.missing
    widths = [28, 16, 60, 10, 10, 14, 14, 14, 14, 24, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(2, index).column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
