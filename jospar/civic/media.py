"""Photos, videos and audio notes of a report: checked by content, stored, published clean.

A file is what its bytes say, never what its name or the browser says:

* photos — JPEG, PNG, WebP (Pillow must decode them whole); HEIC, GIF, TIFF, SVG are refused;
* video — MP4, QuickTime (.mov), WebM;
* audio — MP3, M4A, Ogg, WAV, WebM (a WebM the browser declares as audio is an audio note).

Everything else is refused, with a message saying what the file really is: web pages, SVG
drawings, programs, archives, PDF, empty files. A video or audio file that carries markup or
PHP anywhere (a polyglot) is refused as well: it cannot be cleaned, only passed on.

**Photos.** The original is kept private (`jospar.civic.storage`): it may carry the phone's GPS
position and the device. What the public sees is a copy re-encoded by Pillow from the pixels
alone — the EXIF orientation applied first, then no metadata at all (EXIF, GPS, XMP, ICC,
comments) — at most ``CIVIC_IMAGE_PUBLIC_MAX_SIDE`` pixels on its longer side, with a thumbnail.
Anything appended to the file (a PHP script after a JPEG) is gone from the copy, because the
copy holds only decoded pixels; the original is downloaded by the akimat only as an attachment.
An image of more than ``CIVIC_IMAGE_MAX_PIXELS`` pixels, or one whose decoding would hold more
than ``CIVIC_IMAGE_MAX_DECODED_BYTES`` in memory, is refused before it is decoded; the decoding
runs in a separate process limited to ``CIVIC_IMAGE_WORKER_MEMORY`` (``jospar.civic.imaging``),
and not in the request: the filing checks the type, size and header and stores the original;
the task ``civic.media_process`` (``jospar.civic.services.media_processing``) makes the copy.

**Video and audio are never published** (a decision, docs/decisions.md, "Files"). Their metadata
(the GPS position a phone writes into an MP4, the owner's name in ID3 tags) can be removed only by
re-muxing them with ffmpeg, and running ffmpeg's demuxers on files strangers send is a large attack
surface for evidence the public does not need. They are evidence for the akimat and the
moderators, downloaded through an access check; the public page shows photos only, and
``public_file`` of a video or audio row stays empty.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import re
import subprocess
import sys
import uuid
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

import jospar
from jospar.civic import imaging
from jospar.civic.imaging import ImageRefused, Limits, parse_output
from jospar.civic.models import (
    CitizenReport,
    MediaKind,
    MediaProcessing,
    MediaStage,
    ReportAnswer,
    ReportMedia,
)
from jospar.core.errors import ServiceError
from jospar.core.files_pending import PendingFiles, save_pending
from jospar.core.models import User
from jospar.core.numbers import format_number
from jospar.core.outbox import enqueue

logger = logging.getLogger(__name__)

# The background task that makes a photo's public copy (``jospar.civic.tasks``).
PROCESS_TASK = "civic.media_process"

MB = 1024 * 1024
SNIFF_BYTES = 8192
_CHUNK = 1024 * 1024

# filetype's extension → (kind, content type, stored extension)
_IMAGES: dict[str, tuple[str, str]] = {
    "jpg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
    "apng": ("image/png", "png"),
    "webp": ("image/webp", "webp"),
}
_VIDEO: dict[str, tuple[str, str]] = {
    "mp4": ("video/mp4", "mp4"),
    "m4v": ("video/mp4", "mp4"),
    "mov": ("video/quicktime", "mov"),
    "webm": ("video/webm", "webm"),
}
_AUDIO: dict[str, tuple[str, str]] = {
    "mp3": ("audio/mpeg", "mp3"),
    "m4a": ("audio/mp4", "m4a"),
    "ogg": ("audio/ogg", "ogg"),
    "wav": ("audio/wav", "wav"),
}
# What a video or audio file must not contain anywhere: it would be served as it is.
_MARKUP = re.compile(rb"<\?php|<script|<html|<!doctype\s+html|<svg|<iframe|<body", re.I)


def max_bytes(kind: str) -> int:
    defaults = {MediaKind.PHOTO: 10 * MB, MediaKind.VIDEO: 50 * MB, MediaKind.AUDIO: 10 * MB}
    setting = {
        MediaKind.PHOTO: "CIVIC_PHOTO_MAX_BYTES",
        MediaKind.VIDEO: "CIVIC_VIDEO_MAX_BYTES",
        MediaKind.AUDIO: "CIVIC_AUDIO_MAX_BYTES",
    }[MediaKind(kind)]
    return int(getattr(settings, setting, defaults[MediaKind(kind)]))


def max_files() -> int:
    return int(getattr(settings, "CIVIC_MEDIA_MAX_FILES", 10))


def max_pixels() -> int:
    return int(getattr(settings, "CIVIC_IMAGE_MAX_PIXELS", 50_000_000))


def public_side() -> int:
    return int(getattr(settings, "CIVIC_IMAGE_PUBLIC_MAX_SIDE", 2560))


def thumbnail_side() -> int:
    return int(getattr(settings, "CIVIC_THUMBNAIL_SIDE", 480))


@dataclass
class CheckedMedia:
    """A file that passed the checks, ready to be stored. For a photo, only its header was read;
    the public copy and thumbnail are made by a task after the filing commits."""

    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str
    source: Any  # the uploaded file (seekable), read again when stored
    name: str = ""
    width: int | None = None
    height: int | None = None
    _data: bytes | None = field(default=None, repr=False)


def _refuse(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, {"media": [message]})


def _shown(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:120] or _("the file")


def _size_of(stream: Any) -> int:
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    stream.seek(0, 2)
    end = int(stream.tell())
    stream.seek(0)
    return end


def _digest_and_scan(stream: IO[bytes], scan: bool) -> tuple[str, bool]:
    """The SHA-256 of the whole file, and whether markup occurs anywhere in it."""
    digest = hashlib.sha256()
    found = False
    tail = b""
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        if scan and not found:
            found = _MARKUP.search(tail + chunk) is not None
            tail = chunk[-32:]
    stream.seek(0)
    return digest.hexdigest(), found


def _what_it_is(head: bytes, guessed: str | None) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:4096] or (text.startswith(b"<?xml") and b"<svg" in text):
        return _("an SVG drawing")
    if text.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<script")) or (
        b"<html" in text[:2048] or b"<script" in text[:2048]
    ):
        return _("a web page (HTML)")
    if text.startswith(b"<?php"):
        return _("a PHP script")
    if guessed in ("exe", "elf", "dmg", "deb", "rpm", "msi", "wasm", "crx", "dex"):
        return _("a program")
    if guessed in ("zip", "rar", "7z", "gz", "bz2", "xz", "tar", "zst"):
        return _("an archive")
    if guessed == "pdf":
        return _("a PDF document")
    if guessed == "heic":
        return _("a HEIC photo (set the phone's camera to JPEG, or send it as JPEG)")
    if guessed:
        return _("a file of type “%(type)s”") % {"type": guessed}
    return _("a file of unknown type")


def _refuse_type(name: str, what: str) -> ServiceError:
    return _refuse(
        "media_type",
        _(
            "“%(name)s” is %(what)s, whatever its name says. A report may carry photos (JPEG, "
            "PNG, WebP), video (MP4, MOV, WebM) and audio notes (MP3, M4A, OGG, WAV, WebM)."
        )
        % {"name": name, "what": what},
    )


def max_decoded_bytes() -> int:
    return int(getattr(settings, "CIVIC_IMAGE_MAX_DECODED_BYTES", 192 * MB))


def _limits() -> Limits:
    return Limits(
        max_pixels=max_pixels(),
        max_decoded_bytes=max_decoded_bytes(),
        public_side=public_side(),
        thumbnail_side=thumbnail_side(),
    )


def _refused(refused: ImageRefused, shown: str) -> ServiceError:
    details = refused.details
    if refused.code == "type":
        return _refuse_type(
            shown, _("a file of type “%(type)s”") % {"type": details.get("format") or "?"}
        )
    if refused.code == "pixels":
        return _refuse_too_big(shown, int(details["width"]), int(details["height"]))
    if refused.code == "memory":
        if "width" in details:
            message = _(
                "“%(name)s” (%(width)d × %(height)d pixels) would take too much memory to read. "
                "Send it as a JPEG photo, or as a smaller image."
            ) % {"name": shown, "width": int(details["width"]), "height": int(details["height"])}
        else:
            message = _(
                "“%(name)s” would take too much memory to read. Send it as a JPEG photo, or as a "
                "smaller image."
            ) % {"name": shown}
        return _refuse("image_too_large", message)
    return _refuse(
        "media_damaged",
        _("“%(name)s” looks like a photo but cannot be read: it may be damaged.") % {"name": shown},
    )


def _render_in_worker(data: bytes, limits: Limits) -> dict[str, Any]:
    """``imaging.render`` in a process of its own, with its address space limited."""
    spec = json.dumps({**dataclasses.asdict(limits), "memory": worker_memory()})
    root = Path(jospar.__file__).resolve().parents[1]
    try:
        done = subprocess.run(  # our own interpreter and module, no shell
            [sys.executable, "-s", "-m", "jospar.civic.imaging", spec],
            input=data,
            capture_output=True,
            cwd=root,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"},
            timeout=float(getattr(settings, "CIVIC_IMAGE_WORKER_TIMEOUT", 60)),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ImageRefused("memory") from exc
    if done.returncode != 0 or not done.stdout:
        # Killed for its memory, or it crashed on the file: either way not a photo we publish.
        logger.warning(
            "image worker ended with %s: %s", done.returncode, done.stderr[-500:].decode()
        )
        raise ImageRefused("memory" if b"MemoryError" in done.stderr else "damaged")
    try:
        return parse_output(done.stdout)
    except (ValueError, KeyError) as exc:
        raise ImageRefused("damaged") from exc


def worker_memory() -> int:
    return int(getattr(settings, "CIVIC_IMAGE_WORKER_MEMORY", 512 * MB))


def _inspect(stream: IO[bytes], limits: Limits) -> tuple[int, int]:
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as opened:
                width, height = opened.size
                imaging.inspect(opened, limits)
                return width, height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("memory") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageRefused("damaged") from exc


def inspect_image(data: bytes | IO[bytes], name: str = "") -> tuple[int, int]:
    """Check an image's header (format, size, the memory decoding will take; nothing
    decoded) and return its width and height; ``ServiceError`` if it is refused."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        return _inspect(stream, _limits())
    except ImageRefused as refused:
        raise _refused(refused, _shown(name)) from refused


