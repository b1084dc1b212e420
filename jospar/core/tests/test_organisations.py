"""The directory grows from plans, and an administrator tidies it: evidence, pairing, merging,
succession."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jospar.core.audit import audit_verify_chain
from jospar.core.directory import (
    glossary_register,
    organisation_for_executor,
    organisation_merge,
    organisations_pair_languages,
    succession_record,
)
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import (
    AuditEvent,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Succession,
    SuccessionKind,
    User,
)
from jospar.core.selectors.directory import organisation_resolve_current
from jospar.core.services import RegionLoadResult
from jospar.core.tests.seed_glossaries import GLOSSARY_000_KK, GLOSSARY_001_RU, GLOSSARY_003_KK

pytestmark = pytest.mark.django_db

D2015 = dt.date(2015, 10, 30)
D2016 = dt.date(2016, 1, 15)
MIR = "Министерство по инвестициям и развитию Республики Казахстан"
IDM = "Қазақстан Республикасының Инвестициялар және даму министрлігі"


def _executor(
    lang: str, code: str, name: str | None, day: dt.date | None = D2015, source: str = "plan 2015"
) -> Organisation:
    return organisation_for_executor(
        lang=lang, code=code, name=name, evidence_date=day, source=source, actor=None
    )


def _actions(since: int = 0) -> list[str]:
    return list(
        AuditEvent.objects.filter(pk__gt=since).order_by("id").values_list("action", flat=True)
    )


def _last_event_id() -> int:
    last = AuditEvent.objects.order_by("-id").first()
    return last.pk if last else 0


def _state() -> dict[str, Any]:
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "aliases": list(OrganisationAlias.objects.order_by("pk").values()),
        "successions": list(Succession.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "organisation_id")),
        "audit": AuditEvent.objects.count(),
    }


# --- organisation_for_executor -------------------------------------------------------------


def test_a_named_executor_creates_its_body_once(db: None) -> None:
    org = _executor("ru", "МИР", MIR)
    assert (org.kind, org.name_ru, org.abbr_ru, org.name_kk) == (
        OrganisationKind.MINISTRY,
        MIR,
        "МИР",
        "",
    )
    assert _actions() == ["organisation.created_from_document", "organisation.alias_added"]
    alias = org.aliases.get()
    assert (alias.lang, alias.code, alias.name, alias.first_seen_on, alias.last_seen_on) == (
        "ru",
        "МИР",
        MIR,
        D2015,
        D2015,
    )
    mark = _last_event_id()
    # The same body, printed with another case, spacing and line break, in a later plan.
    again = _executor("ru", "МИР", MIR.upper().replace(" по ", "\n  по  "), D2016, "plan 2016")
    assert again == org
    assert Organisation.objects.count() == 1
    assert org.aliases.count() == 2  # each printing is evidence of its own
    assert _actions(mark) == ["organisation.alias_added"]
    mark = _last_event_id()
    # Seeing the same printing again only widens its dates, and writes no audit row.
    _executor("ru", "МИР", MIR, dt.date(2017, 5, 1), "plan 2017")
    _executor("ru", "МИР", MIR, dt.date(2014, 2, 1), "plan 2014")
    alias.refresh_from_db()
    assert (alias.first_seen_on, alias.last_seen_on, alias.source) == (
        dt.date(2014, 2, 1),
        dt.date(2017, 5, 1),
        "plan 2014",
    )
    assert _actions(mark) == []
    assert audit_verify_chain().ok


def test_the_name_decides_not_the_code(db: None) -> None:
    culture_sport = _executor(
        "kk", "МСМ", "Қазақстан Республикасының Мәдениет және спорт министрлігі"
    )
    # A later plan reuses the code for another body.
    other = _executor(
        "kk",
        "МСМ",
        "Қазақстан Республикасының Мәдениет және ақпарат министрлігі",
        dt.date(2023, 1, 1),
    )
    assert other != culture_sport
    # Without a name the code is ambiguous now: a record of its own, for a person to place.
    bare = _executor("kk", "МСМ", None, dt.date(2024, 1, 1))
    assert bare not in (culture_sport, other)
    assert (bare.name_kk, bare.abbr_kk, bare.kind) == ("МСМ", "МСМ", OrganisationKind.OTHER)
    # Another code for a known name is the same body.
    renamed_code = _executor(
        "kk", "МСМин", "Қазақстан Республикасының Мәдениет және спорт министрлігі", D2016
    )
    assert renamed_code == culture_sport
    assert set(culture_sport.aliases.values_list("code", flat=True)) == {"МСМ", "МСМин"}


def test_a_bare_code_finds_the_one_body_that_used_it(db: None) -> None:
    named = _executor("kk", "ИДМ", IDM)
    assert _executor("kk", "ИДМ", None, D2016) == named
    rgu = _executor("ru", "РГУ «Қоғамдық келісім»", None)
    assert (rgu.kind, rgu.name_ru, rgu.abbr_ru) == (
        OrganisationKind.STATE_INSTITUTION,
        "РГУ «Қоғамдық келісім»",
        "",
    )
    # The same code with a Russian "г" typed for the Kazakh "ғ", as the 2015 plan prints it.
    assert _executor("ru", "РГУ «Қогамдық келісім»", None) == rgu
    assert rgu.aliases.count() == 2
    company = _executor("ru", "АО «Агентство «Хабар»", None)
    assert company.kind == OrganisationKind.COMPANY
    unknown = _executor("ru", "ОВП", None)
    assert (unknown.kind, unknown.name_ru, unknown.abbr_ru) == (
        OrganisationKind.OTHER,
        "ОВП",
        "ОВП",
    )


def test_an_expansion_names_the_record_made_from_its_bare_code(db: None) -> None:
    bare = _executor("kk", "ІСБ", None)
    assert bare.kind == OrganisationKind.OTHER
    mark = _last_event_id()
    named = _executor("kk", "ІСБ", GLOSSARY_003_KK["ІСБ"], D2016)
    assert named == bare
    named.refresh_from_db()
    assert (named.kind, named.name_kk) == (OrganisationKind.PRESIDENTIAL, GLOSSARY_003_KK["ІСБ"])
    assert _actions(mark) == ["organisation.updated_from_document", "organisation.alias_added"]


def test_an_akimat_is_the_regions_own(loaded_regions: RegionLoadResult) -> None:
    astana = Organisation.objects.get(region__code="astana")
    assert _executor("ru", "акимат г. Нур-Султана", None, dt.date(2020, 5, 1)) == astana
    assert _executor("kk", "Астана ққ. әкімдігі", "Астана қаласының әкімдігі") == astana
    assert Organisation.objects.filter(kind=OrganisationKind.AKIMAT).count() == 21


def test_the_glossary_registers_bodies_only(db: None) -> None:
    bodies = glossary_register(
        lang="ru", glossary=GLOSSARY_001_RU, evidence_date=D2015, source="plan 001", actor=None
    )
    assert set(bodies) == {
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
    }
    assert Organisation.objects.count() == 12
    assert bodies["ВС"].kind == OrganisationKind.COURT
    # The name is stored with the layout's line breaks folded.
    assert bodies["КИСИ"].name_ru == (
        "Казахстанский институт стратегических исследований при Президенте Республики Казахстан"
    )
    # A second plan's glossary confirms: nothing new.
    mark = _last_event_id()
    again = glossary_register(
        lang="ru", glossary=GLOSSARY_001_RU, evidence_date=D2016, source="plan 001 bis", actor=None
    )
    assert again == bodies
    assert _actions(mark) == []
    kk = glossary_register(
        lang="kk", glossary=GLOSSARY_000_KK, evidence_date=D2015, source="plan 000", actor=None
    )
    assert len(kk) == 12
    assert "ОМО" not in kk
    assert "РММ" not in kk
    kk_2016 = glossary_register(
        lang="kk", glossary=GLOSSARY_003_KK, evidence_date=D2016, source="plan 003", actor=None
    )
    assert kk_2016["ИДМ"] == kk["ИДМ"]
    assert kk_2016["МСМ"] == kk["МСМ"]
    assert kk_2016["ПӘ"] == kk["ПӘ"]
    assert "ЖАО" not in kk_2016
    assert audit_verify_chain().ok


# --- pairing the two languages -------------------------------------------------------------


def test_the_two_languages_fold_into_one_record(db: None) -> None:
    kk = _executor("kk", "ИДМ", IDM)
    ru = _executor("ru", "МИР", MIR)
    person = User.objects.create_user(username="mir-officer", organisation=ru)
    mark = _last_event_id()
    paired = organisations_pair_languages(
        kk=kk, ru=ru, evidence_date=D2015, source="plan", actor=None
    )
    assert paired == kk
    paired.refresh_from_db()
    ru.refresh_from_db()
    assert (paired.name_kk, paired.name_ru, paired.abbr_kk, paired.abbr_ru) == (
        IDM,
        MIR,
        "ИДМ",
        "МИР",
    )
    assert ru.merged_into == paired
    assert set(paired.aliases.values_list("code", flat=True)) == {"ИДМ", "МИР"}
    assert not ru.aliases.exists()
    person.refresh_from_db()
    assert person.organisation == paired
    assert _actions(mark) == ["organisation.paired"]
    event = AuditEvent.objects.get(pk__gt=mark)
    assert (event.after or {})["moved"]["core.User.organisation"] == 1
    # Pairing again, or finding the Russian name again, lands on the one record.
    mark = _last_event_id()
    assert (
        organisations_pair_languages(kk=kk, ru=ru, evidence_date=D2016, source="plan", actor=None)
        == paired
    )
    assert _executor("ru", "МИР", MIR, D2016) == paired
    assert _actions(mark) == []
    assert organisation_resolve_current(ru) == paired
    assert audit_verify_chain().ok


def test_placeholders_pair_too(db: None) -> None:
    kk = _executor("kk", "«Қоғамдық келісім» РММ", None)
    ru = _executor("ru", "РГУ «Қоғамдық келісім»", None)
    paired = organisations_pair_languages(
        kk=kk, ru=ru, evidence_date=D2015, source="plan", actor=None
    )
    assert (paired.name_kk, paired.name_ru) == ("«Қоғамдық келісім» РММ", "РГУ «Қоғамдық келісім»")
    # The typo'd printing of the Russian code finds the paired record.
    assert _executor("ru", "РГУ «Қогамдық келісім»", None) == paired


def test_records_that_disagree_are_left_for_an_administrator(db: None) -> None:
    kk = _executor("kk", "ИДМ", IDM)
    ru_mir = _executor("ru", "МИР", MIR)
    organisations_pair_languages(kk=kk, ru=ru_mir, evidence_date=D2015, source="plan", actor=None)
    other = _executor("ru", "МКС", "Министерство культуры и спорта Республики Казахстан")
    before = _state()
    result = organisations_pair_languages(
        kk=kk, ru=other, evidence_date=D2015, source="plan", actor=None
    )
    assert result == kk
    after = _state()
    assert after["audit"] == before["audit"] + 1
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    event = AuditEvent.objects.latest("id")
    assert event.action == "organisation.pair_conflict"
    assert (event.after or {})["conflicts"] == ["name_ru", "abbr_ru"]
    assert audit_verify_chain().ok


# --- merging -------------------------------------------------------------------------------


def test_merge_refusals_change_nothing(
    loaded_regions: RegionLoadResult, administrator: User
) -> None:
    a = _executor("ru", "МИР", MIR)
    b = _executor("ru", "МИиР", "Министерство по инвестициям и развитию")
    c = _executor("ru", "МКС", "Министерство культуры и спорта Республики Казахстан")
    organisation_merge(actor=administrator, duplicate=c, into=b, reason="test set-up")
    akmola = Organisation.objects.get(region__code="akmola")
    astana = Organisation.objects.get(region__code="astana")
    outsider = User.objects.create_user(username="outsider")
    before = _state()
    refusals = [
        (a, a, "x", "merge_into_self"),
        (a, c, "x", "target_merged"),
        (c, a, "x", "already_merged"),
        (akmola, astana, "x", "akimats_of_different_regions"),
        (a, b, "  ", "reason_required"),
    ]
    for duplicate, into, reason, code in refusals:
        with pytest.raises(ServiceError) as refused:
            organisation_merge(actor=administrator, duplicate=duplicate, into=into, reason=reason)
        assert refused.value.code == code
        assert str(refused.value.message)
    with pytest.raises(PermissionRefused):
        organisation_merge(actor=outsider, duplicate=a, into=b, reason="x")
    assert _state() == before


def test_merge_moves_everything_to_the_record_that_stays(administrator: User) -> None:
    into = _executor("ru", "МИР", MIR)
    duplicate = _executor("ru", "МИР", MIR.upper())  # same name folded: found, not created
    assert duplicate == into
    duplicate = Organisation.objects.create(
        kind=OrganisationKind.OTHER,
        name_ru="МИР РК",
        name_en="Ministry for Investments and Development",
    )
    OrganisationAlias.objects.create(
        organisation=duplicate,
        lang="ru",
        code="МИР",
        name=MIR,
        first_seen_on=dt.date(2014, 1, 1),
        last_seen_on=dt.date(2014, 1, 1),
        source="old plan",
    )
    OrganisationAlias.objects.create(
        organisation=duplicate, lang="ru", code="МИР РК", name="МИР РК"
    )
    person = User.objects.create_user(username="officer", organisation=duplicate)
    child = Organisation.objects.create(
        kind=OrganisationKind.AGENCY, name_ru="Комитет связи", parent=duplicate
    )
    later = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="МЦРИАП")
    succession_record(
        actor=administrator,
        predecessor=duplicate,
        successor=later,
        kind=SuccessionKind.FUNCTIONS,
        on_date=dt.date(2019, 1, 1),
        basis="Указ",
    )
    mark = _last_event_id()
    result = organisation_merge(
        actor=administrator, duplicate=duplicate, into=into, reason="the same ministry"
    )
    assert result == into
    into.refresh_from_db()
    duplicate.refresh_from_db()
    person.refresh_from_db()
    child.refresh_from_db()
    assert duplicate.merged_into == into
    assert person.organisation == into
    assert child.parent == into
    assert into.name_ru == MIR
    assert into.name_en == "Ministry for Investments and Development"
    assert into.kind == OrganisationKind.MINISTRY
    # The alias both had is one row, with the dates of both.
    twin = into.aliases.get(code="МИР", name=MIR)
    assert twin.first_seen_on == dt.date(2014, 1, 1)
    assert twin.last_seen_on == D2015
    assert set(into.aliases.values_list("code", flat=True)) == {"МИР", "МИР РК"}
    assert not duplicate.aliases.exists()
    assert Succession.objects.get().predecessor == into
    assert _actions(mark) == ["organisation.merged"]
    event = AuditEvent.objects.get(pk__gt=mark)
    assert (event.before or {})["duplicate"]["merged_into_id"] is None
    assert (event.after or {})["duplicate"]["merged_into_id"] == into.pk
    assert event.reason == "the same ministry"
    assert organisation_resolve_current(duplicate) == into
    assert audit_verify_chain().ok


def test_merging_an_akimat_of_a_region_into_a_plain_record(
    loaded_regions: RegionLoadResult, administrator: User
) -> None:
    akimat = Organisation.objects.get(region__code="pavlodar")
    plain = Organisation.objects.create(kind=OrganisationKind.AKIMAT, name_ru="акимат Павлодара")
    organisation_merge(actor=administrator, duplicate=akimat, into=plain, reason="same")
    plain.refresh_from_db()
    akimat.refresh_from_db()
    assert plain.region is not None
    assert plain.region.code == "pavlodar"
    assert akimat.region is None
    assert akimat.merged_into == plain


# --- succession ----------------------------------------------------------------------------


def test_succession_sets_dates_and_refuses_loops(administrator: User) -> None:
    a = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Министерство А")
    b = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Министерство Б")
    c = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru="Министерство В")
    ab = succession_record(
        actor=administrator,
        predecessor=a,
        successor=b,
        kind=SuccessionKind.RENAMED,
        on_date=dt.date(2016, 8, 1),
        basis="Указ от 1 августа 2016",
    )
    assert ab.recorded_by == administrator
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.valid_to == dt.date(2016, 7, 31)
    assert b.valid_from == dt.date(2016, 8, 1)
    succession_record(
        actor=administrator,
        predecessor=b,
        successor=c,
        kind=SuccessionKind.FUNCTIONS,
        on_date=dt.date(2019, 1, 1),
        basis="",
    )
    b.refresh_from_db()
    assert b.valid_to is None  # a transfer of functions does not end the body
    before = _state()
    for predecessor, successor, code in [
        (c, a, "succession_cycle"),
        (b, a, "succession_cycle"),
        (a, a, "succession_self"),
        (a, b, "succession_exists"),
    ]:
        with pytest.raises(ServiceError) as refused:
            succession_record(
                actor=administrator,
                predecessor=predecessor,
                successor=successor,
                kind=SuccessionKind.RENAMED,
                on_date=None,
                basis="",
            )
        assert refused.value.code == code
    with pytest.raises(ServiceError):
        succession_record(
            actor=administrator, predecessor=a, successor=c, kind="vanished", on_date=None, basis=""
        )
    assert _state() == before
    # Renames are followed up to the date asked about; a transfer of functions is not.
    assert organisation_resolve_current(a) == b
    assert organisation_resolve_current(a, on=dt.date(2016, 1, 1)) == a
    assert organisation_resolve_current(b) == b
    assert audit_verify_chain().ok


def test_the_state_name_in_another_form_is_the_same_body_only_under_the_same_code(
    db: None,
) -> None:
    kk_2015 = _executor("kk", "ИДМ", IDM)
    kk_2016 = _executor(
        "kk", "ИДМ", "Қазақстан Республикасы Инвестициялар және даму министрлігі", D2016
    )
    assert kk_2016 == kk_2015
    assert kk_2015.aliases.count() == 2
    # Under another code the looser comparison is not made: a person decides.
    other = _executor("kk", "ИДМин", "ҚР Инвестициялар және даму министрлігі", D2016)
    assert other != kk_2015
    # Under the same code it is found.
    assert _executor("kk", "ИДМ", "Инвестициялар және даму министрлігі", D2016) == kk_2015
