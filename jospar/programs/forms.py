from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jospar.programs.models import Program

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ProgramUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Program text (.txt, .docx, .html)"),
        help_text=_("The official text of the program, in Kazakh or Russian."),
    )
    lang = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect from the text")), ("kk", _("Kazakh")), ("ru", _("Russian"))],
    )
    target_program = forms.ModelChoiceField(
        label=_("Add to program"),
        required=False,
        queryset=Program.objects.none(),
        empty_label=_("A new program"),
        help_text=_("Choose a program to add another language version or a corrected text."),
    )

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_program"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = programs

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload
