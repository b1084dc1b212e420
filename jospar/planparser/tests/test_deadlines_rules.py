"""The deadline rules, one by one, on phrases that do not occur in the seed plans."""

from __future__ import annotations

import datetime as dt

import pytest

from jospar.planparser.acts import find_approval, find_plan_period
from jospar.planparser.dates import (
    month_word,
    normalize,
    ordinal_value,
    scan,
)
from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.model import Lang, Period
from jospar.planparser.tests.seedtools import SEEDS

D = dt.date
PLAN = Period(D(2015, 11, 1), D(2016, 12, 31))
PLAN_2016 = Period(D(2016, 1, 1), D(2016, 12, 31))
WIDE = Period(D(2015, 1, 1), D(2025, 12, 31))


def read(
    text: str,
    lang: Lang = "ru",
    period: Period = PLAN,
    other: str | None = None,
) -> tuple[str | None, str | None, list[str], list[str]]:
    r = parse_deadline(text, lang=lang, period=period, other_column_text=other, activity="7")
    j = r.to_json()
    for w in r.warnings:
        assert w.activity == "7"
        assert w.message
    return j["window"]["start"], j["window"]["end"], j["reports"], [w.code for w in r.warnings]


def fixed(day: str) -> tuple[str | None, str | None, list[str], list[str]]:
    """What a single fixed date in PLAN reads as."""
    return "2015-11-01", day, [day], []


# --- vocabulary -------------------------------------------------------------------------------

RU_MONTH_FORMS = [
    ("январь", 1), ("января", 1), ("январе", 1), ("январю", 1), ("январём", 1),
    ("февраль", 2), ("февраля", 2), ("феврале", 2),
    ("март", 3), ("марта", 3), ("марте", 3), ("марту", 3),
    ("апрель", 4), ("апреля", 4), ("апреле", 4),
    ("май", 5), ("мая", 5), ("мае", 5), ("маю", 5),
    ("июнь", 6), ("июня", 6), ("июне", 6),
    ("июль", 7), ("июля", 7), ("июле", 7),
    ("август", 8), ("августа", 8), ("августе", 8),
    ("сентябрь", 9), ("сентября", 9), ("сентябре", 9),
    ("октябрь", 10), ("октября", 10), ("октябре", 10),
    ("ноябрь", 11), ("ноября", 11), ("ноябре", 11),
    ("декабрь", 12), ("декабря", 12), ("декабре", 12), ("декабрю", 12),
]  # fmt: skip
KK_MONTH_FORMS = [
    ("қаңтар", 1), ("қаңтарға", 1), ("қаңтардан", 1), ("қаңтарда", 1), ("қаңтардың", 1),
    ("қаңтарына", 1), ("қаңтардағы", 1), ("кантарга", 1),
    ("ақпан", 2), ("ақпанға", 2), ("ақпаннан", 2),
    ("наурыз", 3), ("наурызға", 3), ("наурызда", 3),
    ("сәуір", 4), ("сәуірге", 4), ("сәуірден", 4), ("сәуіріне", 4),
    ("мамыр", 5), ("мамырға", 5), ("мамырдың", 5),
    ("маусым", 6), ("маусымға", 6), ("маусымнан", 6),
    ("шілде", 7), ("шілдеге", 7), ("шілдеде", 7), ("шілденің", 7),
    ("тамыз", 8), ("тамызға", 8), ("тамыздан", 8),
    ("қыркүйек", 9), ("қыркүйекке", 9), ("қыркүйекте", 9), ("қыркүйектен", 9),
    ("қазан", 10), ("қазанға", 10), ("қазандағы", 10),
    ("қараша", 11), ("қарашаға", 11), ("қарашадан", 11), ("қарашасына", 11),
    ("желтоқсан", 12), ("желтоқсанға", 12), ("желтоқсаннан", 12), ("желтоксанга", 12),
]  # fmt: skip


@pytest.mark.parametrize(("word", "month"), RU_MONTH_FORMS + KK_MONTH_FORMS)
def test_month_words_in_every_case(word: str, month: int) -> None:
    assert month_word(word)[0] == month


@pytest.mark.parametrize("word", ["маяк", "мартен", "августейший", "казахстан", "тамызық"])
def test_words_that_only_look_like_months(word: str) -> None:
    assert month_word(word)[0] == 0


@pytest.mark.parametrize(
    ("word", "case"),
    [("желтоқсанға", "dat"), ("қарашаға", "dat"), ("қаңтарына", "dat"), ("қаңтардан", "abl")],
)
def test_kazakh_case_of_a_month(word: str, case: str) -> None:
    assert month_word(word)[1] == case


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I", 1), ("ІІ", 2), ("ii", 2), ("ІІІ", 3), ("IV", 4), ("ІV", 4), ("1", 1), ("2-ші", 2),
        ("бірінші", 1), ("екінші", 2), ("үшінші", 3), ("төртінші", 4), ("первое", 1),
        ("второй", 2), ("третьем", 3), ("четвертый", 4),
    ],
)  # fmt: skip
def test_ordinals(text: str, value: int) -> None:
    assert ordinal_value(normalize(text)) == value


