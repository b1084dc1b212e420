"""Enrol, verify and remove a second factor (TOTP by django-otp, with one-time backup codes).

A pending secret lives in the person's session until it is confirmed with a code; only then is a
device written, with its audit row, in one transaction. Removal by the person and reset by an
administrator are audited the same way. Secrets and codes are never written to the audit log.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import Role, User

BACKUP_CODES = 10
TOTP_NAME = "jospar"
BACKUP_NAME = "backup"


def two_factor_applies(user: User | None) -> bool:
    """Controllers and administrators may (or, with TWO_FACTOR_REQUIRED, must) use it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_administrator or user.has_role(Role.CONTROLLER))


def two_factor_required(user: User | None) -> bool:
    return bool(getattr(settings, "TWO_FACTOR_REQUIRED", False)) and two_factor_applies(user)


def two_factor_enabled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def new_pending_key() -> str:
    return str(random_hex(20))


def base32_secret(key_hex: str) -> str:
    """The secret as authenticator apps take it when typed (RFC 4648 base32, no padding)."""
    return base64.b32encode(binascii.unhexlify(key_hex)).decode("ascii").rstrip("=")


def provisioning_uri(user: User, key_hex: str) -> str:
    device = TOTPDevice(user=user, key=key_hex, name=TOTP_NAME)
    return str(device.config_url)


def _code_matches(key_hex: str, code: str) -> int | None:
    """The time step the code belongs to, if it is right now (one step of clock drift)."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    if totp.verify(int(code), tolerance=1):
        return int(totp.t())
    return None


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    backup_codes: list[str]


def two_factor_enrol(*, actor: User, key_hex: str, code: str) -> Enrolment:
    """Confirm the pending secret with a code from the app: the TOTP device and a set of
    one-time backup codes are written, replacing any earlier ones of the person."""
    if not two_factor_applies(actor):
        raise PermissionRefused(
            "forbidden", _("A second factor is for controllers and administrators.")
        )
    try:
        binascii.unhexlify(key_hex)
    except (binascii.Error, ValueError):
        key_hex = ""
    if len(key_hex) != 40:
        raise ServiceError("no_pending_key", _("Start the set-up again: the secret has expired."))
    step = _code_matches(key_hex, code)
    if step is None:
        raise ServiceError(
            "wrong_code",
            _("The code is wrong or has expired; enter the code the app shows now."),
            {"code": [_("The code is wrong or has expired.")]},
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        had = _delete_devices(user)
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_NAME, key=key_hex, confirmed=True, last_t=step
        )
        backup = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
        audit_record(
            actor=actor,
            action="user.two_factor_enrolled",
            object_type="core.user",
            object_id=user.pk,
            before={"two_factor": had},
            after={"two_factor": True, "backup_codes": len(codes)},
        )
    return Enrolment(device=device, backup_codes=codes)


def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device a code (from the app, or a backup code) belongs to; a backup code is used up.
    django-otp slows down repeated failures on each device."""
    code = code.strip().replace(" ", "")
    if not code or len(code) > 16:
        return None
    device: Device | None = match_token(user, code)
    return device


def two_factor_remove(*, actor: User, user: User, reason: str = "") -> bool:
    """Remove a person's second factor: by the person (not while it is required of them) or, as
    a reset, by an administrator (a reason is required). False if there was none."""
    reason = reason.strip()
    if actor.pk == user.pk:
        if two_factor_required(actor):
            raise PermissionRefused(
                "required",
                _("A second factor is required for your role; ask an administrator to reset it."),
            )
    elif not actor.is_administrator:
        raise PermissionRefused(
            "forbidden", _("Only an administrator may reset another person's second factor.")
        )
    if actor.pk != user.pk and not reason:
        raise ServiceError(
            "reason_required",
            _("Give the reason for the reset."),
            {"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        had = _delete_devices(locked)
        if not had:
            return False
        audit_record(
            actor=actor,
            action="user.two_factor_removed" if actor.pk == user.pk else "user.two_factor_reset",
            object_type="core.user",
            object_id=user.pk,
            before={"two_factor": True},
            after={"two_factor": False},
            reason=reason,
        )
    return True


def _delete_devices(user: User) -> bool:
    had = any(True for _device in devices_for_user(user, confirmed=True))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had
