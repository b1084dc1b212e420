"""The initiative pages' forms: bounded fields Django checks first; the services decide the rest."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.core.collation import sort_key
from jospar.core.edge_fields import DateFormField, IdFormField
from jospar.core.models import Region
from jospar.initiatives.models import (
    AuthorKind,
    Direction,
    InitiativeKind,
    InitiativeState,
    NeedKind,
    PledgerKind,
    SelectionBody,
)
from jospar.initiatives.selectors.initiatives import Filters

ROLES = 3


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2, min_value=0
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    open_needs = forms.BooleanField(label=_("Needs still open"), required=False)

    def __init__(self, data: Any = None, *, region_names: bool = True) -> None:
        super().__init__(data)
        every: list[tuple[str, Any]] = [("", _("All"))]
        fields: dict[str, Any] = self.fields
        if not region_names:
            # The map's data endpoint shows no form: the region is an id, read without a query
            # (an unknown one simply matches nothing).
            fields["region"] = IdFormField(required=False)
        fields["state"].choices = every + [
            (s.value, s.label) for s in InitiativeState if s.value not in ("draft",)
        ]
        fields["kind"].choices = every + list(InitiativeKind.choices)
        fields["direction"].choices = every + list(Direction.choices)
        if region_names:
            regions = sorted(
                Region.objects.filter(valid_to__isnull=True).only(
                    "pk", "name_kk", "name_ru", "name_en"
                ),
                key=lambda r: sort_key(r.name),
            )
            fields["region"].choices = every + [(str(r.pk), r.name) for r in regions]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            state=data.get("state") or "",
            kind=data.get("kind") or "",
            direction=data.get("direction") or "",
            region_id=int(data["region"]) if data.get("region") else None,
            open_needs=bool(data.get("open_needs")),
        )

    def query(self) -> str:
        if not self.is_valid():
            return ""
        return urlencode({k: ("1" if v is True else v) for k, v in self.cleaned_data.items() if v})


class InitiativeForm(forms.Form):
    author_kind = forms.ChoiceField(
        label=_("Proposed by"), choices=AuthorKind.choices, initial=AuthorKind.CITIZEN
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(
        label=_("The local problem it solves"), max_length=5000, widget=forms.Textarea({"rows": 5})
    )
    kind = forms.ChoiceField(label=_("Type"), choices=InitiativeKind.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    latitude = forms.FloatField(
        min_value=-90, max_value=90, widget=forms.HiddenInput, required=False
    )
    longitude = forms.FloatField(
        min_value=-180, max_value=180, widget=forms.HiddenInput, required=False
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    beneficiaries = forms.CharField(label=_("Who benefits"), max_length=300)
    beneficiaries_count = forms.IntegerField(
        label=_("How many people benefit"), min_value=1, max_value=100_000_000
    )
    budget = _money(_("Budget, tenge (if any)"), required=False)
    money = _money(_("Money needed, tenge"), required=False)
    money_for = forms.CharField(label=_("What the money is for"), max_length=300, required=False)
    materials = forms.CharField(label=_("Materials needed"), max_length=300, required=False)
    materials_quantity = _money(_("How many"), required=False)
    materials_unit = forms.CharField(label=_("Unit"), max_length=32, required=False)
    venue = forms.CharField(label=_("Venue needed"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, ROLES + 1):
            self.fields[f"role_{n}"] = forms.CharField(
                label=_("Volunteer role"), max_length=300, required=False
            )
            self.fields[f"role_{n}_hours"] = forms.DecimalField(
                label=_("Hours in total"),
                required=False,
                max_digits=8,
                decimal_places=1,
                min_value=0,
            )

    def roles(self) -> list[tuple[Any, Any]]:
        return [(self[f"role_{n}"], self[f"role_{n}_hours"]) for n in range(1, ROLES + 1)]

    def service_data(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        data = self.cleaned_data
        values = {
            name: data.get(name)
            for name in (
                "author_kind",
                "title",
                "problem",
                "kind",
                "direction",
                "latitude",
                "longitude",
                "address",
                "beneficiaries",
                "beneficiaries_count",
                "budget",
            )
        }
        needs: list[dict[str, Any]] = []
        if data.get("money"):
            needs.append(
                {
                    "kind": NeedKind.MONEY,
                    "description": data.get("money_for") or str(_("Money")),
                    "quantity": data["money"],
                    "unit": "KZT",
                }
            )
        if data.get("materials"):
            needs.append(
                {
                    "kind": NeedKind.MATERIAL,
                    "description": data["materials"],
                    "quantity": data.get("materials_quantity") or 1,
                    "unit": data.get("materials_unit") or "",
                }
            )
        if data.get("venue"):
            needs.append({"kind": NeedKind.VENUE, "description": data["venue"], "quantity": 1})
        for n in range(1, ROLES + 1):
            if data.get(f"role_{n}"):
                needs.append(
                    {
                        "kind": NeedKind.VOLUNTEERS,
                        "description": data[f"role_{n}"],
                        "quantity": data.get(f"role_{n}_hours") or 0,
                        "unit": "h",
                    }
                )
        return values, needs


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("select", _("Selected: open for support")), ("reject", _("Rejected"))],
    )
    body = forms.ChoiceField(label=_("Decided by"), choices=SelectionBody.choices)
    decided_on = DateFormField(
        label=_("Date of the meeting"), widget=forms.DateInput({"type": "date"})
    )
    decision = forms.CharField(
        label=_("The decision"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )


class PledgeForm(forms.Form):
    need = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("I pledge as"), choices=PledgerKind.choices)
    quantity = _money(_("How much"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CheckInForm(forms.Form):
    day = DateFormField(label=_("Day"), widget=forms.DateInput({"type": "date"}))
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0)


class ResultsForm(forms.Form):
    results = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea({"rows": 5})
    )
    beneficiaries_reached = forms.IntegerField(
        label=_("How many people it reached"), min_value=0, max_value=100_000_000
    )
    money_given = _money(_("Money actually given, tenge"))


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)]
    )


class SurveyForm(forms.Form):
    used_it = forms.BooleanField(label=_("I use what the project made"), required=False)
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you (1–5)?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
    )
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea({"rows": 3}))
