"""A small world for the civic tests: regions with their akimats, a department, topics, the
people who act (citizens, officials, a moderator, an administrator), and image builders."""

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

from jospar.civic.models import CitizenAccount, CitizenReport, Topic, TopicRoute
from jospar.core.models import Organisation, OrganisationKind, Region, Role, User

ALMATY = (43.238, 76.945)
ALMATY_NEAR = (43.2385, 76.9455)  # about 70 m away
ASTANA = (51.128, 71.43)
MOSCOW = (55.75, 37.62)
BISHKEK = (42.87, 74.59)


@pytest.fixture(autouse=True)
def _media_dirs(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CIVIC_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.CIVIC_PREMODERATION = False
    settings.GEOCODER_URL = ""


@dataclass
class World:
    almaty: Region
    astana: Region
    almaty_akimat: Organisation
    astana_akimat: Organisation
    roads_department: Organisation
    roads: Topic
    lighting: Topic
    citizen: User
    neighbour: User
    official: User
    department_official: User
    astana_official: User
    moderator: User
    admin: User
    head: User


@pytest.fixture
def world(regions: None, make_user: Callable[..., User]) -> World:
    almaty = Region.objects.get(code="almaty")
    astana = Region.objects.get(code="astana")
    almaty_akimat = Organisation.objects.get(region=almaty)
    astana_akimat = Organisation.objects.get(region=astana)
    department = Organisation.objects.create(
        kind=OrganisationKind.STATE_INSTITUTION,
        name_kk="Алматы қаласының Жолаушылар көлігі және автомобиль жолдары басқармасы",
        name_ru="Управление пассажирского транспорта и автомобильных дорог города Алматы",
        name_en="Almaty roads department",
        parent=almaty_akimat,
    )
    head = make_user(username="akim", email="akim@example.kz", first_name="Akim")
    Organisation.objects.filter(pk=almaty_akimat.pk).update(head=head)
    return World(
        almaty=almaty,
        astana=astana,
        almaty_akimat=almaty_akimat,
        astana_akimat=astana_akimat,
        roads_department=department,
        roads=Topic.objects.get(code="roads"),
        lighting=Topic.objects.get(code="lighting"),
        citizen=make_user(
            username="aigerim@example.kz",
            email="aigerim@example.kz",
            first_name="Айгерім",
            last_name="Сейітқызы",
        ),
        neighbour=make_user(
            username="bolat@example.kz",
            email="bolat@example.kz",
            first_name="Болат",
            last_name="Нұрланов",
        ),
        official=make_user(
            Role.CIVIC_OFFICIAL,
            organisation=almaty_akimat,
            username="official",
            email="official@almaty.gov.kz",
        ),
        department_official=make_user(
            Role.CIVIC_OFFICIAL,
            organisation=department,
            username="roads-official",
            email="roads@almaty.gov.kz",
        ),
        astana_official=make_user(
            Role.CIVIC_OFFICIAL,
            organisation=astana_akimat,
            username="astana-official",
            email="official@astana.gov.kz",
        ),
        moderator=make_user(Role.MODERATOR, username="moderator", email="mod@example.kz"),
        admin=make_user(Role.ADMINISTRATOR, username="admin", email="admin@example.kz"),
        head=head,
    )


@pytest.fixture
def route_roads(world: World) -> TopicRoute:
    return TopicRoute.objects.create(
        topic=world.roads, region=world.almaty, department=world.roads_department
    )


@pytest.fixture
def file_report(world: World) -> Callable[..., CitizenReport]:
    from jospar.civic.services import report_file

    def file(**overrides: Any) -> CitizenReport:
        lat, lon = overrides.pop("point", ALMATY)
        values: dict[str, Any] = {
            "actor": world.citizen,
            "topic": world.roads,
            "description": "A deep pothole at the crossing of Abai and Dostyk.",
            "latitude": lat,
            "longitude": lon,
            "survey": {"problem": "pothole"},
        }
        values.update(overrides)
        return report_file(**values)

    return file


@pytest.fixture
def unconfirmed(make_user: Callable[..., User]) -> User:
    user = make_user(username="new@example.kz", email="new@example.kz")
    CitizenAccount.objects.create(user=user, registered_at=timezone.now())
    return user


# --- files ---------------------------------------------------------------------------------

GPS_LAT = ((43, 1), (14, 1), (1680, 100))


def jpeg_with_exif(
    size: tuple[int, int] = (64, 48), orientation: int | None = None, extra: bytes = b""
) -> bytes:
    """A real JPEG whose EXIF names the camera and the GPS position (Almaty)."""
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(size[0] // 2):
        for y in range(size[1]):
            image.putpixel((x, y), (20, 20, 220))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0110] = "Model X-42"  # Model
    exif[0x013B] = "Aigerim Seitkyzy"  # Artist
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (43.0, 14.0, 16.8)
    gps[3] = "E"
    gps[4] = (76.0, 56.0, 42.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90, comment=b"taken at home")
    return out.getvalue() + extra


def png_bytes(size: tuple[int, int] = (40, 30), alpha: bool = False) -> bytes:
    image = Image.new(
        "RGBA" if alpha else "RGB", size, (10, 120, 10, 128) if alpha else (10, 120, 10)
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + b"\x00" * 512
WEBM = (
    bytes.fromhex("1a45dfa3")
    + b"\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
    + b"\x00" * 512
)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 200
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt " + b"\x10\x00\x00\x00\x01\x00\x01\x00" + b"\x00" * 512
OGG = b"OggS\x00\x02" + b"\x00" * 600
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x00" + b"\x00" * 512


@pytest.fixture
def mailbox() -> list[Any]:
    from django.core import mail

    mail.outbox = []
    return mail.outbox
