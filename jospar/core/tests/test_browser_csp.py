"""The key pages in a real Chromium under the Content-Security-Policy: nothing is refused (no
"Refused to ..." in the console, no ``securitypolicyviolation`` event), and the API's
documentation renders its operations offline, asking nothing of any other host."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from jospar.core.models import Role, User

PASSWORD = "correct-horse-battery"
# Recorded before any page script runs; injected by the browser itself, so the policy allows it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""

pytestmark = [
    pytest.mark.browser,
]


class Watch:
    """One browser context whose console, violations and outside requests are recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.console: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(locale="kk-KZ", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(20_000)
        self.context.add_init_script(RECORD_VIOLATIONS)
        own = urlsplit(base).netloc
        tiles = urlsplit(str(getattr(django_settings, "MAP_TILE_URL", "") or "")).hostname

        def route(r: Any) -> None:
            host = urlsplit(r.request.url)
            if host.netloc == own or host.scheme in {"data", "blob"}:
                r.continue_()
                return
            # The map's tile server is the one outside host a page may name; never fetched here.
            if not (tiles and host.hostname and host.hostname.endswith(tiles.split(".", 1)[-1])):
                self.outside.append(r.request.url)
            r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def refused(self) -> list[str]:
        seen = [m for m in self.console if "Refused to" in m or "Content Security Policy" in m]
        for page in self.context.pages:
            seen += [f"violation: {v}" for v in page.evaluate("window.__cspViolations || []")]
        return seen


def test_key_pages_break_no_rule_of_the_policy(
    transactional_db: Any,
    live_server: Any,
    browser: Any,
    regions: None,
    make_user: Callable[..., User],
) -> None:
    make_user(*Role.values, username="admin", password=PASSWORD, is_staff=True, is_superuser=True)
    watch = Watch(browser, live_server.url)
    page = watch.open("/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    visited = []
    for path, ready in [
        ("/", "main"),
        ("/civic/", "#portal-map[data-ready]"),
        ("/civic/reports/new/", "#file-map[data-ready]"),
        ("/control/discipline/", "main"),
        ("/admin/", "#content"),
    ]:
        page = watch.open(path)
        page.wait_for_selector(ready)
        visited.append(path)
        assert not watch.refused(), (path, watch.refused())
    # The filing form's script (moved out of the page) still shows the chosen topic's survey.
    page = watch.open("/civic/reports/new/")
    topic = page.locator("#id_topic option").nth(1).get_attribute("value")
    if topic:
        page.select_option("#id_topic", topic)
        shown = page.locator("fieldset.survey:not([hidden])")
        assert shown.count() == page.locator(f"fieldset.survey[data-topic='{topic}']").count()
        assert all(shown.nth(i).get_attribute("data-topic") == topic for i in range(shown.count()))
    assert not watch.refused(), watch.refused()
    # A cluster of red and green reports is drawn as a two-coloured bubble: its colours must be
    # set through the DOM, not a style attribute (the answer is routed to hold one such cluster).
    mixed = {"clusters": [{"lat": 43.24, "lon": 76.89, "count": 5, "red": 3, "green": 2}]}
    watch.context.route(
        "**/civic/map/clusters.json*",
        lambda r: r.fulfill(status=200, content_type="application/json", body=json.dumps(mixed)),
    )
    page = watch.open("/civic/")
    page.wait_for_selector("#portal-map[data-ready='5']")
    bubble = page.locator(".cluster.mixed")
    assert bubble.count() == 1
    assert bubble.inner_text() == "5"
    assert "conic-gradient" in bubble.evaluate("e => e.style.background")
    assert not watch.refused(), watch.refused()
    assert not watch.outside, watch.outside
    assert len(visited) == 5


def test_api_docs_render_offline_under_the_policy(
    transactional_db: Any, live_server: Any, browser: Any, make_user: Callable[..., User]
) -> None:
    watch = Watch(browser, live_server.url)
    page = watch.open("/api/docs/")
    # Operations of the schema are listed (the schema asks for a signed-in user: the viewer's
    # own page still renders the operations' list from /api/schema/ once signed in).
    page.wait_for_selector(".swagger-ui", timeout=20_000)
    if not page.locator(".opblock").count():
        make_user(Role.ADMINISTRATOR, username="reader", password=PASSWORD)
        login = watch.open("/accounts/login/")
        login.fill("#id_username", "reader")
        login.fill("#id_password", PASSWORD)
        login.click("main form button[type=submit]")
        login.wait_for_load_state("networkidle")
        page = watch.open("/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() > 10
    assert "/api/plans/" in page.inner_text(".swagger-ui")
    assert not watch.refused(), watch.refused()
    assert not watch.outside, watch.outside
