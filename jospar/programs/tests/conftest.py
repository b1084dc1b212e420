from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jospar.core.models import Role, User
from jospar.programs.models import Program
from jospar.programs.services import program_import

SEED = Path(__file__).resolve().parents[1] / "demo_seeds" / "002_8999394f61b35e2b.txt"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def program_002(admin_user: User, seed_text: str) -> Program:
    return program_import(actor=admin_user, data=seed_text, filename=SEED.name).program
