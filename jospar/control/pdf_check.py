"""PDFs without active content: a report's attachment is read by controllers in their own PDF
readers, so a file that runs a script, launches a program or carries other files inside it is
refused (issue #9). Flattening it instead would change the document an executor signed.

What counts as active: JavaScript (``/JavaScript``, ``/JS``), an action that launches or imports
(``/Launch``, ``/ImportData``, ``/SubmitForm``), additional actions run on events (``/AA``), an
opening action (``/OpenAction``) of any of these kinds, embedded files (``/EmbeddedFile``,
``/EmbeddedFiles``), rich media (``/RichMedia``); and markup in the file's first kilobyte (a
web page that also parses as PDF, which a browser would render as HTML).

The file is read with a real parser (``pypdf``): every object reachable from the trailer is
visited, including those packed in compressed object streams, and names are compared decoded
(``/J#61vaScript`` is ``/JavaScript``). A file pypdf cannot read, or an encrypted one, is
scanned as bytes instead, with the same names, hex-escaped or not.
"""

from __future__ import annotations

import logging
import re
from typing import IO, Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"}
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/RichMediaExecute",
    "/Rendition",
}
_ACTIVE_SUBTYPES = {"/RichMedia", "/FileAttachment", "/Screen", "/Movie", "/Sound"}
# A crafted file may hold millions of objects: past this many it is not a report's document.
MAX_OBJECTS = 200_000
_MARKUP = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype\s+html)", re.I)
_NAME = rb"(?:%s)(?![A-Za-z0-9#])"
_BYTE_NAMES = (
    "JavaScript",
    "JS",
    "AA",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "RichMedia",
    "ImportData",
    "SubmitForm",
)


def _escaped(name: str) -> bytes:
    """A regex for a PDF name whose letters may each be written as ``#xx``."""
    return b"".join(_letter(ch) for ch in name)


def _letter(ch: str) -> bytes:
    code = f"{ord(ch):02x}".encode()
    return b"(?:" + re.escape(ch.encode()) + b"|#" + b"(?i:" + code + b"))"


_BYTES_ACTIVE = re.compile(
    b"/" + _NAME % b"|".join(_escaped(name) for name in sorted(_BYTE_NAMES, key=len, reverse=True))
)


def _found_in_bytes(stream: IO[bytes]) -> str | None:
    stream.seek(0)
    tail = b""
    while chunk := stream.read(1024 * 1024):
        match = _BYTES_ACTIVE.search(tail + chunk)
        if match:
            stream.seek(0)
            return _unescape(match.group(0))
        tail = chunk[-64:]
    stream.seek(0)
    return None


def _unescape(name: bytes) -> str:
    return re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), name).decode(
        "latin-1"
    )


def _walk(reader: PdfReader) -> str | None:
    """The first active element reachable from the trailer, or None."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            return "too many objects"
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in _ACTIVE_KEYS:
                    return str(name)
                if name == "/S" and str(value) in _ACTIVE_ACTIONS:
                    return str(value)
                if name == "/Subtype" and str(value) in _ACTIVE_SUBTYPES:
                    return str(value)
                if name == "/Parent":
                    continue  # the page tree is walked from its root already
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def active_content(stream: IO[bytes]) -> str | None:
    """What makes the PDF active (``/JavaScript``, ``/Launch``, ``markup``...), or None."""
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(0)
    if _MARKUP.search(head):
        return "markup"
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return _found_in_bytes(stream)
        found = _walk(reader)
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, OSError, RecursionError):
        # Not parseable as PDF objects: what the bytes show is all there is to go on.
        return _found_in_bytes(stream)
    finally:
        stream.seek(0)
    return found