@pytest.mark.parametrize(
    ("phrase", "month"),
    [("5 января 2016 года", 1), ("5 мая 2016 г.", 5), ("2016 жылғы 5 қыркүйекке", 9)],
)
def test_day_month_in_a_sentence(phrase: str, month: int) -> None:
    lang: Lang = "kk" if "жыл" in phrase else "ru"
    assert read(phrase, lang)[2] == [D(2016, month, 5).isoformat()]


# --- rule 1: a fixed date ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "day"),
    [
        ("до 5 января 2016 года", "ru", "2016-01-05"),
        ("к 5 января 2016 года", "ru", "2016-01-05"),
        ("не позднее 1 марта 2016 г.", "ru", "2016-03-01"),
        ("ко 2 февраля 2016 г", "ru", "2016-02-02"),
        ("к 30 мая 2016 года", "ru", "2016-05-30"),
        ("к 31 августа 2016 года", "ru", "2016-08-31"),
        ("1-го сентября 2016 года", "ru", "2016-09-01"),
        ("16.11.2015", "ru", "2015-11-16"),
        ("16.11.15", "ru", "2015-11-16"),
        ("2015-11-16", "ru", "2015-11-16"),
        ("до 01.02.2016 г.", "ru", "2016-02-01"),
        ("2016 жылғы 5 қаңтарға", "kk", "2016-01-05"),
        ("2016 жылғы 5 қаңтарына дейін", "kk", "2016-01-05"),
        ("2016 ж., 1-ші ақпанға дейін", "kk", "2016-02-01"),
        ("2016 ж. 10-шы мамырға", "kk", "2016-05-10"),
        ("2016 ж 3 тамызға", "kk", "2016-08-03"),
        ("2016 жылғы 15 қыркүйектен кешіктірмей", "kk", "2016-09-15"),
        ("2016 жылғы желтоқсанның 20-сына дейін", "kk", "2016-12-20"),
        ("2016 жылғы 11 қазанға", "kk", "2016-10-11"),
        ("2016 жылғы 30 маусымға", "kk", "2016-06-30"),
        ("2016 жылғы 4 сәуірге", "kk", "2016-04-04"),
        ("2016 жылғы 7 наурызға", "kk", "2016-03-07"),
        ("2016 жылғы 7 шілдеге", "kk", "2016-07-07"),
        ("2015 жылғы 25 қарашаға", "kk", "2015-11-25"),
        ("25 ноября 2015 года", "ru", "2015-11-25"),
        ("ДО 25 НОЯБРЯ 2015 ГОДА", "ru", "2015-11-25"),
        ("до\u00a025\u00a0ноября 2015\u00a0года", "ru", "2015-11-25"),
    ],
)
def test_fixed_date_ends_the_window_and_is_a_report(text: str, lang: Lang, day: str) -> None:
    assert read(text, lang) == fixed(day)


def test_a_date_that_does_not_exist_is_not_guessed() -> None:
    start, end, reports, codes = read("31 февраля 2016 года")
    assert (start, end, reports) == (None, None, [])
    assert "deadline_invalid_date" in codes


# --- rule 2: several dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "days"),
    [
        ("к 1 марта и 1 сентября 2016 года", "ru", ["2016-03-01", "2016-09-01"]),
        ("к 1 марта, 1 июня и 1 сентября 2016 года", "ru",
         ["2016-03-01", "2016-06-01", "2016-09-01"]),
        ("к 15 декабря 2015 и 2016 годов", "ru", ["2015-12-15", "2016-12-15"]),
        ("к 15 декабря 2015 – 2016 гг.", "ru", ["2015-12-15", "2016-12-15"]),
        ("до 1 декабря 2015 года, 1 июня 2016 года", "ru", ["2015-12-01", "2016-06-01"]),
        ("2016 жылғы 1 наурызға, 1 қыркүйекке", "kk", ["2016-03-01", "2016-09-01"]),
        ("2016 ж., 1 наурызға және 1 қыркүйекке", "kk", ["2016-03-01", "2016-09-01"]),
        ("2015 ж., 2016 ж. 15 желтоқсанға", "kk", ["2015-12-15", "2016-12-15"]),
        ("2015, 2016 жж. 15 желтоқсанға", "kk", ["2015-12-15", "2016-12-15"]),
        ("2015 жылғы 1 желтоқсанға, 2016 жылғы 1 маусымға", "kk", ["2015-12-01", "2016-06-01"]),
    ],
)  # fmt: skip
def test_several_dates_give_one_report_each(text: str, lang: Lang, days: list[str]) -> None:
    assert read(text, lang) == ("2015-11-01", days[-1], days, [])


