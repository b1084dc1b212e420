"""Fixtures of the directory's tests."""

from __future__ import annotations

from typing import Any

import pytest

from jospar.core.models import Role, RoleGrant, User
from jospar.core.services import RegionLoadResult, regions_load


@pytest.fixture
def loaded_regions(db: Any) -> RegionLoadResult:
    return regions_load(actor=None)


@pytest.fixture
def administrator(db: Any) -> User:
    user = User.objects.create_user(username="directory-admin", password="x-correct-horse-9")
    RoleGrant.objects.create(user=user, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser(username="root", password="x-correct-horse-9")
