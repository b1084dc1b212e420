"""Numbers a machine reads are never localised; numbers a person reads always are."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jospar.control.templatetags.control_loop import megabytes
from jospar.control.tests import discipline_world as w
from jospar.core.models import Role, User
from jospar.core.numbers import format_number, format_percent, format_share

pytestmark = pytest.mark.django_db

# Attributes of SVG elements whose values are numbers or lists of numbers.
NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "width", "height", "dy", "viewbox", "points"}


class _SvgAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = 0
        self.values: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.inside += 1
        if self.inside:
            for name, value in attrs:
                if name in NUMERIC and value is not None:
                    self.values.append((tag, name, value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.inside -= 1


def _numbers(value: str, name: str) -> list[float]:
    if name == "points":  # "x,y x,y ..."
        return [float(n) for pair in value.split() for n in pair.split(",")]
    return [float(n) for n in value.split()]


def _svg_attributes(html: str) -> list[tuple[str, str, str]]:
    parser = _SvgAttributes()
    parser.feed(html)
    return parser.values


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_discipline_charts_have_machine_numbers_in_every_language(
    make_user: Callable[..., User], lang: str
) -> None:
    world = w.build(timezone.localdate())
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(make_user(Role.OBSERVER, username="observer"))
    html = client.get(
        reverse("control:discipline-plan", args=[world.plan1.pk]) + "?from=&to="
    ).content.decode()
    values = _svg_attributes(html)
    assert any(name == "points" for _tag, name, _v in values)  # the trend line is drawn
    assert any(tag == "rect" and name == "width" for tag, name, _v in values)
    fractional = 0
    for _tag, name, value in values:
        numbers = _numbers(value, name)  # a decimal comma raises ValueError here
        fractional += sum(1 for n in numbers if n != int(n))
    assert fractional, "some coordinate has decimals, so the test can see a decimal comma"
    # The percentages people read are in the page's language.
    separator = "." if lang == "en" else ","
    assert re.search(rf"\d+\{separator}\d\xa0%", html)


def test_civic_month_chart_has_machine_numbers_in_russian(client: Client) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("civic:figures")).content.decode()
    for _tag, name, value in _svg_attributes(html):
        _numbers(value, name)


@pytest.mark.parametrize(
    ("lang", "number", "percent", "share"),
    [
        ("kk", "1\xa0234\xa0567,5", "0,1\xa0%", "50\xa0%"),
        ("ru", "1\xa0234\xa0567,5", "0,1\xa0%", "50\xa0%"),
        ("en", "1,234,567.5", "0.1\xa0%", "50\xa0%"),
    ],
)
def test_numbers_for_people_are_localised(lang: str, number: str, percent: str, share: str) -> None:
    with translation.override(lang):
        assert format_number(1234567.5, 1) == number
        assert format_percent(0.1) == percent
        assert format_percent(100.0) == "100\xa0%"
        assert format_share(0.5) == share
        assert format_percent(None) == "—"


@pytest.mark.parametrize(
    ("lang", "small", "large"),
    [
        ("kk", "2,0\xa0КБ", "1,5\xa0МБ"),
        ("ru", "2,0\xa0КБ", "1,5\xa0МБ"),
        ("en", "2.0\xa0KB", "1.5\xa0MB"),
    ],
)
def test_file_sizes_are_in_the_readers_units(lang: str, small: str, large: str) -> None:
    with translation.override(lang):
        assert megabytes(2048) == small
        assert megabytes(1024 * 1024 * 3 // 2) == large
        assert megabytes("not a size") == ""


@pytest.mark.django_db
def test_civic_league_shares_are_percentages_for_people() -> None:
    from django.template import Context, Template

    template = Template(
        "{% load civic_portal jospar_numbers %}{{ share|percent }}|{{ pct|percentage }}"
    )
    with translation.override("ru"):
        assert template.render(Context({"share": 0.5, "pct": 87.5})) == "50\xa0%|87,5\xa0%"
