"""A form's address opened as a link: the site's error page, not the browser's own screen."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_a_bare_405_becomes_the_sites_page_in_the_readers_language(db: Any) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="kk").get("/accounts/logout/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    html = response.content.decode()
    assert "jospar/jospar.css" in html
    assert 'lang="kk"' in html
