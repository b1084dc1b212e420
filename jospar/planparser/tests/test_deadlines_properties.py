"""Properties of parse_deadline on random text and on mutations of real deadline cells."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jospar.planparser.deadlines import parse_deadline
from jospar.planparser.model import DeadlineResult, Lang, Period

from .test_deadlines_gold import _cases

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_SEED_CELLS: list[str] = sorted({c.values[2] for c in _cases()} | {c.values[3] for c in _cases()})
REAL_CELLS = _SEED_CELLS or ["к 10 декабря 2015 года, далее - ежеквартально", "тұрақты"]
EXTRA_CELLS = [
    "II квартал 2020 года, II – IV кварталы 2021 года",
    "декабрь 2016 – 2019 годов",
    "ежемесячно до 25 числа",
    "жылына 2 рет",
    "2016 жылдың бірінші жартыжылдығы",
    "с января по июнь 2016 года",
    "16.11.2015",
    "в течение 15 дней после проведения мероприятия",
    "по мере необходимости",
    "ежегодно, в сентябре – октябре",
    "жыл сайын төртінші тоқсанда",
    "по итогам отчетного полугодия",
    "жыл қорытындысымен",
    "в последнюю пятницу каждого месяца",
    "әр айдың соңғы жұмасында",
    "начиная со II квартала 2017 года",
    "до 15 июля текущего года; годовой — до 30 января следующего года",
    "ағымдағы жылдың 15 шілдесіне дейін; келесі жылдың 30 қаңтарына дейін",
]
CELLS = REAL_CELLS + EXTRA_CELLS

# The phrases of rule 5: such a cell may legitimately have no dates and no warning.
_PERMANENT = re.compile(
    r"постоянн|тұрақты|мере\s+необходим|мере\s+потребн|необходимости|қажет|үнемі|ұдайы"
    r"|всего\s+(?:периода|срока)",
    re.IGNORECASE,
)

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
periods = st.one_of(
    st.just(Period(dt.date(2015, 11, 1), dt.date(2016, 12, 31))),
    st.just(Period(dt.date(2015, 1, 1), dt.date(2016, 12, 31))),
    st.just(Period(None, None)),
    st.builds(Period, st.none() | dates, st.none() | dates),
)
langs: st.SearchStrategy[Lang] = st.sampled_from(["kk", "ru"])
# Letters, digits and signs that deadline cells are made of, so that mutations stay close to
# real text, plus anything at all now and then.
_ALPHABET = "".join(sorted(set("".join(CELLS)))) + "0123456789IVXІ.-–—/№\t\n\u00a0"
near_chars = st.sampled_from(_ALPHABET)
any_text = st.text(max_size=120)


@st.composite
def mutated_cells(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(CELLS))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "swap", "shuffle", "number", "unicode"]))
        chars = list(text)
        if op == "delete" and chars:
            del chars[draw(st.integers(0, len(chars) - 1))]
        elif op == "insert":
            chars.insert(draw(st.integers(0, len(chars))), draw(near_chars))
        elif op == "swap" and len(chars) > 1:
            a, b = draw(st.integers(0, len(chars) - 1)), draw(st.integers(0, len(chars) - 1))
            chars[a], chars[b] = chars[b], chars[a]
        elif op == "unicode":
            chars.insert(draw(st.integers(0, len(chars))), draw(st.characters()))
        text = "".join(chars)
        if op == "shuffle":
            words = text.split()
            shuffled: list[str] = draw(st.permutations(words))
            text = " ".join(shuffled)
        elif op == "number":
            number: int = draw(st.integers(0, 3000))
            text = re.sub(r"\d+", str(number), text, count=1)
    return text


def check(result: DeadlineResult, text: str) -> None:
    assert result.reports == sorted(set(result.reports))
    for d in result.reports:
        assert isinstance(d, dt.date)
        assert dt.date(d.year, d.month, d.day) == d
    w = result.window
    if w.start is not None and w.end is not None:
        assert w.start <= w.end
    codes = [x.code for x in result.warnings]
    assert "deadline_internal_error" not in codes
    assert len(codes) == len(set(codes))
    for x in result.warnings:
        assert x.activity == "9"
        assert x.message
        assert re.fullmatch(r"[a-z_]+", x.code)
    if w.start is None and w.end is None and not result.reports and not _PERMANENT.search(text):
        assert result.warnings, text


@SETTINGS
@given(text=any_text, lang=langs, period=periods, other=st.none() | any_text)
def test_random_text_never_breaks_the_rules(
    text: str, lang: Lang, period: Period, other: str | None
) -> None:
    result = parse_deadline(
        text,
        lang=lang,
        period=period,
        other_column_text=other,
        activity="9",
    )
    check(result, text)


@SETTINGS
@given(text=mutated_cells(), lang=langs, period=periods, other=st.none() | mutated_cells())
def test_mutated_real_cells_never_break_the_rules(
    text: str, lang: Lang, period: Period, other: str | None
) -> None:
    result = parse_deadline(
        text,
        lang=lang,
        period=period,
        other_column_text=other,
        activity="9",
    )
    check(result, text)


@SETTINGS
@given(text=st.sampled_from(CELLS), lang=langs, period=periods)
def test_same_input_same_result(text: str, lang: Lang, period: Period) -> None:
    first = parse_deadline(text, lang=lang, period=period, activity="9")
    again = parse_deadline(text, lang=lang, period=period, activity="9")
    assert first == again
    check(first, text)


@SETTINGS
@given(text=mutated_cells(), period=periods)
def test_reports_of_a_readable_cell_lie_near_the_window(text: str, period: Period) -> None:
    """A report is never owed before the window opens (or before the plan starts)."""
    result = parse_deadline(text, lang="ru", period=period, activity="9")
    start = result.window.start
    if start is not None and result.reports and not result.warnings:
        assert result.reports[0] >= min(start, period.start or start)


def test_huge_and_odd_inputs() -> None:
    plan = Period(dt.date(2015, 11, 1), dt.date(2016, 12, 31))
    for text in [
        "",
        "\x00\x01\x02",
        "к 10 декабря 2015 года " * 10000,
        "\ud800",
        "2015" * 500,
        "9" * 5000,
        "IV" * 300 + " квартал 2016",
        "ежемесячно",
    ]:
        for other in (None, text, "ежемесячно " * 3000):
            check(
                parse_deadline(text, lang="ru", period=plan, other_column_text=other, activity="9"),
                text,
            )


def test_a_recurrence_over_a_century_is_cut_with_a_warning() -> None:
    result = parse_deadline(
        "ежемесячно",
        lang="ru",
        period=Period(dt.date(1990, 1, 1), dt.date(2099, 12, 31)),
        activity="9",
    )
    assert len(result.reports) <= 1200
    assert "deadline_too_many_reports" in [w.code for w in result.warnings]


def test_a_report_before_its_window_is_flagged() -> None:
    """Found by the property above: a year read for a report date but not for the window."""
    result = parse_deadline(
        "2015 20 желтоқсанға ж. ж., 2016", lang="ru", period=Period(None, None), activity="9"
    )
    assert [w.code for w in result.warnings] == ["deadline_partly_read"]
