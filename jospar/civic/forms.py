"""The portal's forms: the filters shared by the map and the list, and the filing form's
fields that Django can check before the service does (the service decides the rest)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.civic.models import OPEN_STATES, ReportState, Topic
from jospar.civic.selectors.reports import Period, ReportFilters
from jospar.core.collation import sort_key
from jospar.core.edge_fields import DateFormField
from jospar.core.models import Region

# What the "state" filter offers: red (open) and green (done) first, as the map colours them.
STATE_CHOICES = [
    ("", _("All states")),
    ("open", _("Open (red)")),
    ("done", _("Done (green)")),
    (ReportState.PUBLISHED.value, _("Published, not yet in work")),
    (ReportState.IN_PROGRESS.value, _("In progress")),
    (ReportState.REJECTED.value, _("Rejected")),
    (ReportState.DUPLICATE.value, _("Duplicate")),
]
_STATES: dict[str, tuple[str, ...]] = {
    "open": tuple(str(s) for s in OPEN_STATES),
    "done": (ReportState.DONE.value,),
    ReportState.PUBLISHED.value: (ReportState.PUBLISHED.value,),
    ReportState.IN_PROGRESS.value: (ReportState.IN_PROGRESS.value,),
    ReportState.REJECTED.value: (ReportState.REJECTED.value,),
    ReportState.DUPLICATE.value: (ReportState.DUPLICATE.value,),
}
FILTER_NAMES = ("topic", "state", "region", "from", "to")


class ReportFilterForm(forms.Form):
    """``topic`` (code), ``state``, ``region`` (id), ``from`` and ``to`` (days of submission).
    A value that does not parse is ignored rather than refused: a filter link is never an
    error page."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        topics: list[Topic],
        regions: list[Region],
    ) -> None:
        super().__init__(data)
        self.fields["from"] = DateFormField(
            label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = DateFormField(
            label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ChoiceField)
        topic_field.choices = [("", _("All topics")), *[(t.code, t.name) for t in topics]]
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [
            ("", _("All of Kazakhstan")),
            *sorted(((str(r.pk), r.name) for r in regions), key=lambda c: sort_key(c[1])),
        ]
        self.is_valid()

    def value(self, name: str) -> Any:
        cleaned = getattr(self, "cleaned_data", {}) or {}
        if name in self.errors:
            return None
        return cleaned.get(name) or None

    def filters(self) -> ReportFilters:
        start: dt.date | None = self.value("from")
        end: dt.date | None = self.value("to")
        state = self.value("state")
        region = self.value("region")
        return ReportFilters(
            topics=(self.value("topic"),) if self.value("topic") else (),
            states=_STATES.get(state or "", ()),
            region=int(region) if region else None,
            period=Period(start, end) if start or end else None,
        )

    def query(self) -> str:
        """The filters as a query string (no leading ``?``), for the links between the map,
        the list and the pages; empty when nothing is chosen."""
        pairs = []
        for name in FILTER_NAMES:
            value = self.value(name)
            if value:
                pairs.append((name, value.isoformat() if isinstance(value, dt.date) else value))
        return urlencode(pairs)

    @property
    def is_filtered(self) -> bool:
        return bool(self.query())


class FilingForm(forms.Form):
    """The fields of a report the form can check; the location, the survey and the files are
    checked by ``report_file`` (whose messages the page shows next to each field)."""

    topic = forms.ChoiceField(label=_("What is the problem about?"))
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_(
            "What is wrong, where exactly, since when. Do not write phone numbers or IINs: "
            "they are hidden from the public anyway."
        ),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address or landmark"),
        required=False,
        max_length=500,
        help_text=_("Optional when you put a pin on the map."),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("Needed only if you typed an address and put no pin on the map."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Publish without my name"),
        required=False,
        help_text=_("The akimat still sees who you are; the public does not."),
    )

    def __init__(
        self, data: Any = None, *, topics: list[Topic], regions: list[Region], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ChoiceField)
        topic_field.choices = [("", _("Choose a topic")), *[(t.code, t.name) for t in topics]]
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [
            ("", "—"),
            *sorted(((str(r.pk), r.name) for r in regions), key=lambda c: sort_key(c[1])),
        ]


def survey_from_post(data: Any, topic: Topic, questions: list[Any]) -> dict[str, Any]:
    """The answers to ``topic``'s questions as posted (``q-<topic>-<question>``); a multiple
    choice is a list. Other topics' answers are ignored."""
    answers: dict[str, Any] = {}
    for question in questions:
        name = f"q-{topic.code}-{question.code}"
        if question.datatype == "multivaluelist":
            values = [v for v in data.getlist(name) if v]
            if values:
                answers[question.code] = values
        else:
            value = str(data.get(name, "")).strip()
            if value:
                answers[question.code] = value
    return answers
