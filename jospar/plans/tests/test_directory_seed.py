"""The directory seeded with the central state bodies: an import in either language finds the
one record of a body (the census plan's "Министерство финансов РК" beside "Қаржы министрлігі";
the demo's МНЭ beside ҰЭМ), and seeding again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from jospar.core.models import AuditEvent, Organisation, OrganisationAlias, Succession
from jospar.core.services import organisation_for_executor
from jospar.core.services.directory_seed import central_bodies, directory_load
from jospar.plans.importing import plan_parse_file
from jospar.plans.services import plan_import

pytestmark = pytest.mark.django_db


def _executor(lang: str, code: str, name: str | None) -> Organisation:
    return organisation_for_executor(
        lang=lang, code=code, name=name, evidence_date=None, source="test", actor=None
    )


def _import(path: Path) -> None:
    parsed, text = plan_parse_file(data=path.read_bytes(), filename=path.name)
    plan_import(actor=None, parsed=parsed, source_text=text, filename=path.name)


def test_seeding_is_idempotent() -> None:
    first = directory_load(actor=None)
    assert len(first.created) == len(central_bodies())
    assert first.aliases > 0
    organisations = Organisation.objects.count()
    aliases = OrganisationAlias.objects.count()
    events = AuditEvent.objects.count()
    second = directory_load(actor=None)
    assert not second.changed
    assert Organisation.objects.count() == organisations
    assert OrganisationAlias.objects.count() == aliases
    assert AuditEvent.objects.count() == events
    out = StringIO()
    call_command("load_directory", stdout=out)
    assert "nothing changed" in out.getvalue()


def test_past_bodies_have_their_successors() -> None:
    directory_load(actor=None)
    mon = Organisation.objects.get(abbr_ru="МОН")
    assert mon.valid_to is not None
    successors = set(
        Succession.objects.filter(predecessor=mon).values_list("successor__abbr_ru", flat=True)
    )
    assert successors == {"МП", "МНВО"}
    enlightenment = Organisation.objects.get(abbr_ru="МП")
    assert enlightenment.name_kk == "Қазақстан Республикасының Оқу-ағарту министрлігі"
    committee = Organisation.objects.get(abbr_ru="КГД")
    assert committee.parent == Organisation.objects.get(abbr_ru="МФ")


def test_census_plan_finance_ministry_resolves_to_one_body() -> None:
    directory_load(actor=None)
    russian = _executor("ru", "МФ", "Министерство финансов РК")
    kazakh = _executor("kk", "ҚМ", "Қазақстан Республикасы Қаржы министрлігі")
    genitive = _executor("kk", "ҚМ", "Қазақстан Республикасының Қаржы министрлігі")
    code_only = _executor("ru", "МФ", None)
    assert russian.pk == kazakh.pk == genitive.pk == code_only.pk
    assert russian.name_en == "Ministry of Finance of the Republic of Kazakhstan"
    # Defence shares the Kazakh code ҚМ; its name keeps it apart.
    defence = _executor("kk", "ҚМ", "Қазақстан Республикасының Қорғаныс министрлігі")
    assert defence.pk != kazakh.pk
    assert defence.abbr_ru == "МО"


def test_without_the_seed_the_two_languages_make_two_records() -> None:
    russian = _executor("ru", "МФ", "Министерство финансов РК")
    kazakh = _executor("kk", "ҚМ", "Қазақстан Республикасы Қаржы министрлігі")
    assert russian.pk != kazakh.pk
    # Seeding afterwards completes the first record and reports the other for merging.
    result = directory_load(actor=None)
    assert result.duplicates["finance"] == sorted([russian.pk, kazakh.pk])
    first = Organisation.objects.get(pk=min(russian.pk, kazakh.pk))
    assert first.abbr_kk == "ҚМ"
    assert first.abbr_ru == "МФ"


def test_demo_national_economy_resolves_to_one_body(
    regions: None, seed_path: Callable[[str], Path]
) -> None:
    call_command("load_directory", stdout=StringIO())
    for prefix in ("000", "001", "003"):
        _import(seed_path(prefix))
    mne = {a.organisation_id for a in OrganisationAlias.objects.filter(lang="ru", code="МНЭ")}
    uem = {a.organisation_id for a in OrganisationAlias.objects.filter(lang="kk", code="ҰЭМ")}
    assert len(mne) == 1
    assert mne == uem
    finance = {a.organisation_id for a in OrganisationAlias.objects.filter(lang="kk", code="ҚМ")}
    assert finance == {Organisation.objects.get(abbr_ru="МФ").pk}
    body = Organisation.objects.get(pk=next(iter(mne)))
    assert body.abbr_ru == "МНЭ"
    assert body.abbr_kk == "ҰЭМ"
