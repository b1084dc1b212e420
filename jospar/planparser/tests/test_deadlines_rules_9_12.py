"""Deadline rules 9-12 of the contract, each on several wordings of our own, in Russian and
Kazakh: word order, case endings, dashes and abbreviations vary; the code special-cases none of
these phrases (they are read by the grammar over the scanner's tokens)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.model import Lang, Period

D = dt.date
# A plan of two whole years, so that "each year" is visible.
TWO_YEARS = Period(D(2016, 1, 1), D(2017, 12, 31))
WHOLE = ("2016-01-01", "2017-12-31")


def read(text: str, lang: Lang, period: Period = TWO_YEARS) -> tuple[tuple[str, str], list[str]]:
    r = parse_deadline(text, lang=lang, period=period, activity="12")
    assert [w.code for w in r.warnings] == [], (text, r.warnings)
    j = r.to_json()
    return (j["window"]["start"], j["window"]["end"]), j["reports"]


def yearly(month_day: str) -> list[str]:
    return [f"2016-{month_day}", f"2017-{month_day}"]


QUARTER_ENDS = [f"{y}-{md}" for y in (2016, 2017) for md in ("03-31", "06-30", "09-30", "12-31")]
HALF_ENDS = [f"{y}-{md}" for y in (2016, 2017) for md in ("06-30", "12-31")]


# --- rule 9: a recurrence naming a part of each year --------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "month_day"),
    [
        ("ежегодно в IV квартале", "ru", "12-31"),
        ("ежегодно, IV кв.", "ru", "12-31"),
        ("в 4-м квартале ежегодно", "ru", "12-31"),
        ("каждый год в четвертом квартале", "ru", "12-31"),
        ("1 раз в год, в IV квартале", "ru", "12-31"),
        ("ежегодно во II-III кварталах", "ru", "09-30"),
        ("ежегодно в I полугодии", "ru", "06-30"),
        ("ежегодно во II полугодии", "ru", "12-31"),
        ("жыл сайын төртінші тоқсанда", "kk", "12-31"),
        ("төртінші тоқсанда жыл сайын", "kk", "12-31"),
        ("жыл сайын 4-тоқсанда", "kk", "12-31"),
        ("әр жылы екінші жартыжылдықта", "kk", "12-31"),
        ("ежегодно, в сентябре – октябре", "ru", "10-31"),
        ("ежегодно в сентябре—октябре", "ru", "10-31"),
        ("сентябрь-октябрь, ежегодно", "ru", "10-31"),
        ("каждый год: сентябрь - октябрь", "ru", "10-31"),
        ("ежегодно с сентября по октябрь", "ru", "10-31"),
        ("жыл сайын қазан айында", "kk", "10-31"),
        ("жыл сайын, қазанда", "kk", "10-31"),
        ("қыркүйек-қазан айлары, жыл сайын", "kk", "10-31"),
        ("жыл сайын қыркүйектен қазанға дейін", "kk", "10-31"),
        # A day stated inside the part is the day its report is due.
        ("ежегодно в IV квартале, не позднее 20 декабря", "ru", "12-20"),
        ("жыл сайын IV тоқсанда, 20 желтоқсанға дейін", "kk", "12-20"),
        ("ежегодно в декабре, до 20 числа", "ru", "12-20"),
        ("ежегодно до 20 числа, в декабре", "ru", "12-20"),
    ],
)
def test_rule_9_a_yearly_part_owes_one_report_a_year_at_its_end(
    text: str, lang: Lang, month_day: str
) -> None:
    assert read(text, lang) == (WHOLE, yearly(month_day))


def test_rule_9_separate_dates_still_owe_one_report_each() -> None:
    assert read("ежегодно, к 1 июля и 25 декабря", "ru")[1] == [
        "2016-07-01",
        "2016-12-25",
        "2017-07-01",
        "2017-12-25",
    ]


def test_rule_9_runs_over_the_years_of_the_window() -> None:
    plan = Period(D(2015, 11, 1), D(2018, 6, 30))
    assert read("жыл сайын IV тоқсанда", "kk", plan) == (
        ("2015-11-01", "2018-06-30"),
        ["2015-12-31", "2016-12-31", "2017-12-31"],
    )


# --- rule 10: "по итогам" a period; a year with no number ---------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "reports"),
    [
        ("по итогам отчетного полугодия", "ru", HALF_ENDS),
        ("по результатам каждого полугодия", "ru", HALF_ENDS),
        ("по итогам квартала", "ru", QUARTER_ENDS),
        ("по итогам каждого квартала", "ru", QUARTER_ENDS),
        ("по итогам отчётного года", "ru", yearly("12-31")),
        ("по итогам года", "ru", yearly("12-31")),
        ("жарты жылдың қорытындысы бойынша", "kk", HALF_ENDS),
        ("жартыжылдық қорытындысы бойынша", "kk", HALF_ENDS),
        ("есепті жартыжылдықтың қорытындысы бойынша", "kk", HALF_ENDS),
        ("тоқсанның қорытындысы бойынша", "kk", QUARTER_ENDS),
        ("әр тоқсан қорытындысы бойынша", "kk", QUARTER_ENDS),
        ("жыл қорытындысымен", "kk", yearly("12-31")),
        ("жылдың қорытындысы бойынша", "kk", yearly("12-31")),
        ("есепті жылдың қорытындылары бойынша", "kk", yearly("12-31")),
    ],
)
def test_rule_10_results_of_a_period_are_its_recurrence(
    text: str, lang: Lang, reports: list[str]
) -> None:
    assert read(text, lang) == (WHOLE, reports)


def test_rule_10_results_of_each_month() -> None:
    _, reports = read("по итогам месяца", "ru")
    assert len(reports) == 24
    assert reports[:2] == ["2016-01-31", "2016-02-29"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("по итогам полугодия, до 10 числа месяца, следующего за отчетным периодом", "ru"),
        ("жарты жыл қорытындысы бойынша, есепті кезеңнен кейінгі айдың 10-на дейін", "kk"),
    ],
)
def test_rule_10_with_a_stated_day(text: str, lang: Lang) -> None:
    assert read(text, lang) == (WHOLE, ["2016-07-10", "2017-01-10", "2017-07-10", "2018-01-10"])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("в течение всего года", "ru"),
        ("в течение года", "ru"),
        ("на протяжении всего года", "ru"),
        ("в течение текущего года", "ru"),
        ("круглогодично", "ru"),
        ("жыл ішінде", "kk"),
        ("жыл бойы", "kk"),
        ("ағымдағы жыл ішінде", "kk"),
    ],
)
def test_rule_10_a_year_without_a_number_is_each_year(text: str, lang: Lang) -> None:
    assert read(text, lang) == (WHOLE, yearly("12-31"))


def test_rule_10_a_numbered_year_is_still_one_period() -> None:
    assert read("в течение 2016 года", "ru") == (("2016-01-01", "2016-12-31"), ["2016-12-31"])
    assert read("2016 жыл бойы", "kk") == (("2016-01-01", "2016-12-31"), ["2016-12-31"])


# --- rule 11: weekday rules; a monthly recurrence with a bare day -------------------------

LAST_FRIDAYS_2016 = [
    "2016-01-29", "2016-02-26", "2016-03-25", "2016-04-29", "2016-05-27", "2016-06-24",
    "2016-07-29", "2016-08-26", "2016-09-30", "2016-10-28", "2016-11-25", "2016-12-30",
]  # fmt: skip
FIRST_MONDAYS_OF_QUARTERS = [
    "2016-01-04", "2016-04-04", "2016-07-04", "2016-10-03",
    "2017-01-02", "2017-04-03", "2017-07-03", "2017-10-02",
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("в последнюю пятницу каждого месяца", "ru"),
        ("каждую последнюю пятницу месяца", "ru"),
        ("ежемесячно, в последнюю пятницу", "ru"),
        ("последняя пятница месяца", "ru"),
        ("әр айдың соңғы жұмасында", "kk"),
        ("ай сайын, соңғы жұмада", "kk"),
        ("айдың соңғы жұмасы", "kk"),
    ],
)
def test_rule_11_last_friday_of_each_month(text: str, lang: Lang) -> None:
    window, reports = read(text, lang)
    assert window == WHOLE
    assert len(reports) == 24
    assert reports[:12] == LAST_FRIDAYS_2016
    assert all(D.fromisoformat(d).weekday() == 4 for d in reports)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("каждый первый понедельник квартала", "ru"),
        ("в первый понедельник каждого квартала", "ru"),
        ("ежеквартально, в первый понедельник", "ru"),
        ("әр тоқсанның бірінші дүйсенбісінде", "kk"),
        ("тоқсан сайын бірінші дүйсенбіде", "kk"),
    ],
)
def test_rule_11_first_monday_of_each_quarter(text: str, lang: Lang) -> None:
    assert read(text, lang) == (WHOLE, FIRST_MONDAYS_OF_QUARTERS)


def test_rule_11_second_wednesday_and_a_short_window() -> None:
    _, reports = read("каждую вторую среду месяца", "ru")
    assert reports[:3] == ["2016-01-13", "2016-02-10", "2016-03-09"]
    # Only the days inside the window are owed, even where the period runs on past it.
    plan = Period(D(2016, 1, 10), D(2016, 4, 5))
    assert read("каждый первый понедельник квартала", "ru", plan)[1] == ["2016-04-04"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("ай сайын, 10-на дейін", "kk"),
        ("ай сайын 10-ына дейін", "kk"),
        ("ай сайын, айдың 10-на дейін", "kk"),
        ("ежемесячно, не позднее 10-го числа", "ru"),
        ("ежемесячно к 10 числу", "ru"),
        ("10 числа ежемесячно", "ru"),
    ],
)
def test_rule_11_a_monthly_bare_day_is_the_stated_day(text: str, lang: Lang) -> None:
    window, reports = read(text, lang)
    assert window == WHOLE
    assert len(reports) == 24
    assert {d[8:] for d in reports} == {"10"}
    assert reports[0] == "2016-01-10"


# --- rule 12: a start with nothing recurring owes no report -------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "start"),
    [
        ("начиная со II квартала 2017 года", "ru", "2017-04-01"),
        ("начиная с апреля 2017 г.", "ru", "2017-04-01"),
        ("со 2 квартала 2017 года", "ru", "2017-04-01"),
        ("начиная с 1 апреля 2017 года", "ru", "2017-04-01"),
        ("2017 жылғы екінші тоқсаннан бастап", "kk", "2017-04-01"),
        ("2017 жылдың сәуірінен бастап", "kk", "2017-04-01"),
    ],
)
def test_rule_12_a_start_alone_opens_the_window_and_owes_nothing(
    text: str, lang: Lang, start: str
) -> None:
    assert read(text, lang) == ((start, "2017-12-31"), [])


def test_rule_12_a_start_with_a_recurrence_still_owes_its_reports() -> None:
    assert read("начиная со II квартала 2017 года ежеквартально", "ru") == (
        ("2017-04-01", "2017-12-31"),
        ["2017-06-30", "2017-09-30", "2017-12-31"],
    )


def test_rule_12_other_column_dates_still_count() -> None:
    r = parse_deadline(
        "2017 жылдан бастап",
        lang="kk",
        period=TWO_YEARS,
        other_column_text="2017 жылғы 10 шілдеге, ПӘ-ге ақпарат",
    )
    assert [d.isoformat() for d in r.reports] == ["2017-07-10"]


# --- days stated in "the current year" / "the following year" ------------------------------

HALF_AND_YEAR = ["2016-07-15", "2017-01-30", "2017-07-15", "2018-01-30"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("полугодовой — до 15 июля текущего года; годовой — до 30 января следующего года", "ru"),
        ("до 15 июля текущего года и до 30 января следующего года", "ru"),
        ("за полугодие – к 15 июля текущего года, за год – к 30 января следующего года", "ru"),
        ("ағымдағы жылдың 15 шілдесіне дейін; келесі жылдың 30 қаңтарына дейін", "kk"),
        (
            "жартыжылдық – ағымдағы жылғы 15 шілдеге дейін, жылдық – келесі жылғы 30 қаңтарға "
            "дейін",
            "kk",
        ),
    ],
)
def test_days_of_the_current_and_following_year_recur_each_year(text: str, lang: Lang) -> None:
    assert read(text, lang) == (WHOLE, HALF_AND_YEAR)


@pytest.mark.parametrize(
    ("text", "lang", "reports"),
    [
        # The report for each year of the window, in January of the year after it.
        (
            "годовой отчет – до 30 января года, следующего за отчетным",
            "ru",
            ["2017-01-30", "2018-01-30"],
        ),
        ("есепті жылдан кейінгі жылдың 20 қаңтарына дейін", "kk", ["2017-01-20", "2018-01-20"]),
        ("ежегодно, до 15 июля текущего года", "ru", yearly("07-15")),
    ],
)
def test_one_relative_day(text: str, lang: Lang, reports: list[str]) -> None:
    assert read(text, lang) == (WHOLE, reports)


# --- never raises ---------------------------------------------------------------------------

_PIECES = [
    "ежегодно", "жыл сайын", "в", "во", "IV", "II", "квартале", "тоқсанда", "полугодии",
    "сентябре", "–", "-", "октябре", "қазан", "айында", "по итогам", "отчетного", "полугодия",
    "қорытындысы бойынша", "жыл", "ішінде", "в течение", "всего", "года", "последнюю",
    "пятницу", "каждого", "месяца", "әр", "айдың", "соңғы", "жұмасында", "первый",
    "понедельник", "квартала", "ай сайын", "10-на", "дейін", "начиная", "со", "2017",
    "бастап", "текущего", "следующего", "ағымдағы", "келесі", "жылдың", "15", "июля",
    "шілдесіне", "30", "января", ",", ";", "далее", "бұдан әрі", "числа", "до",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(st.sampled_from(_PIECES), max_size=14),
    lang=st.sampled_from(["kk", "ru"]),
    start=st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 1, 1)) | st.none(),
    days=st.integers(0, 4000),
)
def test_rules_9_to_12_never_raise_on_their_own_words_shuffled(
    words: list[str], lang: Lang, start: dt.date | None, days: int
) -> None:
    end = start + dt.timedelta(days=days) if start is not None else None
    end = min(end, D(2099, 12, 31)) if end is not None else None
    r = parse_deadline(" ".join(words), lang=lang, period=Period(start, end), activity="1")
    assert "deadline_internal_error" not in [w.code for w in r.warnings]
    assert r.reports == sorted(set(r.reports))
    if r.window.start is not None and r.window.end is not None:
        assert r.window.start <= r.window.end
