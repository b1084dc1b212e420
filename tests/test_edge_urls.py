"""Every URL of the project, requested with hostile ids, query strings and form bodies, as an
anonymous visitor and as a staff administrator, by GET and POST: never a 5xx.

NUL bytes only break PostgreSQL (SQLite stores them), so CI's PostgreSQL run matters here: on
SQLite the walk runs only with ``JOSPAR_EDGE_WALK=1`` (``conftest.py``; it is the suite's longest
group, and CI's second pass runs it on PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import Resolver404, resolve

from jospar.core.models import Role, User
from tests.edge_world import (
    HOSTILE_IDS,
    HOSTILE_VALUES,
    JSON_ONLY_VALUES,
    PARAM_NAMES,
    RAW_QUERY_VALUES,
    Route,
    all_routes,
)

GROUPS = ("api", "plans", "control", "civic", "open311", "portal", "site", "admin")
# The portal's initiatives and events: a group of their own, so that no group is much longer
# than the others and the test workers share the walk evenly.
PORTAL = ("initiatives", "events")


def _group(route: Route) -> str:
    first = route.pattern.split("/", 1)[0]
    if first in PORTAL:
        return "portal"
    return first if first in GROUPS else "site"


def _real_id(route: Route, name: str, ids: dict[str, str]) -> str:
    if name == "report_id":
        return ids["civic_report_id" if route.pattern.startswith("civic") else "control_report_id"]
    if name == "pk":
        for prefix, key in (
            ("plans", "plan_id"),
            ("obligations", "obligation_id"),
            ("reports", "control_report_id"),
            ("organisations", "organisation_id"),
            ("regions", "region_id"),
            ("events", "event_id"),
            ("heart-cycles", "cycle_id"),
        ):
            if route.pattern.startswith(f"api/^{prefix}"):
                return ids[key]
    return ids.get(name, "1")


def _urls(route: Route, ids: dict[str, str]) -> list[str]:
    """The route with each hostile id in every parameter, and with real ids."""
    choice_sets = [dict(zip(route.choices, values, strict=True)) for values in _product(route)]
    urls = []
    for choice in choice_sets:
        free = [p for p in route.params if p not in choice]
        if not free:
            urls.append(route.build(choice))
            continue
        real = {p: _real_id(route, p, ids) for p in free}
        urls.append(route.build({**real, **choice}))
        for hostile in HOSTILE_IDS:
            urls.append(route.build({**dict.fromkeys(free, hostile), **choice}))
            for p in free[1:] if len(free) > 1 else ():
                urls.append(route.build({**real, p: hostile, **choice}))
    return urls


def _product(route: Route) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for values in route.choices.values():
        out = [(*o, v) for o in out for v in values]
    return out


def _queries() -> list[str]:
    queries = [urlencode(dict.fromkeys(PARAM_NAMES, value)) for value in HOSTILE_VALUES]
    queries += ["&".join(f"{name}={raw}" for name in PARAM_NAMES) for raw in RAW_QUERY_VALUES]
    return queries


def _bodies(*, json_too: bool = True) -> list[tuple[str, str]]:
    form = "application/x-www-form-urlencoded"
    values = (*HOSTILE_VALUES[:7], HOSTILE_VALUES[-1])
    bodies = [(urlencode(dict.fromkeys(PARAM_NAMES, v)), form) for v in values]
    if json_too:
        bodies += [
            (json.dumps(dict.fromkeys(PARAM_NAMES, v)), "application/json")
            for v in values + JSON_ONLY_VALUES
        ]
    bodies.append(("&".join(f"{n}={RAW_QUERY_VALUES[0]}" for n in PARAM_NAMES), form))
    bodies.append(("{not json", "application/json"))
    bodies.append(("\x00\xff", "multipart/form-data; boundary=x"))
    return bodies


def _resolves(url: str) -> bool:
    try:
        resolve(unquote(urlsplit(url).path))
    except Resolver404:
        return False
    return True


def _sends_to_login(client: Client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 302 and "/login/" in response.get("Location", "")


def _clients(staff: User) -> list[tuple[str, Client]]:
    anonymous = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(staff)
    return [("anonymous", anonymous), ("staff", logged_in)]


@pytest.mark.parametrize("group", GROUPS)
def test_no_input_gives_a_server_error(
    group: str, edge_world: dict[str, str], make_user: Callable[..., User]
) -> None:
    staff = make_user(Role.ADMINISTRATOR, username="staff", is_staff=True, is_superuser=True)
    routes = [r for r in all_routes() if _group(r) == group]
    assert routes
    failures: list[str] = []
    errors: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        import sys

        errors.append(repr(sys.exc_info()[1])[:300])

    got_request_exception.connect(record)
    queries = _queries()
    # JSON bodies go to the API and Open311, the only views that parse JSON; a page reads a
    # form, and the middleware that bounds every body is the same for all routes (the API's
    # routes exercise it with JSON).
    bodies = _bodies(json_too=group in ("api", "open311"))
    try:
        for who, client in _clients(staff):
            for index, route in enumerate(routes):
                if route.name in ("logout", "set_language"):
                    continue
                urls = _urls(route, edge_world)
                # Admin: ids and one hostile query each; everything else: every variant.
                deep = not route.is_admin
                qs, bs = (queries, bodies) if deep else (queries[:3], bodies[:2])
                if who == "anonymous" and _sends_to_login(client, urls[0]):
                    # The page sends an anonymous visitor to the login before it reads any id,
                    # parameter or form (the middleware that reads every body runs for the
                    # staff client too): one request shows that; the staff client tries all.
                    urls, qs, bs = urls[:1], queries[:3], bodies[:2]
                elif who == "anonymous" and deep:
                    # A public page: the staff client (who sees every filter the page has)
                    # sends it every hostile query and body; the visitor sends a third of them,
                    # a different third on each route, so that across the group every value
                    # still reaches the pages as a visitor too.
                    qs = [q for i, q in enumerate(queries) if (i + index) % 3 == 0]
                    bs = [b for i, b in enumerate(bodies) if (i + index) % 3 == 0]
                for url in urls:
                    requests: list[tuple[str, str, str, str]] = [("GET", url, "", "")]
                    if _resolves(url):
                        # A path no pattern matches is refused by the resolver before any view
                        # or method check runs: its GET shows that, a POST would repeat it.
                        requests.append(("POST", url, *bodies[0]))
                    if url == urls[0]:
                        requests += [("GET", f"{url}?{q}", "", "") for q in qs]
                        requests += [("POST", url, b, ct) for b, ct in bs]
                    for method, target, body, ctype in requests:
                        errors.clear()
                        if method == "GET":
                            response = client.get(target)
                        else:
                            response = client.generic("POST", target, body, content_type=ctype)
                        if getattr(response, "streaming", False):
                            # A stream (the CSV export) may fail after its first bytes.
                            try:
                                b"".join(response.streaming_content)  # type: ignore[attr-defined]
                            except Exception as exc:
                                failures.append(f"{who} {method} {target[:160]!r} stream: {exc!r}")
                        if response.status_code >= 500:
                            failures.append(
                                f"{who} {method} {target[:160]!r} {ctype} {body[:60]!r} "
                                f"-> {response.status_code} {errors[:1]}"
                            )
    finally:
        got_request_exception.disconnect(record)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:80])
