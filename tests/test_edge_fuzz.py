"""Property-based fuzzing of every operation of the API's OpenAPI schema and of every Open311
method: with a controller's token and an executor's token, generated path ids, query parameters
(documented ones, out of range, and unknown ones) and bodies never give a 5xx, each answer's
status is one the schema declares, and a JSON answer conforms to the schema declared for it.

``JOSPAR_FUZZ_EXAMPLES`` (default 8) sets the examples per operation and person."""

from __future__ import annotations

import json
import os
import re
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from rest_framework.authtoken.models import Token

from jospar.core.models import User

EXAMPLES = int(os.environ.get("JOSPAR_FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = (
    "\x00",
    "a\x00b",
    "9223372036854775808",
    "99999999999999999999",
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "²",
    "",
    "x" * 3000,
    "\ud800",
    "1e309",
)


def _schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()  # type: ignore[no-untyped-call]
    schema = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    loaded: dict[str, Any] = json.loads(json.dumps(schema))
    return loaded


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's dialect to JSON Schema: ``nullable`` becomes a union with null."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _value(schema: dict[str, Any], real: list[str]) -> st.SearchStrategy[Any]:
    kind = schema.get("type")
    hostile = st.sampled_from(HOSTILE)
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), hostile)
    if kind == "integer":
        low, high = schema.get("minimum", -(2**64)), schema.get("maximum", 2**64)
        return st.one_of(
            st.sampled_from(real) if real else st.nothing(),
            st.integers(min_value=low - 5, max_value=high + 5),
            st.integers(),
            hostile,
        )
    if kind == "boolean":
        return st.one_of(st.booleans(), st.sampled_from(["1", "true", "0", "yes"]), hostile)
    if kind == "string" and schema.get("format") == "date":
        return st.one_of(st.dates().map(lambda d: d.isoformat()), hostile)
    if kind == "array":
        return st.lists(_value(schema.get("items", {}), real), max_size=3)
    return st.one_of(st.text(max_size=40), hostile)


def _body(operation: dict[str, Any], components: dict[str, Any]) -> st.SearchStrategy[Any]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return st.none()
    ref = schema.get("$ref", "")
    if ref:
        schema = components[ref.rsplit("/", 1)[1]]
    props = schema.get("properties", {})
    fields = {name: _value(spec, []) for name, spec in props.items() if not spec.get("readOnly")}
    return st.one_of(
        st.fixed_dictionaries({}, optional=fields),
        st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
        st.sampled_from([[], "text", 7, None]),
    )


def _validator(spec: dict[str, Any], components: dict[str, Any]) -> Draft202012Validator | None:
    schema = spec.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    root = {**_to_json_schema(schema), "components": {"schemas": _to_json_schema(components)}}
    return Draft202012Validator(root)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in sorted(schema["paths"].items())
        for method, operation in sorted(methods.items())
    ]


