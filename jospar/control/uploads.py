"""What a report may carry: files checked by their content, whatever their names say.

Accepted: Word and Excel (OOXML, and 97–2003), OpenDocument text and spreadsheets, PDF, and
images (PNG, JPEG, GIF, WebP, TIFF, BMP). Everything else is refused with a message saying what
the file really is: programs, web pages, SVG drawings, archives, empty files, files with macros,
PDFs with scripts, launch actions or embedded files (``jospar.control.pdf_check``).
A stored file gets the extension of its content, so that a program renamed ``.pdf`` cannot be
opened as a program by whoever downloads it.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

import filetype
from django.conf import settings
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from jospar.control.pdf_check import active_content
from jospar.core.errors import ServiceError
from jospar.core.numbers import format_number

MB = 1024 * 1024
SNIFF_BYTES = 8192

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# extension → content type, for what the content check accepts.
ACCEPTED: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": DOCX,
    "xlsx": XLSX,
    "odt": ODT,
    "ods": ODS,
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "bmp": "image/bmp",
}
_IMAGES = {"png", "jpg", "gif", "webp", "tif", "bmp"}
_PROGRAMS = {"exe", "elf", "deb", "rpm", "crx", "wasm", "swf", "cab", "msi"}
# Entries of a zip archive that make it an Office document with macros.
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
# An archive listing more than this is not a report's document.
_ZIP_MAX_ENTRIES = 5000
_ZIP_MAX_UNCOMPRESSED = 1024 * MB


def max_bytes() -> int:
    return int(getattr(settings, "CONTROL_ATTACHMENT_MAX_BYTES", 20 * MB))


def max_files() -> int:
    return int(getattr(settings, "CONTROL_ATTACHMENTS_MAX_FILES", 10))


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the name to show and store: the given name with its content's extension
    extension: str
    content_type: str
    size: int
    sha256: str


def _refuse(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, {"file": [message]})


def _display_name(name: str) -> str:
    # A browser may send a path; keep the last part, without control characters.
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:200] or "file"


def storage_name(checked: CheckedFile) -> str:
    stem = get_valid_filename(PurePath(checked.name).stem) if PurePath(checked.name).stem else ""
    return f"{(stem or 'file')[:80]}.{checked.extension}"


def _with_extension(name: str, extension: str) -> str:
    path = PurePath(name)
    suffix = path.suffix.lower().lstrip(".")
    same = {extension} | ({"jpeg", "jpe"} if extension == "jpg" else set())
    same |= {"tiff"} if extension == "tif" else set()
    if suffix in same:
        return name
    stem = path.stem if suffix else path.name
    return f"{stem}.{extension}"


def _looks_like_markup(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text[:2048]:
        return "svg"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "html"
    if text.startswith(b"<?xml") and b"<svg" in head.lower():
        return "svg"
    if b"<html" in text[:1024] or b"<script" in text[:1024]:
        return "html"
    return None


def _zip_kind(stream: IO[bytes], name: str) -> str:
    """docx, xlsx, odt or ods, from what the archive holds; refused otherwise."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > _ZIP_MAX_ENTRIES or (
                sum(i.file_size for i in infos) > _ZIP_MAX_UNCOMPRESSED
            ):
                raise _refuse(
                    "attachment_archive",
                    _("“%(name)s” is an archive too large to be a document.") % {"name": name},
                )
            names = {i.filename for i in infos}
            lowered = {n.lower() for n in names}
            if any(n.endswith(_MACRO_PARTS) for n in lowered):
                raise _refuse(
                    "attachment_macros",
                    _(
                        "“%(name)s” contains macros. Save it as an ordinary document or"
                        " spreadsheet (.docx, .xlsx) or as PDF and attach it again."
                    )
                    % {"name": name},
                )
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].strip().decode("ascii", "replace")
                if mimetype == ODT:
                    return "odt"
                if mimetype == ODS:
                    return "ods"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError) as exc:
        raise _refuse(
            "attachment_damaged",
            _("“%(name)s” looks like a document but cannot be read: it may be damaged.")
            % {"name": name},
        ) from exc
    raise _refuse(
        "attachment_type",
        _(
            "“%(name)s” is a ZIP archive, not a Word or Excel document. Attach the documents"
            " themselves, not an archive."
        )
        % {"name": name},
    )