def render_image(data: bytes) -> dict[str, Any]:
    """The header checked, then the public copy and thumbnail made in the memory-limited
    process; raises ``ImageRefused`` (for the background task, which records the code)."""
    limits = _limits()
    _inspect(io.BytesIO(data), limits)
    if getattr(settings, "CIVIC_IMAGE_WORKER", True):
        return _render_in_worker(data, limits)
    try:
        return imaging.render(io.BytesIO(data), limits)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageRefused("damaged") from exc


def render_public_image(data: bytes | IO[bytes], name: str = "") -> dict[str, Any]:
    """Check an image's header here (nothing decoded: size, mode, the memory decoding will
    take), then decode it and make its public copy and thumbnail in a memory-limited process
    (``jospar.civic.imaging``): orientation applied, every piece of metadata dropped. Raises
    ``ServiceError`` if it is not a whole, sane image."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    stream.seek(0)
    try:
        return render_image(stream.read())
    except ImageRefused as refused:
        raise _refused(refused, _shown(name)) from refused


def _refuse_too_big(name: str, width: int, height: int) -> ServiceError:
    return _refuse(
        "image_too_large",
        _(
            "“%(name)s” is %(width)d × %(height)d pixels; a photo may have at most %(limit)d "
            "million pixels."
        )
        % {"name": name, "width": width, "height": height, "limit": max_pixels() // 1_000_000},
    )


def check_upload(upload: Any, *, name: str = "", declared_type: str = "") -> CheckedMedia:
    """Check one uploaded file by its content; raise ``ServiceError`` (``fields["media"]``)
    if refused. Nothing is stored here."""
    name = name or str(getattr(upload, "name", "") or "")
    declared_type = declared_type or str(getattr(upload, "content_type", "") or "")
    shown = _shown(name)
    size = _size_of(upload)
    if size <= 0:
        raise _refuse("media_empty", _("“%(name)s” is empty.") % {"name": shown})
    largest = max(max_bytes(kind) for kind in MediaKind.values)
    if size > largest:
        raise _refuse_size(shown, size, largest)
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    guessed = guess.extension if guess is not None else None
    if guessed == "webm" and declared_type.lower().startswith("audio/"):
        kind, (content_type, extension) = MediaKind.AUDIO, ("audio/webm", "webm")
    elif guessed in _IMAGES:
        kind, (content_type, extension) = MediaKind.PHOTO, _IMAGES[guessed]
    elif guessed in _VIDEO:
        kind, (content_type, extension) = MediaKind.VIDEO, _VIDEO[guessed]
    elif guessed in _AUDIO:
        kind, (content_type, extension) = MediaKind.AUDIO, _AUDIO[guessed]
    else:
        raise _refuse_type(shown, _what_it_is(head, guessed))
    limit = max_bytes(kind)
    if size > limit:
        raise _refuse_size(shown, size, limit)
    digest, has_markup = _digest_and_scan(upload, scan=kind != MediaKind.PHOTO)
    if has_markup:
        raise _refuse(
            "media_type",
            _(
                "“%(name)s” is a %(kind)s with a web page or script inside it; such a file is "
                "not accepted. Record or export it again."
            )
            % {"name": shown, "kind": MediaKind(kind).label.lower()},
        )
    checked = CheckedMedia(
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=digest,
        source=upload,
        name=shown,
    )
    if kind == MediaKind.PHOTO:
        # Only the header, in the request: nothing is decoded here. The public copy is made
        # by a task once the filing has committed (``civic.media_process``).
        checked.width, checked.height = inspect_image(upload, name)
        upload.seek(0)
    return checked


def _refuse_size(name: str, size: int, limit: int) -> ServiceError:
    return _refuse(
        "media_too_large",
        _("“%(name)s” is %(size)s MB; such a file may be at most %(limit)d MB.")
        % {"name": name, "size": format_number(size / MB, 1), "limit": limit // MB},
    )


def check_uploads(uploads: Sequence[Any], *, already: int = 0) -> list[CheckedMedia]:
    """Check several files: their number first (with ``already`` stored), then each one."""
    uploads = list(uploads)
    if len(uploads) + already > max_files():
        message = _("At most %(limit)d files may be attached; %(count)d were sent.") % {
            "limit": max_files(),
            "count": len(uploads) + already,
        }
        raise ServiceError("too_many_files", message, {"media": [message]})
    return [check_upload(upload) for upload in uploads]


def _random_name(extension: str) -> str:
    # Never the citizen's file name: it may hold a name, a date or a place.
    return f"{uuid.uuid4().hex}.{extension}"


# The files one service call wrote, removed again if its transaction fails.
StoredFiles = PendingFiles


def store_checked(
    *,
    report: CitizenReport,
    checked: CheckedMedia,
    stage: str = MediaStage.EVIDENCE,
    uploaded_by: User | None = None,
    answer: ReportAnswer | None = None,
    stored: StoredFiles | None = None,
) -> ReportMedia:
    """Write a checked file (original private, public copy and thumbnail public) and its row."""
    media = ReportMedia(
        report=report,
        kind=checked.kind,
        stage=stage,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        width=checked.width,
        height=checked.height,
        uploaded_by=uploaded_by if uploaded_by is not None and uploaded_by.pk else None,
        answer=answer,
    )
    checked.source.seek(0)
    # Under a temporary name until the filing commits (jospar.core.files_pending).
    save_pending(
        media,
        "original",
        _random_name(checked.extension),
        File(checked.source),
        pending=stored,
    )
    if checked.kind == MediaKind.PHOTO:
        media.processing = MediaProcessing.PENDING
    media.save()
    if media.processing == MediaProcessing.PENDING:
        enqueue(PROCESS_TASK, media.pk)
    return media


def check_and_store(
    *,
    report: CitizenReport,
    files: Sequence[Any] = (),
    checked: Sequence[CheckedMedia] | None = None,
    stage: str = MediaStage.EVIDENCE,
    uploaded_by: User | None = None,
    answer: ReportAnswer | None = None,
    stored: StoredFiles | None = None,
) -> list[ReportMedia]:
    """Check the files (all of them before any is stored) and store them for the report.

    Call inside the service's transaction with a ``StoredFiles``, and remove what it holds if
    the transaction fails. Files already checked (``checked``) are not checked again."""
    if checked is None:
        already = ReportMedia.objects.filter(report=report, stage=stage).count()
        checked = check_uploads(files, already=already)
    return [
        store_checked(
            report=report,
            checked=item,
            stage=stage,
            uploaded_by=uploaded_by,
            answer=answer,
            stored=stored,
        )
        for item in checked
    ]


def public_names(media: ReportMedia) -> list[str]:
    return [name for name in (media.public_file.name, media.thumbnail.name) if name]


def delete_public_files(storage: Storage, names: Iterable[str]) -> None:
    """For ``transaction.on_commit``: the public copies of hidden media stop existing."""
    for name in names:
        # The storage is away: the row no longer points at the file anyway.
        with contextlib.suppress(OSError):
            storage.delete(name)


def media_unpublish(media: ReportMedia) -> list[str]:
    """Detach the public copy and thumbnail from the row (the caller saves it and deletes the
    returned names once committed): hidden media must not stay reachable by an old link."""
    names = public_names(media)
    media.public_file = ""
    media.thumbnail = ""
    return names


def media_republish(media: ReportMedia) -> None:
    """Have the public copy and thumbnail of a photo made again from its private original (by
    the background task, once the caller's transaction commits; the caller saves the row)."""
    if media.kind != MediaKind.PHOTO or media.public_file:
        return
    media.processing = MediaProcessing.PENDING
    media.processing_attempts = 0
    media.processing_error = ""
    enqueue(PROCESS_TASK, media.pk)


def processing_message(media: ReportMedia) -> str:
    """Why a photo's public copy could not be made, for the report's page."""
    if media.processing_error in ("memory", "pixels"):
        return _("A photo is too large to be read and is not shown.")
    if media.processing_error in ("damaged", "type"):
        return _("A photo could not be read (it may be damaged) and is not shown.")
    return _("A photo could not be processed and is not shown; the akimat still has it.")
