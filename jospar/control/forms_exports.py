"""The form of the report request: period (a quarter, half-year, year, or two dates), language
and format. It reads and checks what was typed; the service decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.control.exports.periods import ReportPeriod
from jospar.control.models_exports import ExportFormat, ExportLang
from jospar.core.edge_fields import DateFormField, IdFormField
from jospar.plans.models import Plan

CUSTOM = "custom"
PERIOD_CHOICES = [
    ("Q1", _("1st quarter")),
    ("Q2", _("2nd quarter")),
    ("Q3", _("3rd quarter")),
    ("Q4", _("4th quarter")),
    ("H1", _("1st half-year")),
    ("H2", _("2nd half-year")),
    ("Y", _("Whole year")),
    (CUSTOM, _("Other dates")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def initial_for(plan: Plan, lang: str, today: dt.date) -> dict[str, Any]:
    """The period a person most likely wants: the current quarter while the plan runs, else the
    first year of the plan."""
    start, end = plan.period_start, plan.period_end
    running = (start is None or start <= today) and (end is None or today <= end)
    if running:
        part, year = f"Q{(today.month - 1) // 3 + 1}", today.year
    else:
        part, year = "Y", (start or end or today).year
    return {
        "period": part,
        "year": year,
        "lang": lang if lang in ExportLang.values else ExportLang.KK,
        "format": ExportFormat.DOCX,
    }


class ReportExportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES)
    year = IdFormField(label=_("Year"), min_value=1991, max_value=2100, required=False)
    period_start = DateFormField(label=_("From"), required=False, widget=DateInput())
    period_end = DateFormField(label=_("To"), required=False, widget=DateInput())
    lang = forms.ChoiceField(
        label=_("Language of the report"), choices=ExportLang.choices, widget=forms.RadioSelect
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        part = data.get("period")
        if part == CUSTOM:
            start, end = data.get("period_start"), data.get("period_end")
            if start is None:
                self.add_error("period_start", _("Give the first day of the period."))
            if end is None:
                self.add_error("period_end", _("Give the last day of the period."))
            if start is not None and end is not None and start > end:
                self.add_error("period_end", _("The end is before the start."))
        elif part and data.get("year") is None:
            self.add_error("year", _("Give the year."))
        return data

    def report_period(self) -> ReportPeriod:
        data = self.cleaned_data
        if data["period"] == CUSTOM:
            return ReportPeriod(data["period_start"], data["period_end"])
        return ReportPeriod.of(data["period"], data["year"])
