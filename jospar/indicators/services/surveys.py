"""Surveys: creating one with its questions, its waves and samples, entering counts by hand,
importing respondents' answers from a file (all or nothing), and feeding the indicators a
question measures."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.core.audit import audit_record
from jospar.core.errors import ServiceError
from jospar.core.models import Region, User
from jospar.indicators.models import DataValue, Method, ValueOrigin, ValueState, place_q
from jospar.indicators.models_surveys import (
    AnswerCount,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyWave,
    WaveSample,
)
from jospar.indicators.periods import parse_period
from jospar.indicators.services._common import require_centre
from jospar.indicators.survey_results import indicator_share, wave_results
from jospar.indicators.tabular import read_table

RESPONDENT = "respondent"
REGION = "region"
MAX_REPORTED = 50


def survey_create(
    *, actor: User, code: str, title_kk: str, title_ru: str, questions: list[dict[str, Any]]
) -> Survey:
    require_centre(actor)
    with transaction.atomic():
        survey = Survey.objects.create(code=code, title_kk=title_kk, title_ru=title_ru)
        for position, data in enumerate(questions, start=1):
            SurveyQuestion.objects.create(survey=survey, position=position, **data)
        audit_record(
            actor=actor,
            action="survey.created",
            object_type="indicators.survey",
            object_id=survey.pk,
            after={"code": code, "questions": [q["code"] for q in questions]},
        )
    return survey


def wave_create(
    *, actor: User, survey: Survey, period: str, planned: dict[int, int] | None = None
) -> SurveyWave:
    require_centre(actor)
    iso = parse_period(period).iso
    with transaction.atomic():
        if SurveyWave.objects.filter(survey=survey, period=iso).exists():
            raise ServiceError("wave_exists", _("This survey already has a wave for the period."))
        wave = SurveyWave.objects.create(survey=survey, period=iso)
        for region_id, count in (planned or {}).items():
            WaveSample.objects.create(wave=wave, region_id=region_id, planned=count)
        audit_record(
            actor=actor,
            action="survey_wave.created",
            object_type="indicators.surveywave",
            object_id=wave.pk,
            after={"survey": survey.pk, "period": iso, "planned": planned or {}},
        )
    return wave


def wave_counts_set(
    *,
    actor: User,
    wave: SurveyWave,
    question: SurveyQuestion,
    region: Region,
    counts: dict[str, int],
) -> None:
    """Enter by hand how many respondents of a region gave each answer (replaces the region's
    counts for the question)."""
    require_centre(actor)
    if question.survey_id != wave.survey_id:
        raise ServiceError("wrong_question", _("The question is not of this survey."))
    unknown = sorted(set(counts) - set(question.answer_codes))
    if unknown:
        raise ServiceError(
            "unknown_answer",
            _("Unknown answers: %(answers)s.") % {"answers": ", ".join(unknown)},
        )
    if any(n < 0 for n in counts.values()):
        raise ServiceError("negative_count", _("A count cannot be negative."))
    with transaction.atomic():
        rows = AnswerCount.objects.select_for_update().filter(
            wave=wave, question=question, region=region
        )
        before = {row.answer: row.count for row in rows}
        rows.delete()
        AnswerCount.objects.bulk_create(
            AnswerCount(wave=wave, question=question, region=region, answer=a, count=n)
            for a, n in sorted(counts.items())
        )
        sample, _created = WaveSample.objects.get_or_create(wave=wave, region=region)
        sample.achieved = max(sample.achieved, sum(counts.values()))
        sample.save(update_fields=["achieved"])
        audit_record(
            actor=actor,
            action="survey_counts.entered",
            object_type="indicators.surveywave",
            object_id=wave.pk,
            before={"question": question.code, "region": region.pk, "counts": before},
            after={"question": question.code, "region": region.pk, "counts": counts},
        )


@dataclass
class ImportReport:
    respondents: int = 0
    by_region: dict[str, int] = field(default_factory=dict)


def _problem(problems: list[str], line: int | None, text: str) -> None:
    if len(problems) < MAX_REPORTED:
        problems.append(
            _("Line %(line)s: %(text)s") % {"line": line, "text": text} if line else text
        )


def survey_import(*, actor: User, wave: SurveyWave, filename: str, data: bytes) -> ImportReport:
    """Import a file of answers, one row per respondent: ``respondent``, ``region`` (its code)
    and one column per question (the question's code) holding an answer's code or nothing.
    Wrong or missing columns, unknown regions and answers, and duplicate respondents (in the
    file or already imported) are all reported; then nothing is imported."""
    require_centre(actor)
    filename = "".join(c for c in filename if c.isprintable())[:200]
    table = read_table(filename, data)
    questions = {q.code: q for q in wave.survey.questions.all()}
    problems: list[str] = []
    header = table.header
    for required in (RESPONDENT, REGION):
        if required not in header:
            _problem(
                problems, None, _("The column “%(column)s” is missing.") % {"column": required}
            )
    unknown_columns = [h for h in header if h not in questions and h not in (RESPONDENT, REGION)]
    for column in unknown_columns:
        _problem(
            problems,
            None,
            _("The column “%(column)s” is not a question of this survey.") % {"column": column},
        )
    duplicated = [h for h, n in Counter(header).items() if n > 1]
    for column in duplicated:
        _problem(problems, None, _("The column “%(column)s” appears twice.") % {"column": column})
    if not table.rows:
        _problem(problems, None, _("The file has no respondents."))
    if problems:
        raise ServiceError("import_refused", problems[0], {"file": problems})
    regions = {r.code: r for r in Region.objects.all()}
    existing = set(wave.responses.values_list("respondent", flat=True))
    seen: dict[str, int] = {}
    parsed: list[tuple[str, Region, dict[str, str]]] = []
    index = {h: i for i, h in enumerate(header)}
    for number, row in enumerate(table.rows, start=2):
        respondent = row[index[RESPONDENT]]
        region = regions.get(row[index[REGION]].lower())
        if not respondent:
            _problem(problems, number, _("the respondent's id is empty."))
        elif respondent in seen:
            _problem(
                problems,
                number,
                _("respondent “%(id)s” is already on line %(other)s.")
                % {"id": respondent, "other": seen[respondent]},
            )
        elif respondent in existing:
            _problem(
                problems,
                number,
                _("respondent “%(id)s” was already imported into this wave.") % {"id": respondent},
            )
        seen.setdefault(respondent, number)
        if region is None:
            _problem(
                problems,
                number,
                _("“%(code)s” is not a region's code.") % {"code": row[index[REGION]]},
            )
        answers: dict[str, str] = {}
        for code, question in questions.items():
            if code not in index:
                continue
            answer = row[index[code]]
            if not answer:
                continue
            if answer not in question.answer_codes:
                _problem(
                    problems,
                    number,
                    _("“%(answer)s” is not an answer to %(question)s.")
                    % {"answer": answer, "question": code},
                )
                continue
            answers[code] = answer
        if region is not None:
            parsed.append((respondent, region, answers))
    if problems:
        raise ServiceError("import_refused", problems[0], {"file": problems})
    report = ImportReport()
    now = timezone.now()
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(
            SurveyResponse(
                wave=wave,
                respondent=respondent,
                region=region,
                answers=answers,
                imported_by=actor,
                imported_at=now,
            )
            for respondent, region, answers in parsed
        )
        tally: dict[tuple[str, int, str], int] = defaultdict(int)
        per_region: Counter[int] = Counter()
        for _respondent, region, answers in parsed:
            per_region[region.pk] += 1
            for code, answer in answers.items():
                tally[(code, region.pk, answer)] += 1
        for (code, region_id, answer), count in sorted(tally.items()):
            tallied, created = AnswerCount.objects.select_for_update().get_or_create(
                wave=wave,
                question=questions[code],
                region_id=region_id,
                answer=answer,
                defaults={"count": count},
            )
            if not created:
                AnswerCount.objects.filter(pk=tallied.pk).update(count=F("count") + count)
        for region_id, count in per_region.items():
            sample, _created = WaveSample.objects.get_or_create(wave=wave, region_id=region_id)
            WaveSample.objects.filter(pk=sample.pk).update(achieved=F("achieved") + count)
        report.respondents = len(parsed)
        codes = {r.pk: r.code for r in regions.values()}
        report.by_region = {codes[pk]: n for pk, n in sorted(per_region.items())}
        audit_record(
            actor=actor,
            action="survey_answers.imported",
            object_type="indicators.surveywave",
            object_id=wave.pk,
            after={
                "file": filename[:200],
                "respondents": len(parsed),
                "by_region": report.by_region,
            },
        )
    return report


def _percent(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def wave_feed_indicators(*, actor: User | None, wave: SurveyWave) -> int:
    """Store, for each question that feeds an indicator, the share of its counted answers as the
    indicator's value for the wave's period: by region, and nationally (population-weighted)."""
    if actor is not None:
        require_centre(actor)
    period = parse_period(wave.period)
    written = 0
    now = timezone.now()
    with transaction.atomic():
        for result in wave_results(wave):
            question = result.question
            indicator = question.indicator
            if (
                indicator is None
                or indicator.method != Method.SURVEY
                or not question.indicator_answers
            ):
                continue
            national, by_region = indicator_share(question, result)
            places: list[tuple[int | None, float | None]] = [(None, national)]
            places += sorted(by_region.items())
            for region_id, share in places:
                if share is None:
                    continue
                row = (
                    DataValue.objects.select_for_update()
                    .filter(place_q(region_id), indicator=indicator, period=period.iso)
                    .first()
                )
                if row is None:
                    row = DataValue(
                        indicator=indicator,
                        period=period.iso,
                        period_type=period.type,
                        period_start=period.start,
                        region_id=region_id,
                        entered_at=now,
                    )
                row.value = _percent(share)
                row.corrected_value = None
                row.origin = ValueOrigin.SURVEY
                row.state = ValueState.APPROVED
                row.source = f"{wave.survey.code} {wave.period}"
                row.computed_at = now
                row.save()
                written += 1
        audit_record(
            actor=actor,
            action="survey_wave.fed_indicators",
            object_type="indicators.surveywave",
            object_id=wave.pk,
            after={"values": written},
        )
    return written
