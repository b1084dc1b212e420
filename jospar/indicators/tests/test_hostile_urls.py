"""Hostile input in the indicators' URLs (the query strings the pages read, and ids in the path)
is a 4xx or the page with its default, never a 5xx; nothing is written."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from jospar.indicators.models import DataValue
from jospar.indicators.tests.conftest import World

HOSTILE = ("2024Q9", "2024Q3\x00", "9" * 40, "２０２４Q1", "'; DROP TABLE x; --", "", "%", "1e9")


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_periods(world: World, value: str) -> None:
    centre = Client()
    centre.force_login(world.people["controller"])
    office = Client()
    office.force_login(world.people["office_north"])
    period = quote(value)
    for client, url in (
        (office, f"{reverse('indicators:entry')}?period={period}"),
        (centre, f"{reverse('indicators:entry')}?period={period}"),
        (centre, f"{reverse('indicators:indicator', args=[world.share.pk])}?period={period}"),
        (centre, f"{reverse('indicators:export-csv')}?period={period}"),
        (centre, f"{reverse('indicators:export-json')}?period={period}"),
    ):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("bad", ["9223372036854775808", "0", "99999999999999999999"])
def test_hostile_ids_are_404(world: World, bad: str) -> None:
    centre = Client()
    centre.force_login(world.people["controller"])
    for prefix in ("", "regions/", "programs/", "values/", "surveys/waves/"):
        response = centre.get(f"/indicators/{prefix}{bad}/")
        assert response.status_code == 404, (prefix, bad, response.status_code)
