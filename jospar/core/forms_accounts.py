"""Django's password forms, saving through the audited service instead of ``user.save()``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from jospar.core.models import User
from jospar.core.services import user_password_set


class AuditedPasswordChangeForm(PasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        user: User = self.user
        return user_password_set(
            actor=user, user=user, password=self.cleaned_data["new_password1"], how="changed"
        )


class AuditedSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    def save(self, commit: bool = True) -> Any:
        user: User = self.user
        return user_password_set(
            actor=user, user=user, password=self.cleaned_data["new_password1"], how="reset"
        )
