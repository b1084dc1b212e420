"""The obligation list's contract, which other pages link to: every GET parameter optional,
all of them combinable, the same on the page and in the API; the computed status on every row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jospar.control.models import Obligation, ObligationStatus
from jospar.control.selectors.obligations import (
    ObligationFilter,
    obligation_list_for,
    quarter_bounds,
)
from jospar.control.services.reports import report_draft_save, report_submit
from jospar.control.tests.conftest import World

pytestmark = pytest.mark.django_db


def _ids(client: Client, query: str) -> set[int]:
    response = client.get(reverse("control:obligations") + query)
    assert response.status_code == 200
    page = {o.pk for o in response.context["page"].object_list}
    api = client.get("/api/obligations/" + query + ("&" if query else "?") + "limit=200")
    assert api.status_code == 200, api.json()
    assert {row["id"] for row in api.json()["results"]} == page, query
    return page


@pytest.fixture
def client_for(world: World) -> Any:
    def make(role: str) -> Client:
        client = Client(headers={"accept-language": "en"})
        client.force_login(world.person(role))
        return client

    return make


def test_quarter_bounds() -> None:
    assert quarter_bounds("2016-Q1") == (dt.date(2016, 1, 1), dt.date(2016, 3, 31))
    assert quarter_bounds("2016-Q4") == (dt.date(2016, 10, 1), dt.date(2016, 12, 31))
    assert quarter_bounds("2016-Q5") is None
    assert quarter_bounds("Q1-2016") is None


def test_every_parameter_filters_and_they_combine(world: World, client_for: Any) -> None:
    client = client_for("controller_own")
    everything = {world.own.pk, world.akimats.pk, world.lead.pk, world.co.pk}
    assert _ids(client, "") == everything
    assert _ids(client, f"?plan={world.plan.pk}") == everything
    assert _ids(client, f"?organisation={world.ministry.pk}") == {world.own.pk, world.lead.pk}
    # A region: its akimat's obligations.
    assert _ids(client, f"?region={world.region.pk}") == {world.akimats.pk}
    deadline = world.own.deadline
    assert deadline is not None
    quarter = f"{deadline.year}-Q{(deadline.month - 1) // 3 + 1}"
    assert _ids(client, f"?quarter={quarter}") == everything
    assert _ids(client, f"?quarter={deadline.year - 1}-Q1") == set()
    assert _ids(client, f"?deadline_from={deadline.isoformat()}") == everything
    after = (deadline + dt.timedelta(days=1)).isoformat()
    assert _ids(client, f"?deadline_from={after}") == set()
    assert _ids(client, f"?deadline_to={deadline.isoformat()}") == everything
    assert _ids(client, f"?due_from={world.own.due_on.isoformat()}") == everything
    assert _ids(client, "?due_to=2000-01-01") == set()
    # Statuses: computed, then filtered.
    executor = world.person("executor_own")
    draft = report_draft_save(actor=executor, obligation=world.own, text="Жасалды", lang="kk")
    report_submit(actor=executor, report=draft)
    assert _ids(client, "?status=submitted_on_time") == {world.own.pk}
    assert _ids(client, "?status=not_yet_due") == everything - {world.own.pk}
    assert _ids(client, "?status=overdue") == set()
    combined = (
        f"?plan={world.plan.pk}&organisation={world.ministry.pk}&status=submitted_on_time"
        f"&quarter={quarter}&deadline_to={deadline.isoformat()}"
    )
    assert _ids(client, combined) == {world.own.pk}


def test_every_row_shows_its_computed_status(world: World, client_for: Any) -> None:
    page = client_for("observer").get(reverse("control:obligations")).content.decode()
    assert page.count('class="status status-not_yet_due"') >= 4
    rows = client_for("observer").get("/api/obligations/").json()["results"]
    assert {r["status"] for r in rows} == {ObligationStatus.NOT_YET_DUE.value}
    assert {r["status_label"] for r in rows} == {"Not yet due"}


def test_the_page_ignores_what_it_does_not_understand(world: World, client_for: Any) -> None:
    client = client_for("controller_own")
    response = client.get(reverse("control:obligations") + "?status=bogus&quarter=2016-Q9")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    assert "Some filters were not understood" in response.content.decode()
    # The API says what it refused, in the one shape.
    body = client.get("/api/obligations/?status=bogus").json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"status"}


def test_an_invisible_plan_is_404(world: World, client_for: Any) -> None:
    client = client_for("controller_other")
    assert client.get(reverse("control:obligations") + f"?plan={world.plan.pk}").status_code == 404
    assert client.get(f"/api/obligations/?plan={world.plan.pk}").status_code == 404


def test_the_old_address_serves_the_same_page(world: World, client_for: Any) -> None:
    client = client_for("observer")
    old = client.get(reverse("plans:obligations") + "?status=not_yet_due")
    new = client.get(reverse("control:obligations") + "?status=not_yet_due")
    assert old.status_code == new.status_code == 200
    assert [o.pk for o in old.context["page"].object_list] == [
        o.pk for o in new.context["page"].object_list
    ]


def test_the_selector_counts_statuses_as_the_list_filters_them(world: World) -> None:
    from jospar.control.selectors.obligations import obligation_status_counts

    observer = world.person("observer")
    counts = obligation_status_counts(observer)
    for status in ObligationStatus:
        listed = obligation_list_for(observer, ObligationFilter(status=status.value)).count()
        assert counts[status.value] == listed, status
    assert sum(counts.values()) == Obligation.objects.filter(in_force=True).count()
