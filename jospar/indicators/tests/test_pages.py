"""The pages: who sees what, the entry form with its confirmation, the queue, corrections, the
chart, and the XLSX exports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jospar.core.models import User
from jospar.indicators.models import DataValue, Target, ValueState
from jospar.indicators.tests.conftest import World

PERIOD = "2024Q3"


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _entry_url() -> str:
    return f"{reverse('indicators:entry')}?period={PERIOD}"


def _post_values(client: Client, world: World, action: str = "save", **extra: str) -> object:
    data = {
        "period": PERIOD,
        "action": action,
        f"v{world.share.pk}": "42,5",
        f"s{world.share.pk}": "Акимат",
        f"c{world.share.pk}": "",
        f"v{world.count.pk}": "12",
        f"s{world.count.pk}": "",
        f"c{world.count.pk}": "",
    }
    data.update(extra)
    return client.post(reverse("indicators:entry"), data)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("office_north", 200),
        ("observer", 200),
        ("ministry", 200),
        ("controller", 200),
        ("civic_official", 403),
    ],
)
def test_readers(world: World, who: str, status: int) -> None:
    client = _client(world.people[who])
    for url in (
        reverse("indicators:dashboard"),
        reverse("indicators:indicator", args=[world.share.pk]),
        reverse("indicators:region", args=[world.north.pk]),
        reverse("indicators:export"),
    ):
        refused = 404 if url == reverse("indicators:indicator", args=[world.share.pk]) else status
        assert client.get(url).status_code == (status if status == 200 else refused), url


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get(reverse("indicators:dashboard"))
    assert response.status_code == 302


def test_the_flow_through_the_pages(world: World) -> None:
    office = _client(world.people["office_north"])
    centre = _client(world.people["controller"])
    page = office.get(_entry_url())
    assert page.status_code == 200
    assert f'name="v{world.share.pk}"' in page.content.decode()
    # An implausible value asks for confirmation and keeps what was typed.
    response = _post_values(office, world, **{f"v{world.share.pk}": "140"})
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert 'name="confirm"' in body
    assert 'value="140"' in body
    assert not DataValue.objects.exists()
    response = _post_values(office, world, action="submit")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert set(DataValue.objects.values_list("state", flat=True)) == {ValueState.SUBMITTED}
    share = DataValue.objects.get(indicator=world.share)
    assert share.value == Decimal("42.5")
    # The centre's queue; the office has none.
    assert office.get(reverse("indicators:queue")).status_code == 403
    queue = centre.get(reverse("indicators:queue"))
    assert f'data-value="{share.pk}"' in queue.content.decode()
    centre.post(
        reverse("indicators:review", args=[share.pk]), {"action": "return", "comment": "Уточните"}
    )
    share.refresh_from_db()
    assert share.state == ValueState.RETURNED
    assert "Уточните" in office.get(_entry_url()).content.decode()
    _post_values(office, world, action="submit", **{f"v{world.share.pk}": "43"})
    centre.post(reverse("indicators:review", args=[share.pk]), {"action": "approve"})
    share.refresh_from_db()
    assert (share.state, share.value) == (ValueState.APPROVED, Decimal(43))
    chart = centre.get(reverse("indicators:indicator", args=[world.share.pk])).content.decode()
    assert 'id="indicator-chart"' in chart
    assert f'data-period="{PERIOD}"' in chart
    # The other region's office sees neither the form of the north nor its value pages.
    south = _client(world.people["office_south"])
    assert south.get(reverse("indicators:value", args=[share.pk])).status_code == 404
    assert (
        south.post(reverse("indicators:review", args=[share.pk]), {"action": "approve"}).status_code
        == 404
    )
    # A correction from the value page keeps both figures.
    response = centre.post(
        reverse("indicators:value", args=[share.pk]), {"value": "44", "reason": "Опечатка"}
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert (share.value, share.current) == (Decimal(43), Decimal(44))
    assert (
        office.post(
            reverse("indicators:value", args=[share.pk]), {"value": "1", "reason": "x"}
        ).status_code
        == 403
    )


def test_hostile_form_input_is_a_400_not_a_500(world: World) -> None:
    office = _client(world.people["office_north"])
    for bad in ("abc", "1e999", "9" * 30, "\x00", "１２"):
        response = _post_values(office, world, **{f"v{world.share.pk}": bad})
        assert response.status_code == 400, bad  # type: ignore[attr-defined]
    assert office.get(f"{reverse('indicators:entry')}?period=2024Q9").status_code == 200
    assert not DataValue.objects.exists()


def test_region_dashboard_hides_unapproved_values_from_others(world: World) -> None:
    office = _client(world.people["office_north"])
    _post_values(office, world)
    url = reverse("indicators:region", args=[world.north.pk])
    assert "42,5" in office.get(url).content.decode() or "42.5" in office.get(url).content.decode()
    observer = _client(world.people["observer"]).get(url).content.decode()
    assert "42,5" not in observer
    assert "42.5" not in observer


def test_xlsx_export(world: World) -> None:
    Target.objects.create(indicator=world.count, year=2024, value=Decimal(10), comparator="ge")
    DataValue.objects.create(
        indicator=world.count,
        period=PERIOD,
        period_type="quarterly",
        period_start="2024-07-01",
        region=world.north,
        value=Decimal(12),
        state=ValueState.APPROVED,
        entered_at="2024-10-01T00:00Z",
    )
    world.count.name_kk = "=HYPERLINK(1)"
    world.count.save()
    response = _client(world.people["observer"]).get(reverse("indicators:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in rows if r[1] == "count")
    assert row[5] == 12  # the north only
    assert row[10] == 1  # the south has not reported
    cell = next(c for c in sheet["C"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
    region = _client(world.people["office_north"]).get(
        reverse("indicators:region-export", args=[world.north.pk])
    )
    assert region.status_code == 200
