"""Reading notifications, and finding who is told on an organisation's behalf."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Q, QuerySet
from django.http import HttpRequest

from jospar.core.models import Notification, Organisation, Role, User


def notification_list_for(user: User) -> QuerySet[Notification]:
    """The user's own notifications: unread first, then the newest."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def notification_unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_count_for_request(request: HttpRequest) -> int:
    """The bell's number, counted once per request however many times a page asks."""
    cached = getattr(request, "_jospar_unread", None)
    if cached is None:
        user = request.user
        cached = notification_unread_count(user) if isinstance(user, User) else 0
        request._jospar_unread = cached  # type: ignore[attr-defined]
    return int(cached)


def organisation_heads(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """Who is told when each organisation misses a deadline: its head where an administrator
    set one (and the person is active), otherwise its active users holding the head role."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    heads: dict[int, list[User]] = {}
    for org in Organisation.objects.filter(
        pk__in=ids, head__isnull=False, head__is_active=True
    ).select_related("head"):
        assert org.head is not None
        heads[org.pk] = [org.head]
    without = [pk for pk in ids if pk not in heads]
    if without:
        for user in (
            User.objects.filter(
                Q(role_grants__role=Role.HEAD),
                is_active=True,
                organisation_id__in=without,
            )
            .distinct()
            .order_by("pk")
        ):
            assert user.organisation_id is not None
            heads.setdefault(user.organisation_id, []).append(user)
    return heads
