"""Forms of the plans pages: they read and check what a person typed; the services decide."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jospar.core.edge_fields import DateFormField, IdFormField
from jospar.planparser.corrections import FIELDS
from jospar.plans.models import Plan

ALLOWED_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".pdf")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PlanChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Plan) -> str:
        approved = (
            f" ({obj.approved_on:%d.%m.%Y} № {obj.approval_number})" if obj.approved_on else ""
        )
        return f"#{obj.pk} {obj.title[:120]}{approved}"


def check_uploaded_file(upload: Any) -> Any:
    """The checks of a plan upload, before its bytes are read: the type by name, the size."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise forms.ValidationError(
            _("A plan is read from a .txt, .docx, .html or .pdf file; this file is “%(suffix)s”."),
            code="unsupported_type",
            params={"suffix": suffix or "—"},
        )
    limit = settings.PLAN_UPLOAD_MAX_BYTES
    # Refused before it is read into memory; the parser refuses the same size again.
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)d MB; a plan may be at most %(limit)d MB."),
            code="file_too_large",
            params={"size": upload.size // (1024 * 1024), "limit": limit // (1024 * 1024)},
        )
    return upload


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_("The plan's official text: .txt (UTF-8 or Windows-1251), .docx or .html."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )
    lang = forms.ChoiceField(
        label=_("Language of the text"),
        choices=[("", _("Detect automatically")), ("kk", _("Kazakh")), ("ru", _("Russian"))],
        required=False,
    )
    period_start = DateFormField(
        label=_("Period start"),
        required=False,
        widget=DateInput(),
        help_text=_("Only used where the text states no period of its own."),
    )
    period_end = DateFormField(label=_("Period end"), required=False, widget=DateInput())
    target_plan = PlanChoiceField(
        label=_("Attach to plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("Automatically, by the approval act"),
        help_text=_(
            "Choose a plan when this text is its other language version or a new"
            " revision and the approval act does not show it."
        ),
    )

    def __init__(self, *args: Any, plans: QuerySet[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_plan"]
        assert isinstance(field, PlanChoiceField)
        field.queryset = plans

    def clean_file(self) -> Any:
        return check_uploaded_file(self.cleaned_data["file"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if bool(start) != bool(end):
            self.add_error(
                "period_end" if start else "period_start",
                _("Give both the start and the end of the period, or neither."),
            )
        elif start and end and start > end:
            self.add_error("period_end", _("The end is before the start."))
        return data

    def period(self) -> tuple[dt.date, dt.date] | None:
        start, end = self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")
        return (start, end) if start and end else None


class PlanDetailsForm(forms.Form):
    """The plan's own title, language and period on the check page, before saving."""

    title = forms.CharField(
        label=_("Title of the plan"), strip=True, widget=forms.Textarea(attrs={"rows": 2})
    )
    lang = forms.ChoiceField(
        label=_("Language of the text"), choices=[("kk", _("Kazakh")), ("ru", _("Russian"))]
    )
    period_start = forms.DateField(label=_("Period start"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if bool(start) != bool(end):
            self.add_error(
                "period_end" if start else "period_start",
                _("Give both the start and the end of the period, or neither."),
            )
        elif start and end and start > end:
            self.add_error("period_end", _("The end is before the start."))
        return data

    def period(self) -> tuple[dt.date, dt.date] | None:
        start, end = self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")
        return (start, end) if start and end else None


class PlanTitleForm(forms.Form):
    """A saved plan's title in one language, corrected on the plan's page."""

    lang = forms.ChoiceField(
        label=_("Language"), choices=[("kk", _("Kazakh")), ("ru", _("Russian"))]
    )
    title = forms.CharField(
        label=_("Title of the plan"), strip=True, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class CorrectionForm(forms.Form):
    activity = forms.CharField(max_length=32)
    field = forms.CharField(max_length=32)
    # The limit is the corrections module's; the field itself refuses nothing, so that the
    # service gives the one message for every refusal.
    value = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}))

    def field_is_known(self) -> bool:
        return self.cleaned_data.get("field") in FIELDS


class ObligationFilterForm(forms.Form):
    plan = IdFormField(required=False, min_value=1, widget=forms.Select)
    organisation = IdFormField(required=False, min_value=1, widget=forms.Select)
    region = IdFormField(required=False, min_value=1, widget=forms.Select)
    due_from = DateFormField(label=_("From"), required=False, widget=DateInput())
    due_to = DateFormField(label=_("To"), required=False, widget=DateInput())
