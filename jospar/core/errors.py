"""One shape for every error a service refuses with: ``{code, message, fields}``."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class ServiceError(Exception):
    """A refusal the user can act on. ``fields`` maps a field name to its messages."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str | Promise,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.fields = fields or {}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {k: [str(m) for m in v] for k, v in self.fields.items()},
        }


class PermissionRefused(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409