# --- rule 3: periods --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "start", "end"),
    [
        ("I квартал 2016 года", "ru", "2016-01-01", "2016-03-31"),
        ("І квартал 2016 года", "ru", "2016-01-01", "2016-03-31"),
        ("1 квартал 2016 года", "ru", "2016-01-01", "2016-03-31"),
        ("в 1-м квартале 2016 года", "ru", "2016-01-01", "2016-03-31"),
        ("во втором квартале 2016 года", "ru", "2016-04-01", "2016-06-30"),
        ("III квартал 2016 г.", "ru", "2016-07-01", "2016-09-30"),
        ("IV квартал 2016 года", "ru", "2016-10-01", "2016-12-31"),
        ("ІV квартал 2016 года", "ru", "2016-10-01", "2016-12-31"),
        ("2016 жылғы ІІ тоқсан", "kk", "2016-04-01", "2016-06-30"),
        ("2016 ж., 3-тоқсан", "kk", "2016-07-01", "2016-09-30"),
        ("2016 жылдың төртінші тоқсаны", "kk", "2016-10-01", "2016-12-31"),
        ("2016 жылғы ІІІ тоқсанда", "kk", "2016-07-01", "2016-09-30"),
        ("первое полугодие 2016 года", "ru", "2016-01-01", "2016-06-30"),
        ("в первом полугодии 2016 года", "ru", "2016-01-01", "2016-06-30"),
        ("II полугодие 2016 года", "ru", "2016-07-01", "2016-12-31"),
        ("2 полугодие 2016 г.", "ru", "2016-07-01", "2016-12-31"),
        ("2016 жылдың бірінші жартыжылдығы", "kk", "2016-01-01", "2016-06-30"),
        ("2016 жылдың екінші жартыжылдығында", "kk", "2016-07-01", "2016-12-31"),
        ("2016 жылғы І жартыжылдық", "kk", "2016-01-01", "2016-06-30"),
        ("2016 жылдың екінші жартысы", "kk", "2016-07-01", "2016-12-31"),
        ("в течение 2016 года", "ru", "2016-01-01", "2016-12-31"),
        ("в 2016 году", "ru", "2016-01-01", "2016-12-31"),
        ("2016 год", "ru", "2016-01-01", "2016-12-31"),
        ("2016 жыл бойы", "kk", "2016-01-01", "2016-12-31"),
        ("2016 жылы", "kk", "2016-01-01", "2016-12-31"),
        ("2016 жыл ішінде", "kk", "2016-01-01", "2016-12-31"),
        ("в декабре 2016 года", "ru", "2016-12-01", "2016-12-31"),
        ("февраль 2016 года", "ru", "2016-02-01", "2016-02-29"),
        ("2016 жылғы ақпанда", "kk", "2016-02-01", "2016-02-29"),
        ("январь - март 2016 года", "ru", "2016-01-01", "2016-03-31"),
        ("ноябрь 2015 года - июнь 2016 года", "ru", "2015-11-01", "2016-06-30"),
        ("2015 жылғы қараша - 2016 жылғы маусым", "kk", "2015-11-01", "2016-06-30"),
        ("1–15 декабря 2016 года", "ru", "2016-12-01", "2016-12-15"),
        ("1 марта – 30 апреля 2016 года", "ru", "2016-03-01", "2016-04-30"),
        ("с 1 марта по 30 апреля 2016 года", "ru", "2016-03-01", "2016-04-30"),
        ("с марта по май 2016 года", "ru", "2016-03-01", "2016-05-31"),
        ("2016 жылғы 1 наурыздан 30 сәуірге дейін", "kk", "2016-03-01", "2016-04-30"),
    ],
)
def test_a_period_is_the_window_and_its_last_day_a_report(
    text: str, lang: Lang, start: str, end: str
) -> None:
    assert read(text, lang) == (start, end, [end], [])


@pytest.mark.parametrize(
    ("text", "period", "start", "end", "reports"),
    [
        (
            "III-IV кварталы 2000 г.",
            Period(D(2000, 1, 1), D(2000, 12, 31)),
            "2000-07-01",
            "2000-12-31",
            ["2000-12-31"],
        ),
        (
            "II квартал 2020 года, II – IV кварталы 2021 года",
            Period(D(2020, 1, 1), D(2021, 12, 31)),
            "2020-04-01",
            "2021-12-31",
            ["2020-06-30", "2021-12-31"],
        ),
        (
            "2016-2018 годы",
            Period(D(2016, 1, 1), D(2018, 12, 31)),
            "2016-01-01",
            "2018-12-31",
            ["2018-12-31"],
        ),
        (
            "2016 – 2018 жылдар",
            Period(D(2016, 1, 1), D(2018, 12, 31)),
            "2016-01-01",
            "2018-12-31",
            ["2018-12-31"],
        ),
        (
            "2015, 2016 годы",
            PLAN,
            "2015-01-01",
            "2016-12-31",
            ["2015-12-31", "2016-12-31"],
        ),
        (
            "декабрь 2016 – 2019 годов",
            Period(D(2016, 1, 1), D(2019, 12, 31)),
            "2016-12-01",
            "2019-12-31",
            ["2016-12-31", "2017-12-31", "2018-12-31", "2019-12-31"],
        ),
        (
            "IV квартал 2016 – 2019 годов",
            Period(D(2016, 1, 1), D(2019, 12, 31)),
            "2016-10-01",
            "2019-12-31",
            ["2016-12-31", "2017-12-31", "2018-12-31", "2019-12-31"],
        ),
        (
            "I полугодие 2016-2017 годов",
            Period(D(2016, 1, 1), D(2017, 12, 31)),
            "2016-01-01",
            "2017-06-30",
            ["2016-06-30", "2017-06-30"],
        ),
        (
            "2016-2017 жылдардың І тоқсаны",
            Period(D(2016, 1, 1), D(2017, 12, 31)),
            "2016-01-01",
            "2017-03-31",
            ["2016-03-31", "2017-03-31"],
        ),
    ],
)
def test_several_periods_and_ranges_of_years(
    text: str, period: Period, start: str, end: str, reports: list[str]
) -> None:
    lang: Lang = "kk" if "жыл" in text else "ru"
    assert read(text, lang, period) == (start, end, reports, [])


