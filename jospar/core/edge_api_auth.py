"""The API's edge that DRF's settings name: JSON bodies without NUL or lone surrogates, and 401
with ``WWW-Authenticate`` for a missing or wrong token. Imports nothing of DRF's views."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

from jospar.core.edge import has_nul


def _has_unstorable(data: Any) -> bool:
    if isinstance(data, str):
        return has_nul(data)
    if isinstance(data, dict):
        return any(_has_unstorable(k) or _has_unstorable(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_unstorable(v) for v in data)
    return False


class EdgeJSONParser(JSONParser):
    """JSON whose strings hold no NUL and no lone surrogate: no database stores the one, no
    encoder writes the other."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if _has_unstorable(data):
            raise exceptions.ParseError(
                _("The JSON holds characters that are not text (NUL or a lone surrogate).")
            )
        return data


class EdgeTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; a request without credentials is answered 401 with
    ``WWW-Authenticate: Token`` (DRF answers 401 only when the first authentication class
    names a scheme)."""

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'
