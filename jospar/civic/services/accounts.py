"""Citizens' accounts: registration by e-mail, confirmation by a signed link, sending it again.

The e-mail is the login (and the user name). An account is inactive until its e-mail is
confirmed, so that an unconfirmed one can neither log in nor file; the confirmation link is
signed and expires after ``CIVIC_CONFIRM_MAX_AGE`` seconds (3 days). An account an
administrator deactivated is not brought back by an old link.

Nothing here tells a stranger whether an address is registered: registering an address that
already has an account sends its owner a letter instead, and the page says the same either way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jospar.civic.models import CitizenAccount
from jospar.core.audit import audit_record
from jospar.core.errors import PermissionRefused, ServiceError
from jospar.core.models import Lang, User

logger = logging.getLogger(__name__)

SALT = "jospar.civic.confirm-email"
EMAIL_MAX_CHARS = 150  # the user name holds it


def confirm_max_age() -> int:
    return int(getattr(settings, "CIVIC_CONFIRM_MAX_AGE", 3 * 24 * 3600))


def resend_interval() -> int:
    return int(getattr(settings, "CIVIC_CONFIRM_RESEND_SECONDS", 60))


def normalise_email(email: str) -> str:
    return str(email or "").strip().lower()


def _field_error(code: str, field: str, message: str) -> ServiceError:
    return ServiceError(code, message, {field: [message]})


def make_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": normalise_email(user.email)}, salt=SALT)


def _site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _send(user_id: int, template: str) -> None:
    """For ``transaction.on_commit``: one letter in the person's language. A failure is
    logged; the page offers to send the letter again."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    with translation.override(user.language or "kk"):
        context = {
            "user": user,
            "site_url": _site_url(),
            "confirm_url": _site_url() + reverse("civic:confirm", args=[make_token(user)]),
            "login_url": _site_url() + reverse("civic:login"),
            "reset_url": _site_url() + reverse("password_reset"),
            "days": max(1, confirm_max_age() // 86400),
        }
        subject = " ".join(
            render_to_string(f"civic/accounts/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"civic/accounts/email/{template}.txt", context)
    letter = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        letter.send()
    except Exception:  # any failure of the mail system: the person can ask again
        logger.warning("civic: %s letter to user %s failed", template, user_id, exc_info=True)


def _queue(user_id: int, template: str) -> None:
    transaction.on_commit(lambda: _send(user_id, template))


def _may_send_again(account: CitizenAccount) -> bool:
    sent = account.confirmation_sent_at
    return sent is None or (timezone.now() - sent).total_seconds() >= resend_interval()


def _mark_sent(account: CitizenAccount) -> None:
    account.confirmation_sent_at = timezone.now()
    account.confirmations_sent = min(account.confirmations_sent + 1, 32000)
    account.save(update_fields=["confirmation_sent_at", "confirmations_sent"])


@dataclass(frozen=True)
class Registration:
    """What happened, for tests and logs; the page shows the same in every case."""

    user: User | None
    created: bool


def citizen_register(
    *,
    actor: User | None,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "kk",
) -> Registration:
    """Register a citizen and send the confirmation link."""
    if isinstance(actor, User) and actor.is_authenticated:
        raise PermissionRefused("already_signed_in", _("You are already logged in."))
    address = normalise_email(email)
    try:
        validate_email(address)
    except ValidationError:
        raise _field_error("invalid_email", "email", _("Enter a valid e-mail address.")) from None
    if len(address) > EMAIL_MAX_CHARS:
        raise _field_error(
            "invalid_email",
            "email",
            _("The e-mail address may have at most %(n)d characters.") % {"n": EMAIL_MAX_CHARS},
        )
    if language not in Lang.values:
        language = Lang.KK
    first_name, last_name = str(first_name or "").strip()[:150], str(last_name or "").strip()[:150]
    probe = User(username=address, email=address, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, probe)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise ServiceError("weak_password", message, {"password": list(error.messages)}) from None

    with transaction.atomic():
        existing = (
            User.objects.select_for_update()
            .filter(Q(email__iexact=address) | Q(username__iexact=address))
            .order_by("pk")
            .first()
        )
        if existing is not None:
            account = CitizenAccount.objects.filter(user=existing).first()
            if account is not None and _may_send_again(account):
                _mark_sent(account)
                _queue(existing.pk, "already" if account.is_confirmed else "confirm")
            return Registration(user=None, created=False)
        user = User(
            username=address,
            email=address,
            first_name=first_name,
            last_name=last_name,
            language=language,
            is_active=False,
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # registered at the same moment by another request
            return Registration(user=None, created=False)
        account = CitizenAccount.objects.create(user=user, registered_at=timezone.now())
        _mark_sent(account)
        audit_record(
            actor=None,
            action="civic.account.registered",
            object_type="core.user",
            object_id=user.pk,
            after={"email": address, "language": language},
        )
        _queue(user.pk, "confirm")
    return Registration(user=user, created=True)


def citizen_confirm(*, token: str) -> User:
    """Confirm the e-mail of the link's account and let it in. A second click changes
    nothing; an expired or altered link is refused."""
    try:
        data = signing.loads(token, salt=SALT, max_age=confirm_max_age())
    except signing.SignatureExpired:
        raise ServiceError(
            "link_expired",
            _("This confirmation link has expired. Ask for a new one."),
        ) from None
    except signing.BadSignature:
        raise ServiceError("link_invalid", _("This confirmation link is not valid.")) from None
    if not isinstance(data, dict):
        raise ServiceError("link_invalid", _("This confirmation link is not valid."))
    with transaction.atomic():
        user_id = data.get("u")
        user = (
            User.objects.select_for_update().filter(pk=user_id).first()
            if isinstance(user_id, int)
            else None
        )
        account = CitizenAccount.objects.filter(user=user).first() if user else None
        if (
            user is None
            or account is None
            or normalise_email(user.email) != str(data.get("e") or "")
        ):
            raise ServiceError("link_invalid", _("This confirmation link is not valid."))
        if account.is_confirmed:
            if not user.is_active:
                # Deactivated by an administrator since: an old link does not undo that.
                raise ServiceError("link_invalid", _("This confirmation link is not valid."))
            return user
        account.email_confirmed_at = timezone.now()
        account.save(update_fields=["email_confirmed_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(
            actor=user,
            action="civic.account.confirmed",
            object_type="core.user",
            object_id=user.pk,
            before={"is_active": False},
            after={"is_active": True, "email": user.email},
        )
    return user


def citizen_confirmation_resend(*, email: str) -> bool:
    """Send the confirmation link again to an account still unconfirmed (not more often
    than every ``CIVIC_CONFIRM_RESEND_SECONDS``). Whether it was sent is not shown."""
    address = normalise_email(email)
    if not address:
        return False
    with transaction.atomic():
        account = (
            CitizenAccount.objects.select_for_update()
            .select_related("user")
            .filter(user__email__iexact=address, email_confirmed_at__isnull=True)
            .first()
        )
        if account is None or not _may_send_again(account):
            return False
        _mark_sent(account)
        _queue(account.user_id, "confirm")
    return True


def account_needs_confirmation(user: User) -> bool:
    return CitizenAccount.objects.filter(user=user, email_confirmed_at__isnull=True).exists()
