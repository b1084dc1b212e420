"""Throttles of the staff login, the admin login, password reset and the REST API, and which
address counts behind the proxy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jospar.core.models import Role, User
from jospar.core.throttle import client_ip

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _login(client: Client, username: str, password: str, url: str = "", **extra: Any) -> Any:
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def _cool_off_passes() -> None:
    long_ago = timezone.now() - dt.timedelta(hours=2)
    AccessAttempt.objects.update(attempt_time=long_ago)


def test_the_account_is_locked_after_the_limit_even_for_the_right_password(
    make_user: Callable[..., User], settings: Any
) -> None:
    user = make_user(Role.EXECUTOR)
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        answer = _login(client, user.username, f"wrong-{attempt}")
        assert answer.status_code == 200, attempt
        assert not _logged_in(client)
    refused = _login(client, user.username, "wrong-last")
    assert refused.status_code == 429
    assert 'id="throttled"' in refused.content.decode()
    names = [t.name for t in refused.templates]
    assert "registration/throttled.html" in names
    assert "base.html" in names
    assert int(refused["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())

    right_too_soon = _login(client, user.username, PASSWORD)
    assert right_too_soon.status_code == 429
    assert not _logged_in(client)
    # The lockout holds for the account from another address too.
    assert _login(Client(), user.username, PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429

    _cool_off_passes()
    after = _login(client, user.username, PASSWORD)
    assert after.status_code == 302
    assert _logged_in(client)


def test_one_address_is_locked_whatever_accounts_it_tries(
    make_user: Callable[..., User], settings: Any
) -> None:
    victim = make_user(Role.CONTROLLER)
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"guess-{attempt}", "wrong")
    assert _login(client, victim.username, PASSWORD).status_code == 429
    assert not _logged_in(client)
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert _login(other, victim.username, PASSWORD).status_code == 302


def test_behind_the_proxy_a_forged_forwarded_address_does_not_escape(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.JOSPAR_BEHIND_PROXY = True
    user = make_user(Role.EXECUTOR)
    # nginx appends the address it saw ($proxy_add_x_forwarded_for); the client wrote the rest.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(
            Client(),
            f"guess-{attempt}",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7",
        )
    locked = _login(
        Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7"
    )
    assert locked.status_code == 429
    elsewhere = _login(Client(), user.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert elsewhere.status_code == 302


def test_client_address_comes_from_the_proxy_only_when_behind_one(settings: Any) -> None:
    class Req:
        META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}

    settings.JOSPAR_BEHIND_PROXY = False
    assert client_ip(Req()) == "127.0.0.1"
    settings.JOSPAR_BEHIND_PROXY = True
    assert client_ip(Req()) == "203.0.113.7"
    settings.JOSPAR_PROXY_COUNT = 2  # a load balancer in front of nginx
    assert client_ip(Req()) == "6.6.6.6"
    settings.JOSPAR_PROXY_COUNT = 3  # fewer hops than proxies: nothing to believe
    assert client_ip(Req()) == "127.0.0.1"

    class Garbage:
        META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>"}

    settings.JOSPAR_PROXY_COUNT = 1
    assert client_ip(Garbage()) == "127.0.0.1"


def test_the_admin_login_is_locked_too(make_user: Callable[..., User], settings: Any) -> None:
    admin = make_user(Role.ADMINISTRATOR, is_staff=True)
    client = Client()
    url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, admin.username, "wrong", url=url)
    refused = _login(client, admin.username, PASSWORD, url=url)
    assert refused.status_code == 429
    assert not _logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 302  # still to the login


def test_the_lockout_page_speaks_the_reader_s_language(
    make_user: Callable[..., User], settings: Any
) -> None:
    user = make_user()
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        answer = _login(client, user.username, "wrong")
    assert answer.status_code == 429
    assert "Слишком много попыток" in answer.content.decode()
    kk = Client(HTTP_ACCEPT_LANGUAGE="kk")
    assert "Әрекет тым көп" in _login(kk, user.username, "wrong").content.decode()


def test_password_reset_is_throttled_per_address_asked_for(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.JOSPAR_THROTTLE_RATES = {
        **settings.JOSPAR_THROTTLE_RATES,
        "password_reset_email": "3/3600",
    }
    make_user(email="someone@example.kz")
    client = Client()
    url = reverse("password_reset")
    for _attempt in range(3):
        assert client.post(url, {"email": "someone@example.kz"}).status_code == 302
    assert len(mail.outbox) == 3
    refused = client.post(url, {"email": "SOMEONE@example.kz"})
    assert refused.status_code == 429
    assert len(mail.outbox) == 3
    # Another address from the same client is still served.
    assert client.post(url, {"email": "other@example.kz"}).status_code == 302


def test_password_reset_is_throttled_per_client_address(settings: Any) -> None:
    settings.JOSPAR_THROTTLE_RATES = {
        **settings.JOSPAR_THROTTLE_RATES,
        "password_reset_ip": "4/3600",
    }
    client = Client()
    url = reverse("password_reset")
    for attempt in range(4):
        assert client.post(url, {"email": f"n{attempt}@example.kz"}).status_code == 302
    assert client.post(url, {"email": "n9@example.kz"}).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.5").post(url, {"email": "n9@example.kz"}).status_code == 302


def test_the_api_is_throttled_per_token(make_user: Callable[..., User], settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_user": "3/hour", "api_anon": "100/hour"},
    }
    first, second = make_user(Role.OBSERVER), make_user(Role.OBSERVER)
    url = reverse("organisation-list")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=first).key}")
    for _attempt in range(3):
        assert api.get(url).status_code == 200
    refused = api.get(url)
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "throttled"
    assert body["message"]
    assert int(refused["Retry-After"]) > 0
    # The other token, from the same address, is served.
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=second).key}")
    assert other.get(url).status_code == 200
