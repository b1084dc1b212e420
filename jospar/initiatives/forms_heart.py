"""Forms of Generous Heart and of the public vote (bounded at the edge)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jospar.core.edge_fields import DateFormField, IdFormField
from jospar.initiatives.models import HeartNomination, StoryLanguage
from jospar.initiatives.selectors.heart import Candidate


class NominateForm(forms.Form):
    nomination = forms.TypedChoiceField(label=_("Nomination"), coerce=int)
    candidate = forms.ChoiceField(label=_("Whom you propose"))
    reason = forms.CharField(
        label=_("Why they deserve it"), max_length=2000, widget=forms.Textarea({"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        nominations: list[HeartNomination],
        candidates: dict[int, list[Candidate]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        nomination_field = self.fields["nomination"]
        assert isinstance(nomination_field, forms.TypedChoiceField)
        nomination_field.choices = [(n.pk, n.name) for n in nominations]
        choices: list[tuple[str, Any]] = []
        for nomination in nominations:
            rows = [
                (f"{nomination.pk}:{c.key}", c.name)
                for c in candidates.get(nomination.pk, [])
                if c.nominee is None
            ]
            if rows:
                choices.append((nomination.name, rows))
        candidate_field = self.fields["candidate"]
        assert isinstance(candidate_field, forms.ChoiceField)
        candidate_field.choices = [("", "—"), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        nomination = data.get("nomination")
        candidate = str(data.get("candidate") or "")
        prefix, _sep, key = candidate.partition(":")
        if nomination is not None and candidate and prefix != str(nomination):
            self.add_error("candidate", _("Choose someone from this nomination's list."))
        data["key"] = key
        return data


class ScoreForm(forms.Form):
    nominee = IdFormField()
    score = forms.TypedChoiceField(
        label=_("Score"), coerce=int, choices=[(n, str(n)) for n in range(1, 11)]
    )
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False)


class VoteForm(forms.Form):
    option = IdFormField()


class SelectionVoteForm(forms.Form):
    closes_on = DateFormField(label=_("The vote closes on"))


class ReviewForm(forms.Form):
    ballot = IdFormField()
    address = forms.RegexField(regex=r"^[0-9a-f]{32}$", max_length=32)
    count = forms.TypedChoiceField(coerce=int, choices=[(1, "1"), (0, "0")])


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    lang = forms.ChoiceField(label=_("Language of the story"), choices=StoryLanguage.choices)
    body = forms.CharField(
        label=_("The story: what you did, how, and what others can take from it"),
        max_length=20_000,
        widget=forms.Textarea({"rows": 14}),
    )


class StoryReviewForm(forms.Form):
    story = IdFormField()
    decision = forms.ChoiceField(
        choices=[("publish", "publish"), ("return", "return"), ("hide", "hide")]
    )
    note = forms.CharField(
        label=_("Reason (for returning or hiding)"), max_length=1000, required=False
    )
