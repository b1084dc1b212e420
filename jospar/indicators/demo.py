"""Indicators for ``jospar demo``: the indicators that the imported program «Рухани жаңғыру»
(``002_*``) states on its nodes, with targets; two years of approved values for several regions
(imported through the exchange service, as a statistical system would send them); Astana's
office entering and submitting last year's values (so the approval queue has work); one survey
on the state symbols with two waves feeding an indicator; and the Civic Control, civic
initiatives' and control-loop indicators computed. Everything goes through the services;
running it twice adds nothing."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from jospar.core.models import Region, User
from jospar.indicators.models import (
    Aggregation,
    Comparator,
    DataValue,
    Direction,
    Indicator,
    IndicatorKind,
    Level,
    Method,
)
from jospar.indicators.models_surveys import Survey
from jospar.indicators.periods import PeriodType, parse_period
from jospar.indicators.services.computed import computed_refresh
from jospar.indicators.services.exchange import values_import
from jospar.indicators.services.indicators import indicator_create, target_set
from jospar.indicators.services.surveys import (
    survey_create,
    wave_counts_set,
    wave_create,
    wave_feed_indicators,
)
from jospar.indicators.services.values import ValueEntry, values_save, values_submit
from jospar.indicators.tasks import recent_periods
from jospar.programs.models import NodeIndicator

REGIONS = ("astana", "almaty", "shymkent", "karaganda", "turkistan", "abai")
# Words of the program's own indicators that Civic Control and the Map of civic initiatives
# measure: computed, not typed.
COMPUTED_BY_TEXT = (
    ("жедел шешімін", "civic_solved_promptly"),
    ("өздерінің шешімін", "civic_solved_by_citizens"),
    ("орналастыру динамикасын", "civic_reports_per_month"),
    ("пайдаланушылардың", "initiatives_beneficiaries"),
    ("талаптық топтар", "initiatives_by_ngos_citizens"),
    ("меценаттарды тарта", "initiatives_with_patrons"),
    ("волонтерлердің қатысуымен", "initiatives_events_with_volunteers"),
)
YES_NO = [
    {"code": "yes", "text_kk": "Иә", "text_ru": "Да"},
    {"code": "no", "text_kk": "Жоқ", "text_ru": "Нет"},
    {"code": "unsure", "text_kk": "Білмеймін", "text_ru": "Затрудняюсь ответить"},
]


def _rule_for(text: str) -> str:
    lowered = text.lower()
    return next((rule for words, rule in COMPUTED_BY_TEXT if words in lowered), "")


def _program_indicators(centre: User, year: int) -> list[Indicator]:
    made = []
    for source in NodeIndicator.objects.filter(in_force=True).select_related("node"):
        existing = Indicator.objects.filter(source_indicator=source).first()
        if existing is not None:
            made.append(existing)
            continue
        text_kk = source.text_kk or source.text_ru
        rule = _rule_for(text_kk)
        percent = source.target_unit == "%" or "үлес" in text_kk.lower()
        indicator = indicator_create(
            actor=centre,
            code=f"rz-{source.node_id}-{source.position}",
            name_kk=text_kk[:2000],
            name_ru=(source.text_ru or text_kk)[:2000],
            kind=IndicatorKind.TARGET if source.kind == "target" else IndicatorKind.OUTCOME,
            unit="%" if percent else (source.target_unit or ""),
            direction=Direction.DOWN if source.direction == "decrease" else Direction.UP,
            method=Method.COMPUTED if rule else Method.LOCAL_REPORTS,
            rule=rule,
            frequency=PeriodType.QUARTERLY if rule else PeriodType.YEARLY,
            level=Level.REGION,
            aggregation=Aggregation.WEIGHTED_MEAN if percent else Aggregation.SUM,
            node=source.node,
            source_indicator=source,
            plausible_min=Decimal(0),
            plausible_max=Decimal(100) if percent else None,
            baseline_value=Decimal(60) if percent else Decimal(100),
            baseline_year=year - 3,
        )
        if not rule:
            stated = source.target_value
            target = stated if stated is not None else (Decimal(80) if percent else Decimal(150))
            comparator = Comparator.AT_LEAST
            target_set(
                actor=centre,
                indicator=indicator,
                year=source.target_year or year - 1,
                value=target,
                comparator=comparator,
            )
            if source.target_year != year - 1:
                target_set(
                    actor=centre,
                    indicator=indicator,
                    year=year - 1,
                    value=target,
                    comparator=comparator,
                )
        made.append(indicator)
    return made


def _figure(indicator: Indicator, region: str, year: int) -> Decimal:
    rnd = random.Random(f"{indicator.code}/{region}/{year}")
    growth = Decimal(year % 100) / Decimal(10)
    if indicator.unit == "%":
        return Decimal(str(round(rnd.uniform(62, 96), 1))) + growth / 10
    return Decimal(rnd.randint(40, 220)) + growth


def _import_two_years(centre: User, indicators: list[Indicator], year: int) -> None:
    lines = ["indicator,period,region,value"]
    for indicator in indicators:
        if indicator.method != Method.LOCAL_REPORTS:
            continue
        for past in (year - 2, year - 1):
            for region in REGIONS:
                if region == "astana" and past == year - 1:
                    continue  # Astana's office enters last year itself (below)
                lines.append(f"{indicator.code},{past},{region},{_figure(indicator, region, past)}")
    values_import(actor=centre, filename="demo-statistics.csv", data="\n".join(lines).encode())


def _astana_enters(office: User, indicators: list[Indicator], year: int) -> None:
    region = Region.objects.get(code="astana")
    period = parse_period(str(year - 1))
    wanted = [i for i in indicators if i.method == Method.LOCAL_REPORTS][:8]
    if DataValue.objects.filter(region=region, period=period.iso).exists():
        return
    values_save(
        actor=office,
        region=region,
        period=period,
        entries=[
            ValueEntry(i.pk, _figure(i, "astana", year - 1), source="Астана қаласының әкімдігі")
            for i in wanted
        ],
    )
    values_submit(actor=office, region=region, period=period)


def _survey(centre: User, year: int) -> None:
    if Survey.objects.filter(code="state-symbols").exists():
        return
    anthem = indicator_create(
        actor=centre,
        code="symbols-anthem",
        name_kk="Әнұранның сөзін білетін респонденттердің үлесі",
        name_ru="Доля респондентов, знающих слова гимна",
        kind=IndicatorKind.OUTCOME,
        unit="%",
        direction=Direction.UP,
        method=Method.SURVEY,
        frequency=PeriodType.SIX_MONTHLY,
        level=Level.REGION,
        aggregation=Aggregation.WEIGHTED_MEAN,
        baseline_value=Decimal(70),
        baseline_year=year - 2,
    )
    target_set(actor=centre, indicator=anthem, year=year - 1, value=Decimal(85), comparator="ge")
    survey = survey_create(
        actor=centre,
        code="state-symbols",
        title_kk="Мемлекеттік рәміздерді білу",
        title_ru="Знание государственных символов",
        questions=[
            {
                "code": "anthem",
                "text_kk": "Қазақстан Республикасы Мемлекеттік Әнұранының сөзін білесіз бе?",
                "text_ru": "Знаете ли вы слова Государственного гимна Республики Казахстан?",
                "answers": YES_NO,
                "indicator": anthem,
                "indicator_answers": ["yes"],
            },
            {
                "code": "flag",
                "text_kk": "Мемлекеттік Тудағы бейнелерді сипаттай аласыз ба?",
                "text_ru": "Можете ли вы описать изображения на Государственном флаге?",
                "answers": YES_NO,
            },
        ],
    )
    regions = {r.code: r for r in Region.objects.filter(code__in=REGIONS)}
    for half in (1, 2):
        wave = wave_create(
            actor=centre,
            survey=survey,
            period=f"{year - 1}S{half}",
            planned={regions[code].pk: 400 for code in REGIONS if code in regions},
        )
        for code, region in regions.items():
            rnd = random.Random(f"survey/{code}/{half}")
            n = rnd.randint(330, 400)
            for question in survey.questions.all():
                yes = int(n * rnd.uniform(0.62, 0.9)) + half * 6
                unsure = rnd.randint(5, 20)
                wave_counts_set(
                    actor=centre,
                    wave=wave,
                    question=question,
                    region=region,
                    counts={"yes": yes, "no": max(0, n - yes - unsure), "unsure": unsure},
                )
        wave_feed_indicators(actor=centre, wave=wave)


def _computed(centre: User) -> None:
    if not Indicator.objects.filter(code="control-on-time").exists():
        indicator_create(
            actor=centre,
            code="control-on-time",
            name_kk="Уақтылы ұсынылған бақылау есептерінің үлесі",
            name_ru="Доля отчётов, представленных в срок",
            kind=IndicatorKind.OUTCOME,
            unit="%",
            method=Method.COMPUTED,
            rule="control_on_time_share",
            frequency=PeriodType.QUARTERLY,
            level=Level.REGION,
            aggregation=Aggregation.NONE,
        )
    today = timezone.localdate()
    for indicator in Indicator.objects.filter(method=Method.COMPUTED):
        computed_refresh(
            actor=None, indicator=indicator, periods=recent_periods(indicator.frequency, today)
        )


def demo_indicators_create(*, centre: User, astana_office: User) -> int:
    """Build the demo's indicators; returns how many indicators exist afterwards."""
    year = timezone.localdate().year
    indicators = _program_indicators(centre, year)
    # A second run imports the same figures: all unchanged, nothing written.
    _import_two_years(centre, indicators, year)
    _astana_enters(astana_office, indicators, year)
    _survey(centre, year)
    _computed(centre)
    return Indicator.objects.count()
