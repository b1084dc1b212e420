"""The API's edge: ids in router URLs and bounded pagination (the parser and the authentication
class are in ``jospar.core.edge_api_auth``: DRF's settings import them before its views)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from jospar.core.edge import ID_PATTERN, int_or_none

# Pages of a list: at most this many items; an offset past this is refused (a bigger one would
# only page through an empty list, and OFFSET * size must not overflow).
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000


class IdRouter(SimpleRouter):
    """A router whose detail URLs take an id (ASCII digits, up to bigint's 19): ``/abc/`` or
    ``/²/`` is a 404 before any view runs."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trailing_slash", True)
        super().__init__(**kwargs)

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if getattr(viewset, "lookup_value_regex", None) is None:
            viewset.lookup_value_regex = ID_PATTERN
        return super().get_lookup_regex(viewset, lookup_prefix)


class EdgePagination(LimitOffsetPagination):
    """``limit`` 1..200 (default 50) and ``offset`` 0..1,000,000,000; anything else is a 400
    naming the parameter, as the schema states."""

    default_limit = 50
    max_limit = MAX_LIMIT

    def _read(self, request: Request, name: str, minimum: int, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        number = int_or_none(raw, minimum=minimum, maximum=maximum)
        if number is None:
            raise exceptions.ValidationError(
                {
                    name: [
                        _("%(name)s must be a whole number from %(min)s to %(max)s.")
                        % {"name": name, "min": minimum, "max": maximum}
                    ]
                }
            )
        return number

    def get_limit(self, request: Request) -> int:
        number = self._read(request, self.limit_query_param, 1, MAX_LIMIT)
        return self.default_limit if number is None else number

    def get_offset(self, request: Request) -> int:
        number = self._read(request, self.offset_query_param, 0, MAX_OFFSET)
        return 0 if number is None else number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Number of results per page (1–{MAX_LIMIT}, default "
                f"{self.default_limit}); another value is refused (400).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": f"The index of the first result (0–{MAX_OFFSET}); another "
                "value is refused (400).",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            },
        ]


class ReadForAllWriteSignedIn(permissions.BasePermission):
    """The portal's public data (initiatives, Generous Heart, the calendar): anyone reads,
    a signed-in person writes (the service and the ``access_*`` function decide the rest)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)
