"""Open311 client applications: keys issued by an administrator, kept only as hashes.

The plain key is returned once, when issued, and never stored: only its SHA-256 (to find the
client) and its first characters (to tell keys apart in the administration) are kept. A revoked
key stops working at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.civic.models import Open311Client
from jospar.civic.services._common import clean_text, require_administrator
from jospar.core.audit import audit_record
from jospar.core.errors import Conflict
from jospar.core.models import User

KEY_PREFIX = "j311_"
PREFIX_CHARS = 12
# Writing ``last_used_at`` on every request would make each read a write.
_LAST_USED_EVERY = dt.timedelta(minutes=5)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def open311_client_issue(*, actor: User, name: str, contact: str = "") -> tuple[Open311Client, str]:
    """A new client and its key; the key is shown this once."""
    user = require_administrator(actor)
    title = clean_text(name, field="name", max_chars=200, code="name_required")
    contact = str(contact or "").strip()[:200]
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Open311Client.objects.create(
            name=title,
            contact=contact,
            key_prefix=key[:PREFIX_CHARS],
            key_hash=key_hash(key),
            created_by=user,
        )
        audit_record(
            actor=user,
            action="civic.open311_client.issued",
            object_type="civic.open311client",
            object_id=client.pk,
            after={"name": title, "contact": contact, "key_prefix": client.key_prefix},
        )
    return client, key


def open311_client_revoke(*, actor: User, client: Open311Client) -> Open311Client:
    user = require_administrator(actor)
    with transaction.atomic():
        stored = Open311Client.objects.select_for_update().get(pk=client.pk)
        if stored.revoked_at is not None:
            raise Conflict("already_revoked", _("This key is already revoked."))
        stored.revoked_at = timezone.now()
        stored.revoked_by = user
        stored.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=user,
            action="civic.open311_client.revoked",
            object_type="civic.open311client",
            object_id=stored.pk,
            before={"revoked": False},
            after={"revoked": True, "key_prefix": stored.key_prefix},
        )
    return stored


def open311_client_authenticate(key: str) -> Open311Client | None:
    """The client holding this key, unless unknown or revoked."""
    if not key or not isinstance(key, str) or len(key) > 200:
        return None
    client = Open311Client.objects.filter(
        key_hash=key_hash(key.strip()), revoked_at__isnull=True
    ).first()
    if client is None:
        return None
    at = timezone.now()
    if client.last_used_at is None or at - client.last_used_at > _LAST_USED_EVERY:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=at)
        client.last_used_at = at
    return client
