"""A report's PDF carries no active content: scripts, opening actions, launched programs and
embedded files are refused, found by a PDF parser and, where it cannot read, in the bytes."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from jospar.control.pdf_check import active_content
from jospar.control.tests.conftest import pdf_bytes
from jospar.control.uploads import check_attachment
from jospar.core.errors import ServiceError


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _written(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def clean_pdf() -> bytes:
    return _written()


def open_action_js() -> bytes:
    def add(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hi');"),
            }
        )

    return _written(add)


def embedded_file() -> bytes:
    def add(writer: PdfWriter) -> None:
        writer.add_attachment("run.exe", b"MZ\x90\x00 not a pdf")

    return _written(add)


def launch_action() -> bytes:
    def add(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("cmd.exe"),
            }
        )

    return _written(add)


def _check(data: bytes, name: str = "esep.pdf") -> object:
    return check_attachment(SimpleUploadedFile(name, data), name)


def test_a_clean_pdf_passes() -> None:
    for data in (clean_pdf(), pdf_bytes()):
        assert active_content(io.BytesIO(data)) is None
        checked = _check(data)
        assert checked.content_type == "application/pdf"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("make", "what"),
    [(open_action_js, "JS"), (embedded_file, "EmbeddedFiles"), (launch_action, "Launch")],
)
def test_active_content_is_refused_with_what_it_is(make: Callable[[], bytes], what: str) -> None:
    data = make()
    assert active_content(io.BytesIO(data)) is not None
    with pytest.raises(ServiceError) as refused:
        _check(data)
    assert refused.value.code == "attachment_active"
    assert "esep.pdf" in str(refused.value.message)
    assert "active content" in str(refused.value.message)
    assert refused.value.fields == {"file": [refused.value.message]}


def test_the_parser_sees_inside_compressed_object_streams() -> None:
    """A script hidden in a compressed object stream: no byte of the file says /JavaScript."""
    body = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"
    action = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    packed_objects = [(1, body), (5, action)]
    header = b" ".join(
        f"{number} {offset}".encode()
        for number, offset in zip(
            (n for n, _ in packed_objects),
            _offsets([b for _, b in packed_objects]),
            strict=True,
        )
    )
    content = header + b" " + b" ".join(b for _, b in packed_objects)
    first = len(header) + 1
    compressed = zlib.compress(content)
    data = _pdf_with_object_stream(compressed, first, len(packed_objects))
    assert b"JavaScript" not in data
    assert active_content(io.BytesIO(data)) is not None


def _offsets(bodies: list[bytes]) -> list[int]:
    offsets, at = [], 0
    for body in bodies:
        offsets.append(at)
        at += len(body) + 1
    return offsets


def _pdf_with_object_stream(compressed: bytes, first: int, count: int) -> bytes:
    """Objects 1 (catalog) and 5 (action) packed in object stream 6; a cross-reference stream."""
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    offsets: dict[int, int] = {}
    plain = {
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    }
    for number, body in plain.items():
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    offsets[6] = out.tell()
    out.write(
        f"6 0 obj\n<< /Type /ObjStm /N {count} /First {first} /Filter /FlateDecode "
        f"/Length {len(compressed)} >>\nstream\n".encode()
        + compressed
        + b"\nendstream\nendobj\n"
    )
    xref_at = out.tell()
    rows = []
    for number in range(8):
        if number in (1, 5):
            rows.append(bytes([2]) + (6).to_bytes(2, "big") + bytes([0 if number == 1 else 1]))
        elif number in offsets:
            rows.append(bytes([1]) + offsets[number].to_bytes(2, "big") + bytes([0]))
        elif number == 7:
            rows.append(bytes([1]) + xref_at.to_bytes(2, "big") + bytes([0]))
        else:
            rows.append(bytes([0, 0, 0, 0]))
    table = zlib.compress(b"".join(rows))
    out.write(
        f"7 0 obj\n<< /Type /XRef /Size 8 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode "
        f"/Length {len(table)} >>\nstream\n".encode()
        + table
        + f"\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_what_the_parser_cannot_read_is_scanned_as_bytes() -> None:
    broken = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Open#41ction << /S /J#61vaScript >> >>\n%%EOF\n"
    assert active_content(io.BytesIO(broken)) is not None
    harmless = b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n"
    assert active_content(io.BytesIO(harmless)) is None


def test_a_web_page_that_parses_as_pdf_is_refused() -> None:
    data = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n" + clean_pdf()[9:]
    with pytest.raises(ServiceError) as refused:
        _check(data)
    assert refused.value.code == "attachment_active"


def test_svg_is_refused_as_an_attachment() -> None:
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'
    with pytest.raises(ServiceError) as refused:
        _check(svg, "chart.png")
    assert refused.value.code == "attachment_type"
    assert "SVG" in str(refused.value.message)
