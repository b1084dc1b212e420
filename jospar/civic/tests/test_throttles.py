"""Throttles of the portal: the citizens' e-mail login, registration and "send the link again",
and the Open311 POST (per API key and per address)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.civic.models import CitizenReport
from jospar.civic.services import open311_client_issue
from jospar.core.models import User

from .conftest import ALMATY, World

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
REQUESTS = "/open311/v2/requests.json"


def _email_login(client: Client, email: str, password: str) -> Any:
    return client.post(reverse("civic:login"), {"username": email, "password": password})


def test_the_email_login_locks_the_account_until_the_cool_off(
    make_user: Callable[..., User], settings: Any
) -> None:
    make_user(username="aigerim@example.kz", email="aigerim@example.kz")
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        assert _email_login(client, "aigerim@example.kz", f"wrong-{attempt}").status_code == 200
    refused = _email_login(client, "Aigerim@example.kz", "wrong-last")
    assert refused.status_code == 429
    assert b'id="throttled"' in refused.content
    right_too_soon = _email_login(client, "aigerim@example.kz", PASSWORD)
    assert right_too_soon.status_code == 429
    assert "_auth_user_id" not in client.session

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=2))
    assert _email_login(client, "aigerim@example.kz", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_a_locked_unconfirmed_account_is_not_told_its_password_was_right(
    unconfirmed: User, settings: Any
) -> None:
    User.objects.filter(pk=unconfirmed.pk).update(is_active=False)
    client = Client()
    told = _email_login(client, "new@example.kz", PASSWORD)
    assert told.status_code == 200
    assert told.context["form"].unconfirmed
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _email_login(client, "new@example.kz", "wrong")
    locked = _email_login(client, "new@example.kz", PASSWORD)
    assert locked.status_code == 429
    assert b"not confirmed" not in locked.content


def test_the_email_login_locks_one_address_trying_many_accounts(
    make_user: Callable[..., User], settings: Any
) -> None:
    make_user(username="bolat@example.kz", email="bolat@example.kz")
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _email_login(client, f"guess{attempt}@example.kz", "wrong")
    assert _email_login(client, "bolat@example.kz", PASSWORD).status_code == 429
    other = Client(REMOTE_ADDR="10.20.30.40")
    assert _email_login(other, "bolat@example.kz", PASSWORD).status_code == 302


def _registration(email: str) -> dict[str, str]:
    return {
        "email": email,
        "first_name": "",
        "last_name": "",
        "language": "kk",
        "password1": "Kok-tobe-2025-river",
        "password2": "Kok-tobe-2025-river",
    }


def test_registration_is_throttled_per_address(settings: Any) -> None:
    settings.JOSPAR_THROTTLE_RATES = {**settings.JOSPAR_THROTTLE_RATES, "register_ip": "3/3600"}
    client = Client()
    for attempt in range(3):
        answer = client.post(reverse("civic:register"), _registration(f"c{attempt}@example.kz"))
        assert answer.status_code == 302
        client.logout()
    refused = client.post(reverse("civic:register"), _registration("late@example.kz"))
    assert refused.status_code == 429
    assert b'id="throttled"' in refused.content
    assert not User.objects.filter(email="late@example.kz").exists()
    assert client.post(reverse("civic:resend"), {"email": "c0@example.kz"}).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.7")
    assert (
        other.post(reverse("civic:register"), _registration("late@example.kz")).status_code == 302
    )
    assert User.objects.filter(email="late@example.kz").exists()


def _report(key: str, **extra: str) -> dict[str, str]:
    return {
        "api_key": key,
        "service_code": "roads",
        "lat": str(ALMATY[0]),
        "long": str(ALMATY[1]),
        "description": "Жолда үлкен шұңқыр бар.",
        "attribute[problem]": "pothole",
        **extra,
    }


def test_open311_post_is_throttled_per_key(world: World, settings: Any) -> None:
    settings.JOSPAR_THROTTLE_RATES = {**settings.JOSPAR_THROTTLE_RATES, "open311_key": "3/3600"}
    _c, key = open311_client_issue(actor=world.admin, name="Mobile app")
    _c2, other_key = open311_client_issue(actor=world.admin, name="Other app")
    client = Client()
    # Refusals after the key is known count too (here: no service_code).
    for _attempt in range(2):
        assert client.post(REQUESTS, _report(key, service_code="")).status_code == 400
    assert client.post(REQUESTS, _report(key)).status_code == 200
    before = CitizenReport.objects.count()
    refused = client.post(REQUESTS, _report(key))
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert CitizenReport.objects.count() == before
    assert client.post(REQUESTS, _report(other_key)).status_code == 200


def test_open311_post_is_throttled_per_address(world: World, settings: Any) -> None:
    settings.JOSPAR_THROTTLE_RATES = {**settings.JOSPAR_THROTTLE_RATES, "open311_ip": "3/3600"}
    _c, key = open311_client_issue(actor=world.admin, name="Mobile app")
    client = Client()
    for attempt in range(3):
        assert client.post(REQUESTS, _report(f"guess-{attempt}")).status_code == 403
    before = CitizenReport.objects.count()
    assert client.post(REQUESTS, _report(key)).status_code == 429
    assert CitizenReport.objects.count() == before
    # Reading is not throttled, another address may still post.
    assert client.get(REQUESTS).status_code == 200
    assert Client(REMOTE_ADDR="10.3.3.3").post(REQUESTS, _report(key)).status_code == 200


def test_registration_is_throttled_per_email_address(settings: Any) -> None:
    settings.JOSPAR_THROTTLE_RATES = {
        **settings.JOSPAR_THROTTLE_RATES,
        "register_email": "2/3600",
    }
    for attempt in range(2):
        client = Client(REMOTE_ADDR=f"10.0.1.{attempt}")
        assert (
            client.post(reverse("civic:register"), _registration("x@example.kz")).status_code == 302
        )
    accounts = User.objects.filter(email="x@example.kz").count()
    refused = Client(REMOTE_ADDR="10.0.1.9").post(
        reverse("civic:register"), _registration("X@Example.kz")
    )
    assert refused.status_code == 429
    assert User.objects.filter(email__iexact="x@example.kz").count() == accounts
    fine = Client(REMOTE_ADDR="10.0.1.9").post(
        reverse("civic:register"), _registration("y@example.kz")
    )
    assert fine.status_code == 302
