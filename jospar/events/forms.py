"""The calendar's forms: filters (region, kind, period), an event proposed or added, and the
short forms of moderation, cancelling and the report after the event."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.control.forms import MultipleFileField
from jospar.core.collation import sort_key
from jospar.core.edge_fields import DateFormField, IdFormField
from jospar.core.models import Region
from jospar.events.models import EventKind
from jospar.events.selectors import Filters

ALMATY = ZoneInfo("Asia/Almaty")


def _regions() -> list[tuple[str, Any]]:
    # Names only: a region's boundary is a large JSON the choices do not need.
    current = Region.objects.filter(valid_to__isnull=True).only(
        "pk", "name_kk", "name_ru", "name_en"
    )
    regions = sorted(current, key=lambda r: sort_key(r.name))
    return [(str(r.pk), r.name) for r in regions]


class FilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    start = DateFormField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DateFormField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any = None, *, period: bool = True) -> None:
        super().__init__(data)
        every: list[tuple[str, Any]] = [("", _("All"))]
        fields: dict[str, Any] = self.fields
        fields["region"].choices = every + _regions()
        fields["kind"].choices = every + list(EventKind.choices)
        if not period:
            del fields["start"]
            del fields["end"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        return data

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            region_id=int(data["region"]) if data.get("region") else None,
            kind=data.get("kind") or "",
            first=data.get("start"),
            last=data.get("end"),
        )

    def query(self) -> str:
        if not self.is_valid():
            return ""
        return urlencode(
            {
                k: (v.isoformat() if isinstance(v, dt.date) else v)
                for k, v in self.cleaned_data.items()
                if v
            }
        )


class EventForm(forms.Form):
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=200)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=200)
    title_en = forms.CharField(label=_("Title in English (if any)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    description = forms.CharField(
        label=_("What happens"),
        max_length=5000,
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    region = forms.ChoiceField(label=_("Region"))
    place = forms.CharField(label=_("Place (address, venue)"), max_length=300)
    latitude = forms.FloatField(
        label=_("Latitude (if known)"), min_value=40, max_value=56, required=False
    )
    longitude = forms.FloatField(
        label=_("Longitude (if known)"), min_value=46, max_value=88, required=False
    )
    start_date = DateFormField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_date = DateFormField(
        label=_("Ends on (if another day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    organiser_name = forms.CharField(
        label=_("Organiser (if not your organisation)"), max_length=300, required=False
    )
    volunteers_wanted = forms.IntegerField(
        label=_("Volunteers wanted (0: none)"), min_value=0, max_value=100_000, initial=0
    )
    activity = IdFormField(
        label=_("Plan activity it carries out (number from its page)"), required=False
    )
    program_node = IdFormField(
        label=_("Program key event it carries out (number from its page)"), required=False
    )
    initiative = IdFormField(
        label=_("Civic initiative it carries out (number from its page)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["region"].choices = [("", "—"), *_regions()]

    def service_data(self) -> dict[str, Any]:
        """Times are read in Kazakhstan's zone (UTC+5 in the whole country since 1 March 2024)."""
        data = self.cleaned_data
        start_day: dt.date = data["start_date"]
        end_day: dt.date = data.get("end_date") or start_day
        starts = dt.datetime.combine(start_day, data["start_time"], tzinfo=ALMATY)
        ends = dt.datetime.combine(end_day, data["end_time"], tzinfo=ALMATY)
        return {
            **{
                name: data.get(name)
                for name in (
                    "title_kk",
                    "title_ru",
                    "title_en",
                    "kind",
                    "description",
                    "region",
                    "place",
                    "latitude",
                    "longitude",
                    "organiser_name",
                    "volunteers_wanted",
                    "activity",
                    "program_node",
                    "initiative",
                )
            },
            "starts_at": starts,
            "ends_at": ends,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea({"rows": 2}))


class ReportForm(forms.Form):
    participants = forms.IntegerField(
        label=_("Number of participants"), min_value=0, max_value=10_000_000
    )
    report = forms.CharField(
        label=_("Short report"), max_length=5000, widget=forms.Textarea({"rows": 4})
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP; added to those already shown. Location data is removed."),
    )
