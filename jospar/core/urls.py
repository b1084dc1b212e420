from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from jospar.core.forms_accounts import AuditedPasswordChangeForm, AuditedSetPasswordForm
from jospar.core.views import accounts as views_accounts
from jospar.core.views import calendar as views_calendar
from jospar.core.views import maps as views_maps
from jospar.core.views import notifications as views_notifications
from jospar.core.views import pages as views

urlpatterns = [
    path("", views.home, name="home"),
    path("directory/", views.directory, name="directory"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("regions/shapes.geojson", views_maps.region_shapes_geojson, name="region-shapes"),
    path(
        "directory/organisations/<id:organisation_id>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path(
        "notifications/<id:notification_id>/open/",
        views_notifications.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/<id:notification_id>/read/",
        views_notifications.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        views_notifications.notification_read_all,
        name="notifications-read-all",
    ),
    path(
        "notifications/settings/",
        views_notifications.notification_settings,
        name="notification-settings",
    ),
    path("", include("jospar.core.two_factor.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        views_accounts.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=AuditedSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password-change/",
        auth_views.PasswordChangeView.as_view(form_class=AuditedPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
