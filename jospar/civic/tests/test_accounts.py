"""Citizens' accounts through the pages: register, confirm by the link, ask again, log in by
e-mail; an unconfirmed account neither logs in nor files."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from jospar.civic.models import CitizenAccount
from jospar.civic.services import citizen_confirm, citizen_register
from jospar.civic.services.accounts import SALT, make_token
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db
PASSWORD = "Kok-tobe-2025-river"


def _register(client: Client, email: str = "Aigerim@Example.kz", **extra: str) -> Any:
    data = {
        "email": email,
        "first_name": "Айгерім",
        "last_name": "Сейітқызы",
        "language": "kk",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("civic:register"), data)


def _link(letter: Any) -> str:
    found = re.search(r"https?://\S+/civic/accounts/confirm/\S+/", letter.body)
    assert found, letter.body
    return urlsplit(found.group(0)).path


def test_register_confirm_and_log_in_by_email(
    client: Client, django_capture_on_commit_callbacks: Any, mailbox: list[Any]
) -> None:
    page = client.get(reverse("civic:register"))
    assert page.status_code == 200
    assert b'name="email"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("civic:register-done")
    user = User.objects.get(email="aigerim@example.kz")
    assert user.username == "aigerim@example.kz"
    assert not user.is_active
    assert CitizenAccount.objects.get(user=user).email_confirmed_at is None
    done = client.get(reverse("civic:register-done"))
    assert "aigerim@example.kz" in done.content.decode()

    # Not confirmed: the right password does not let it in, and says why.
    login = client.post(
        reverse("civic:login"), {"username": "aigerim@example.kz", "password": PASSWORD}
    )
    assert login.status_code == 200
    assert "_auth_user_id" not in client.session
    assert reverse("civic:resend") in login.content.decode()

    assert len(mailbox) == 1
    assert mailbox[0].to == ["aigerim@example.kz"]
    link = _link(mailbox[0])
    confirmed = client.get(link)
    assert confirmed.status_code == 200
    assert reverse("civic:login") in confirmed.content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert CitizenAccount.objects.get(user=user).email_confirmed_at is not None
    assert AuditEvent.objects.filter(action="civic.account.confirmed").count() == 1
    # A second click changes nothing.
    assert client.get(link).status_code == 200
    assert AuditEvent.objects.filter(action="civic.account.confirmed").count() == 1

    wrong = client.post(
        reverse("civic:login"), {"username": "aigerim@example.kz", "password": "nope"}
    )
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    logged = client.post(
        reverse("civic:login"), {"username": "AIGERIM@example.kz", "password": PASSWORD}
    )
    assert logged.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_expired_or_altered_link_is_refused(
    client: Client, django_capture_on_commit_callbacks: Any, mailbox: list[Any], settings: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    user = User.objects.get(email="aigerim@example.kz")
    token = make_token(user)
    tampered = client.get(reverse("civic:confirm", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 400
    settings.CIVIC_CONFIRM_MAX_AGE = -1
    expired = client.get(reverse("civic:confirm", args=[token]))
    assert expired.status_code == 400
    assert reverse("civic:resend") in expired.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    with pytest.raises(ServiceError) as refused:
        citizen_confirm(token=token)
    assert refused.value.code == "link_expired"
    # A token for another address (the e-mail changed since) is not valid.
    other = signing.dumps({"u": user.pk, "e": "someone@else.kz"}, salt=SALT)
    settings.CIVIC_CONFIRM_MAX_AGE = 3600
    with pytest.raises(ServiceError) as refused:
        citizen_confirm(token=other)
    assert refused.value.code == "link_invalid"


def test_resend_says_the_same_for_any_address_and_is_throttled(
    client: Client,
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
    settings: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    assert len(mailbox) == 1
    settings.CIVIC_CONFIRM_RESEND_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        too_soon = client.post(reverse("civic:resend"), {"email": "aigerim@example.kz"})
        unknown = client.post(reverse("civic:resend"), {"email": "nobody@example.kz"})
    assert len(mailbox) == 1
    assert too_soon.status_code == unknown.status_code == 200
    assert b'id="resend-done"' in too_soon.content
    assert b'id="resend-done"' in unknown.content
    settings.CIVIC_CONFIRM_RESEND_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("civic:resend"), {"email": "AIGERIM@example.kz"})
    assert len(mailbox) == 2
    assert CitizenAccount.objects.get().confirmations_sent == 2


def test_registering_a_taken_address_tells_its_owner_not_the_stranger(
    client: Client,
    django_capture_on_commit_callbacks: Any,
    mailbox: list[Any],
    settings: Any,
) -> None:
    settings.CIVIC_CONFIRM_RESEND_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    citizen_confirm(token=make_token(User.objects.get()))
    with django_capture_on_commit_callbacks(execute=True):
        again = _register(client, email="aigerim@example.kz")
    assert again.status_code == 302
    assert again["Location"] == reverse("civic:register-done")
    assert User.objects.count() == 1
    assert len(mailbox) == 2
    assert "/accounts/password-reset/" in mailbox[1].body


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"password2": "different-Password-1"}, "password2"),
    ],
)
def test_registration_errors_keep_what_was_typed(
    client: Client, extra: dict[str, str], field: str
) -> None:
    response = _register(client, **extra)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Сейітқызы" in response.content.decode()
    assert not User.objects.exists()


def test_the_service_refuses_a_signed_in_person_and_weak_passwords(
    make_user: Callable[..., User],
) -> None:
    with pytest.raises(PermissionRefused):
        citizen_register(actor=make_user(), email="x@example.kz", password=PASSWORD)
    with pytest.raises(ServiceError) as refused:
        citizen_register(actor=None, email="x@example.kz", password="x@example.kz")
    assert refused.value.code == "weak_password"
    assert not CitizenAccount.objects.exists()


def test_a_deactivated_account_is_not_revived_by_an_old_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    user = User.objects.get()
    token = make_token(user)
    citizen_confirm(token=token)
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(ServiceError) as refused:
        citizen_confirm(token=token)
    assert refused.value.code == "link_invalid"
    assert not User.objects.get().is_active


def test_a_staff_account_logs_in_by_its_email_too(make_user: Callable[..., User]) -> None:
    make_user(username="ivanov", email="ivanov@gov.kz", password=PASSWORD)
    client = Client()
    response = client.post(
        reverse("civic:login"), {"username": "ivanov@gov.kz", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert CitizenAccount.objects.count() == 0
