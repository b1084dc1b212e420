"""The user's notifications: the list, opening one, marking read, the e-mail setting."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jospar.core.access import access_notification
from jospar.core.models import User
from jospar.core.selectors.notifications import notification_list_for, unread_count_for_request
from jospar.core.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    user_notification_settings_set,
)

PAGE_SIZE = 50


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications")
    return HttpResponseRedirect(target)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    page = Paginator(notification_list_for(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "unread": unread_count_for_request(request)},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go where it points (a page of this site only)."""
    actor = cast(User, request.user)
    notification = notification_mark_read(
        actor=actor, notification=access_notification(actor, notification_id)
    )
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    actor = cast(User, request.user)
    notification_mark_read(actor=actor, notification=access_notification(actor, notification_id))
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(actor=cast(User, request.user))
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)


@login_required
@require_POST
def notification_settings(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    wanted = request.POST.get("email_notifications") == "on"
    user_notification_settings_set(actor=actor, user=actor, email_notifications=wanted)
    if wanted:
        messages.success(request, _("Notifications will also be sent to you by e-mail."))
    else:
        messages.success(request, _("Notifications will no longer be sent to you by e-mail."))
    return _back(request)
