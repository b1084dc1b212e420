"""A small world for the initiative tests: Almaty and Astana, the responsible official of
Almaty, an author, a patron, two volunteers, an NGO member, a moderator and an administrator."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jospar.core.models import Organisation, OrganisationKind, Region, Role, User
from jospar.initiatives.models import Initiative, RegionCoordinator

ALMATY = (43.238, 76.945)
ASTANA = (51.128, 71.43)


@pytest.fixture(autouse=True)
def _media_dirs(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def jpeg(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def photo(name: str = "photo.jpg") -> Any:
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def minutes(name: str = "minutes.pdf") -> Any:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


@dataclass
class World:
    almaty: Region
    astana: Region
    author: User
    official: User
    astana_official: User
    patron: User
    volunteer: User
    volunteer2: User
    ngo_member: User
    moderator: User
    admin: User
    citizen: User


@pytest.fixture
def world(regions: None, make_user: Callable[..., User]) -> World:
    almaty = Region.objects.get(code="almaty")
    astana = Region.objects.get(code="astana")
    almaty_akimat = Organisation.objects.get(region=almaty)
    astana_akimat = Organisation.objects.get(region=astana)
    ngo = Organisation.objects.create(
        kind=OrganisationKind.NGO,
        name_kk="«Жасыл қала» қоғамдық бірлестігі",
        name_ru="Общественное объединение «Жасыл кала»",
        name_en="Green City NGO",
    )
    official = make_user(
        Role.CIVIC_OFFICIAL, organisation=almaty_akimat, username="official", email="o@a.kz"
    )
    astana_official = make_user(
        Role.CIVIC_OFFICIAL, organisation=astana_akimat, username="astana-official"
    )
    RegionCoordinator.objects.create(region=almaty, user=official, appointed_at=timezone.now())
    RegionCoordinator.objects.create(
        region=astana, user=astana_official, appointed_at=timezone.now()
    )
    return World(
        almaty=almaty,
        astana=astana,
        author=make_user(username="author", first_name="Айгерім", last_name="Сейітқызы"),
        official=official,
        astana_official=astana_official,
        patron=make_user(username="patron", first_name="Ерлан", last_name="Патрон"),
        volunteer=make_user(username="volunteer", first_name="Дана"),
        volunteer2=make_user(username="volunteer2", first_name="Нұрлан"),
        ngo_member=make_user(username="ngo", organisation=ngo),
        moderator=make_user(Role.MODERATOR, username="moderator"),
        admin=make_user(Role.ADMINISTRATOR, username="admin", is_staff=True),
        citizen=make_user(username="citizen"),
    )


def initiative_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "A playground in the yard of Abai 10",
        "problem": "Children of four houses have nowhere to play.",
        "kind": "infrastructure",
        "direction": "sport",
        "latitude": ALMATY[0],
        "longitude": ALMATY[1],
        "beneficiaries": "Children of the yard",
        "beneficiaries_count": 120,
        "budget": "500000",
    }
    data.update(overrides)
    return data


NEEDS = [
    {"kind": "money", "description": "Swings and a slide", "quantity": "300000"},
    {"kind": "volunteers", "description": "Building the playground", "quantity": "16"},
]


@pytest.fixture
def make_initiative(world: World) -> Callable[..., Initiative]:
    from jospar.initiatives import services

    def make(state: str = "draft", **overrides: Any) -> Initiative:
        initiative = services.initiative_save(
            actor=overrides.pop("actor", world.author),
            data=initiative_data(**overrides),
            needs=NEEDS,
        )
        if state == "draft":
            return initiative
        initiative = services.initiative_submit(actor=initiative.author, initiative=initiative)
        if state == "submitted":
            return initiative
        official = (
            world.official if initiative.region_id == world.almaty.pk else world.astana_official
        )
        initiative = services.initiative_decide(
            actor=official,
            initiative=initiative,
            selected=state != "rejected",
            body="council",
            decided_on=timezone.localdate(),
            decision="Selected by the public council.",
            minutes=[minutes()],
        )
        if state in ("selected", "rejected"):
            return initiative
        money, hours = initiative.needs.order_by("position")
        services.pledge_make(actor=world.patron, need=money, kind="patron", quantity="300000")
        services.pledge_make(actor=world.volunteer, need=hours, kind="volunteer", quantity="8")
        services.pledge_make(actor=world.volunteer2, need=hours, kind="volunteer", quantity="8")
        initiative.refresh_from_db()
        if state == "implementing":
            return initiative
        return services.initiative_complete(
            actor=initiative.author,
            initiative=initiative,
            results="The playground is built.",
            beneficiaries_reached=130,
            money_given="300000",
            photos=[photo("after.jpg")],
        )

    return make
