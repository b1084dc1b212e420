"""The directory seeded with the central state bodies: an import in either language finds the
one record of a body (the census plan's "Министерство финансов РК" beside "Қаржы министрлігі";
the demo's МНЭ beside ҰЭМ), and seeding again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jospar.control.services.plan_revisions import plan_import
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, Organisation, OrganisationAlias, Role, Succession
from jospar.core.services import organisation_for_executor
from jospar.core.services.directory_seed import central_bodies, directory_load
from jospar.plans.importing import plan_parse_file
from jospar.plans.models import PlanUpload
from jospar.plans.upload_executors import upload_executor_link, upload_unknown_executors

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
    with translation.override("en"):
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


# --- "did you mean …" in the upload preview ---------------------------------------------------

PARSED = {
    "title": "План",
    "approved_on": "2016-03-01",
    "glossary": {
        "МЭБП": "Министерство экономики и бюджетного планирования РК",
        "МФ": "Министерство финансов РК",
        "ООО": "Общество любителей кошек",
    },
    "activities": [
        {"number": "1", "title": "А", "executors": [{"code": "МЭБП"}, {"code": "МФ"}]},
        {"number": "2", "title": "Б", "executors": [{"code": "МЭБП"}, {"code": "ООО"}]},
    ],
}


@pytest.fixture
def upload(make_user: Callable[..., Any]) -> PlanUpload:
    directory_load(actor=None)
    admin = make_user(Role.ADMINISTRATOR)
    return PlanUpload.objects.create(
        filename="plan.txt", source_text="…", lang="ru", parsed=PARSED, uploaded_by=admin
    )


def test_preview_offers_likely_bodies_for_unknown_executors(upload: PlanUpload) -> None:
    unknown = {item.code: item for item in upload_unknown_executors(upload)}
    assert set(unknown) == {"МЭБП", "ООО"}  # МФ is the seeded Ministry of Finance
    assert unknown["МЭБП"].activities == ["1", "2"]
    offered = [c.organisation.abbr_ru for c in unknown["МЭБП"].candidates]
    assert offered[0] == "МНЭ"
    assert unknown["ООО"].candidates == []


def test_choosing_a_candidate_makes_the_import_find_that_body(
    upload: PlanUpload, client: Client
) -> None:
    mne = Organisation.objects.get(abbr_ru="МНЭ")
    name = PARSED["glossary"]["МЭБП"]  # type: ignore[index]
    client.force_login(upload.uploaded_by)
    response = client.post(
        reverse("plans:upload-executor-link", args=[upload.pk]),
        {"code": "МЭБП", "name": name, "organisation": mne.pk},
    )
    assert response.status_code == 302
    assert {item.code for item in upload_unknown_executors(upload)} == {"ООО"}
    assert _executor("ru", "МЭБП", name).pk == mne.pk
    page = client.get(reverse("plans:upload-review", args=[upload.pk]))
    assert page.status_code == 200
    assert "Общество любителей кошек" in page.content.decode()


def test_choosing_is_refused_to_others_and_for_what_the_plan_does_not_print(
    upload: PlanUpload, make_user: Callable[..., Any], client: Client
) -> None:
    mne = Organisation.objects.get(abbr_ru="МНЭ")
    aliases = OrganisationAlias.objects.count()
    with pytest.raises(PermissionRefused):
        upload_executor_link(
            actor=make_user(Role.EXECUTOR),
            upload=upload,
            code="МЭБП",
            name=PARSED["glossary"]["МЭБП"],  # type: ignore[index]
            organisation_id=mne.pk,
        )
    with pytest.raises(ServiceError):
        upload_executor_link(
            actor=upload.uploaded_by,
            upload=upload,
            code="ЧУЖОЙ",
            name="Не из этого плана",
            organisation_id=mne.pk,
        )
    client.force_login(upload.uploaded_by)
    for bad in ["", "x", "999999999", "-1", "1" * 40]:
        response = client.post(
            reverse("plans:upload-executor-link", args=[upload.pk]),
            {"code": "МЭБП", "name": "x", "organisation": bad},
        )
        # A number past bigint is refused at the edge (400); the others by the view.
        assert response.status_code == (400 if bad == "1" * 40 else 302), bad
    assert OrganisationAlias.objects.count() == aliases
