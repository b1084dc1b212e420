"""Included at ``civic/``. The portal's pages are added here too (``civic:report`` is the
public page of one report)."""

from __future__ import annotations

from django.urls import path

from jospar.civic import views_accounts, views_media

app_name = "civic"
urlpatterns = [
    path("accounts/register/", views_accounts.register, name="register"),
    path("accounts/register/sent/", views_accounts.register_done, name="register-done"),
    path("accounts/confirm/<str:token>/", views_accounts.confirm, name="confirm"),
    path("accounts/confirm-again/", views_accounts.resend, name="resend"),
    path("accounts/login/", views_accounts.login, name="login"),
    path("media/<int:media_id>/original/", views_media.media_original, name="media-original"),
]
