"""The edge parsers, the NUL guard, the API's limits and 401, and the error pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404
from django.test import Client, override_settings
from django.urls import reverse

from jospar.core import edge
from jospar.core.models import Role, User

HOSTILE_IDS = ("abc", "²", "-1", "0", "9223372036854775808", "99999999999999999999", "", " ")


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_an_id_is_ascii_digits_up_to_bigint(value: str) -> None:
    assert edge.id_or_none(value) is None
    with pytest.raises(Http404):
        edge.id_or_404(value)
    with pytest.raises(edge.EdgeError) as refused:
        edge.parse_id(value, "plan")
    assert refused.value.status == 400
    assert "plan" in refused.value.fields


def test_ids_that_are_ids() -> None:
    assert edge.id_or_none("9223372036854775807") == edge.BIGINT_MAX
    assert edge.id_or_none(" 42 ") == 42
    assert edge.id_list(["3", "x", "²", "3", "9223372036854775808", "5"], limit=10) == (3, 5)
    assert edge.id_list([str(i) for i in range(1, 50)], limit=3) == (1, 2, 3)


def test_bounded_integers() -> None:
    assert edge.int_or_none("-5", minimum=-10, maximum=10) == -5
    assert edge.int_or_none("11", minimum=-10, maximum=10) is None
    assert edge.int_or_none("1e3", minimum=0, maximum=10**9) is None
    with pytest.raises(edge.EdgeError):
        edge.parse_int("99999999999999999999", "page", minimum=1, maximum=100)
    assert edge.page_number("²") == 1
    assert edge.page_number("9223372036854775808") == 1


@pytest.mark.parametrize(
    "value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2026-02-30", "26-1-1", "x"]
)
def test_dates_outside_the_calendar_are_refused(value: str) -> None:
    assert edge.date_or_none(value) is None
    with pytest.raises(edge.EdgeError):
        edge.parse_date(value, "to")


def test_dates_inside() -> None:
    assert edge.date_or_none("2100-12-31") == dt.date(2100, 12, 31)
    assert edge.date_or_none("1900-01-01") == dt.date(1900, 1, 1)


def test_texts() -> None:
    assert edge.text_or_empty("a\x00b") == ""
    assert edge.text_or_empty("x" * 300) == ""
    assert edge.text_or_empty("  Абай  ") == "Абай"
    with pytest.raises(edge.EdgeError):
        edge.parse_text("a\x07", "q", max_length=10)
    with pytest.raises(edge.EdgeError):
        edge.parse_text("line\nbreak", "q", max_length=100)
    assert edge.parse_text("line\nbreak", "q", max_length=100, multiline=True) == "line\nbreak"
    with pytest.raises(edge.EdgeError):
        edge.parse_text("x" * 11, "q", max_length=10)
    assert edge.parse_choice("a", "kind", ["a", "b"]) == "a"
    with pytest.raises(edge.EdgeError):
        edge.parse_choice("c", "kind", ["a", "b"])


def test_the_id_converter_refuses_past_bigint() -> None:
    converter = edge.IdConverter()
    assert converter.to_python("9223372036854775807") == edge.BIGINT_MAX
    for value in ("9223372036854775808", "0"):
        with pytest.raises(ValueError, match=value):
            converter.to_python(value)


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, username="staff", is_staff=True, is_superuser=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/plans/?page=a%00b",
        "/directory/?q=%00",
        "/civic/reports/?to=9999-12-31&q=%00",
        "/admin/core/user/?q=%00",
        "/plans/9223372036854775808/",
    ],
)
def test_hostile_pages_get_a_4xx_page_in_the_layout(client: Client, staff: User, url: str) -> None:
    client.force_login(staff)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert 400 <= response.status_code < 500
    html = response.content.decode()
    assert 'id="error-page"' in html
    assert 'class="topbar"' in html  # the site's layout
    assert '<html lang="ru">' in html


@pytest.mark.django_db
def test_error_pages_speak_the_request_language(client: Client) -> None:
    for lang, words in (("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page")):
        response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 404
        assert words in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_api_is_a_400_in_the_api_shape(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get("/api/organisations/?q=%00")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}
    assert "q" in response.json()["fields"]
    response = client.post(
        "/api/report-exports/", '{"plan": "\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_limit_and_offset_are_bounded_and_enforced(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert client.get("/api/organisations/?limit=200").status_code == 200
    for query in ("limit=201", "limit=1000000", "limit=0", "limit=abc", "offset=-1"):
        response = client.get(f"/api/organisations/?{query}")
        assert response.status_code == 400, query
        assert response.json()["fields"], query
    assert client.get("/api/organisations/?offset=9223372036854775808").status_code == 400


@pytest.mark.django_db
def test_unknown_query_parameters_are_refused(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get("/api/organisations/?colour=red")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_parameter"
    assert "colour" in response.json()["fields"]
    assert client.get("/api/organisations/?q=a&kind=&limit=5").status_code == 200


@pytest.mark.django_db
def test_no_credentials_is_401_with_www_authenticate(client: Client) -> None:
    for url in ("/api/plans/", "/api/obligations/"):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")
        assert response.json()["code"] == "not_authenticated"
    response = client.get("/api/plans/", HTTP_AUTHORIZATION="Token not-a-key")
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


@pytest.mark.django_db
def test_an_api_path_that_names_nothing_is_a_json_404(client: Client, staff: User) -> None:
    client.force_login(staff)
    for url in ("/api/reports/abc/", "/api/plans/%C2%B2/", "/api/plans/9223372036854775808/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_a_too_big_body_is_a_413_page(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert 'id="error-page"' in response.content.decode()


@pytest.mark.django_db
def test_the_csrf_failure_page_is_in_the_layout(staff: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(reverse("notifications-read-all"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="error-page"' in html
    assert "reload the page" in html


@override_settings(DEBUG=False)
def test_the_500_page_renders_without_the_database(rf: Any) -> None:
    """No database access is allowed in this test (no ``db`` fixture): a query would raise, the
    page would fall back to its bare last resort, and the layout would be missing."""
    from jospar.core.views.errors import server_error

    response = server_error(rf.get("/plans/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert response.status_code == 500
    html = response.content.decode()
    assert 'id="error-page"' in html
    assert 'class="topbar"' in html
