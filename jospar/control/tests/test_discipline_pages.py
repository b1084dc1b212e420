"""Discipline pages, the map's GeoJSON and the API: who may open what, what the figures link
to, and what they cost in queries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jospar.control.discipline import quarter_label, quarter_number
from jospar.control.models import ExecutionReport, Obligation
from jospar.control.tests import discipline_world as w
from jospar.core.models import AuditEvent, Organisation, OrganisationKind, Role, User
from jospar.plans.models import Activity, ActivityExecutor, Plan

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "executor_own",
    "executor_other",
    "executor_akimat",
    "observer",
    "controller",
    "administrator",
)


@dataclass
class Setup:
    world: w.World
    people: dict[str, User | None]


@pytest.fixture
def setup(make_user: Callable[..., User]) -> Setup:
    world = w.build(timezone.localdate())
    people: dict[str, User | None] = {
        "anonymous": None,
        "executor_own": make_user(Role.EXECUTOR, organisation=world.ministry1, username="own"),
        "executor_other": make_user(Role.EXECUTOR, organisation=world.ministry2, username="other"),
        "executor_akimat": make_user(Role.EXECUTOR, organisation=world.akimat1, username="akimat"),
        "observer": make_user(Role.OBSERVER, username="observer"),
        "controller": make_user(Role.CONTROLLER, username="controller"),
        "administrator": make_user(Role.ADMINISTRATOR, username="administrator"),
    }
    return Setup(world, people)


def _client(person: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if person is not None:
        client.force_login(person)
    return client


def _snapshot() -> tuple[int, ...]:
    return (
        Obligation.objects.count(),
        ExecutionReport.objects.count(),
        AuditEvent.objects.count(),
        Plan.objects.count(),
    )


LOGIN = 302
# One status per ROLES column.
MATRIX: dict[str, tuple[Callable[[w.World], str], tuple[int, ...]]] = {
    "overview": (lambda _w: reverse("control:discipline"), (LOGIN, 302, 302, 302, 200, 200, 200)),
    "overview of a plan": (
        lambda x: reverse("control:discipline") + f"?plan={x.plan2.pk}",
        (LOGIN, 302, 302, 302, 200, 200, 200),
    ),
    "plan page": (
        lambda x: reverse("control:discipline-plan", args=[x.plan1.pk]),
        (LOGIN, 200, 200, 200, 200, 200, 200),
    ),
    "plan not naming the executor": (
        lambda x: reverse("control:discipline-plan", args=[x.plan2.pk]),
        (LOGIN, 404, 200, 200, 200, 200, 200),
    ),
    "own organisation": (
        lambda x: reverse("control:discipline-organisation", args=[x.ministry1.pk]),
        (LOGIN, 200, 404, 404, 200, 200, 200),
    ),
    "missing organisation": (
        lambda _w: reverse("control:discipline-organisation", args=[999_999]),
        (LOGIN, 404, 404, 404, 404, 404, 404),
    ),
    "region": (
        lambda x: reverse("control:discipline-region", args=[x.region1.pk]),
        (LOGIN, 404, 404, 200, 200, 200, 200),
    ),
    "map": (lambda _w: reverse("control:discipline-map"), (LOGIN, 200, 200, 200, 200, 200, 200)),
    "api": (
        lambda _w: reverse("api-discipline") + "?group=region",
        (401, 200, 200, 200, 200, 200, 200),
    ),
    "api of a plan not naming the executor": (
        lambda x: reverse("api-discipline") + f"?group=plan&plan={x.plan2.pk}",
        (401, 404, 200, 200, 200, 200, 200),
    ),
    "api with a bad group": (
        lambda _w: reverse("api-discipline") + "?group=nonsense",
        (401, 400, 400, 400, 400, 400, 400),
    ),
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_permission_matrix(setup: Setup, endpoint: str) -> None:
    url, expected = MATRIX[endpoint]
    for role, status in zip(ROLES, expected, strict=True):
        before = _snapshot()
        response = _client(setup.people[role]).get(url(setup.world))
        assert response.status_code == status, (endpoint, role, response.status_code)
        assert _snapshot() == before, (endpoint, role)


def test_an_executor_is_sent_to_its_own_organisation(setup: Setup) -> None:
    response = _client(setup.people["executor_own"]).get(reverse("control:discipline"))
    assert response["Location"] == reverse(
        "control:discipline-organisation", args=[setup.world.ministry1.pk]
    )


def test_someone_without_a_role_is_refused(make_user: Callable[..., User]) -> None:
    nobody = make_user(username="nobody")
    assert _client(nobody).get(reverse("control:discipline")).status_code == 403


def test_pages_refuse_writes(setup: Setup) -> None:
    client = _client(setup.people["administrator"])
    assert client.post(reverse("control:discipline")).status_code == 405


def test_nav_shows_discipline(setup: Setup) -> None:
    page = _client(setup.people["observer"]).get(reverse("directory")).content.decode()
    assert f'href="{reverse("control:discipline")}" id="nav-discipline"' in page
    page = _client(setup.people["executor_own"]).get(reverse("directory")).content.decode()
    own = reverse("control:discipline-organisation", args=[setup.world.ministry1.pk])
    assert f'href="{own}" id="nav-discipline"' in page


# --- links ----------------------------------------------------------------------------------------


def _links(html: str, figure: str) -> list[dict[str, list[str]]]:
    found = re.findall(rf'<a href="([^"]+)"[^>]*data-figure="{figure}"', html)
    return [parse_qs(urlsplit(unescape(href)).query) for href in found]


def _row(html: str, table: str, key: int) -> str:
    table_html = html[html.index(f'id="{table}"') :]
    start = table_html.index(f'data-key="{key}"')
    return table_html[start : table_html.index("</tr>", start)]


def test_figures_link_to_their_obligations(setup: Setup) -> None:
    world = setup.world
    client = _client(setup.people["observer"])
    html = client.get(reverse("control:discipline") + "?from=&to=").content.decode()
    [overdue] = _links(html[: html.index("trend-title")], "overdue")
    assert overdue == {"status": ["overdue"]}
    listed = client.get(reverse("control:obligations") + "?status=overdue")
    assert listed.context["page"].paginator.count == 2

    row = _row(html, "organisation-table", world.ministry2.pk)
    [link] = _links(row, "overdue")
    assert link == {"organisation": [str(world.ministry2.pk)], "status": ["overdue"]}
    [late] = _links(row, "late")
    assert late["status"] == ["submitted_late"]
    [counted] = _links(row, "counted")
    assert counted == {"organisation": [str(world.ministry2.pk)]}


def test_region_and_quarter_links_carry_the_period(setup: Setup) -> None:
    world = setup.world
    client = _client(setup.people["controller"])
    start, end = world.today - dt.timedelta(days=100), world.today + dt.timedelta(days=100)
    query = f"?from={start}&to={end}&group=region"
    html = client.get(reverse("control:discipline") + query).content.decode()
    row = _row(html, "region-table", world.region1.pk)
    [link] = _links(row, "overdue")
    assert link == {
        "region": [str(world.region1.pk)],
        "deadline_from": [start.isoformat()],
        "deadline_to": [end.isoformat()],
        "status": ["overdue"],
    }
    response = client.get(reverse("control:obligations"), {k: v[0] for k, v in link.items()})
    assert response.context["page"].paginator.count == 1  # f: m is late, g is late
    label = quarter_label(quarter_number(world.deadline("e")))
    assert f'data-quarter="{label}"' in html
    assert re.search(rf'href="[^"]*quarter={label}[^"]*" data-quarter="{label}"', html)


def test_plan_page_and_organisation_page(setup: Setup) -> None:
    world = setup.world
    client = _client(setup.people["executor_own"])
    html = client.get(
        reverse("control:discipline-organisation", args=[world.ministry1.pk]) + "?from=&to="
    ).content.decode()
    assert 'id="plan-table"' in html
    assert "66.7\xa0%" in html  # two of three on time
    html = client.get(reverse("control:discipline-plan", args=[world.plan1.pk])).content.decode()
    assert 'id="trend-chart"' in html
    assert 'id="organisation-chart"' in html
    assert "<title" in html
    # The charts hold links to each bar's rows, so they are groups named by their title and
    # description, not images (axe's nested-interactive rule).
    assert 'role="group" aria-labelledby="trend-svg-title trend-svg-desc"' in html
    assert 'role="group" aria-labelledby="organisation-chart-title organisation-chart-desc"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "discipline-map-data" in html


def _plan_keys(html: str) -> list[str]:
    table = html.split('id="plan-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-key="([^"]+)"', table)


def test_the_by_plan_table_is_paged_worst_first(setup: Setup) -> None:
    """Sixty more plans, each owing one overdue obligation (none on time: the worst share):
    the table shows fifty a page, in the API's order, and a page number people or robots get
    wrong is read as the nearest page."""
    from jospar.control.discipline_counts import discipline_counts_rebuild

    world = setup.world
    org = world.ministry1
    deadline = world.today - dt.timedelta(days=3)
    for i in range(60):
        plan = Plan.objects.create(title_ru=f"План {i:02d}", approved_on=world.today)
        activity = Activity.objects.create(plan=plan, number="1", position=1, title_ru="М")
        executor = ActivityExecutor.objects.create(activity=activity, position=1, organisation=org)
        Obligation.objects.create(
            activity=activity,
            executor=executor,
            organisation=org,
            due_on=deadline,
            deadline=deadline,
        )
    discipline_counts_rebuild()
    client = _client(setup.people["controller"])
    url = reverse("control:discipline")
    everything = [
        str(g["id"])
        for g in client.get(
            reverse("api-discipline"), {"group": "plan", "from": "", "to": ""}
        ).json()["groups"]
    ]
    assert len(everything) == 62

    def page(number: str) -> str:
        query = {"group": "plan", "from": "", "to": "", "page": number}
        return _body(client.get(url, query))

    first, second = page("1"), page("2")
    assert _plan_keys(first) == everything[:50]
    assert _plan_keys(second) == everything[50:]
    assert "Plans 1–50 of 62" in unescape(first)
    assert "Plans 51–62 of 62" in unescape(second)
    # The pages link to each other with the other parameters kept.
    assert 'rel="next"' in first
    assert 'rel="prev"' in second
    found = re.search(r'href="([^"]*)" rel="next"', first)
    assert found is not None
    assert parse_qs(urlsplit(unescape(found.group(1))).query, keep_blank_values=True) == {
        "group": ["plan"],
        "from": [""],
        "to": [""],
        "page": ["2"],
    }
    for wrong, expected in (("abc", first), ("0", first), ("-3", first), ("99999", second)):
        assert _plan_keys(page(wrong)) == _plan_keys(expected), wrong
    # No page is numbered past bigint: the edge refuses it for every page (400, not a 5xx).
    assert client.get(url, {"group": "plan", "page": "9" * 30}).status_code == 400

    def queries(number: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            page(number)
        return len(captured)

    assert queries("1") == queries("2")


def test_bad_dates_are_kept_and_the_default_period_used(setup: Setup) -> None:
    response = _client(setup.people["observer"]).get(
        reverse("control:discipline") + "?from=not-a-date&to="
    )
    assert response.status_code == 200
    assert 'value="not-a-date"' in response.content.decode()
    assert response.context["filters"].date_from is not None


# --- the map and the API --------------------------------------------------------------------------


def test_map_returns_geojson_with_figures(setup: Setup) -> None:
    world = setup.world
    response = _client(setup.people["observer"]).get(
        reverse("control:discipline-map") + "?from=&to="
    )
    data = response.json()
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["id"]: f for f in data["features"]}
    alpha = features[world.region1.pk]
    assert alpha["geometry"]["type"] == "Polygon"
    props = alpha["properties"]
    assert (props["counted"], props["late"], props["overdue"], props["on_time"]) == (3, 2, 1, 0)
    assert props["band"] == "bad"
    assert props["url"].startswith(reverse("control:discipline-region", args=[world.region1.pk]))
    assert f"region={world.region1.pk}" in props["obligations_url"]
    assert features[world.region2.pk]["properties"]["percent_on_time"] == 100.0


def test_the_page_carries_figures_and_fetches_the_shapes_apart(setup: Setup) -> None:
    """The region shapes (150 KB on the national directory) are not in the page: the page
    carries each region's figures and one address, the same for every page and reader, from
    which the browser fetches and keeps the shapes."""
    import json
    import re

    world = setup.world
    client = _client(setup.people["observer"])
    html = client.get(reverse("control:discipline") + "?from=&to=").content.decode()
    found = re.search(
        r'<script id="discipline-map-data" type="application/json">(.*?)</script>', html
    )
    assert found is not None
    data = json.loads(found.group(1))
    assert "geometry" not in found.group(1)
    assert "coordinates" not in found.group(1)
    figures = {r["id"]: r for r in data["regions"]}
    assert (figures[world.region1.pk]["counted"], figures[world.region1.pk]["overdue"]) == (3, 1)
    shapes = client.get(data["shapes"])
    assert shapes.status_code == 200
    drawn = {f["id"] for f in shapes.json()["features"]}
    # Every region the figures name that has a boundary has a shape at that address.
    assert {world.region1.pk, world.region2.pk} <= drawn


def test_api_groups(setup: Setup) -> None:
    world = setup.world
    client = _client(setup.people["controller"])
    url = reverse("api-discipline")
    data = client.get(url, {"group": "organisation", "from": "", "to": ""}).json()
    assert data["totals"]["counted"] == 9
    assert data["totals"]["share_on_time"] == pytest.approx(1 / 3)
    orgs = {g["id"]: g for g in data["groups"]}
    assert orgs[world.ministry1.pk]["on_time"] == 2
    assert orgs[world.ministry1.pk]["obligations_url"].endswith(
        f"organisation={world.ministry1.pk}"
    )
    data = client.get(url, {"group": "plan", "from": "", "to": ""}).json()
    assert {g["id"]: g["counted"] for g in data["groups"]} == {
        world.plan1.pk: 8,
        world.plan2.pk: 1,
    }
    data = client.get(url, {"group": "region", "plan": str(world.plan1.pk), "from": "", "to": ""})
    regions = {g["id"]: g["counted"] for g in data.json()["groups"]}
    assert regions == {world.region1.pk: 2, world.region2.pk: 1}
    assert sum(q["counted"] for q in data.json()["trend"]) == 8
    default = client.get(url).json()
    assert default["date_from"]
    assert default["date_to"]


# --- queries ---------------------------------------------------------------------------------


def _grow(world: w.World, extra: int) -> None:
    """``extra`` more organisations, each owing one overdue and one submitted obligation."""
    activity = Activity.objects.create(
        plan=world.plan1, number=f"9{extra}", position=900 + extra, title_ru="Ещё"
    )
    for i in range(extra):
        org = Organisation.objects.create(kind=OrganisationKind.MINISTRY, name_ru=f"Орган {i}")
        executor = ActivityExecutor.objects.create(
            activity=activity, position=i + 1, organisation=org
        )
        for days, submitted in ((-3, None), (-9, -1)):
            deadline = world.today + dt.timedelta(days=days)
            on = deadline + dt.timedelta(days=submitted) if submitted is not None else None
            Obligation.objects.create(
                activity=activity,
                executor=executor,
                organisation=org,
                due_on=deadline,
                deadline=deadline,
                submitted_on=on,
                submitted_at=w.at(on) if on else None,
            )


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("overview", lambda x: reverse("control:discipline")),
        ("overview by plan", lambda x: reverse("control:discipline") + "?group=plan"),
        ("plan", lambda x: reverse("control:discipline-plan", args=[x.plan1.pk])),
        (
            "organisation",
            lambda x: reverse("control:discipline-organisation", args=[x.ministry1.pk]),
        ),
        ("region", lambda x: reverse("control:discipline-region", args=[x.region1.pk])),
        ("map", lambda x: reverse("control:discipline-map")),
        ("api", lambda x: reverse("api-discipline") + "?group=plan"),
    ],
)
def test_query_count_does_not_grow(setup: Setup, name: str, url: Callable[[w.World], str]) -> None:
    client = _client(setup.people["controller"])
    address = url(setup.world)
    client.get(address)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    small = count()
    _grow(setup.world, 5)
    middle = count()
    _grow(setup.world, 40)
    large = count()
    assert small == middle == large, name


def _body(response: Any) -> str:
    return str(response.content.decode())


def test_map_shows_a_gone_regions_figures_under_the_region_that_continues_it(
    setup: Setup,
) -> None:
    """Alpha ended yesterday and was split into Gamma (the larger part) and Delta: today's map
    draws Gamma with Alpha's figures, not a grey Gamma beside an undrawn Alpha."""
    from jospar.core.models import Region, RegionBoundary, RegionKind

    world = setup.world
    today = timezone.localdate()
    world.region1.valid_to = today - dt.timedelta(days=1)
    world.region1.save(update_fields=["valid_to"])
    gamma = Region.objects.create(
        code="gamma",
        kind=RegionKind.OBLAST,
        name_kk="Гамма облысы",
        name_ru="Гамма область",
        name_en="Gamma",
        valid_from=today,
        bbox=[60, 45, 61, 46],
    )
    RegionBoundary.objects.create(region=gamma, geometry=w.square(60, 45))
    delta = Region.objects.create(
        code="delta",
        kind=RegionKind.CITY,
        name_kk="Дельта қаласы",
        name_ru="город Дельта",
        name_en="Delta",
        valid_from=today,
        bbox=[60, 45, 60.1, 45.1],
    )
    RegionBoundary.objects.create(
        region=delta,
        geometry={
            "type": "Polygon",
            "coordinates": [[[60, 45], [60.1, 45], [60.1, 45.1], [60, 45.1], [60, 45]]],
        },
    )
    gamma.predecessors.set([world.region1])
    delta.predecessors.set([world.region1])
    data = (
        _client(setup.people["observer"])
        .get(reverse("control:discipline-map") + "?from=&to=")
        .json()
    )
    features = {f["properties"]["id"]: f["properties"] for f in data["features"]}
    assert world.region1.pk not in features
    assert features[gamma.pk]["counted"] == 3
    assert features[gamma.pk]["overdue"] == 1
    assert features[gamma.pk]["band"] == "bad"
    assert features[gamma.pk]["includes"] == ["Alpha"]
    assert features[delta.pk]["counted"] == 0
    assert features[delta.pk]["includes"] == []
    # Beta goes on as it was.
    assert features[world.region2.pk]["percent_on_time"] == 100.0


def test_south_kazakhstan_continues_in_turkistan(regions: None) -> None:
    from jospar.core.models import Region
    from jospar.core.selectors.regions import region_heirs_on

    sko = Region.objects.get(code="south-kazakhstan")
    assert region_heirs_on(dt.date(2024, 1, 1))[sko.pk].code == "turkistan"
    assert sko.pk not in region_heirs_on(dt.date(2018, 1, 1))
