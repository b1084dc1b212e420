"""Evidence as a person types it (the report page's form) or a system sends it (the API):
both read at the edge into ``EvidenceInput``; the service decides what each kind lacks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.control.forms import DateInput, MultipleFileField
from jospar.control.models import EvidenceKind
from jospar.control.services.evidence import (
    NUMBER_MAX,
    OUTLET_MAX,
    PARTICIPANTS_MAX,
    PLACE_MAX,
    REASON_MAX,
    URL_MAX,
    EvidenceInput,
)
from jospar.core.edge import parse_choice, parse_date, parse_id, parse_int, parse_text
from jospar.core.edge_fields import DateFormField


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Evidence for"), choices=EvidenceKind.choices)
    number = forms.CharField(label=_("Number of the act"), required=False, max_length=NUMBER_MAX)
    date = DateFormField(label=_("Date"), required=False, widget=DateInput())
    url = forms.CharField(label=_("Address (link)"), required=False, max_length=URL_MAX)
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=OUTLET_MAX)
    place = forms.CharField(label=_("Place"), required=False, max_length=PLACE_MAX)
    participants = forms.IntegerField(
        label=_("Number of participants"), required=False, min_value=0, max_value=PARTICIPANTS_MAX
    )
    # A reported event of the calendar (``jospar.control.evidence_sources``); offered only
    # where the calendar has some for this person and obligation.
    calendar_event = forms.TypedChoiceField(
        label=_("An event of the calendar"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Its date, place and participants fill the fields left empty; the photos of its"
            " report are attached."
        ),
    )
    files = MultipleFileField(label=_("Files"), required=False)  # type: ignore[assignment]
    missing_reason = forms.CharField(
        label=_("Or: why this evidence cannot be given"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def to_input(self) -> EvidenceInput:
        data = self.cleaned_data
        return EvidenceInput(
            kind=data["kind"],
            number=data["number"].strip(),
            date=data["date"],
            url=data["url"].strip(),
            outlet=data["outlet"].strip(),
            place=data["place"].strip(),
            participants=data["participants"],
            missing_reason=data["missing_reason"].strip(),
        )


def evidence_input_from(given: Mapping[str, Any] | Any) -> EvidenceInput:
    """The API's evidence, every value read by ``jospar.core.edge`` (a bad one is a 400 naming
    its field); a body that is not an object reads as empty."""
    data: Mapping[str, Any] = given if isinstance(given, Mapping) else {}

    def text(name: str, limit: int, *, multiline: bool = False) -> str:
        return parse_text(data.get(name), name, max_length=limit, multiline=multiline)

    date = data.get("date")
    participants = data.get("participants")
    return EvidenceInput(
        kind=parse_choice(data.get("kind"), "kind", EvidenceKind.values),
        number=text("number", NUMBER_MAX),
        date=parse_date(date, "date") if date not in (None, "") else None,
        url=text("url", URL_MAX),
        outlet=text("outlet", OUTLET_MAX),
        place=text("place", PLACE_MAX),
        participants=(
            parse_int(participants, "participants", minimum=0, maximum=PARTICIPANTS_MAX)
            if participants not in (None, "")
            else None
        ),
        missing_reason=text("missing_reason", REASON_MAX, multiline=True),
    )


def calendar_event_from(given: Mapping[str, Any] | Any) -> int | None:
    """The API's ``calendar_event``: the id of a reported event of the calendar, or None."""
    data: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    value = data.get("calendar_event")
    return parse_id(value, "calendar_event") if value not in (None, "") else None
