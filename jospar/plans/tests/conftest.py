"""Fixtures of the plans tests: people in every role, and seed plans uploaded or saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jospar.control.models import Obligation
from jospar.core.models import AuditEvent, Organisation, OrganisationKind, Role, User
from jospar.plans.models import Plan, PlanRevision, PlanUpload

SEEDS = Path(__file__).resolve().parents[1] / "demo_seeds"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def snapshot() -> dict[str, int]:
    """What a refused request must leave as it was."""
    return {
        "uploads": PlanUpload.objects.count(),
        "plans": Plan.objects.count(),
        "revisions": PlanRevision.objects.count(),
        "obligations": Obligation.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def importer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, username="importer")


@pytest.fixture
def importer_client(client: Client, importer: User) -> Client:
    # The messages asserted are the English source texts; the Kazakh pages are checked apart.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(importer)
    return client


def upload_file(client: Client, data: bytes, name: str = "plan.txt", **fields: Any) -> Any:
    payload = {"file": SimpleUploadedFile(name, data, content_type="text/plain"), **fields}
    return client.post(reverse("plans:upload"), payload)


@pytest.fixture
def draft_003(importer_client: Client, regions: None) -> PlanUpload:
    """The Kazakh plan on state symbols, uploaded and waiting for review."""
    response = upload_file(importer_client, seed("003").read_bytes(), seed("003").name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return PlanUpload.objects.get()


@pytest.fixture
def saved_000(importer: User, regions: None) -> Plan:
    """The Kazakh text of «Нация Единого Будущего», saved by the importer."""
    from jospar.control.services.plan_revisions import plan_file_import

    path = seed("000")
    return plan_file_import(actor=importer, data=path.read_bytes(), filename=path.name).plan


@pytest.fixture
def people(make_user: Callable[..., User], saved_000: Plan) -> dict[str, User | None]:
    """One person per column of the permission matrix. The executor's organisation is one
    that the saved plan names (МСМ); the other executor's organisation is named by no plan."""
    own = (
        Organisation.objects.filter(aliases__code="МСМ", merged_into__isnull=True)
        .order_by("id")
        .first()
    )
    assert own is not None
    other = Organisation.objects.create(kind=OrganisationKind.OTHER, name_ru="Посторонний орган")
    return {
        "anonymous": None,
        "executor_other": make_user(Role.EXECUTOR, organisation=other, username="exec_other"),
        "executor_own": make_user(Role.EXECUTOR, organisation=own, username="exec_own"),
        "observer": make_user(Role.OBSERVER, username="observer"),
        "controller": make_user(Role.CONTROLLER, username="controller"),
        "administrator": make_user(Role.ADMINISTRATOR, username="administrator"),
    }
