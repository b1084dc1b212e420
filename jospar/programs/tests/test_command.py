"""`jospar import-program`: the seed program imported, the same file again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from jospar.programs.models import Program, ProgramRevision
from jospar.programs.tests.conftest import SEED

pytestmark = pytest.mark.django_db


def test_import_program_twice() -> None:
    out = io.StringIO()
    call_command("import_program", str(SEED), stdout=out)
    assert "revision 1" in out.getvalue()
    out = io.StringIO()
    call_command("import_program", str(SEED), stdout=out)
    assert "unchanged" in out.getvalue()
    assert Program.objects.count() == 1
    assert ProgramRevision.objects.count() == 1


def test_import_program_reports_failures(tmp_path: object) -> None:
    with pytest.raises(CommandError):
        call_command("import_program", "/nonexistent/program.txt", stderr=io.StringIO())
    with pytest.raises(CommandError):
        call_command("import_program", str(SEED), program=99999)
