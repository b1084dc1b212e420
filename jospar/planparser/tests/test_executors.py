"""Each rule of the executors cell, on cells that are not in the seed plans."""

from __future__ import annotations

import pytest

from jospar.planparser.executors import parse_executors
from jospar.planparser.model import AKIMATS, Executor, Lang, ParseWarning

GLOSSARY = {
    "МФ": "Министерство финансов Республики Казахстан",
    "МНЭ": "Министерство национальной экономики Республики Казахстан",
    "МЮ": "Министерство юстиции Республики Казахстан",
    "ҰЭМ": "Қазақстан Республикасының Ұлттық экономика министрлігі",
    "ҚМ": "Қазақстан Республикасының Қаржы министрлігі",
    "МИО": "местные исполнительные органы",
    "ЖАО": "жергілікті атқарушы органдар",
}


def parse(cell: str, lang: Lang = "ru") -> tuple[list[Executor], list[ParseWarning]]:
    return parse_executors(cell, lang=lang, glossary=GLOSSARY, activity="7")


def codes(cell: str, lang: Lang = "ru") -> list[tuple[str, bool, bool, str | None]]:
    return [(e.code, e.lead, e.by_agreement, e.role) for e in parse(cell, lang)[0]]


def repaired(cell: str, lang: Lang = "ru") -> list[str]:
    return [w.message for w in parse(cell, lang)[1] if w.code == "executors_repaired"]


# --- plain lists, names, codes as printed ------------------------------------------------------


def test_plain_list_keeps_order_and_names_from_the_glossary() -> None:
    ex, warnings = parse("МФ, МНЭ, МЮ")
    assert [e.code for e in ex] == ["МФ", "МНЭ", "МЮ"]
    assert ex[0].name == "Министерство финансов Республики Казахстан"
    assert warnings == []


def test_code_without_glossary_entry_has_no_name() -> None:
    ex, _ = parse("МЦРИАП, МФ")
    assert ex[0].code == "МЦРИАП"
    assert ex[0].name is None


def test_country_prefix_finds_the_name_of_the_code() -> None:
    ex, _ = parse("ҚР ҰЭМ", "kk")
    assert ex[0].code == "ҚР ҰЭМ"
    assert ex[0].name == GLOSSARY["ҰЭМ"]


def test_codes_are_kept_as_printed_with_typos() -> None:
    # "Қогамдық" with a Cyrillic г: matching it to an organisation is the directory's job.
    assert codes("ТОО «Қогамдық зерттеу», МФ") == [
        ("ТОО «Қогамдық зерттеу»", False, False, None),
        ("МФ", False, False, None),
    ]


def test_nested_quotes_closed_once_do_not_swallow_the_next_executor() -> None:
    assert [c for c, *_ in codes("АО «НК «Қазақстан темір жолы», МИИР")] == [
        "АО «НК «Қазақстан темір жолы»",
        "МИИР",
    ]


def test_dash_inside_quotes_is_not_a_role() -> None:
    assert codes("РОО «Казахстан - 2050» (по согласованию)") == [
        ("РОО «Казахстан - 2050»", False, True, None)
    ]


def test_comma_inside_brackets_does_not_split() -> None:
    assert [c for c, *_ in codes("МФ (Комитет казначейства, Комитет госдоходов), МЮ")] == [
        "МФ (Комитет казначейства, Комитет госдоходов)",
        "МЮ",
    ]


# --- lead and by agreement -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "lang"),
    [("МНЭ (свод), МФ", "ru"), ("ҰЭМ (жинақтау), ҚМ", "kk"), ("МНЭ (свод информации), МФ", "ru")],
)
def test_lead_mark(cell: str, lang: Lang) -> None:
    ex, warnings = parse(cell, lang)
    assert [e.lead for e in ex] == [True, False]
    assert warnings == []


@pytest.mark.parametrize(
    ("cell", "lang"),
    [
        ("МФ, НПП «Атамекен» (по согласованию), МЮ", "ru"),
        ("ҚМ, «Атамекен» ҰКП (келісім бойынша), ҰЭМ", "kk"),
    ],
)
def test_by_agreement_belongs_to_the_executor_before_it(cell: str, lang: Lang) -> None:
    ex, _ = parse(cell, lang)
    assert [e.by_agreement for e in ex] == [False, True, False]


