"""The second factor: enrolment with a code, login with and without one (staff login, the
portal's e-mail login, the admin site), backup codes, the required mode, removal and the
administrators' reset, and who may open which page."""

from __future__ import annotations

import binascii
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jospar.core.models import AuditEvent, Role, User
from jospar.core.two_factor.services import base32_secret

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
SETUP = "/accounts/two-factor/"
VERIFY = "/accounts/two-factor/verify/"


def _code(key_hex: str, offset: int = 0) -> str:
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6, drift=offset)
    return f"{totp.token():06d}"


def _signed_in(user: User, **extra: Any) -> Client:
    client = Client(**extra)
    answer = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def _enrol(client: Client) -> tuple[str, list[str]]:
    page = client.get(SETUP)
    assert page.status_code == 200
    key = client.session["two_factor_pending_key"]
    done = client.post(SETUP, {"action": "confirm", "code": _code(key)})
    assert done.status_code == 200, done.content.decode()[:2000]
    return key, list(done.context["codes"])


def test_a_controller_enrols_with_a_code_from_the_app(make_user: Callable[..., User]) -> None:
    controller = make_user(Role.CONTROLLER)
    client = _signed_in(controller)
    page = client.get(SETUP)
    html = page.content.decode()
    key = client.session["two_factor_pending_key"]
    assert "<svg" in html
    assert 'class="qr-code"' in html
    assert base32_secret(key) in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    # The same pending secret is shown until it is confirmed.
    client.get(SETUP)
    assert client.session["two_factor_pending_key"] == key

    wrong = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=controller).exists()
    assert not AuditEvent.objects.filter(action="user.two_factor_enrolled").exists()

    done = client.post(SETUP, {"action": "confirm", "code": _code(key)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    device = TOTPDevice.objects.get(user=controller)
    assert device.confirmed
    assert device.key == key
    assert StaticToken.objects.filter(device__user=controller).count() == 10
    event = AuditEvent.objects.get(action="user.two_factor_enrolled")
    assert event.actor_id == controller.pk
    assert event.object_id == str(controller.pk)
    assert key not in str(event.after)
    assert codes[0] not in str(event.after)
    assert "two_factor_pending_key" not in client.session
    # The session that enrolled is verified already.
    assert client.get(reverse("home"), follow=True).status_code == 200


@pytest.mark.parametrize("how", ["staff", "portal", "admin"])
def test_after_enrolment_every_login_asks_for_the_code(
    make_user: Callable[..., User], how: str
) -> None:
    admin = make_user(Role.ADMINISTRATOR, is_staff=True, email="adm@example.kz")
    key, _codes = _enrol(_signed_in(admin))
    client = Client()
    if how == "staff":
        answer = client.post(reverse("login"), {"username": admin.username, "password": PASSWORD})
    elif how == "portal":
        answer = client.post(
            reverse("civic:login"), {"username": "adm@example.kz", "password": PASSWORD}
        )
    else:
        answer = client.post(
            reverse("admin:login"), {"username": admin.username, "password": PASSWORD}
        )
    assert answer.status_code == 302
    target = reverse("admin:index") if how == "admin" else reverse("plans:list")
    held = client.get(target)
    assert held.status_code == 302
    assert held["Location"].startswith(VERIFY)
    api = client.get("/api/organisations/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"

    wrong = client.post(VERIFY, {"code": "123456", "next": target})
    assert wrong.status_code == 400
    assert client.get(target).status_code == 302

    # django-otp slows a device down after a failure; let the next try be judged on its code.
    TOTPDevice.objects.filter(user=admin).update(throttling_failure_count=0)
    right = client.post(VERIFY, {"code": _code(key, 1), "next": target})
    assert right.status_code == 302
    assert right["Location"] == target
    assert client.get(target).status_code == 200


def test_a_backup_code_works_once(make_user: Callable[..., User]) -> None:
    controller = make_user(Role.CONTROLLER)
    _key, codes = _enrol(_signed_in(controller))
    first = _signed_in(controller)
    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get(reverse("plans:list")).status_code == 200
    second = _signed_in(controller)
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=controller).count() == 9


def test_without_a_second_factor_the_password_is_enough(make_user: Callable[..., User]) -> None:
    controller = make_user(Role.CONTROLLER)
    client = _signed_in(controller)
    assert client.get(reverse("plans:list")).status_code == 200
    assert client.get(VERIFY).status_code == 302  # nothing to verify


def test_codes_after_the_password_are_throttled(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.JOSPAR_THROTTLE_RATES = {
        **settings.JOSPAR_THROTTLE_RATES,
        "two_factor_user": "3/900",
    }
    controller = make_user(Role.CONTROLLER)
    key, _codes = _enrol(_signed_in(controller))
    client = _signed_in(controller)
    for _attempt in range(3):
        assert client.post(VERIFY, {"code": "111111"}).status_code == 400
    TOTPDevice.objects.filter(user=controller).update(throttling_failure_count=0)
    assert client.post(VERIFY, {"code": _code(key, 1)}).status_code == 429
    assert client.get(reverse("plans:list")).status_code == 302


def test_required_mode_sends_controllers_to_set_it_up(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    controller, executor = make_user(Role.CONTROLLER), make_user(Role.EXECUTOR)
    client = _signed_in(controller)
    held = client.get(reverse("plans:list"))
    assert held.status_code == 302
    assert held["Location"].startswith(SETUP)
    assert client.get(SETUP).status_code == 200
    assert _signed_in(executor).get(reverse("plans:list")).status_code == 200

    key, _codes = _enrol(client)
    assert client.get(reverse("plans:list")).status_code == 200
    # Required: the person cannot turn it off; an administrator resets it.
    refused = client.post(SETUP, {"action": "remove", "code": _code(key, 1)})
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=controller).exists()


def test_the_person_turns_it_off_with_a_code_when_optional(
    make_user: Callable[..., User],
) -> None:
    controller = make_user(Role.CONTROLLER)
    client = _signed_in(controller)
    key, _codes = _enrol(client)
    assert client.post(SETUP, {"action": "remove", "code": "999999"}).status_code == 400
    assert TOTPDevice.objects.filter(user=controller).exists()
    TOTPDevice.objects.filter(user=controller).update(throttling_failure_count=0)
    off = client.post(SETUP, {"action": "remove", "code": _code(key, 1)})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=controller).exists()
    assert not StaticDevice.objects.filter(user=controller).exists()
    event = AuditEvent.objects.get(action="user.two_factor_removed")
    assert event.actor_id == controller.pk


ROLES: dict[str, tuple[Role, ...]] = {
    "citizen": (),
    "executor": (Role.EXECUTOR,),
    "observer": (Role.OBSERVER,),
    "civic_official": (Role.CIVIC_OFFICIAL,),
    "controller": (Role.CONTROLLER,),
    "administrator": (Role.ADMINISTRATOR,),
}
SETUP_ALLOWED = {"controller", "administrator"}
RESET_ALLOWED = {"administrator"}


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_who_may_open_the_setup_page(make_user: Callable[..., User], who: str) -> None:
    if who == "anonymous":
        client = Client()
        answer = client.get(SETUP)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login"))
        return
    user = make_user(*ROLES[who])
    client = _signed_in(user)
    answer = client.get(SETUP)
    assert answer.status_code == (200 if who in SETUP_ALLOWED else 403)
    posted = client.post(SETUP, {"action": "confirm", "code": "123456"})
    if who not in SETUP_ALLOWED:
        assert posted.status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_who_may_reset_another_person_s_second_factor(
    make_user: Callable[..., User], who: str
) -> None:
    victim = make_user(Role.CONTROLLER)
    _enrol(_signed_in(victim))
    url = reverse("two-factor-reset", args=[victim.pk])
    audit_before = AuditEvent.objects.count()
    client = Client() if who == "anonymous" else _signed_in(make_user(*ROLES[who]))
    listing = client.get(reverse("two-factor-users"))
    page = client.get(url)
    answer = client.post(url, {"reason": "Lost the phone"})
    if who == "anonymous":
        assert listing.status_code == page.status_code == answer.status_code == 302
    elif who not in RESET_ALLOWED:
        assert listing.status_code == page.status_code == answer.status_code == 403
    if who not in RESET_ALLOWED:
        assert TOTPDevice.objects.filter(user=victim).exists()
        assert AuditEvent.objects.count() == audit_before
        return
    assert listing.status_code == 200
    assert victim.username in listing.content.decode()
    assert page.status_code == 200
    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=victim).exists()
    assert not StaticDevice.objects.filter(user=victim).exists()
    event = AuditEvent.objects.get(action="user.two_factor_reset")
    assert event.object_id == str(victim.pk)
    assert event.reason == "Lost the phone"
    # The person signs in with the password alone now.
    assert _signed_in(victim).get(reverse("plans:list")).status_code == 200


def test_a_reset_needs_a_reason_and_changes_nothing_without_one(
    make_user: Callable[..., User],
) -> None:
    victim = make_user(Role.CONTROLLER)
    _enrol(_signed_in(victim))
    admin = _signed_in(make_user(Role.ADMINISTRATOR))
    audit_before = AuditEvent.objects.count()
    answer = admin.post(reverse("two-factor-reset", args=[victim.pk]), {"reason": "  "})
    assert answer.status_code == 400
    assert TOTPDevice.objects.filter(user=victim).exists()
    assert AuditEvent.objects.count() == audit_before
    missing = admin.get(reverse("two-factor-reset", args=[999999]))
    assert missing.status_code == 404


def test_the_account_bar_links_the_page_for_those_who_may_use_it(
    make_user: Callable[..., User],
) -> None:
    controller = _signed_in(make_user(Role.CONTROLLER))
    executor = _signed_in(make_user(Role.EXECUTOR))
    page = controller.get(reverse("home"), follow=True).content.decode()
    assert 'id="nav-two-factor"' in page
    page = executor.get(reverse("home"), follow=True).content.decode()
    assert 'id="nav-two-factor"' not in page
