from __future__ import annotations

from django.urls import path

from jospar.core.two_factor import views

urlpatterns = [
    path("accounts/two-factor/", views.setup, name="two-factor-setup"),
    path("accounts/two-factor/verify/", views.verify, name="two-factor-verify"),
    path("accounts/two-factor/users/", views.users, name="two-factor-users"),
    path(
        "accounts/two-factor/users/<id:user_id>/reset/",
        views.reset,
        name="two-factor-reset",
    ),
]
