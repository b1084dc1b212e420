"""Which glossary expansions name bodies, and how printed names are matched."""

from __future__ import annotations

from pathlib import Path

import pytest

from jospar.core.models import OrganisationKind as K
from jospar.core.naming import (
    classify_body_name,
    legal_form_kind,
    looks_like_abbreviation,
    match_key,
)
from jospar.core.tests.seed_glossaries import GLOSSARY_000_KK, GLOSSARY_001_RU, GLOSSARY_003_KK

SEEDS = Path(__file__).resolve().parents[2] / "plans" / "demo_seeds"

# Every entry of the three seed glossaries: the kind of body it names, or None where it is a
# group of bodies, a plain term or a bare legal form.
EXPECTED_000 = {
    "ПӘ": K.PRESIDENTIAL,
    "ЖС": K.COURT,
    "ҚСЗИ": K.STATE_INSTITUTION,
    "ІІМ": K.MINISTRY,
    "ДСӘДМ": K.MINISTRY,
    "СІМ": K.MINISTRY,
    "ИДМ": K.MINISTRY,
    "МСМ": K.MINISTRY,
    "ҰЭМ": K.MINISTRY,
    "БҒМ": K.MINISTRY,
    "ҮЕҰ": None,
    "ҚХАХ": K.PRESIDENTIAL,
    "БАҚ": None,
    "ОКҚ": K.AGENCY,
    "ОМО": None,
    "ТжКББ": None,
    "РҚБ": None,
    "РММ": None,
}
EXPECTED_001 = {
    "АП": K.PRESIDENTIAL,
    "ВС": K.COURT,
    "КИСИ": K.STATE_INSTITUTION,
    "МВД": K.MINISTRY,
    "МЗСР": K.MINISTRY,
    "МИД": K.MINISTRY,
    "МИР": K.MINISTRY,
    "МКС": K.MINISTRY,
    "МНЭ": K.MINISTRY,
    "МОН": K.MINISTRY,
    "НПО": None,
    "РГУ": None,
    "РОО": None,
    "САНК": K.PRESIDENTIAL,
    "СМИ": None,
    "СЦК": K.AGENCY,
    "ТиПО": None,
    "ЦГО": None,
}
EXPECTED_003 = {
    "ӘдМ": K.MINISTRY,
    "БҒМ": K.MINISTRY,
    "ЖАО": None,
    "ИДМ": K.MINISTRY,
    "ҚМ": K.MINISTRY,
    "МБАҰЖБ": K.PRESIDENTIAL,
    "МҚБ": K.PRESIDENTIAL,
    "МҚІЖҚА": K.AGENCY,
    "МСМ": K.MINISTRY,
    "ПӘ": K.PRESIDENTIAL,
    "СІМ": K.MINISTRY,
    "ҰЭМ": K.MINISTRY,
    "ІСБ": K.PRESIDENTIAL,
}
CASES = [
    *((code, GLOSSARY_000_KK[code], kind) for code, kind in EXPECTED_000.items()),
    *((code, GLOSSARY_001_RU[code], kind) for code, kind in EXPECTED_001.items()),
    *((code, GLOSSARY_003_KK[code], kind) for code, kind in EXPECTED_003.items()),
]


def test_every_seed_glossary_entry_is_covered() -> None:
    assert set(EXPECTED_000) == set(GLOSSARY_000_KK)
    assert set(EXPECTED_001) == set(GLOSSARY_001_RU)
    assert set(EXPECTED_003) == set(GLOSSARY_003_KK)