@pytest.mark.django_db
def test_every_api_operation(edge_world: dict[str, str]) -> None:
    schema = _schema()
    components = schema["components"]["schemas"]
    real = [
        edge_world[k]
        for k in (
            "plan_id",
            "obligation_id",
            "control_report_id",
            "event_id",
            "cycle_id",
            "program_id",
            "node_id",
            "status_report_id",
        )
    ]
    clients = []
    for key in ("controller", "executor"):
        token = Token.objects.create(user=User.objects.get(pk=edge_world[key]))
        clients.append(Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}"))
    problems: list[str] = []
    operations = _operations(schema)
    assert len(operations) > 20

    def fuzz(path: str, method: str, operation: dict[str, Any]) -> None:
        params = operation.get("parameters", [])
        path_names = re.findall(r"\{(\w+)\}", path)
        query = {p["name"]: _value(p.get("schema", {}), real) for p in params if p["in"] == "query"}
        declared = operation["responses"]

        @FUZZ
        @given(
            ids=st.fixed_dictionaries(
                {
                    n: st.one_of(st.sampled_from(real), st.sampled_from(HOSTILE), st.text())
                    for n in path_names
                }
            ),
            query=st.fixed_dictionaries({}, optional=query),
            extra=st.dictionaries(st.sampled_from(["colour", "format", "page"]), st.text()),
            body=_body(operation, components),
            who=st.sampled_from(clients),
        )
        def check(
            ids: dict[str, str],
            query: dict[str, Any],
            extra: dict[str, str],
            body: Any,
            who: Client,
        ) -> None:
            from urllib.parse import quote, urlencode

            url = path
            for name, value in ids.items():
                text = str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                url = url.replace("{" + name + "}", quote(text, safe="") or "x")
            pairs = {
                k: str(v).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                for k, v in {**query, **extra}.items()
            }
            target = f"{url}?{urlencode(pairs)}" if pairs else url
            if method == "get":
                response = who.get(target)
            else:
                response = who.generic(
                    method.upper(), target, json.dumps(body), content_type="application/json"
                )
            where = f"{method.upper()} {target[:150]!r} {json.dumps(body)[:80]}"
            status = str(response.status_code)
            if response.status_code >= 500:
                problems.append(f"{where} -> {status}")
                return
            if status not in declared:
                problems.append(f"{where} -> {status}, not declared ({sorted(declared)})")
                return
            if response.get("Content-Type", "").startswith("application/json"):
                validator = _validator(declared[status], components)
                if validator is not None:
                    errors = list(validator.iter_errors(response.json()))
                    if errors:
                        problems.append(f"{where} -> {status}: {errors[0].message[:200]}")

        check()

    for path, method, operation in operations:
        fuzz(path, method, operation)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:60])


OPEN311 = [
    ("get", "discovery.{fmt}"),
    ("get", "services.{fmt}"),
    ("get", "services/{code}.{fmt}"),
    ("get", "requests.{fmt}"),
    ("post", "requests.{fmt}"),
    ("get", "requests/{id}.{fmt}"),
    ("get", "tokens/{id}.{fmt}"),
]
OPEN311_PARAMS = [
    "jurisdiction_id",
    "service_code",
    "service_request_id",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "region",
    "bbox",
    "api_key",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "email",
    "first_name",
    "last_name",
    "phone",
    "device_id",
    "account_id",
    "media_url",
    "attribute[problem]",
]


@pytest.mark.django_db
def test_every_open311_method(edge_world: dict[str, str]) -> None:
    from jospar.civic.services.clients import open311_client_issue
    from jospar.core.models import Role

    admin = User.objects.filter(role_grants__role=Role.ADMINISTRATOR).first()
    assert admin is not None
    _client, key = open311_client_issue(actor=admin, name="Fuzz client")
    client = Client(raise_request_exception=False)
    problems: list[str] = []
    value = st.one_of(
        st.sampled_from((*HOSTILE[:-2], "roads", "open", "2026-01-01", edge_world["request_id"])),
        st.dates().map(lambda d: d.isoformat()),
        st.integers().map(str),
        st.text(max_size=20),
    )

    def fuzz(method: str, route: str) -> None:
        @FUZZ
        @given(
            fmt=st.sampled_from(["xml", "json"]),
            ident=value,
            params=st.dictionaries(st.sampled_from(OPEN311_PARAMS), value, max_size=6),
            with_key=st.booleans(),
        )
        def check(
            fmt: str,
            ident: str,
            params: dict[str, str],
            with_key: bool,
        ) -> None:
            from urllib.parse import quote

            clean = {
                k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                for k, v in params.items()
            }
            ident = ident.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            path = route.format(
                fmt=fmt, code=quote(ident, safe="") or "x", id=quote(ident, safe="") or "x"
            )
            url = f"/open311/v2/{path}"
            if method == "get":
                response = client.get(url, clean)
            else:
                if with_key:
                    clean["api_key"] = key
                response = client.post(url, clean)
            where = f"{method.upper()} {url[:120]!r} {str(clean)[:120]}"
            if response.status_code >= 500:
                problems.append(f"{where} -> {response.status_code}")
                return
            if fmt == "json":
                document = json.loads(response.content)
                if response.status_code >= 400:
                    assert all({"code", "description"} <= set(e) for e in document), where
            else:
                root = ElementTree.fromstring(response.content)
                if response.status_code >= 400:
                    assert root.tag == "errors", where

        check()

    for method, route in OPEN311:
        fuzz(method, route)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:60])
