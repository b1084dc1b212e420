"""Program pages: who may open them (nothing changes on refusal), the web import, query counts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.core.models import Role, User
from jospar.programs.models import Program, ProgramNode, ProgramUpload
from jospar.programs.tests.conftest import SEED

READERS = [Role.ADMINISTRATOR, Role.CONTROLLER, Role.OBSERVER, Role.EXECUTOR]
OTHERS = [Role.CIVIC_OFFICIAL, Role.MODERATOR, None]


def _client(user: User | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*READERS, *OTHERS])
def test_reading_matrix(
    role: Role | None, make_user: Callable[..., User], program_002: Program
) -> None:
    node = ProgramNode.objects.filter(program=program_002, kind="base_project").first()
    assert node is not None
    user = make_user(role) if role else make_user()
    c = _client(user)
    urls = [
        reverse("programs:list"),
        reverse("programs:detail", args=[program_002.pk]),
        reverse("programs:node", args=[node.pk]),
    ]
    for url in urls:
        response = c.get(url)
        if role in READERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (403, 404), url
    anonymous = Client().get(urls[1])
    assert anonymous.status_code == 302


@pytest.mark.django_db
def test_missing_ids_are_404(make_user: Callable[..., User]) -> None:
    c = _client(make_user(Role.ADMINISTRATOR))
    assert c.get(reverse("programs:detail", args=[999999])).status_code == 404
    assert c.get(reverse("programs:node", args=[999999])).status_code == 404
    assert c.get(reverse("programs:upload-review", args=[999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CONTROLLER, Role.OBSERVER, Role.EXECUTOR, None])
def test_only_administrators_upload(role: Role | None, make_user: Callable[..., User]) -> None:
    c = _client(make_user(role) if role else make_user())
    with SEED.open("rb") as f:
        response = c.post(reverse("programs:upload"), {"file": f})
    assert response.status_code in (403, 404)
    assert not ProgramUpload.objects.exists()
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_upload_check_correct_save(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    c = _client(admin)
    with SEED.open("rb") as f:
        response = c.post(reverse("programs:upload"), {"file": f})
    assert response.status_code == 302
    draft = ProgramUpload.objects.get()
    review = reverse("programs:upload-review", args=[draft.pk])
    page = c.get(review)
    assert page.status_code == 200
    assert "Азаматтық бақылау" in page.content.decode()
    # Corrections: a rename, a target, and one that cannot be read (refused, nothing kept).
    assert (
        c.post(
            review, {"op": "rename", "path": "1.1", "name": "Азаматтық бақылау порталы"}
        ).status_code
        == 302
    )
    assert (
        c.post(
            review,
            {
                "op": "target",
                "path": "2",
                "indicator": "0",
                "value": "80",
                "unit": "%",
                "year": "2025",
            },
        ).status_code
        == 302
    )
    assert c.post(review, {"op": "rename", "path": "x.²", "name": "x"}).status_code == 400
    assert c.post(review, {"op": "rename", "path": "99", "name": "x"}).status_code == 400
    draft.refresh_from_db()
    assert len(draft.corrections) == 2
    other = make_user(Role.ADMINISTRATOR)
    assert _client(other).get(review).status_code == 404  # another's draft
    saved = c.post(reverse("programs:upload-save", args=[draft.pk]))
    assert saved.status_code == 302
    program = Program.objects.get()
    assert ProgramNode.objects.filter(program=program, name_kk="Азаматтық бақылау порталы").exists()
    ind = ProgramNode.objects.get(program=program, name_kk="РУХАНИ ҚАЗЫНА").indicators.get(
        position=1
    )
    assert (ind.target_value, ind.target_unit, ind.target_year) == (Decimal(80), "%", 2025)
    assert program.revisions.get().corrections == draft.corrections
    # A saved draft takes no more corrections.
    assert c.post(review, {"op": "rename", "path": "0", "name": "y"}).status_code == 409


@pytest.mark.django_db
def test_tree_page_queries_do_not_grow_with_the_tree(
    make_user: Callable[..., User], program_002: Program
) -> None:
    c = _client(make_user(Role.OBSERVER))
    url = reverse("programs:detail", args=[program_002.pk])
    c.get(url)
    with CaptureQueriesContext(connection) as full:
        assert c.get(url).status_code == 200
    ProgramNode.objects.filter(program=program_002, kind="key_event").update(in_force=False)
    with CaptureQueriesContext(connection) as small:
        assert c.get(url).status_code == 200
    assert len(full) == len(small)
    assert len(full) < 20
