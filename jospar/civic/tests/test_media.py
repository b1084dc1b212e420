"""Evidence files: checked by content, originals kept private, public copies without EXIF."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image

from jospar.civic.media import check_upload, render_public_image
from jospar.civic.models import CitizenReport, MediaKind, ReportMedia
from jospar.core.errors import ServiceError

from .conftest import (
    M4A,
    MP3,
    MP4,
    OGG,
    WAV,
    WEBM,
    World,
    jpeg_with_exif,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


def _read(field: Any) -> bytes:
    with field.open("rb") as handle:
        return bytes(handle.read())


def _assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), "EXIF left in a public copy"
        assert "exif" not in image.info
        assert "icc_profile" not in image.info
        assert "comment" not in image.info
    for needle in (b"Exif", b"SecretPhoneMaker", b"Model X-42", b"Aigerim", b"taken at home"):
        assert needle not in data


def test_a_jpeg_with_gps_is_published_without_any_metadata(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    original = jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as probe:
        assert probe.getexif().get_ifd(0x8825), "the fixture carries GPS"
    report = file_report(media=[upload("IMG_Aigerim_home.jpg", original, "image/jpeg")])
    media = ReportMedia.objects.get(report=report)
    assert media.kind == MediaKind.PHOTO
    assert media.content_type == "image/jpeg"
    assert media.size == len(original)
    assert (media.width, media.height) == (64, 48)
    # The original is kept as it came, outside MEDIA_ROOT, with no URL of its own.
    assert _read(media.original) == original
    private_root = Path(settings.CIVIC_PRIVATE_MEDIA_ROOT).resolve()
    assert Path(media.original.path).resolve().is_relative_to(private_root)
    assert (
        not Path(media.original.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    )
    with pytest.raises(ValueError, match="private"):
        _ = media.original.url
    # The citizen's file name goes nowhere.
    for field in (media.original, media.public_file, media.thumbnail):
        assert "Aigerim" not in str(field.name)
        assert "IMG" not in str(field.name)
    _assert_no_metadata(_read(media.public_file))
    _assert_no_metadata(_read(media.thumbnail))
    assert media.public_file.url.startswith(settings.MEDIA_URL) or "/media/" in (
        media.public_file.url
    )


def test_the_exif_orientation_is_applied_before_it_is_dropped() -> None:
    # Orientation 6: the camera was turned; the picture is shown rotated 90° clockwise.
    rendered = render_public_image(jpeg_with_exif(size=(64, 48), orientation=6))
    with Image.open(io.BytesIO(rendered["public"])) as image:
        assert image.size == (48, 64)
    assert (rendered["width"], rendered["height"]) == (48, 64)
    _assert_no_metadata(rendered["public"])


def test_a_png_is_accepted_and_keeps_its_transparency(
    file_report: Callable[..., CitizenReport],
) -> None:
    report = file_report(
        media=[upload("a.png", png_bytes()), upload("b.png", png_bytes(alpha=True))]
    )
    opaque, transparent = ReportMedia.objects.filter(report=report).order_by("pk")
    assert str(opaque.public_file.name).endswith(".jpg")
    assert str(transparent.public_file.name).endswith(".png")
    with Image.open(transparent.public_file.open("rb")) as image:
        assert image.mode == "RGBA"
    assert opaque.thumbnail
    assert transparent.thumbnail


def test_a_large_photo_is_scaled_down_for_the_public_and_the_thumbnail(settings: Any) -> None:
    settings.CIVIC_IMAGE_PUBLIC_MAX_SIDE = 100
    settings.CIVIC_THUMBNAIL_SIDE = 20
    rendered = render_public_image(jpeg_with_exif(size=(400, 300)))
    with Image.open(io.BytesIO(rendered["public"])) as image:
        assert image.size == (100, 75)
    with Image.open(io.BytesIO(rendered["thumbnail"])) as image:
        assert image.size == (20, 15)


def test_a_php_payload_appended_to_a_jpeg_is_not_in_the_public_copy(
    file_report: Callable[..., CitizenReport],
) -> None:
    payload = b"<?php system($_GET['c']); ?>"
    polyglot = jpeg_with_exif(extra=payload)
    report = file_report(media=[upload("shell.php.jpg", polyglot, "image/jpeg")])
    media = ReportMedia.objects.get(report=report)
    assert payload in _read(media.original)  # kept private, as evidence
    assert payload not in _read(media.public_file)
    assert payload not in _read(media.thumbnail)
    assert str(media.public_file.name).endswith(".jpg")
    assert str(media.original.name).endswith(".jpg")  # the extension of its content, not ".php"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("photo.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "media_type"),
        ("photo.jpg", b"<html><body>hi</body></html>", "media_type"),
        (
            "drawing.jpg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "media_type",
        ),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "media_type"),
        (
            "run.jpg",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
            "media_type",
        ),
        ("run.mp4", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, "media_type"),
        ("doc.jpg", b"%PDF-1.7\n" + b"\x00" * 200, "media_type"),
        ("archive.jpg", b"PK\x03\x04" + b"\x00" * 200, "media_type"),
        ("empty.jpg", b"", "media_empty"),
        ("broken.jpg", jpeg_with_exif()[:300], "media_damaged"),
        ("anim.gif", b"GIF89a" + b"\x00" * 100, "media_type"),
        ("script.php", b"<?php echo 1; ?>", "media_type"),
    ],
)
def test_what_is_not_a_photo_video_or_audio_is_refused(name: str, data: bytes, code: str) -> None:
    with pytest.raises(ServiceError) as refused:
        check_upload(upload(name, data, "image/jpeg"))
    assert refused.value.code == code
    assert "media" in refused.value.fields


def test_a_refused_file_refuses_the_whole_filing_and_stores_nothing(
    world: World, file_report: Callable[..., CitizenReport]
) -> None:
    before = CitizenReport.objects.count()
    with pytest.raises(ServiceError) as refused:
        file_report(
            media=[
                upload("ok.jpg", jpeg_with_exif()),
                upload("evil.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            ]
        )
    assert refused.value.code == "media_type"
    assert CitizenReport.objects.count() == before
    assert not ReportMedia.objects.exists()
    for root in (settings.MEDIA_ROOT, settings.CIVIC_PRIVATE_MEDIA_ROOT):
        assert not [p for p in Path(root).rglob("*") if p.is_file()]


def test_an_oversize_photo_is_refused_by_its_size(settings: Any) -> None:
    settings.CIVIC_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ServiceError) as refused:
        check_upload(upload("big.jpg", jpeg_with_exif(size=(200, 200))))
    assert refused.value.code == "media_too_large"


def test_the_size_limits_differ_by_kind(settings: Any) -> None:
    settings.CIVIC_PHOTO_MAX_BYTES = 100
    settings.CIVIC_VIDEO_MAX_BYTES = 10_000
    settings.CIVIC_AUDIO_MAX_BYTES = 100
    assert check_upload(upload("v.mp4", MP4)).kind == MediaKind.VIDEO
    with pytest.raises(ServiceError) as refused:
        check_upload(upload("a.mp3", MP3))
    assert refused.value.code == "media_too_large"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares huge dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [8000, 30000])
def test_a_huge_dimension_image_is_refused_before_it_is_decoded(side: int) -> None:
    # 64 megapixels passes Pillow's own check but not ours; 900 megapixels trips Pillow's.
    with pytest.raises(ServiceError) as refused:
        check_upload(upload("bomb.png", _png_header_only(side, side)))
    assert refused.value.code == "image_too_large"


@pytest.mark.parametrize(
    ("name", "data", "declared", "kind", "content_type"),
    [
        ("clip.mp4", MP4, "video/mp4", MediaKind.VIDEO, "video/mp4"),
        ("clip.bin", MP4, "application/octet-stream", MediaKind.VIDEO, "video/mp4"),
        ("clip.webm", WEBM, "video/webm", MediaKind.VIDEO, "video/webm"),
        ("note.webm", WEBM, "audio/webm", MediaKind.AUDIO, "audio/webm"),
        ("note.mp3", MP3, "audio/mpeg", MediaKind.AUDIO, "audio/mpeg"),
        ("note.m4a", M4A, "audio/mp4", MediaKind.AUDIO, "audio/mp4"),
        ("note.ogg", OGG, "audio/ogg", MediaKind.AUDIO, "audio/ogg"),
        ("note.wav", WAV, "audio/wav", MediaKind.AUDIO, "audio/wav"),
    ],
)
def test_video_and_audio_are_recognised_by_their_magic_bytes(
    name: str, data: bytes, declared: str, kind: str, content_type: str
) -> None:
    checked = check_upload(upload(name, data, declared))
    assert (checked.kind, checked.content_type) == (kind, content_type)
    assert checked.width is None
    assert checked.height is None


def test_a_video_is_kept_private_and_never_published(
    file_report: Callable[..., CitizenReport],
) -> None:
    report = file_report(media=[upload("clip.mp4", MP4, "video/mp4")])
    media = ReportMedia.objects.get(report=report)
    assert media.kind == MediaKind.VIDEO
    assert not media.public_file
    assert not media.thumbnail
    assert _read(media.original) == MP4


def test_a_video_with_a_web_page_inside_is_refused() -> None:
    with pytest.raises(ServiceError) as refused:
        check_upload(upload("clip.mp4", MP4 + b"<html><script>alert(1)</script>"))
    assert refused.value.code == "media_type"


def test_a_quicktime_video_is_accepted() -> None:
    mov = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00\x00\x00\x08wide" + b"\x00" * 64
    checked = check_upload(upload("clip.mov", mov))
    assert (checked.kind, checked.content_type) == (MediaKind.VIDEO, "video/quicktime")


def test_at_most_ten_files(file_report: Callable[..., CitizenReport]) -> None:
    files = [upload(f"p{i}.png", png_bytes()) for i in range(11)]
    with pytest.raises(ServiceError) as refused:
        file_report(media=files)
    assert refused.value.code == "too_many_files"
    assert not CitizenReport.objects.exists()