def test_a_period_written_without_a_year_takes_the_plans_only_year() -> None:
    assert read("III квартал", period=PLAN_2016) == ("2016-07-01", "2016-09-30", ["2016-09-30"], [])


def test_a_period_without_a_year_that_the_plan_does_not_settle_is_not_guessed() -> None:
    start, end, reports, codes = read("III квартал", period=WIDE)
    assert (start, end, reports) == (None, None, [])
    assert "deadline_year_missing" in codes


def test_until_the_end_of_a_year_is_due_at_its_end() -> None:
    assert read("до конца 2016 года") == fixed("2016-12-31")
    assert read("2016 жылдың соңына дейін", "kk") == fixed("2016-12-31")


def test_a_kazakh_dative_period_is_due_at_its_end() -> None:
    assert read("2016 жылғы ІІ тоқсанға", "kk") == fixed("2016-06-30")


# --- rule 4: recurrences ----------------------------------------------------------------------

QUARTER_ENDS = ["2015-12-31", "2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31"]
FIFTH_AFTER_QUARTER = ["2016-01-05", "2016-04-05", "2016-07-05", "2016-10-05", "2017-01-05"]


@pytest.mark.parametrize(
    ("text", "lang", "reports"),
    [
        ("ежеквартально", "ru", QUARTER_ENDS),
        ("поквартально", "ru", QUARTER_ENDS),
        ("раз в квартал", "ru", QUARTER_ENDS),
        ("тоқсан сайын", "kk", QUARTER_ENDS),
        ("жылына 4 рет", "kk", QUARTER_ENDS),
        (
            "ежеквартально, не позднее 5 числа месяца, следующего за отчетным кварталом",
            "ru",
            FIFTH_AFTER_QUARTER,
        ),
        ("тоқсан сайын, есепті тоқсаннан кейінгі айдың 5-іне дейін", "kk", FIFTH_AFTER_QUARTER),
        ("ежеквартально до 5 числа", "ru", FIFTH_AFTER_QUARTER),
        (
            "ежеквартально, до 25 числа последнего месяца квартала",
            "ru",
            ["2015-12-25", "2016-03-25", "2016-06-25", "2016-09-25", "2016-12-25"],
        ),
        (
            "ежеквартально, в течение 10 дней после окончания отчетного квартала",
            "ru",
            ["2016-01-10", "2016-04-10", "2016-07-10", "2016-10-10", "2017-01-10"],
        ),
        ("раз в полугодие", "ru", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("ежеполугодно", "ru", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("жарты жылда бір рет", "kk", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("жылына 2 рет", "kk", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("жылына екі рет", "kk", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("два раза в год", "ru", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("дважды в год", "ru", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        (
            "раз в полугодие (к 10 числу месяца, следующего за отчетным полугодием)",
            "ru",
            ["2016-01-10", "2016-07-10", "2017-01-10"],
        ),
        ("ежегодно", "ru", ["2015-12-31", "2016-12-31"]),
        ("жыл сайын", "kk", ["2015-12-31", "2016-12-31"]),
        ("раз в год", "ru", ["2015-12-31", "2016-12-31"]),
        ("ежегодно к 20 декабря", "ru", ["2015-12-20", "2016-12-20"]),
        ("жыл сайын 10 желтоқсанға", "kk", ["2015-12-10", "2016-12-10"]),
        (
            "ежегодно, до 15 января года, следующего за отчетным",
            "ru",
            ["2016-01-15", "2017-01-15"],
        ),
    ],
)
def test_a_recurrence_owes_one_report_per_period_ending_in_the_window(
    text: str, lang: Lang, reports: list[str]
) -> None:
    assert read(text, lang) == ("2015-11-01", "2016-12-31", reports, [])


def test_monthly_with_a_day_reports_in_the_month_itself() -> None:
    start, end, reports, codes = read("ежемесячно до 25 числа")
    assert (start, end, codes) == ("2015-11-01", "2016-12-31", [])
    assert reports[:3] == ["2015-11-25", "2015-12-25", "2016-01-25"]
    assert reports[-1] == "2016-12-25"
    assert len(reports) == 14


def test_monthly_following_reports_in_the_next_month() -> None:
    reports = read("ежемесячно, до 5 числа месяца, следующего за отчетным")[2]
    assert reports[0] == "2015-12-05"
    assert reports[-1] == "2017-01-05"


def test_monthly_day_31_falls_on_the_last_day_of_short_months() -> None:
    reports = read("ежемесячно до 31 числа", period=PLAN_2016)[2]
    assert "2016-02-29" in reports
    assert "2016-04-30" in reports


def test_monthly_without_a_day_reports_on_the_last_day() -> None:
    reports = read("ай сайын", "kk", PLAN_2016)[2]
    assert reports[:2] == ["2016-01-31", "2016-02-29"]
    assert len(reports) == 12


def test_then_after_a_date_starts_the_recurrence_after_that_date() -> None:
    assert read("к 1 февраля 2016 года, далее - ежеквартально") == (
        "2015-11-01",
        "2016-12-31",
        ["2016-02-01", "2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31"],
        [],
    )


def test_then_after_a_date_on_a_quarter_end_does_not_repeat_that_quarter() -> None:
    reports = read("к 31 марта 2016 года, далее - ежеквартально")[2]
    assert reports == ["2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31"]


def test_then_after_a_kazakh_date() -> None:
    text = (
        "2016 жылғы 1 ақпанға; бұдан әрі - жарты жылда бір рет "
        "(есепті жартыжылдықтан кейінгі айдың 10-ына)"
    )
    assert read(text, "kk") == (
        "2015-11-01",
        "2016-12-31",
        ["2016-02-01", "2016-07-10", "2017-01-10"],
        [],
    )


def test_then_after_a_period_runs_over_that_period_alone() -> None:
    assert read("в течение первого полугодия 2016 года, далее - ежемесячно") == (
        "2016-01-01",
        "2016-06-30",
        ["2016-01-31", "2016-02-29", "2016-03-31", "2016-04-30", "2016-05-31", "2016-06-30"],
        [],
    )
    assert read("2016 жылдың екінші жартыжылдығы, бұдан әрі - тоқсан сайын", "kk") == (
        "2016-07-01",
        "2016-12-31",
        ["2016-09-30", "2016-12-31"],
        [],
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("с февраля 2016 года, далее - ежеквартально", "ru"),
        ("начиная с февраля 2016 года ежеквартально", "ru"),
        ("2016 жылғы ақпаннан бастап, бұдан әрі - тоқсан сайын", "kk"),
    ],
)
def test_from_a_month_starts_with_the_period_holding_it(text: str, lang: Lang) -> None:
    assert read(text, lang) == (
        "2016-02-01",
        "2016-12-31",
        ["2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31"],
        [],
    )


def test_from_a_day_starts_the_window_and_is_no_report() -> None:
    assert read("с 20 января 2016 года, далее - ежеквартально (к 5 числу, следующего)") == (
        "2016-01-20",
        "2016-12-31",
        ["2016-04-05", "2016-07-05", "2016-10-05", "2017-01-05"],
        [],
    )


def test_from_a_date_alone_runs_to_the_plan_end() -> None:
    # Rule 12: the window opens there; like "постоянно", no report of its own.
    assert read("с 1 марта 2016 года") == ("2016-03-01", "2016-12-31", [], [])
    assert read("2016 жылдан бастап", "kk") == ("2016-01-01", "2016-12-31", [], [])


def test_last_report_of_a_recurrence_may_fall_after_the_plan_end() -> None:
    reports = read("ежеквартально (к 15 числу месяца, следующего за отчетным кварталом)")[2]
    assert reports[-1] == "2017-01-15"
    assert read("ежегодно, до 1 февраля года, следующего за отчетным")[2][-1] == "2017-02-01"


def test_a_recurrence_bounded_by_a_later_date() -> None:
    assert read("ежеквартально до 20 сентября 2016 года") == (
        "2015-11-01",
        "2016-09-20",
        ["2015-12-31", "2016-03-31", "2016-06-30", "2016-09-20"],
        [],
    )


def test_a_recurrence_with_a_period_in_the_same_clause() -> None:
    assert read("в течение 2016 года ежеквартально") == (
        "2016-01-01",
        "2016-12-31",
        ["2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31"],
        [],
    )


def test_a_rhythm_that_is_not_scheduled_gets_a_warning() -> None:
    start, end, reports, codes = read("еженедельно")
    assert (start, end, reports) == ("2015-11-01", "2016-12-31", [])
    assert codes == ["deadline_recurrence_unsupported"]


def test_a_recurrence_with_no_period_ending_in_the_window() -> None:
    start, end, reports, codes = read("ежегодно", period=Period(D(2016, 1, 1), D(2016, 6, 30)))
    assert (start, end, reports) == ("2016-01-01", "2016-06-30", [])
    assert "deadline_no_reports" in codes


# --- rule 5: permanent and as-needed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("постоянно", "ru"),
        ("Постоянно.", "ru"),
        ("на постоянной основе", "ru"),
        ("по мере необходимости", "ru"),
        ("при необходимости", "ru"),
        ("тұрақты", "kk"),
        ("тұрақты түрде", "kk"),
        ("қажеттілігіне қарай", "kk"),
        ("қажет болған жағдайда", "kk"),
        ("үнемі", "kk"),
    ],
)
def test_permanent_is_the_plan_period_without_reports_or_warning(text: str, lang: Lang) -> None:
    assert read(text, lang) == ("2015-11-01", "2016-12-31", [], [])


def test_permanent_with_a_start() -> None:
    assert read("постоянно, начиная с марта 2016 года") == ("2016-03-01", "2016-12-31", [], [])


# --- rule 6: report dates in another column ---------------------------------------------------


def test_other_column_dates_replace_the_period_end() -> None:
    assert read(
        "2016 жылғы ІІ тоқсан", "kk", other="ақпарат; 2016 ж., 15-ші шілдеге, ПӘ-ге ақпарат"
    ) == ("2016-04-01", "2016-06-30", ["2016-07-15"], [])


def test_other_column_dates_replace_the_recurrence() -> None:
    assert read("жыл сайын", "kk", other="2016 ж., 1 шілдеге және 1 желтоқсанға") == (
        "2015-11-01",
        "2016-12-31",
        ["2016-07-01", "2016-12-01"],
        [],
    )


def test_other_column_recurrence_over_the_window() -> None:
    assert read("в течение 2016 года", other="ежеквартальный отчет") == (
        "2016-01-01",
        "2016-12-31",
        ["2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31"],
        [],
    )
    assert read("постоянно", other="информация в АП ежеквартально (к 5 числу)") == (
        "2015-11-01",
        "2016-12-31",
        FIFTH_AFTER_QUARTER,
        [],
    )


@pytest.mark.parametrize(
    "other",
    [
        "информация в АП",
        "ПӘ-ге ақпарат",
        "2016 ж., ПӘ-ге ақпарат",
        "не менее 12 роликов",
        "проект постановления; информация в АП",
        "изменения в постановление от 2 октября 2007 года № 873",
        "2007 жылғы 2 қазандағы № 873 қаулысына өзгерістер",
        "",
    ],
)
def test_other_column_without_a_date_or_recurrence_changes_nothing(other: str) -> None:
    assert read("2016 жылғы ІІ тоқсан", "kk", other=other) == (
        "2016-04-01",
        "2016-06-30",
        ["2016-06-30"],
        [],
    )


def test_permanent_with_an_undated_part_and_other_column_dates() -> None:
    assert read(
        "әзірлеу – бірінші тоқсан; тарату – тұрақты түрде",
        "kk",
        Period(D(2015, 1, 1), D(2016, 12, 31)),
        other="2016 ж., 1 шілдеге, ПӘ-ге ақпарат",
    ) == ("2015-01-01", "2016-12-31", ["2016-07-01"], [])


# --- rule 7: defaults from the plan -----------------------------------------------------------


def test_without_a_plan_period_dates_that_need_it_are_left_open_with_a_warning() -> None:
    no_plan = Period(None, None)
    assert read("к 20 декабря 2016 года", period=no_plan) == (
        None,
        "2016-12-20",
        ["2016-12-20"],
        ["deadline_no_plan_period"],
    )
    assert read("ежеквартально", period=no_plan) == (None, None, [], ["deadline_no_plan_period"])
    assert read("постоянно", period=no_plan) == (None, None, [], ["deadline_no_plan_period"])
    assert read("в течение 2016 года", period=no_plan) == (
        "2016-01-01",
        "2016-12-31",
        ["2016-12-31"],
        [],
    )


def test_a_date_before_the_plan_starts_keeps_the_window_ordered() -> None:
    start, end, reports, codes = read("к 1 октября 2015 года")
    assert (start, end, reports) == ("2015-10-01", "2015-10-01", ["2015-10-01"])
    assert "deadline_outside_plan_period" in codes


# --- rule 8: unreadable and event-relative ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("в течение 15 дней после проведения мероприятия", "deadline_event_relative"),
        ("согласно плану мероприятий", "deadline_event_relative"),
        ("согласно плану на 2016 год", "deadline_event_relative"),
        ("в соответствии с графиком", "deadline_event_relative"),
        ("по итогам мероприятия", "deadline_event_relative"),
        ("іс-шара өткізілгеннен кейін 10 күн ішінде", "deadline_event_relative"),
        ("жоспарға сәйкес", "deadline_event_relative"),
        ("после утверждения бюджета", "deadline_event_relative"),
        ("в течение недели", "deadline_unreadable"),
        ("своевременно", "deadline_unreadable"),
        ("—", "deadline_unreadable"),
        ("", "deadline_empty"),
        ("   \t\n", "deadline_empty"),
        ("x" * 5000, "deadline_too_long"),
    ],
)
def test_unreadable_text_is_kept_without_dates_and_with_a_warning(text: str, code: str) -> None:
    assert read(text) == (None, None, [], [code])


def test_unreadable_cell_gets_no_reports_from_the_other_column() -> None:
    assert read("согласно плану", other="2016 ж., 1 шілдеге")[:3] == (None, None, [])


def test_an_event_with_a_stated_date_keeps_the_date_and_warns() -> None:
    start, end, reports, codes = read(
        "в течение 15 дней после проведения, но не позднее 20 декабря 2016 года"
    )
    assert (start, end, reports) == ("2015-11-01", "2016-12-20", ["2016-12-20"])
    assert codes == ["deadline_event_with_date"]


def test_a_misspelt_month_is_not_replaced_by_the_whole_year() -> None:
    assert read("к 20 декабрья 2016 года") == (
        None,
        None,
        [],
        ["deadline_partly_read", "deadline_unreadable"],
    )


def test_a_stray_number_beside_a_readable_date_is_flagged() -> None:
    assert read("к 20 декабря 2016 года, 3 этапа") == (
        "2015-11-01",
        "2016-12-20",
        ["2016-12-20"],
        ["deadline_partly_read"],
    )


def test_cited_act_is_not_a_deadline() -> None:
    start, end, reports, _ = read(
        "в сроки, установленные постановлением от 2 октября 2007 года № 873"
    )
    assert (start, end, reports) == (None, None, [])


# --- the scanner ------------------------------------------------------------------------------


def test_scanner_kinds() -> None:
    norm = normalize("к 10 декабря 2015 года, далее - ежеквартально (к 5 числу месяца, следующего)")
    kinds = [t.kind for t in scan(norm)]
    assert kinds == ["DUE_PRE", "DM", "YEAR", "THEN", "REC_Q", "DUE_PRE", "RECDAY", "FOLLOW"]


def test_results_are_independent_copies() -> None:
    first = parse_deadline("ежегодно", lang="ru", period=PLAN)
    first.reports.clear()
    first.warnings.append(first.warnings[0] if first.warnings else None)  # type: ignore[arg-type]
    again = parse_deadline("ежегодно", lang="ru", period=PLAN)
    assert again.reports == [D(2015, 12, 31), D(2016, 12, 31)]
    assert again.warnings == []


# --- more recurrence shapes -------------------------------------------------------------------


def test_dates_written_out_for_a_yearly_recurrence_are_its_reports() -> None:
    plan = Period(D(2016, 1, 1), D(2018, 12, 31))
    assert read("Ежегодно, до 20 декабря 2016 - 2018 годов", period=plan) == (
        "2016-01-01",
        "2018-12-20",
        ["2016-12-20", "2017-12-20", "2018-12-20"],
        [],
    )
    assert read("ежеквартально до 20 марта, 20 июня, 20 сентября и 20 декабря 2016 года") == (
        "2015-11-01",
        "2016-12-20",
        ["2016-03-20", "2016-06-20", "2016-09-20", "2016-12-20"],
        [],
    )


def test_yearly_on_several_dates() -> None:
    assert read("ежегодно, к 1 июля и 25 декабря")[2] == ["2015-12-25", "2016-07-01", "2016-12-25"]


def test_a_yearly_date_after_then_takes_no_year_from_the_first_clause() -> None:
    assert read("к 20 апреля 2016 года, далее - ежегодно к 20 декабря")[2] == [
        "2016-04-20",
        "2016-12-20",
    ]


def test_a_period_whose_recurrence_owes_nothing_keeps_its_end() -> None:
    start, end, reports, codes = read("I квартал 2016 года, далее – ежегодно")
    assert (start, end, reports) == ("2016-01-01", "2016-03-31", ["2016-03-31"])
    assert codes == ["deadline_no_reports"]


def test_a_recurrence_from_a_quarter() -> None:
    text = (
        "ежеквартально, к 5 числу месяца, следующего за отчетным кварталом, "
        "начиная с IV квартала 2015 года"
    )
    assert read(text) == ("2015-10-01", "2016-12-31", FIFTH_AFTER_QUARTER, [])


def test_a_monthly_day_before_the_start_is_not_owed() -> None:
    assert read("с 26 ноября 2015 года ежемесячно до 25 числа")[2][0] == "2015-12-25"


@pytest.mark.parametrize(
    ("text", "reports"),
    [
        ("1 раз в полугодие", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("не реже одного раза в квартал", QUARTER_ENDS),
        ("жарты жылда кемінде бір рет", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        ("раз в полгода", ["2015-12-31", "2016-06-30", "2016-12-31"]),
        (
            "к 25 числу последнего месяца каждого квартала",
            ["2015-12-25", "2016-03-25", "2016-06-25", "2016-09-25", "2016-12-25"],
        ),
        ("әр тоқсанда", QUARTER_ENDS),
        ("каждый год", ["2015-12-31", "2016-12-31"]),
    ],
)
def test_once_per_period_phrases(text: str, reports: list[str]) -> None:
    lang: Lang = "kk" if "жыл" in text else "ru"
    assert read(text, lang)[2] == reports


@pytest.mark.parametrize(
    ("text", "lang", "start", "end"),
    [
        ("Қаңтар-ақпан 2016 ж.", "kk", "2016-01-01", "2016-02-29"),
        ("2016 жылғы қаңтар-наурыз", "kk", "2016-01-01", "2016-03-31"),
        ("1-2 тоқсан 2016 ж.", "kk", "2016-01-01", "2016-06-30"),
        ("І-ІІ тоқсан 2016 ж.", "kk", "2016-01-01", "2016-06-30"),
        ("IV кв. 2016 г.", "ru", "2016-10-01", "2016-12-31"),
    ],
)
def test_more_periods(text: str, lang: Lang, start: str, end: str) -> None:
    assert read(text, lang) == (start, end, [end], [])


def test_whole_period_phrase_is_permanent() -> None:
    assert read("на весь период") == ("2015-11-01", "2016-12-31", [], [])
    assert read("в течение всего периода реализации плана") == ("2015-11-01", "2016-12-31", [], [])


def test_permanent_after_then_continues_what_came_before() -> None:
    assert read("III квартал 2016 года, далее – по мере необходимости") == (
        "2016-07-01",
        "2016-12-31",
        ["2016-09-30"],
        [],
    )


# --- the plan's own period and approval -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "start", "end"),
    [
        ("(срок реализации: ноябрь 2015 года - май 2016 года)", "ru", D(2015, 11, 1),
         D(2016, 5, 31)),
        ("(іске асыру мерзімі: 2015 жылғы қараша - 2016 жылғы мамыр)", "kk", D(2015, 11, 1),
         D(2016, 5, 31)),
        ("2015-2016 жылдарға арналған жоспар", "kk", D(2015, 1, 1), D(2016, 12, 31)),
        ("План мероприятий на 2016-2018 годы", "ru", D(2016, 1, 1), D(2018, 12, 31)),
        ("План мероприятий на 2017 год", "ru", D(2017, 1, 1), D(2017, 12, 31)),
        ("2017 жылға арналған іс-шаралар жоспары", "kk", D(2017, 1, 1), D(2017, 12, 31)),
        (
            "План на 2016-2018 годы (срок реализации: март 2016 года - декабрь 2017 года)",
            "ru",
            D(2016, 3, 1),
            D(2017, 12, 31),
        ),
        ("Срок реализации: 2016 – 2018 годы", "ru", D(2016, 1, 1), D(2018, 12, 31)),
    ],
)  # fmt: skip
def test_find_plan_period(text: str, lang: Lang, start: dt.date, end: dt.date) -> None:
    assert find_plan_period(text, lang) == Period(start, end)


def test_find_plan_period_returns_none_where_the_text_states_none() -> None:
    assert find_plan_period("План мероприятий по развитию", "ru") is None
    assert find_plan_period("", "kk") is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Распоряжение Государственного секретаря от 30 октября 2015 года № 10",
            "ru",
            (D(2015, 10, 30), "10"),
        ),
        (
            "Мемлекеттік хатшысының 2015 жылғы 30 қазандағы № 10 өкімімен БЕКІТІЛДІ",
            "kk",
            (D(2015, 10, 30), "10"),
        ),
        (
            "УТВЕРЖДЕН\nпостановлением Правительства\nот 2 марта 2016 года № 112",
            "ru",
            (D(2016, 3, 2), "112"),
        ),
        ("УТВЕРЖДЕН приказом от 01.02.2016 г. № 15-П", "ru", (D(2016, 2, 1), "15-П")),
        ("План мероприятий на 2016 год", "ru", (None, None)),
        (
            "1. Внести изменения в Правила, утвержденные постановлением от 2.10.2007 г. № 873",
            "ru",
            (None, None),
        ),
        (
            "Үкіметінің 2007 жылғы 2 қазандағы № 873 қаулысына өзгерістер енгізу",
            "kk",
            (None, None),
        ),
    ],
)  # fmt: skip
def test_find_approval(text: str, lang: Lang, expected: tuple[dt.date | None, str | None]) -> None:
    assert find_approval(text, lang) == expected


def test_plan_period_and_approval_of_the_seeds() -> None:
    def seed(prefix: str) -> str:
        return next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")

    p2015 = Period(D(2015, 11, 1), D(2016, 12, 31))
    assert find_plan_period(seed("000"), "kk") == p2015
    assert find_plan_period(seed("001"), "ru") == p2015
    assert find_plan_period(seed("003"), "kk") == Period(D(2015, 1, 1), D(2016, 12, 31))
    assert find_approval(seed("000"), "kk") == (D(2015, 10, 30), "10")
    assert find_approval(seed("001"), "ru") == (D(2015, 10, 30), "10")
    assert find_approval(seed("003"), "kk") == (None, None)


def test_a_number_before_a_genitive_month_is_a_day_never_a_year() -> None:
    # Found by hypothesis: "1900 декабря" was read as December 1900 with no warning.
    plan = Period(D(2015, 11, 1), D(2016, 12, 31))
    result = parse_deadline("к 1900 декабря 2015 года", lang="ru", period=plan)
    assert D(1900, 12, 31) not in result.reports
    assert result.warnings
