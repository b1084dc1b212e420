"""A user's own password change and reset go through the audited service: the audit log says
who changed which user's password and how, never the hash; a refused form changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from jospar.core.audit import audit_verify_chain
from jospar.core.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db
OLD, NEW = "old-horse-battery-1", "new-staple-correct-2"


def test_a_password_change_is_audited_without_the_hash(
    client: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.EXECUTOR, password=OLD)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(action="user.password_changed")
    assert (event.actor_id, event.object_id) == (user.pk, str(user.pk))
    assert user.password not in str(event.after)
    assert audit_verify_chain().ok


def test_a_wrong_old_password_changes_nothing(client: Any, make_user: Callable[..., User]) -> None:
    user = make_user(Role.EXECUTOR, password=OLD)
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(OLD)
    assert AuditEvent.objects.count() == before


def test_a_reset_by_mail_is_audited_as_the_user(
    client: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.EXECUTOR, password=OLD, email="reset@example.kz")
    client.post(reverse("password_reset"), {"email": "reset@example.kz"})
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/reset/[^/]+/[^/\s]+/", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(0), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor_id == user.pk