@pytest.mark.skipif(not SEEDS.exists(), reason="seed plans not in the checkout")
@pytest.mark.parametrize(
    ("prefix", "glossary"),
    [("000", GLOSSARY_000_KK), ("001", GLOSSARY_001_RU), ("003", GLOSSARY_003_KK)],
)
def test_the_glossaries_are_transcribed_from_the_seeds(
    prefix: str, glossary: dict[str, str]
) -> None:
    text = " ".join(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").split())
    for name in glossary.values():
        assert " ".join(name.split()) in text


@pytest.mark.parametrize(("code", "name", "kind"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_classify_seed_glossary_entry(code: str, name: str, kind: K | None) -> None:
    assert classify_body_name(name) == kind


def test_the_bodies_of_the_seed_glossaries() -> None:
    bodies = sorted(code for code, _name, kind in CASES if kind is not None)
    assert bodies == sorted(
        [
            "ПӘ",
            "ЖС",
            "ҚСЗИ",
            "ІІМ",
            "ДСӘДМ",
            "СІМ",
            "ИДМ",
            "МСМ",
            "ҰЭМ",
            "БҒМ",
            "ҚХАХ",
            "ОКҚ",
            "АП",
            "ВС",
            "КИСИ",
            "МВД",
            "МЗСР",
            "МИД",
            "МИР",
            "МКС",
            "МНЭ",
            "МОН",
            "САНК",
            "СЦК",
            "ӘдМ",
            "БҒМ",
            "ИДМ",
            "ҚМ",
            "МБАҰЖБ",
            "МҚБ",
            "МҚІЖҚА",
            "МСМ",
            "ПӘ",
            "СІМ",
            "ҰЭМ",
            "ІСБ",
        ]
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # Groups and terms the contract names.
        ("средства массовой информации", None),
        ("бұқаралық ақпарат құралдары", None),
        ("неправительственные организации", None),
        ("үкіметтік емес ұйымдар", None),
        ("техническое и профессиональное образование", None),
        ("республиканское государственное учреждение", None),
        ("республиканское общественное объединение", None),
        ("республикалық мемлекеттік мекеме", None),
        ("республикалық қоғамдық бірлестік", None),
        ("центральные государственные органы", None),
        ("орталық мемлекеттік органдар", None),
        ("местные исполнительные органы", None),
        ("жергілікті атқарушы органдар", None),
        ("акиматы областей, городов Астаны и Алматы", None),
        ("электронные СМИ, выполняющие государственный информационный заказ", None),
        ("", None),
        # Bodies.
        ("Агентство Республики Казахстан по делам государственной службы", K.AGENCY),
        ("Комитет по делам религий Министерства культуры и спорта", K.AGENCY),
        ("Ішкі істер министрлігінің Көші-қон қызметі комитеті", K.AGENCY),
        ("Отдел внутренней политики Администрации Президента Республики Казахстан", K.PRESIDENTIAL),
        ("Отдел образования акимата Бостандыкского района", K.STATE_INSTITUTION),
        ("Акимат Акмолинской области", K.AKIMAT),
        ("Ақмола облысының әкімдігі", K.AKIMAT),
        ("Верховный Суд Республики Казахстан", K.COURT),
        ("Республиканское государственное учреждение «Қоғамдық келісім»", K.STATE_INSTITUTION),
        ("«Қоғамдық келісім» РММ", K.STATE_INSTITUTION),
        ("РГУ «Қоғамдық келісім»", K.STATE_INSTITUTION),
        ("АО «Агентство «Хабар»", K.COMPANY),
        ("«Хабар» Агенттігі» АҚ", K.COMPANY),
        ("Акционерное общество «Национальный центр повышения квалификации»", K.COMPANY),
        ("ТОО «Медиа-холдинг»", K.COMPANY),
        ("РОО «Конгресс политологов»", K.NGO),
        ("«Саясаттанушылар конгресі» РҚБ", K.NGO),
        ("Республиканское общественное объединение «Конгресс политологов»", K.NGO),
        ("Ассамблея народа Казахстана", K.OTHER),
        ("Национальный центр экспертизы", K.STATE_INSTITUTION),
    ],
)
def test_classify_body_name(name: str, kind: K | None) -> None:
    assert classify_body_name(name) == kind


def test_match_key_folds_case_space_quotes_and_lookalikes() -> None:
    assert match_key("Казахстанский институт стратегических исследований при\n   Президенте") == (
        match_key("казахстанский институт стратегических исследований при президенте")
    )
    assert match_key("РГУ «Қогамдық келісім»") == match_key('РГУ "Қоғамдық келісім"')
    assert match_key("Әдiлет министрлiгi") == match_key("Әділет министрлігі")
    # Word order is a different printing, left to a person.
    assert match_key("Министерство юстиции Республики Казахстан") != match_key(
        "Республики Казахстан Министерство юстиции"
    )


def test_legal_form_and_abbreviation() -> None:
    assert legal_form_kind("РГУ «Қоғамдық келісім»") == K.STATE_INSTITUTION
    assert legal_form_kind("«РТРК «Казахстан» АҚ") == K.COMPANY
    assert legal_form_kind("РОО «Конгресс политологов»") == K.NGO
    assert legal_form_kind("ОВП") is None
    assert looks_like_abbreviation("ТжКББ")
    assert looks_like_abbreviation("ӘдМ")
    assert not looks_like_abbreviation("РГУ «Қоғамдық келісім»")
