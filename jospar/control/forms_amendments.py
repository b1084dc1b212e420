"""Forms of the amending-act pages: they read and bound what a person typed; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.plans.forms import ALLOWED_SUFFIXES, check_uploaded_file

MAX_ROW_CELLS = 8
MAX_CHANGE_INDEX = 2000


class AmendmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Amending act"),
        help_text=_("The act's official text in Kazakh or Russian: .txt, .docx, .html or .pdf."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )

    def clean_file(self) -> Any:
        return check_uploaded_file(self.cleaned_data["file"])


class ChangeCorrectionForm(forms.Form):
    index = forms.IntegerField(min_value=0, max_value=MAX_CHANGE_INDEX, widget=forms.HiddenInput)
    skip = forms.BooleanField(label=_("Leave this change out"), required=False)
    numbers = forms.CharField(label=_("Row number(s)"), max_length=200, required=False)
    column = forms.IntegerField(label=_("Column"), min_value=0, max_value=20, required=False)
    old = forms.CharField(label=_("Words in the cell"), max_length=2000, required=False)
    new = forms.CharField(label=_("New words"), max_length=2000, required=False)

    def __init__(self, *args: Any, cells: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, min(cells, MAX_ROW_CELLS) + 1):
            self.fields[f"cell_{i}"] = forms.CharField(
                label=_("Column %(n)d") % {"n": i},
                max_length=10_000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def cells(self) -> list[str] | None:
        found = [self.cleaned_data[k] for k in sorted(self.cleaned_data) if k.startswith("cell_")]
        return found or None
