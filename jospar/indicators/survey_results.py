"""Results of a survey wave, computed from the counts by answer.

For a region with ``n`` respondents of whom ``k`` gave an answer, the share is ``p = k / n`` and
its 95 % margin of error is ``1.96 · √(p(1 − p) / n)`` (simple random sample, the normal
approximation; with ``p = 0.5`` and ``n = 1000`` it is the textbook ±3.1 points).

Nationally the regions' shares are weighted by the regions' population (post-stratification):
``p = Σ Wᵣ pᵣ`` with ``Wᵣ = Nᵣ / Σ N`` over the regions that answered, and the margin
``1.96 · √(Σ Wᵣ² pᵣ(1 − pᵣ) / nᵣ)``. Where the sample is proportional to the population this is
the plain share of all respondents; where it is not (small regions over-sampled, as is usual),
it corrects the over-sampling. A region without a population figure makes the national result
unweighted (the plain share of all respondents), and says so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from jospar.core.models import Region
from jospar.indicators.models_surveys import AnswerCount, SurveyQuestion, SurveyWave

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Share:
    count: int
    respondents: int
    share: float | None  # percent
    margin: float | None  # percentage points, 95 %


def share_of(count: int, respondents: int) -> Share:
    if respondents <= 0:
        return Share(count, respondents, None, None)
    p = count / respondents
    return Share(count, respondents, 100 * p, 100 * Z95 * math.sqrt(p * (1 - p) / respondents))


def weighted_share(parts: list[tuple[int, int, int]]) -> tuple[Share, bool]:
    """National share from ``(count, respondents, population)`` of each region, and whether it
    was weighted by population."""
    answered = [(k, n, pop) for k, n, pop in parts if n > 0]
    total_k = sum(k for k, _, _ in answered)
    total_n = sum(n for _, n, _ in answered)
    if not answered:
        return Share(0, 0, None, None), False
    if any(pop <= 0 for _, _, pop in answered):
        return share_of(total_k, total_n), False
    weight_sum = sum(pop for _, _, pop in answered)
    p = sum((pop / weight_sum) * (k / n) for k, n, pop in answered)
    variance = sum((pop / weight_sum) ** 2 * (k / n) * (1 - k / n) / n for k, n, pop in answered)
    return Share(total_k, total_n, 100 * p, 100 * Z95 * math.sqrt(variance)), True


@dataclass
class QuestionResult:
    question: SurveyQuestion
    respondents: dict[int, int] = field(default_factory=dict)  # region id → answered
    national: dict[str, Share] = field(default_factory=dict)
    by_region: dict[int, dict[str, Share]] = field(default_factory=dict)
    weighted: bool = False


def wave_results(wave: SurveyWave) -> list[QuestionResult]:
    """Per question: the share of each answer by region and nationally (two queries)."""
    questions = list(wave.survey.questions.all())
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for question_id, region_id, answer, count in AnswerCount.objects.filter(wave=wave).values_list(
        "question_id", "region_id", "answer", "count"
    ):
        counts[question_id][region_id][answer] = count
    region_ids = {r for by_region in counts.values() for r in by_region}
    population = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "population"))
    results = []
    for question in questions:
        result = QuestionResult(question)
        by_region = counts.get(question.pk, {})
        for region_id, answers in by_region.items():
            n = sum(answers.values())
            result.respondents[region_id] = n
            result.by_region[region_id] = {
                code: share_of(answers.get(code, 0), n) for code in question.answer_codes
            }
        for code in question.answer_codes:
            parts = [
                (answers.get(code, 0), sum(answers.values()), int(population.get(r) or 0))
                for r, answers in by_region.items()
            ]
            result.national[code], result.weighted = weighted_share(parts)
        results.append(result)
    return results


def indicator_share(
    question: SurveyQuestion, result: QuestionResult
) -> tuple[float | None, dict[int, float]]:
    """The share of the answers the question counts for its indicator: national, by region."""
    wanted = set(question.indicator_answers)
    national_parts: list[float] = []
    for code in wanted:
        share = result.national.get(code)
        if share is not None and share.share is not None:
            national_parts.append(share.share)
    by_region = {
        region_id: sum((shares[c].share or 0.0) for c in wanted if c in shares)
        for region_id, shares in result.by_region.items()
        if result.respondents.get(region_id)
    }
    return (sum(national_parts) if national_parts else None), by_region