def test_lead_and_agreement_in_one_bracket() -> None:
    assert codes("ФНБ «Самрук-Казына» (свод, по согласованию), МФ")[0] == (
        "ФНБ «Самрук-Казына»",
        True,
        True,
        None,
    )


def test_mark_after_a_stray_comma_goes_to_the_executor_before() -> None:
    assert codes("ҰЭМ, «Бәйтерек» ҰБХ, (келісім бойынша)", "kk") == [
        ("ҰЭМ", False, False, None),
        ("«Бәйтерек» ҰБХ", False, True, None),
    ]
    assert any("stray comma" in m for m in repaired("ҰЭМ, «Бәйтерек» ҰБХ, (келісім бойынша)"))


def test_missing_comma_after_a_mark_makes_two_executors() -> None:
    cell = "МФ, АО «Казахтелеком» (по согласованию) МНЭ"
    assert codes(cell) == [
        ("МФ", False, False, None),
        ("АО «Казахтелеком»", False, True, None),
        ("МНЭ", False, False, None),
    ]
    assert any("comma is missing" in m for m in repaired(cell))


def test_missing_comma_after_lead_mark_in_kazakh() -> None:
    assert codes("ҚМ (жинақтау) ҰЭМ", "kk") == [
        ("ҚМ", True, False, None),
        ("ҰЭМ", False, False, None),
    ]


def test_mark_without_brackets_is_read_and_reported() -> None:
    cell = "МФ, Нацбанк по согласованию"
    assert codes(cell)[1] == ("Нацбанк", False, True, None)
    assert repaired(cell)


def test_unclosed_bracket_of_a_mark() -> None:
    cell = "МФ, АО «Казпочта» (по согласованию, МНЭ"
    assert codes(cell) == [
        ("МФ", False, False, None),
        ("АО «Казпочта»", False, True, None),
        ("МНЭ", False, False, None),
    ]
    assert any("bracket" in m for m in repaired(cell))


def test_glued_codes_known_to_the_glossary_are_split() -> None:
    cell = "МФ МНЭ, МЮ"
    assert [c for c, *_ in codes(cell)] == ["МФ", "МНЭ", "МЮ"]
    assert repaired(cell)


def test_unknown_words_without_a_comma_are_not_split() -> None:
    assert [c for c, *_ in codes("Национальная палата предпринимателей, МФ")] == [
        "Национальная палата предпринимателей",
        "МФ",
    ]


# --- roles -----------------------------------------------------------------------------------


def test_one_role_goes_to_the_executor_it_follows() -> None:
    assert codes("МФ, МНЭ, МЮ - правовая экспертиза") == [
        ("МФ", False, False, None),
        ("МНЭ", False, False, None),
        ("МЮ", False, False, "правовая экспертиза"),
    ]


def test_one_role_in_kazakh_with_en_dash() -> None:
    assert codes("ҚМ – әдістеме, ҰЭМ", "kk") == [
        ("ҚМ", False, False, "әдістеме"),
        ("ҰЭМ", False, False, None),
    ]


def test_several_roles_cover_the_executors_since_the_previous_role() -> None:
    cell = "МНЭ - методология, МФ, МЮ, АО «Казпочта» (по согласованию) - расчеты, МИО"
    assert codes(cell) == [
        ("МНЭ", False, False, "методология"),
        ("МФ", False, False, "расчеты"),
        ("МЮ", False, False, "расчеты"),
        ("АО «Казпочта»", False, True, "расчеты"),
        (AKIMATS, False, False, None),
    ]


def test_hyphenated_words_are_not_roles() -> None:
    assert [c for c, *_ in codes("Нұр-Сұлтан қаласының әкімдігі, ҚМ", "kk")] == [
        "Нұр-Сұлтан қаласының әкімдігі",
        "ҚМ",
    ]


