"""Achievement on the program tree (the indicators' page of a program and the panels on the
programs' pages), and the map of an indicator by region: contents, permissions (refusals change
nothing), query counts and hostile input."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.core.models import Role
from jospar.indicators.achievement import Light
from jospar.indicators.maps import NO_VALUE, class_of, classes
from jospar.indicators.models import DataValue, Direction, Target, ValueState
from jospar.indicators.periods import parse_period
from jospar.indicators.program_tree import flat, node_achievement, program_achievement
from jospar.indicators.tests.conftest import World, make_indicator
from jospar.programs.models import NodeKind, Program, ProgramNode


@pytest.fixture
def client(client: Client) -> Client:
    """Pages in English: their words are asserted."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _node(program: Program, parent: ProgramNode | None, kind: str, name: str) -> ProgramNode:
    return ProgramNode.objects.create(
        program=program, parent=parent, kind=kind, position=1, name_kk=name, name_ru=name
    )


def _value(indicator: Any, period: str, value: str, region: Any = None) -> DataValue:
    parsed = parse_period(period)
    return DataValue.objects.create(
        indicator=indicator,
        period=parsed.iso,
        period_type=parsed.type,
        period_start=parsed.start,
        region=region,
        value=Decimal(value),
        state=ValueState.APPROVED,
        entered_at=timezone.now(),
    )


@pytest.fixture
def tree(world: World) -> dict[str, Any]:
    program = Program.objects.create(title_kk="Рухани жаңғыру", title_ru="Рухани жаңғыру")
    s1 = _node(program, None, NodeKind.SUBPROGRAM, "S1")
    s2 = _node(program, None, NodeKind.SUBPROGRAM, "S2 (no indicator)")
    b1 = _node(program, s1, NodeKind.BASE_PROJECT, "B1")
    b2 = _node(program, s1, NodeKind.BASE_PROJECT, "B2")
    up = make_indicator("up", node=b1, level="national", method="statistics")
    down = make_indicator("down", node=b1, level="national", method="statistics")
    down.direction = Direction.DOWN
    down.save()
    grey = make_indicator("grey", node=b2, level="national", method="statistics")
    top = make_indicator("top", node=s1, level="national", method="statistics")
    for indicator, value, target in (
        (up, "95", "100"),  # 95 % of "≥ 100": amber
        (down, "10", "12"),  # lower is better, 10 ≤ 12: green
        (top, "40", "100"),  # 40 %: red
    ):
        _value(indicator, "2024", value)
        Target.objects.create(indicator=indicator, year=2024, value=Decimal(target))
    _value(grey, "2024", "5")  # no target: grey
    return {"program": program, "s1": s1, "s2": s2, "b1": b1, "b2": b2, "world": world}


def test_the_tree_carries_each_nodes_achievement_direction_aware(tree: dict[str, Any]) -> None:
    items = program_achievement(tree["program"])
    assert [i.node.name_kk for i in items] == ["S1"]  # S2 has no indicator below it
    s1 = items[0]
    assert dict(s1.lights) == {"amber": 1, "green": 1, "red": 1, "grey": 1}
    assert [r.indicator.code for r in s1.rows] == ["top"]
    b1 = next(c for c in s1.children if c.node.pk == tree["b1"].pk)
    lights = {r.indicator.code: r.achievement for r in b1.rows}
    assert lights["up"].light == Light.AMBER
    assert lights["up"].percent == Decimal("95.0")
    assert lights["down"].light == Light.GREEN
    assert lights["down"].percent == Decimal("120.0")
    assert [d for d, _ in flat(items)] == [0, 1, 1]
    assert node_achievement(tree["s2"]) is None
    assert node_achievement(tree["b2"]).rows[0].achievement.light == Light.GREY  # type: ignore[union-attr]


