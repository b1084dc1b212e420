"""What a browser test checks on every page it opens: no console error, no request to another
host, no broken image, no horizontal overflow, no serious axe violation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from jospar.core.tests.test_browser_all_pages import _axe


class Watch:
    """Console errors and requests outside jospar's own server, recorded for `page_check`."""

    def __init__(self, server: str) -> None:
        self.own = urlsplit(server).netloc
        self.errors: list[str] = []
        self.outside: list[str] = []

    def route(self, request_route: Any) -> None:
        url = request_route.request.url
        if urlsplit(url).netloc == self.own or url.startswith("data:"):
            request_route.continue_()
            return
        self.outside.append(url)
        request_route.abort("internetdisconnected")


def page_check(page: Any, watch: Watch) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    broken = page.evaluate(
        "() => [...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == [], page.url
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, page.url
    assert _axe(page) == [], page.url
    assert watch.errors == [], watch.errors
    assert watch.outside == [], watch.outside
