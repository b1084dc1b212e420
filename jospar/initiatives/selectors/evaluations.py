"""An initiative's evaluations as the public reads them: the citizens' rating (kept on the
initiative) and the beneficiaries' survey summed up (no answer is shown one by one)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q

from jospar.initiatives.models import Initiative, SurveyAnswer


@dataclass(frozen=True)
class Evaluation:
    rating: float | None
    rating_count: int
    survey_answers: int
    used_it: int
    satisfaction: float | None


def evaluation_of(initiative: Initiative) -> Evaluation:
    survey = SurveyAnswer.objects.filter(initiative=initiative).aggregate(
        n=Count("id"), used=Count("id", filter=Q(used_it=True)), mean=Avg("satisfaction")
    )
    mean = survey["mean"]
    return Evaluation(
        rating=initiative.rating,
        rating_count=initiative.rating_count,
        survey_answers=survey["n"],
        used_it=survey["used"],
        satisfaction=None if mean is None else round(float(mean), 2),
    )