# --- akimats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "lang"),
    [
        ("акиматы областей, городов Астаны, Алматы и Шымкента", "ru"),
        ("акиматы областей, гг. Нур-Султана, Алматы и Шымкента", "ru"),
        ("облыстардың, Нұр-Сұлтан, Алматы және Шымкент қалаларының әкімдіктері", "kk"),
        ("облыстардың, Астана және Алматы қалаларының әкімдіктері", "kk"),
        ("Нұр-Сұлтан, Алматы, Шымкент ққ., облыстар әкімдіктері", "kk"),
        ("акиматы областей", "ru"),
        ("МИО", "ru"),
        ("местные исполнительные органы", "ru"),
        ("жергілікті атқарушы органдар", "kk"),
    ],
)
def test_akimat_groups_are_one_executor(cell: str, lang: Lang) -> None:
    ex, warnings = parse(f"МФ, {cell}, МЮ", lang)
    assert [e.code for e in ex] == ["МФ", AKIMATS, "МЮ"]
    assert warnings == []


def test_akimat_group_keeps_its_marks() -> None:
    assert codes("акиматы областей, городов Астаны и Алматы (свод), МФ")[0] == (
        AKIMATS,
        True,
        False,
        None,
    )


def test_code_expanding_to_local_bodies_is_the_group_and_keeps_its_name() -> None:
    ex, _ = parse_executors("ЖАО, ҚМ", lang="kk", glossary=GLOSSARY, activity="1")
    assert ex[0].code == AKIMATS
    assert ex[0].name == "жергілікті атқарушы органдар"
    ex, _ = parse_executors(
        "ОИО, ҚМ", lang="kk", glossary={"ОИО": "облыстардың жергілікті атқарушы органдары"}
    )
    assert ex[0].code == AKIMATS


@pytest.mark.parametrize(
    ("cell", "lang"),
    [
        ("акимат Костанайской области", "ru"),
        ("акиматы Костанайской и Павлодарской областей", "ru"),
        ("Қостанай облысының әкімдігі", "kk"),
        ("Қостанай және Павлодар облыстарының әкімдіктері", "kk"),
        ("акимат г. Алматы", "ru"),
    ],
)
def test_named_akimats_are_not_the_group(cell: str, lang: Lang) -> None:
    ex, _ = parse(f"МФ, {cell}", lang)
    assert AKIMATS not in [e.code for e in ex]
    assert ex[-1].code == cell


def test_garbled_akimat_group_is_read_and_reported() -> None:
    cell = "ҚМ (жинақтау), Нұр-Сұлтан, Алматы ққ., облыс әкімдікте)»-"
    assert codes(cell, "kk") == [("ҚМ", True, False, None), (AKIMATS, False, False, None)]
    assert any("garbled" in m for m in repaired(cell, "kk"))


def test_akimat_group_written_twice_is_kept_once() -> None:
    cell = "ЖАО, облыстар әкімдіктері"
    assert [e.code for e in parse(cell, "kk")[0]] == [AKIMATS]
    assert repaired(cell, "kk")


# --- legal forms -----------------------------------------------------------------------------


def test_legal_form_standing_alone_joins_the_quoted_name_before_it_kazakh() -> None:
    cell = "ҚМ, «Қазақпарат», ҰЭМ (келісім бойынша), АҚ"
    assert codes(cell, "kk") == [
        ("ҚМ", False, False, None),
        ("«Қазақпарат» АҚ", False, False, None),
        ("ҰЭМ", False, True, None),
    ]
    assert any("legal form" in m for m in repaired(cell, "kk"))


def test_legal_form_standing_alone_goes_before_the_name_in_russian() -> None:
    assert codes("«Казинформ», МФ (по согласованию), АО") == [
        ("АО «Казинформ»", False, False, None),
        ("МФ", False, True, None),
    ]


def test_legal_form_in_an_unclosed_mark_bracket() -> None:
    cell = "ҚМ, «Ұлттық аударма бюросы», ҰЭМ (келісім бойынша, ҚҚ"
    assert codes(cell, "kk") == [
        ("ҚМ", False, False, None),
        ("«Ұлттық аударма бюросы» ҚҚ", False, False, None),
        ("ҰЭМ", False, True, None),
    ]


