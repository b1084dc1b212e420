"""Forms of the control pages: they read what a person typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from jospar.control.models import ControlDecisionKind, ObligationStatus
from jospar.control.selectors.obligations import ObligationFilter, quarter_bounds
from jospar.core.edge_fields import DateFormField, IdFormField
from jospar.core.models import Organisation
from jospar.programs.models import ProjectTaskKind
from jospar.programs.policy import subtree_ids

OUTCOME_CHOICES = [
    ("on_time", _("Reported on time")),
    ("late", _("Reported late")),
    ("overdue", _("Overdue")),
    ("open", _("Not yet due")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ObligationListForm(forms.Form):
    """The GET parameters of the obligation list; a parameter not understood is ignored."""

    plan = IdFormField(required=False, min_value=1)
    organisation = IdFormField(required=False, min_value=1)
    region = IdFormField(required=False, min_value=1)
    status = forms.ChoiceField(required=False, choices=[("", "—"), *ObligationStatus.choices])
    deadline_from = DateFormField(required=False, widget=DateInput())
    deadline_to = DateFormField(required=False, widget=DateInput())
    due_from = DateFormField(required=False, widget=DateInput())
    due_to = DateFormField(required=False, widget=DateInput())
    quarter = forms.CharField(required=False, max_length=8)
    # Project tasks of a program (the program dashboard's figures link here).
    program = IdFormField(required=False, min_value=1)
    node = IdFormField(required=False, min_value=1)
    task_kind = forms.ChoiceField(required=False, choices=[("", "—"), *ProjectTaskKind.choices])
    task_region = IdFormField(required=False, min_value=1)
    outcome = forms.ChoiceField(required=False, choices=[("", "—"), *OUTCOME_CHOICES])

    def clean_quarter(self) -> str:
        value = (self.cleaned_data.get("quarter") or "").strip().upper()
        if value and quarter_bounds(value) is None:
            raise forms.ValidationError(_("A quarter is written like 2016-Q1."), code="invalid")
        return value

    def to_filter(self, plan_id: int | None) -> ObligationFilter:
        """The parameters that were understood (``cleaned_data`` holds only valid fields). A
        program node stands for its subtree, and only within the program named with it."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        task_nodes = None
        if data.get("node") and data.get("program"):
            task_nodes = tuple(sorted(subtree_ids(data["program"], [data["node"]]) or ()))
        return ObligationFilter(
            plan_id=plan_id,
            organisation_id=data.get("organisation"),
            region_id=data.get("region"),
            status=data.get("status") or None,
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            quarter=data.get("quarter") or None,
            program_id=data.get("program"),
            task_nodes=task_nodes,
            task_kind=data.get("task_kind") or None,
            task_region_id=data.get("task_region"),
            outcome=data.get("outcome") or None,
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    lang = forms.ChoiceField(
        label=_("Language of the report"),
        choices=[("kk", _("Kazakh")), ("ru", _("Russian"))],
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Attach files"),
        required=False,
        help_text=_(
            "Word, Excel, OpenDocument, PDF or images; several at once. Each file is checked by"
            " its content."
        ),
    )
    link_url = forms.CharField(label=_("Link to a publication"), required=False, max_length=2000)
    link_title = forms.CharField(
        label=_("Title of the publication"), required=False, max_length=500
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be revised"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    new_deadline = DateFormField(label=_("New date"), required=False, widget=DateInput())


class AcceptForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=ControlDecisionKind.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_deadline = DateFormField(label=_("New date"), required=False, widget=DateInput())
    obligation = IdFormField(label=_("Obligation"), required=False, min_value=1)


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return str(obj)


class PlanControllerForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Controlling department"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not assigned (every controller sees the plan)"),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationChoiceField)
        field.queryset = Organisation.objects.filter(merged_into__isnull=True).order_by(
            "kind", "name_ru", "name_kk"
        )
