"""Objects of the core app named in a URL: 404 for both "missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404

from jospar.core.models import Notification, User


def access_notification(user: User, notification_id: int) -> Notification:
    if not user.is_authenticated:
        raise Http404
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise Http404
    return notification