def test_legal_form_already_attached_is_left_alone() -> None:
    assert codes("ТОО «Аналитика», МФ") == [
        ("ТОО «Аналитика»", False, False, None),
        ("МФ", False, False, None),
    ]


# --- descriptive names with commas -----------------------------------------------------------


def test_participle_clause_continues_the_name_before_it() -> None:
    cell = "вузы, осуществляющие подготовку педагогических кадров (по согласованию), МФ"
    assert codes(cell) == [
        ("вузы, осуществляющие подготовку педагогических кадров", False, True, None),
        ("МФ", False, False, None),
    ]


def test_relative_clause_continues_the_name_before_it() -> None:
    cell = "НПО, которые реализуют социальные проекты (по согласованию)"
    assert codes(cell) == [("НПО, которые реализуют социальные проекты", False, True, None)]


def test_attributive_participle_starts_a_new_executor() -> None:
    assert [c for c, *_ in codes("МФ, ведущие вузы")] == ["МФ", "ведущие вузы"]


def test_quote_never_closed_is_reported_and_split() -> None:
    cell = "МФ, «Казпочта, МНЭ"
    assert [c for c, *_ in codes(cell)] == ["МФ", "«Казпочта", "МНЭ"]
    assert any("quotation" in m for m in repaired(cell))


# --- empty and unreadable ----------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["", "   ", "—", "(по согласованию)", ",,"])
def test_empty_cell_warns(cell: str) -> None:
    ex, warnings = parse(cell)
    assert ex == []
    assert [w.code for w in warnings][-1] == "executors_missing"


def test_trailing_comma_is_repaired() -> None:
    cell = "МФ, МНЭ,"
    assert [c for c, *_ in codes(cell)] == ["МФ", "МНЭ"]
    assert any("stray comma" in m for m in repaired(cell))


def test_warnings_name_the_activity() -> None:
    _, warnings = parse_executors(
        "МФ, АО «Казпочта» (по согласованию) МНЭ", lang="ru", glossary={}, activity="12"
    )
    assert warnings
    assert all(w.activity == "12" and "activity 12" in w.message for w in warnings)


def test_mark_words_inside_a_name_are_not_a_mark() -> None:
    assert codes("Комиссия по согласованию тарифов, МФ") == [
        ("Комиссия по согласованию тарифов", False, False, None),
        ("МФ", False, False, None),
    ]


def test_legal_form_with_no_name_is_kept_and_reported() -> None:
    cell = "МФ, АО"
    assert [c for c, *_ in codes(cell)] == ["МФ", "АО"]
    assert any("no name" in m for m in repaired(cell))


def test_one_executor_per_line() -> None:
    cell = "МФ\nАО «Казпочта» (по согласованию)\nакиматы областей\nМНЭ"
    assert codes(cell) == [
        ("МФ", False, False, None),
        ("АО «Казпочта»", False, True, None),
        (AKIMATS, False, False, None),
        ("МНЭ", False, False, None),
    ]
    assert parse(cell)[1] == []


def test_name_wrapped_over_lines_is_one_executor() -> None:
    assert [c for c, *_ in codes("Министерство финансов\nРеспублики Казахстан,\nМНЭ")] == [
        "Министерство финансов Республики Казахстан",
        "МНЭ",
    ]


def test_semicolons_separate_executors() -> None:
    assert [c for c, *_ in codes("МФ; МНЭ (свод); МЮ")] == ["МФ", "МНЭ", "МЮ"]


@pytest.mark.parametrize(("cell", "lang"), [("МФ и МНЭ", "ru"), ("ҚМ және ҰЭМ", "kk")])
def test_conjunction_between_two_codes(cell: str, lang: Lang) -> None:
    assert len(parse(cell, lang)[0]) == 2


def test_conjunction_inside_a_name_is_kept() -> None:
    assert [c for c, *_ in codes("Министерство культуры и спорта")] == [
        "Министерство культуры и спорта"
    ]