def _check_image(stream: IO[bytes], name: str) -> None:
    try:
        with Image.open(stream) as image:
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as exc:
        raise _refuse(
            "attachment_damaged",
            _("“%(name)s” looks like an image but cannot be read: it may be damaged.")
            % {"name": name},
        ) from exc


def _refuse_type(name: str, what: str) -> ServiceError:
    return _refuse(
        "attachment_type",
        _(
            "“%(name)s” is %(what)s, whatever its name says. A report may carry documents"
            " (Word, Excel, OpenDocument), PDF files and images (PNG, JPEG, GIF, WebP, TIFF)."
        )
        % {"name": name, "what": what},
    )


def _pdf_complete(stream: IO[bytes], size: int) -> bool:
    """A PDF ends with its trailer (``%%EOF``); a cut-off download does not."""
    stream.seek(max(0, size - 2048))
    tail = stream.read()
    stream.seek(0)
    return b"%%EOF" in tail


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _legacy_macros(stream: IO[bytes]) -> bool:
    """A Word or Excel 97–2003 file with a macro project (its stream names are UTF-16)."""
    needles = ("_VBA_PROJECT".encode("utf-16-le"), "Macros".encode("utf-16-le"))
    stream.seek(0)
    tail = b""
    while chunk := stream.read(1024 * 1024):
        window = tail + chunk
        if any(n in window for n in needles):
            stream.seek(0)
            return True
        tail = window[-32:]
    stream.seek(0)
    return False


def check_attachment(stream: IO[bytes] | Any, name: str, size: int | None = None) -> CheckedFile:
    """Check one file by its content; raise ``ServiceError`` (``fields["file"]``) if refused.

    ``stream`` must be seekable (Django's uploaded files are). Nothing is stored here."""
    shown = _display_name(name or "")
    if size is None:
        stream.seek(0, 2)
        size = int(stream.tell())
    stream.seek(0)
    if size <= 0:
        raise _refuse("attachment_empty", _("“%(name)s” is empty.") % {"name": shown})
    limit = max_bytes()
    if size > limit:
        raise _refuse(
            "attachment_too_large",
            _("“%(name)s” is %(size)s MB; a file may be at most %(limit)d MB.")
            % {"name": shown, "size": format_number(size / MB, 1), "limit": limit // MB},
        )
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    kind = filetype.guess(head)
    extension = kind.extension if kind is not None else None
    if extension == "zip" or extension in ("docx", "xlsx", "odt", "ods", "pptx", "odp", "epub"):
        extension = _zip_kind(stream, shown)
        stream.seek(0)
    elif extension in ("doc", "xls"):
        if _legacy_macros(stream):
            raise _refuse(
                "attachment_macros",
                _(
                    "“%(name)s” contains macros. Save it as an ordinary document or"
                    " spreadsheet (.docx, .xlsx) or as PDF and attach it again."
                )
                % {"name": shown},
            )
    elif extension is None:
        markup = _looks_like_markup(head)
        if markup == "svg":
            raise _refuse_type(shown, _("an SVG drawing"))
        if markup == "html":
            raise _refuse_type(shown, _("a web page (HTML)"))
        raise _refuse_type(shown, _("of a kind that cannot be recognised"))
    if extension in _PROGRAMS:
        raise _refuse_type(shown, _("a program"))
    if extension not in ACCEPTED:
        raise _refuse_type(shown, _("a “%(kind)s” file") % {"kind": extension})
    if extension in _IMAGES:
        _check_image(stream, shown)
        stream.seek(0)
    if extension == "pdf" and not _pdf_complete(stream, size):
        raise _refuse(
            "attachment_damaged",
            _("“%(name)s” looks like a PDF file but is incomplete or damaged.") % {"name": shown},
        )
    if extension == "pdf" and (active := active_content(stream)):
        raise _refuse(
            "attachment_active",
            _(
                "“%(name)s” is a PDF with active content (%(what)s): scripts, actions that run"
                " on opening and files inside a PDF are not accepted. Print or export it to PDF"
                " again (PDF/A if possible) and attach it again."
            )
            % {"name": shown, "what": active.lstrip("/")},
        )
        stream.seek(0)
    return CheckedFile(
        name=_with_extension(shown, extension),
        extension=extension,
        content_type=ACCEPTED[extension],
        size=size,
        sha256=_sha256(stream),
    )
