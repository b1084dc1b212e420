"""The plan filter: all plans where they are few; beyond, the latest and a search by words of a
title or an approval number, within what the reader may filter by."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jospar.control.selectors import plan_choices as choices_module
from jospar.control.selectors.counts import obligation_plans
from jospar.control.selectors.plan_choices import plan_choices
from jospar.control.tests import discipline_world as w
from jospar.core.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> w.World:
    return w.build(timezone.localdate())


@pytest.fixture
def many(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the reader had more plans than a drop-down can hold: one listed at most."""
    monkeypatch.setattr(choices_module, "SELECT_ALL_UP_TO", 1)
    monkeypatch.setattr(choices_module, "SHOWN", 1)


def _ids(rows: list[tuple[int, str, str]]) -> list[int]:
    return [row[0] for row in rows]


def test_few_plans_are_all_listed(world: w.World, make_user: Callable[..., User]) -> None:
    observer = make_user(Role.OBSERVER, username="observer")
    choices = plan_choices(observer, search="два")
    assert not choices.searchable
    # The search is not used where every plan is listed.
    assert set(_ids(choices.rows)) == {world.plan1.pk, world.plan2.pk}


def test_many_plans_are_searched_by_the_words_of_a_title(
    world: w.World, make_user: Callable[..., User], many: None
) -> None:
    observer = make_user(Role.OBSERVER, username="observer")
    latest = plan_choices(observer)
    assert latest.searchable
    assert len(latest.rows) == 1
    assert latest.more
    # Case-folded, Cyrillic as Latin: "план" finds "План".
    found = plan_choices(observer, search="  план   ДВА ")
    assert _ids(found.rows) == [world.plan2.pk]
    assert not found.more
    assert plan_choices(observer, search="нет такого").rows == []
    # The chosen plan stays in the list, first, whatever the search finds.
    kept = plan_choices(observer, search="два", selected=world.plan1.pk)
    assert _ids(kept.rows) == [world.plan1.pk, world.plan2.pk]


def test_the_approval_number_finds_a_plan(
    world: w.World, make_user: Callable[..., User], many: None
) -> None:
    world.plan1.approval_number = "№ 512-р"
    world.plan1.save(update_fields=["approval_number"])
    observer = make_user(Role.OBSERVER, username="observer")
    assert _ids(plan_choices(observer, search="512").rows) == [world.plan1.pk]


def test_a_search_never_finds_a_plan_out_of_the_readers_scope(
    world: w.World, make_user: Callable[..., User], many: None
) -> None:
    for organisation in (world.ministry1, world.ministry2, world.akimat1, world.akimat2):
        executor = make_user(
            Role.EXECUTOR, organisation=organisation, username=f"exec-{organisation.pk}"
        )
        allowed = set(obligation_plans(executor).values_list("pk", flat=True))
        for plan in (world.plan1, world.plan2):
            choices = plan_choices(executor, search="План", selected=plan.pk)
            assert set(_ids(choices.rows)) <= allowed, organisation
    nobody = make_user(username="citizen")
    assert plan_choices(nobody, search="План", selected=world.plan1.pk).rows == []


def test_the_fragment_gives_the_options_of_a_search(
    world: w.World, make_user: Callable[..., User], many: None
) -> None:
    url = reverse("control:plan-options")
    assert Client().get(url, {"plan_q": "два"}).status_code == 302  # signed in only
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user(Role.OBSERVER, username="observer"))
    response = client.get(url, {"plan_q": "два"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{world.plan2.pk}">' in html
    assert f'value="{world.plan1.pk}"' not in html
    assert '<option value="">' in html  # "All plans" stays first
    # What was found, said to a screen reader (htmx swaps it out of band).
    assert 'id="plan-found" hx-swap-oob="true">1 plan found.' in html
    # The chosen plan stays listed, but is not counted as found by a search that misses it.
    missed = client.get(url, {"plan_q": "нет такого", "plan": str(world.plan1.pk)}).content.decode()
    assert f'value="{world.plan1.pk}" selected' in missed
    assert ">0 plans found." in missed
    for hostile in ({"plan": "-1"}, {"plan": "x"}, {"plan_q": "x" * 500}, {"plan_q": ""}):
        assert client.get(url, hostile).status_code == 200, hostile
    # The edge refuses a NUL byte and an id past bigint before the view reads them.
    assert client.get(url, {"plan_q": "a\x00b"}).status_code == 400
    assert client.get(url, {"plan": "9" * 40}).status_code == 400


def test_the_pages_show_the_search_only_where_plans_are_many(
    world: w.World, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user(Role.OBSERVER, username="observer"))
    pages = {reverse("control:obligations"): "f-plan", reverse("control:discipline"): "d-plan"}
    for url in pages:
        assert 'name="plan_q"' not in client.get(url).content.decode()
    monkeypatch.setattr(choices_module, "SELECT_ALL_UP_TO", 1)
    monkeypatch.setattr(choices_module, "SHOWN", 1)
    for url, select_id in pages.items():
        html = client.get(url, {"plan_q": "два"}).content.decode()
        assert 'name="plan_q"' in html
        assert 'value="два"' in html
        select = re.search(rf'<select id="{select_id}" name="plan">(.*?)</select>', html, re.S)
        assert select is not None
        assert f'<option value="{world.plan2.pk}">' in select.group(1)
        assert f'value="{world.plan1.pk}"' not in select.group(1)
