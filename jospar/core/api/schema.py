"""The OpenAPI schema states every answer an operation can give: besides its own, the errors of
the one shape ``{code, message, fields}`` (400 for parameters or a body it refuses, 401 without
credentials, 403 when not allowed, 404 for an id in the path that names nothing visible, 413 for
a body over the limit, 429 when throttled, 503 when an upload finds the storage away)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

ERROR_DESCRIPTIONS = {
    "400": "Invalid parameters or body: `fields` names each one with its messages "
    "(a limit or offset out of range, a date outside 1900-01-01..2100-12-31, a number past "
    "bigint, a text with NUL, an unknown parameter where the operation refuses them).",
    "401": "No credentials, or a wrong token; the answer carries `WWW-Authenticate: Token`.",
    "403": "Signed in, but this person may not do this.",
    "404": "No such object, or not visible to this person.",
    "413": "The body is too large (a JSON or form body over 5 MB, a multipart body over the "
    "largest file the API accepts and its form); refused before it is read.",
    "415": "The body is not in a content type the operation reads.",
    "429": "Too many requests from this token or address; the answer carries `Retry-After`.",
    "503": "The file storage is not available at the moment; nothing was saved. The answer "
    "carries `Retry-After`.",
}


class EdgeAutoSchema(AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        from jospar.core.api.directory import ErrorSerializer

        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        anonymous = not self.view.get_permissions() or all(
            type(p).__name__ == "AllowAny" for p in self.view.get_permissions()
        )
        for code, description in ERROR_DESCRIPTIONS.items():
            if code == "404" and "{" not in self.path:
                continue
            if code in ("413", "415") and "requestBody" not in operation:
                continue
            if code == "503" and "multipart/form-data" not in operation.get("requestBody", {}).get(
                "content", {}
            ):
                continue
            if code in ("401", "403") and anonymous:
                continue
            responses.setdefault(
                code,
                {"content": {"application/json": {"schema": ref}}, "description": description},
            )
        return operation