def test_pages_and_panels(tree: dict[str, Any], client: Client) -> None:
    people = tree["world"].people
    client.force_login(people["observer"])
    page = client.get(reverse("indicators:program", args=[tree["program"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="achievement-tree"' in html
    assert 'data-indicator="up"' in html
    assert "95.0 %" in html
    # The programs' own pages show the achievement through the panel indicators registers.
    node_page = client.get(reverse("programs:node", args=[tree["b1"].pk])).content.decode()
    assert 'id="indicators-achievement"' in node_page
    assert 'data-indicator="down"' in node_page
    program_page = client.get(reverse("programs:detail", args=[tree["program"].pk]))
    assert 'id="achievement-tree-link"' in program_page.content.decode()
    # A node nothing measures shows no panel.
    empty = client.get(reverse("programs:node", args=[tree["s2"].pk])).content.decode()
    assert 'id="indicators-achievement"' not in empty
    # The dashboard links to the program's tree.
    dashboard = client.get(reverse("indicators:dashboard")).content.decode()
    assert reverse("indicators:program", args=[tree["program"].pk]) in dashboard


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("observer", 200),
        ("ministry", 200),
        ("office_north", 200),
        ("controller", 200),
        ("civic_official", 403),
        (None, 302),
    ],
)
def test_permission_matrix_of_the_new_pages(
    tree: dict[str, Any], client: Client, who: str | None, status: int
) -> None:
    world: World = tree["world"]
    if who:
        client.force_login(world.people[who])
    before = world.snapshot()
    for url in (reverse("indicators:program", args=[tree["program"].pk]),):
        assert client.get(url).status_code == status, url
        # Read-only pages: a POST is refused and changes nothing.
        assert client.post(url, {"value": "1"}).status_code in (302, 403, 405)
    assert world.snapshot() == before


def test_a_program_the_reader_may_not_read_is_a_404(tree: dict[str, Any], client: Client) -> None:
    client.force_login(tree["world"].people["observer"])
    assert client.get(reverse("indicators:program", args=[9_000_000])).status_code == 404


def test_the_tree_costs_a_fixed_number_of_queries(
    tree: dict[str, Any], client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(tree["world"].people["observer"])
    url = reverse("indicators:program", args=[tree["program"].pk])
    with django_assert_max_num_queries(20):
        client.get(url)
    # Twenty more indicators under the tree cost no more queries.
    for i in range(20):
        indicator = make_indicator(f"more-{i}", node=tree["b2"], level="national")
        _value(indicator, "2024", str(i))
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_map_classes_and_the_not_reported(world: World, client: Client) -> None:
    assert classes([]) == []
    one = classes([Decimal(5)])
    assert len(one) == 1
    assert class_of(Decimal(5), one) == 0
    five = classes([Decimal(0), Decimal(100)])
    assert [c.shade for c in five] == [0, 1, 2, 3, 4]
    assert class_of(Decimal(0), five) == 0
    assert class_of(Decimal(100), five) == 4
    assert class_of(Decimal(50), five) == 2
    _value(world.share, "2024Q1", "40", world.north)
    client.force_login(world.people["observer"])
    page = client.get(reverse("indicators:indicator", args=[world.share.pk]))
    html = page.content.decode()
    assert 'id="indicator-map"' in html
    start = html.index('id="indicator-map-data"')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    by_code = {r["code"]: r for r in data["regions"]}
    assert data["period"] == "2024Q1"
    assert by_code["north-x"]["value"] == "40"
    assert by_code["north-x"]["reported"]
    assert by_code["south-x"]["value"] is None
    assert by_code["south-x"]["colour"] == NO_VALUE
    assert by_code["south-x"]["state"] == "Not reported"


def test_the_map_period_is_chosen_and_hostile_periods_fall_back(
    world: World, client: Client
) -> None:
    _value(world.share, "2024Q1", "40", world.north)
    _value(world.share, "2024Q2", "60", world.south)
    client.force_login(world.people["observer"])
    url = reverse("indicators:indicator", args=[world.share.pk])
    assert "By region, 2024Q2" in client.get(url).content.decode()
    assert "By region, 2024Q1" in client.get(url, {"period": "2024Q1"}).content.decode()
    # A period without values shows every region as not reported.
    assert "By region, 2023Q4" in client.get(url, {"period": "2023Q4"}).content.decode()
    for hostile in ("9999Q9", "x" * 5000, "2024Q5", "²", "-1"):
        response = client.get(url, {"period": hostile})
        assert response.status_code == 200
        assert "By region, 2024Q2" in response.content.decode()
    assert client.get(url, {"period": "a\x00b"}).status_code == 400  # the NUL guard


def test_program_readers_without_indicators_see_no_panel(
    tree: dict[str, Any], client: Client, make_user: Any
) -> None:
    # An administrator reads both; a civic official reads neither programs nor indicators.
    client.force_login(make_user(Role.ADMINISTRATOR, username="adm2"))
    assert (
        'id="indicators-achievement"'
        in client.get(reverse("programs:node", args=[tree["b1"].pk])).content.decode()
    )


def test_the_indicator_page_with_its_map_costs_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    _value(world.share, "2024Q1", "40", world.north)
    client.force_login(world.people["controller"])
    url = reverse("indicators:indicator", args=[world.share.pk])
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
    for code in ("a1", "a2", "a3", "a4"):
        from jospar.indicators.tests.conftest import make_region

        _value(world.share, "2024Q1", "10", make_region(code, 1000))
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
