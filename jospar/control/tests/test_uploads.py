"""Attachments are checked by their content: real documents pass, anything else is refused
with a message saying what it is, and nothing of a refused file is stored."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jospar.control.models import ExecutionReport, ReportAttachment
from jospar.control.services.reports import report_attachment_add, report_draft_save
from jospar.control.tests.conftest import (
    World,
    docx_bytes,
    pdf_bytes,
    png_bytes,
    snapshot,
    stored_files,
    xlsx_bytes,
)
from jospar.control.uploads import check_attachment
from jospar.core.errors import ServiceError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # The messages asserted are the English source texts.
    with translation.override("en"):
        yield


@pytest.fixture
def draft(world: World) -> ExecutionReport:
    return report_draft_save(
        actor=world.person("executor_own"), obligation=world.own, text="Есеп", lang="kk"
    )


def attach(world: World, report: ExecutionReport, name: str, data: bytes) -> ReportAttachment:
    return report_attachment_add(
        actor=world.person("executor_own"),
        report=report,
        stream=SimpleUploadedFile(name, data),
        name=name,
    )


GOOD = {
    "esep.pdf": (pdf_bytes, "application/pdf", "esep.pdf"),
    "surret.png": (png_bytes, "image/png", "surret.png"),
    "aqparat.docx": (
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "aqparat.docx",
    ),
    "kesté.xlsx": (
        xlsx_bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "kesté.xlsx",
    ),
    # The content decides: a PDF named .docx is stored as the PDF it is.
    "wrong-name.docx": (pdf_bytes, "application/pdf", "wrong-name.pdf"),
}


@pytest.mark.parametrize("name", list(GOOD))
def test_real_documents_are_attached(
    name: str, world: World, draft: ExecutionReport, media: Path
) -> None:
    make, content_type, shown = GOOD[name]
    data = make()
    attachment = attach(world, draft, name, data)
    assert attachment.content_type == content_type
    assert attachment.original_name == shown
    assert attachment.size == len(data)
    stored = stored_files(media)
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    assert stored[0].suffix == Path(shown).suffix
    # The stored file sits in a folder nobody can guess.
    assert len(stored[0].parent.name) == 24


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docm() -> bytes:
    """A Word document carrying a macro project."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    entries = {i.filename: source.read(i.filename) for i in source.infolist()}
    entries["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0macro"
    return _zip(entries)


BAD: dict[str, tuple[bytes, str, str]] = {
    "program.pdf": (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200,
        "attachment_type",
        "a program",
    ),
    "page.docx": (
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "attachment_type",
        "a web page (HTML)",
    ),
    "archive.docx": (
        _zip({"readme.txt": b"hello", "data.csv": b"1,2"}),
        "attachment_type",
        "ZIP archive",
    ),
    "drawing.png": (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        "attachment_type",
        "an SVG drawing",
    ),
    "empty.pdf": (b"", "attachment_empty", "is empty"),
    "macros.docx": (_docm(), "attachment_macros", "contains macros"),
    "cut.pdf": (pdf_bytes()[:-60], "attachment_damaged", "incomplete or damaged"),
    "fake.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "attachment_damaged", "cannot be read"),
    "notes.txt": (b"just some text\n", "attachment_type", "cannot be recognised"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_anything_else_is_refused_and_nothing_is_stored(
    name: str, world: World, draft: ExecutionReport, media: Path
) -> None:
    data, code, words = BAD[name]
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        attach(world, draft, name, data)
    assert caught.value.code == code
    message = str(caught.value.message)
    assert name in message
    assert words in message
    assert caught.value.fields == {"file": [message]}
    assert snapshot() == before
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    world: World, draft: ExecutionReport, media: Path, settings: Any
) -> None:
    settings.CONTROL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    data = pdf_bytes() + b"%" * (1024 * 1024)
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        attach(world, draft, "big.pdf", data)
    assert caught.value.code == "attachment_too_large"
    assert "at most 1 MB" in str(caught.value.message)
    assert snapshot() == before
    assert stored_files(media) == []


def test_the_number_of_files_is_limited(
    world: World, draft: ExecutionReport, media: Path, settings: Any
) -> None:
    settings.CONTROL_ATTACHMENTS_MAX_FILES = 2
    attach(world, draft, "a.png", png_bytes())
    attach(world, draft, "b.png", png_bytes())
    before, files = snapshot(), stored_files(media)
    with pytest.raises(ServiceError) as caught:
        attach(world, draft, "c.png", png_bytes())
    assert caught.value.code == "too_many_files"
    assert snapshot() == before
    assert stored_files(media) == files


def test_check_reads_content_not_names() -> None:
    checked = check_attachment(io.BytesIO(docx_bytes()), "C:\\Users\\a\\report")
    assert checked.name == "report.docx"
    assert checked.extension == "docx"


def test_the_report_form_shows_each_refusal_and_keeps_the_text(world: World, media: Path) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.person("executor_own"))
    response = client.post(
        reverse("control:report-save", args=[world.own.pk]),
        {
            "text": "What was done, typed with care.",
            "lang": "kk",
            "action": "submit",
            "files": [
                SimpleUploadedFile("good.pdf", pdf_bytes()),
                SimpleUploadedFile("evil.pdf", BAD["program.pdf"][0]),
            ],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“evil.pdf” is a program" in page
    assert "What was done, typed with care." in page
    draft = ExecutionReport.objects.get(obligation=world.own)
    # The text and the good file are kept in the draft; nothing was submitted.
    assert draft.state == "draft"
    assert [a.original_name for a in draft.attachments.all()] == ["good.pdf"]
    assert len(stored_files(media)) == 1
