"""Every HTML page carries the Content-Security-Policy, and nothing on it needs the policy
loosened: no inline script, event handler, ``javascript:`` URL, ``<style>`` or style attribute.
The pages are every URL pattern without parameters that answers 200, for an anonymous visitor
and for a staff administrator."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from jospar.core.models import Role

# Data, not code: the browser never runs these.
_DATA_SCRIPTS = {"application/json", "application/ld+json"}


def _paths(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            if "<" in route or "(?P" in route:
                continue
            yield from _paths(p.url_patterns, prefix + route.lstrip("^"))
        elif isinstance(p, URLPattern):
            if "<" in route or "(?P" in route or "(" in route:
                continue
            path = "/" + prefix + route.lstrip("^").rstrip("$").replace("\\", "")
            yield path.replace("//", "/")


def policy_problems(html: str) -> list[str]:
    tree = HTMLParser(html)
    problems = []
    for script in tree.css("script"):
        kind = (script.attributes.get("type") or "").lower()
        if not script.attributes.get("src") and kind not in _DATA_SCRIPTS:
            problems.append(f"inline script: {(script.text() or '')[:80]!r}")
    if tree.css("style"):
        problems.append("a <style> element")
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            if name.lower().startswith("on"):
                problems.append(f"<{node.tag} {name}=...>")
            if name.lower() == "style":
                problems.append(f"<{node.tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                problems.append(f"<{node.tag} {name}=javascript:...>")
    return problems


def test_the_checker_finds_what_the_policy_refuses() -> None:
    clean = '<html><head><script src="/a.js"></script></head><body>'
    clean += '<script type="application/json" id="x">{}</script></body></html>'
    assert policy_problems(clean) == []
    for bad in (
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<button onclick="x()">x</button>',
        '<div style="color:red">x</div>',
        "<style>p{}</style>",
    ):
        assert policy_problems(f"<html><body>{bad}</body></html>"), bad


def _check_pages(client: Client) -> list[str]:
    answered = []
    failures = []
    for path in sorted(set(_paths(get_resolver().url_patterns))):
        response = client.get(path, HTTP_ACCEPT="text/html,*/*;q=0.8")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        answered.append(path)
        policy = response.get("Content-Security-Policy", "")
        if "script-src 'self'" not in policy or "unsafe-" in policy:
            failures.append(f"{path}: policy {policy!r}")
        failures.extend(f"{path}: {p}" for p in policy_problems(response.content.decode()))
    assert not failures, "\n".join(failures)
    return answered


@pytest.mark.django_db
def test_every_page_has_the_policy_and_no_inline_code(
    client: Client, make_user: Callable[..., Any], regions: None
) -> None:
    client.raise_request_exception = False
    anonymous = _check_pages(client)
    assert {"/", "/civic/", "/accounts/login/", "/api/docs/"} <= set(anonymous) or len(
        anonymous
    ) > 5
    staff = make_user(*Role.values, is_staff=True, is_superuser=True)
    client.force_login(staff)
    signed_in = _check_pages(client)
    # The walk really reached the pages: the portal, the control loop and the administration.
    assert len(signed_in) > 40, signed_in
    assert any(p.startswith("/admin/") for p in signed_in)
    assert any(p.startswith("/control/") for p in signed_in)
    assert any(p.startswith("/civic/") for p in anonymous)


def test_api_docs_come_from_the_installed_package(client: Client) -> None:
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_no_template_of_a_page_carries_inline_code() -> None:
    """Pages with parameters (a plan, a report, a dashboard of one region) are not reached by
    the walk above: their templates are read instead. E-mails, the PDF report, the printed
    project task and Generous Heart's certificate (a PDF) are not web pages and keep their
    inline styles."""
    from django.conf import settings

    root = settings.BASE_DIR / "jospar"
    not_pages = (
        "/email/",
        "/exports/report.html",
        "/exports/project_task.html",
        "/heart/certificate.html",
    )
    problems = []
    templates = [p for p in root.rglob("templates/**/*.html") if not str(p).endswith(not_pages)]
    templates = [p for p in templates if not any(part in str(p) for part in not_pages)]
    assert len(templates) > 50
    for path in templates:
        text = path.read_text()
        # Template tags are not markup: blank them so that the parser sees plain HTML.
        plain = re.sub(r"{%.*?%}|{{.*?}}", "x", text, flags=re.DOTALL)
        problems += [f"{path.relative_to(root)}: {p}" for p in policy_problems(plain)]
        if "json_script" not in text and re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{path.relative_to(root)}: <script> without src")
    assert not problems, "\n".join(problems)


def test_outside_sources_come_from_the_settings() -> None:
    from config.settings import _origins

    assert _origins("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert _origins("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.org"
    ]
    assert _origins("http://tiles.internal:8080/{z}/{x}/{y}.png") == ["http://tiles.internal:8080"]
    assert _origins("") == []
    assert _origins("javascript:alert(1)") == []


def test_the_policy_names_the_tile_server_of_the_settings(client: Client) -> None:
    from django.conf import settings

    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    img = next(d for d in policy.split(";") if d.strip().startswith("img-src"))
    tiles = str(getattr(settings, "MAP_TILE_URL", "") or "")
    if tiles:
        from config.settings import _origins

        assert all(origin in img for origin in _origins(tiles))
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
